#!/usr/bin/env bash
# Installs evy from BUILD_DIR to a temporary prefix, then builds the user
# project examples/use_installed against it (find_package + evy_rewrite_sources)
# with Unix Makefiles and with Ninja, linking libevy.so and (once) libevy.a,
# and runs its greened echo server under load in one OS thread. pkg-config
# and a plain Makefile link libevy.so; --static with -static links libevy.a.
# Also checks that the installed evy-rewrite, copied nowhere near the build,
# reads the rules and patched headers installed beside it (not the source
# tree's, which are baked into the binary as a fallback for running from the
# build tree) and finds clang's builtin headers.
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
# libevy.so with its SONAME, beside libevy.a.
test -f "$work/prefix/lib/libevy.a"
soname=$(readelf -d "$work/prefix/lib/libevy.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
test -n "$soname" && test -e "$work/prefix/lib/$soname"

# A copy of the prefix whose rule file and patched header differ from the
# source tree's: the copied tool's output must show both differences.
moved="$work/moved"
cp -a "$work/prefix" "$moved"
python3 - "$moved/share/evy/rules/time.json" <<'EOF_PY'
import json, sys
path = sys.argv[1]
with open(path) as f:
    rules = json.load(f)
rules["functions"]["alarm"] = "evy::green::alarm_from_installed_rules"
with open(path, "w") as f:
    json.dump(rules, f, indent=2)
EOF_PY
printf '\n#define EVY_FROM_INSTALLED_HEADERS 1\n' >> "$moved/include/evy/patched/time.h"
cat > "$work/installed.cpp" <<'EOF_CPP'
#include <evy/patched/time.h>
#ifndef EVY_FROM_INSTALLED_HEADERS
#error "evy-rewrite did not parse with its installed headers"
#endif
#include <unistd.h>
void g() { alarm(5); sleep(1); }
EOF_CPP
"$moved/bin/evy-rewrite" --patch=time "$work/installed.cpp" -- -std=c++20 > "$work/installed.out.cpp"
grep -q 'evy::green::alarm_from_installed_rules(5)' "$work/installed.out.cpp"
grep -q 'evy::green::sleep(1)' "$work/installed.out.cpp"
# The check discriminates: the build tree's tool reads the source tree's
# rules and headers, so the same file does not parse there.
if "$build/bin/evy-rewrite" --patch=time "$work/installed.cpp" -- -std=c++20 >/dev/null 2>&1; then
  echo "install_and_use.sh: the build tree's evy-rewrite passed the installed-copy check" >&2
  exit 1
fi

# Builtin headers (<stddef.h>, <stdarg.h>: clang's own, not the system's)
# from a prefix that holds no clang resource directory.
test ! -e "$moved/lib/clang"
cat > "$work/builtin.cpp" <<'EOF_CPP'
#include <stddef.h>
#include <stdarg.h>
#include <unistd.h>
struct S { char c; max_align_t m; };
size_t f() { sleep(1); return offsetof(S, m); }
int v(int n, ...) { va_list a; va_start(a, n); int r = va_arg(a, int); va_end(a); return r; }
EOF_CPP
"$moved/bin/evy-rewrite" --patch=time "$work/builtin.cpp" -- -std=c++20 > "$work/builtin.out.cpp"
# Some clang packages (Debian's) also search a builtin-header directory of
# their own, so parsing alone cannot tell: the resource directory the tool
# gives clang (-v shows it) must be a real one.
resource=$("$moved/bin/evy-rewrite" --patch=time "$work/builtin.cpp" -- -std=c++20 -v 2>&1 >/dev/null |
  sed -n 's/.*"-resource-dir" "\([^"]*\)".*/\1/p' | head -n 1)
test -n "$resource" && test -f "$resource/include/stddef.h" && test -f "$resource/include/stdarg.h"
grep -q 'evy::green::sleep(1)' "$work/builtin.out.cpp"
grep -q '#include <evy/patched/time.h>' "$work/builtin.out.cpp"
# The rewritten file builds against the installed headers and library
# (pkg-config): libevy.so by default, libevy.a with --static and -static.
printf 'int main(){ return f() == offsetof(S, m) ? 0 : 1; }\n' >> "$work/builtin.out.cpp"
export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig"
g++ -std=c++20 "$work/builtin.out.cpp" $(pkg-config --cflags --libs evy) -o "$work/builtin"
readelf -d "$work/builtin" | grep -q "NEEDED.*\[$soname\]"
LD_LIBRARY_PATH="$work/prefix/lib" "$work/builtin"
g++ -std=c++20 -static "$work/builtin.out.cpp" $(pkg-config --cflags --static --libs evy) \
  -o "$work/builtin-static" 2>"$work/static-link.log" || { cat "$work/static-link.log"; exit 1; }
if readelf -d "$work/builtin-static" | grep -q NEEDED; then
  echo "install_and_use.sh: the --static link is not static" >&2
  exit 1
fi
"$work/builtin-static"

# Plain Make: a Makefile that greens its source with evy-rewrite into a
# directory that does not exist yet, and links through pkg-config.
mkdir "$work/make_user"
cat > "$work/make_user/app.cpp" <<'EOF_CPP'
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>
int main() {
  int sv[2];
  char c = 0;
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0 || send(sv[0], "x", 1, 0) != 1 ||
      recv(sv[1], &c, 1, 0) != 1 || usleep(1000) != 0)
    return 1;
  std::puts(c == 'x' ? "ok" : "wrong");
  return 0;
}
EOF_CPP
cat > "$work/make_user/Makefile" <<'EOF_MAKE'
CXXFLAGS += -std=c++17 $(shell pkg-config --cflags evy)
LDLIBS += $(shell pkg-config --libs evy)
LDFLAGS += -Wl,-rpath,$(shell pkg-config --variable=libdir evy)
app: green/app.cpp
	$(CXX) $(CXXFLAGS) $< $(LDFLAGS) $(LDLIBS) -o $@
green/app.cpp: app.cpp
	$(EVY_REWRITE) --patch=socket,time -o $@ $< -- -std=c++17
EOF_MAKE
make -s -C "$work/make_user" EVY_REWRITE="$work/prefix/bin/evy-rewrite" >/dev/null
grep -q 'evy::green::recv' "$work/make_user/green/app.cpp"
test "$("$work/make_user/app")" = ok
unset PKG_CONFIG_PATH

# The user's CMake project, with each generator, linking libevy.so (the
# default) and, once, libevy.a.
for case in "Unix Makefiles:shared" "Ninja:shared" "Ninja:static"; do
  generator=${case%:*} link=${case##*:}
  user="$work/user-${link}-${generator// /_}"
  static=OFF
  test "$link" = static && static=ON
  cmake -S "$src/examples/use_installed" -B "$user" -G "$generator" \
    -DCMAKE_PREFIX_PATH="$work/prefix" -DUSE_STATIC_EVY=$static >/dev/null
  cmake --build "$user" >/dev/null
  grep -q 'evy::green::recv' "$user/evy-rewritten/echo_server/__/echo_server/echo_server.cpp"
  if readelf -d "$user/echo_server" | grep -q "NEEDED.*\[$soname\]"; then
    test "$link" = shared || { echo "$case: linked libevy.so" >&2; exit 1; }
  else
    test "$link" = static || { echo "$case: did not link libevy.so" >&2; exit 1; }
  fi
  python3 "$src/test/e2e/run_example.py" echo "$user/echo_server" "$build/bin/evy_load" --one-thread
done
