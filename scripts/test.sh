#!/usr/bin/env bash
# Sets everything up, builds, and runs every test; ends with ctest's summary.
# .ci/run runs exactly this.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${EVY_BUILD_DIR:-$root/build}
jobs=$(nproc)
# Every configure takes the CI's build settings (unity test builds, -g1).
ci_settings=(-C "$root/cmake/ci.cmake")
# Each build's and each suite's time (bash's time), to see where CI time
# goes; not the last ctest's, so that the output ends with its summary.
TIMEFORMAT="test.sh: %R s wall, %U s user, %S s sys"

bash "$root/scripts/setup.sh"

# runtime_suite DIR CMAKE_ARGS...: libevy and its gtest suite alone (no
# LLVM), in another configuration. The compile matrix of the public headers
# (standards.*) does not depend on the configuration: the main build runs it.
runtime_suite() {
  local dir=$1
  shift
  cmake "${ci_settings[@]}" -S "$root" -B "$dir" -G Ninja -DEVY_BUILD_TOOL=OFF \
    -DEVY_STANDARDS_TESTS=OFF "$@" >/dev/null
  time cmake --build "$dir" -j "$jobs"
  time ctest --test-dir "$dir" --output-on-failure -j "$jobs"
}
# Under AddressSanitizer and ThreadSanitizer (fiber-annotated), and with the
# ucontext fallback switch built with valgrind stack registration (its smoke
# test runs under valgrind).
runtime_suite "$build-asan" -DEVY_SANITIZE=address
runtime_suite "$build-tsan" -DEVY_SANITIZE=thread
runtime_suite "$build-ucontext" -DEVY_FIBER_BACKEND=ucontext -DEVY_VALGRIND=ON

# Everything: the tool, its lit and unit tests, the runtime, the examples
# and the end-to-end tests. Last, so that the output ends with its summary.
cmake "${ci_settings[@]}" -S "$root" -B "$build" -G Ninja -DEVY_BUILD_TESTS=ON >/dev/null
time cmake --build "$build" -j "$jobs"
ctest --test-dir "$build" --output-on-failure -j "$jobs"
