// The clang resource directory is baked in at build time: a copy of the
// binary somewhere else (here %t/bin, with no lib/clang beside it) still
// finds the builtin headers <stddef.h> and <stdarg.h> in the baked
// .../lib/clang/N/include (not just through a distribution's fallback), and
// the runtime's headers through the build tree fallback (its own output,
// which includes <evy/patched/time.h>, parses). A -resource-dir in the
// compiler arguments (or --extra-arg) wins over the baked one: here it
// points to a directory whose stdarg.h is an #error, so the unit fails.
// RUN: rm -rf %t && mkdir -p %t/bin %t/res/include
// RUN: cp %evy-rewrite %t/bin/evy-rewrite
// RUN: %t/bin/evy-rewrite --rules %rules --patch=time %s -- -std=c++20 > %t.out.cpp
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: %compiles
// RUN: cd %t && %t/bin/evy-rewrite --patch=time %s -- -std=c++20 -v 2> %t.search | diff %t.out.cpp -
// RUN: FileCheck %s --check-prefix=SEARCH --input-file=%t.search
// RUN: %t/bin/evy-rewrite --check --patch=time %t.out.cpp -- -std=c++20
// RUN: echo '#error "evy test: the user resource dir was used"' > %t/res/include/stdarg.h
// RUN: %t/bin/evy-rewrite --rules %rules --patch=time %s -- -std=c++20 -resource-dir=%t/res > %t.bad 2> %t.err; test $? = 2
// RUN: count 0 < %t.bad
// RUN: FileCheck %s --check-prefix=USER --input-file=%t.err
// RUN: not %t/bin/evy-rewrite --patch=time %s --extra-arg=-resource-dir=%t/res -- -std=c++20 2>&1 | FileCheck %s --check-prefix=USER

#include <stdarg.h>
#include <stddef.h>
#include <unistd.h>
// CHECK: {{^}}#include <evy/patched/time.h>

struct Pair {
  int a;
  int b;
};

size_t total(int n, ...) {
  va_list ap;
  va_start(ap, n);
  size_t sum = 0;
  for (int i = 0; i < n; ++i)
    sum += va_arg(ap, size_t);
  va_end(ap);
  sleep(1);
  // CHECK: {{^}}  evy::green::sleep(1);
  return sum + offsetof(Pair, b);
}
// SEARCH: #include <...> search starts here:
// SEARCH: {{^ .*}}/lib/clang/{{[0-9]+}}/include{{$}}
// SEARCH: End of search list.
// USER: res/include/stdarg.h:1:2: error: "evy test: the user resource dir was used"
