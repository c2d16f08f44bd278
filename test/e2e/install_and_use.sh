#!/usr/bin/env bash
# Installs evy from BUILD_DIR to a temporary prefix, then builds the user
# project examples/use_installed against it (find_package + evy_rewrite_sources)
# and runs its greened echo server under load in one OS thread. Also checks
# that the installed evy-rewrite, moved nowhere near the build, finds its
# rules, the patched headers and clang's builtin headers.
# usage: install_and_use.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1 build=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >/dev/null
test -x "$work/prefix/bin/evy-rewrite"
test -f "$work/prefix/share/evy/rules/socket.json"
test -f "$work/prefix/include/evy/patched/socket.h"
test -f "$work/prefix/lib/cmake/evy/evyConfig.cmake"
test -f "$work/prefix/lib/pkgconfig/evy.pc"

printf '#include <stddef.h>\n#include <stdarg.h>\n#include <unistd.h>\nsize_t f(){ sleep(1); return 0; }\n' > "$work/builtin.cpp"
"$work/prefix/bin/evy-rewrite" --patch=time "$work/builtin.cpp" -- -std=c++20 > "$work/builtin.out.cpp"
grep -q 'evy::green::sleep(1)' "$work/builtin.out.cpp"
grep -q '#include <evy/patched/time.h>' "$work/builtin.out.cpp"
# The rewritten file builds against the installed headers and library (pkg-config).
printf 'int main(){ return (int)f(); }\n' >> "$work/builtin.out.cpp"
PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" g++ -std=c++20 "$work/builtin.out.cpp" \
  $(PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" pkg-config --cflags --libs evy) -o "$work/builtin"

cmake -S "$src/examples/use_installed" -B "$work/user" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/user" >/dev/null
grep -q 'evy::green::recv' "$work/user/evy-rewritten/echo_server/__/echo_server/echo_server.cpp"
python3 "$src/test/e2e/run_example.py" echo "$work/user/echo_server" "$build/bin/evy_load" --one-thread
