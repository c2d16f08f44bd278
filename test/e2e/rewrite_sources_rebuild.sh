#!/usr/bin/env bash
# evy_rewrite_sources() from the installed package, on a user project whose
# .evy-rewrite.json greens a third-party header (import_patched): the build
# rewrites the source and a copy of the header into the build tree, the
# program links libevy and runs, the user's files stay byte for byte as they
# were, and the rewrite is redone exactly when the source, a header it reads
# or a rule file changes (and not otherwise).
# usage: rewrite_sources_rebuild.sh BUILD_DIR
set -euo pipefail
build=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null

user=$work/user
mkdir -p "$user/third_party"
cat > "$user/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.20)
project(rebuild_check LANGUAGES CXX)
set(CMAKE_CXX_STANDARD 20)
find_package(evy REQUIRED)
add_executable(app main.cpp)
target_include_directories(app PRIVATE third_party)
evy_rewrite_sources(app MODULES thread time)
CMAKE
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

cmake -S "$user" -B "$user/build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$user/build" >/dev/null
test "$("$user/build/app")" = done
out=$user/build/evy-rewritten/app
grep -q 'evy::green::thread' "$out/main.cpp"
grep -q "#include \"$out/headers/.*/third_party/nap.h\"" "$out/main.cpp"
grep -q 'evy::green::usleep(1000)' "$out/headers$user/third_party/nap.h"
test "$(sums)" = "$before" || { echo "the user's files changed"; exit 1; }

# reruns: what ninja would do next, as a list of its commands
redo() { ninja -C "$user/build" -n | grep -c 'evy-rewrite main.cpp' || true; }
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
echo "ok: evy_rewrite_sources rewrites into the build tree and redoes it when inputs change"
