#!/usr/bin/env bash
# Sets everything up, builds, and runs every test; ends with ctest's summary.
# .ci/run runs exactly this.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${EVY_BUILD_DIR:-$root/build}
jobs=$(nproc)

bash "$root/scripts/setup.sh"

# The runtime's gtest suite again under AddressSanitizer (fiber-annotated).
if [ -f "$root/runtime/CMakeLists.txt" ] && [ -d "$root/test/runtime" ]; then
  cmake -S "$root" -B "$build-asan" -G Ninja -DEVY_BUILD_TOOL=OFF -DEVY_SANITIZE=address >/dev/null
  cmake --build "$build-asan" -j "$jobs"
  ctest --test-dir "$build-asan" --output-on-failure -j "$jobs"
fi

# The runtime's gtest suite again with the ucontext fallback switch.
if [ -f "$root/runtime/CMakeLists.txt" ] && [ -d "$root/test/runtime" ]; then
  cmake -S "$root" -B "$build-ucontext" -G Ninja -DEVY_BUILD_TOOL=OFF \
    -DEVY_FIBER_BACKEND=ucontext >/dev/null
  cmake --build "$build-ucontext" -j "$jobs"
  ctest --test-dir "$build-ucontext" --output-on-failure -j "$jobs"
fi

cmake -S "$root" -B "$build" -G Ninja -DEVY_BUILD_TESTS=ON >/dev/null
cmake --build "$build" -j "$jobs"
ctest --test-dir "$build" --output-on-failure -j "$jobs"
