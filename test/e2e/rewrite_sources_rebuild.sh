#!/usr/bin/env bash
# evy_rewrite_sources() from the installed package, on a user project whose
# .evy-rewrite.json greens a third-party header (import_patched): the build
# rewrites the source and a copy of the header into the build tree, the
# program links libevy and runs, the user's files stay byte for byte as they
# were, and the rewrite is redone exactly when the source, a header it reads
# or a rule file changes (and not otherwise): with Ninja (ninja -n) and with
# Unix Makefiles (make -n). Also: the rewrite parses each target at the
# -std= its compile uses (CXX_STANDARD, CXX_EXTENSIONS, compile features).
# usage: rewrite_sources_rebuild.sh BUILD_DIR
set -euo pipefail
build=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null

# check GENERATOR: one fresh copy of the user project, built with GENERATOR.
check() {
local generator=$1
local user=$work/user-${generator// /_}
mkdir -p "$user/third_party"
cat > "$user/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.20)
project(rebuild_check LANGUAGES CXX)
set(CMAKE_CXX_STANDARD 20)
find_package(evy REQUIRED)
add_executable(app main.cpp)
target_include_directories(app PRIVATE third_party)
evy_rewrite_sources(app MODULES thread time)
# Never built; their commands are compared (std_probe.cpp is main.cpp).
add_executable(std_gnu17 EXCLUDE_FROM_ALL std_probe.cpp)
set_target_properties(std_gnu17 PROPERTIES CXX_STANDARD 17)
add_executable(std_11 EXCLUDE_FROM_ALL std_probe.cpp)
set_target_properties(std_11 PROPERTIES CXX_STANDARD 11 CXX_EXTENSIONS OFF)
add_executable(std_feature23 EXCLUDE_FROM_ALL std_probe.cpp)
target_compile_features(std_feature23 PRIVATE cxx_std_23)
foreach(probe std_gnu17 std_11 std_feature23)
  evy_rewrite_sources(${probe} MODULES time)
endforeach()
CMAKE
touch "$user/std_probe.cpp"
echo '{"paths": [{"glob": "third_party/*.h", "patch": ["time"]}]}' > "$user/.evy-rewrite.json"
cat > "$user/third_party/nap.h" <<'CPP'
#pragma once
#include <unistd.h>
inline int nap() { return usleep(1000); }
CPP
cat > "$user/main.cpp" <<'CPP'
#include "nap.h"
#include <cstdio>
#include <thread>
#include <vector>
int main() {
  std::vector<std::thread> naps;
  for (int i = 0; i < 4; ++i)
    naps.emplace_back([] { nap(); });
  for (std::thread &t : naps)
    t.join();
  std::puts("done");
}
CPP
sums() { (cd "$user" && find . -path ./build -prune -o -type f -print | sort | xargs sha256sum); }
before=$(sums)

cmake -S "$user" -B "$user/build" -G "$generator" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$user/build" >/dev/null
test "$("$user/build/app")" = done
out=$user/build/evy-rewritten/app
grep -q 'evy::green::thread' "$out/main.cpp"
grep -q "#include \"$out/headers/.*/third_party/nap.h\"" "$out/main.cpp"
grep -q 'evy::green::usleep(1000)' "$out/headers$user/third_party/nap.h"
test "$(sums)" = "$before" || { echo "the user's files changed"; exit 1; }

# reruns: 1 if the build tool's dry run (its command list) rewrites main.cpp
redo() {
  local count
  count=$(if test "$generator" = Ninja; then
            ninja -C "$user/build" -n
          else
            make -C "$user/build" -n
          fi | grep -c 'evy-rewrite main.cpp' || true)
  test "$count" -gt 0 && echo 1 || echo 0
}
test "$(redo)" = 0 || { echo "rewrite redone with nothing changed"; exit 1; }
touch "$user/main.cpp"
test "$(redo)" = 1 || { echo "source change did not redo the rewrite"; exit 1; }
cmake --build "$user/build" >/dev/null
test "$(redo)" = 0
printf '#pragma once\n#include <unistd.h>\ninline int nap() { return usleep(2000); }\n' > "$user/third_party/nap.h"
test "$(redo)" = 1 || { echo "header change did not redo the rewrite"; exit 1; }
cmake --build "$user/build" >/dev/null
grep -q 'evy::green::usleep(2000)' "$out/headers$user/third_party/nap.h"
test "$("$user/build/app")" = done
touch "$work/prefix/share/evy/rules/time.json"
test "$(redo)" = 1 || { echo "rule change did not redo the rewrite"; exit 1; }

# The parse's -std= is the compile's, for each probe.
for probe in std_gnu17 std_11 std_feature23; do
  if test "$generator" = Ninja; then
    ninja -C "$user/build" -t commands "$probe"
  else
    make -C "$user/build" -n "$probe"
  fi >"$work/commands"
  parse=$(grep 'evy-rewrite --patch' "$work/commands" | grep -o -- ' -std=[^ ]*' | sort -u)
  compile=$(grep -v 'evy-rewrite' "$work/commands" | grep -- ' -c ' | grep -o -- ' -std=[^ ]*' | sort -u)
  test -n "$compile" && test "$parse" = "$compile" ||
    { echo "$generator $probe: parsed with '$parse', compiled with '$compile'"; exit 1; }
  echo "$generator $probe:$parse"
done
echo "ok ($generator): evy_rewrite_sources rewrites into the build tree and redoes it when inputs change"
}

check Ninja
check "Unix Makefiles"
