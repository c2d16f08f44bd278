#!/usr/bin/env bash
# Sets everything up, builds evy, and runs the main job on the bundled
# blocking echo server: what it uses (the report), what evy-rewrite changes
# (the diff), and the greened server under 2,000 concurrent connections in
# one OS thread.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${EVY_BUILD_DIR:-$root/build}

bash "$root/scripts/setup.sh"
cmake -S "$root" -B "$build" -G Ninja >/dev/null
cmake --build "$build" -j "$(nproc)" --target evy-rewrite echo_server_green evy_load

cd "$root"
example=examples/echo_server/echo_server.cpp
echo "== evy-rewrite --patch=socket,thread --report $example"
"$build/bin/evy-rewrite" --patch=socket,thread --report "$example" -- -std=c++20
echo
echo "== evy-rewrite --patch=socket,thread --diff $example"
"$build/bin/evy-rewrite" --patch=socket,thread --diff "$example" -- -std=c++20
echo
echo "== the greened echo server (built by evy_rewrite_sources) under load"
python3 test/e2e/run_example.py echo "$build/bin/echo_server_green" "$build/bin/evy_load" --one-thread
