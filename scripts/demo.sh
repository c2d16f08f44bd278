#!/usr/bin/env bash
# Sets everything up, builds evy, and runs the main job on the bundled
# blocking echo server: the report of what it uses, and the diff evy-rewrite
# makes of it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${EVY_BUILD_DIR:-$root/build}

bash "$root/scripts/setup.sh"
cmake -S "$root" -B "$build" -G Ninja >/dev/null
cmake --build "$build" -j "$(nproc)" --target evy-rewrite

cd "$root"
example=examples/echo_server/echo_server.cpp
echo "== evy-rewrite --patch --report $example"
"$build/bin/evy-rewrite" --patch --report "$example" -- -std=c++20
echo
echo "== evy-rewrite --patch --diff $example"
"$build/bin/evy-rewrite" --patch --diff "$example" -- -std=c++20
