// --export-fixes=FILE writes the edits (calls, types and the patched
// includes) as clang-apply-replacements YAML; applying it with the real
// clang-apply-replacements gives exactly what -i writes, with one module's
// include and with several (two insertions at the same place). Exporting
// leaves the sources alone, in any output mode.
// RUN: rm -rf %t && mkdir -p %t/one %t/two %t/inplace
// RUN: cp %s %t/one/file.cpp && cp %s %t/two/file.cpp && cp %s %t/inplace/one.cpp && cp %s %t/inplace/two.cpp
//
// One module (time): one include insertion.
// RUN: %evy-rewrite --patch=time --export-fixes=%t/one/evy.yaml %t/one/file.cpp -- -std=c++20 > /dev/null
// RUN: diff %s %t/one/file.cpp
// RUN: FileCheck %s --check-prefixes=CHECK,ONE --input-file=%t/one/evy.yaml
// RUN: clang-apply-replacements %t/one
// RUN: %evy-rewrite -i --patch=time %t/inplace/one.cpp -- -std=c++20
// RUN: diff %t/inplace/one.cpp %t/one/file.cpp
//
// Two modules (socket, time): two includes inserted at the same offset.
// RUN: %evy-rewrite --report --patch=socket,time --export-fixes=%t/two/evy.yaml %t/two/file.cpp -- -std=c++20 > /dev/null
// RUN: diff %s %t/two/file.cpp
// RUN: FileCheck %s --check-prefixes=CHECK,TWO --input-file=%t/two/evy.yaml
// RUN: clang-apply-replacements %t/two
// RUN: %evy-rewrite -i --patch=socket,time %t/inplace/two.cpp -- -std=c++20
// RUN: diff %t/inplace/two.cpp %t/two/file.cpp
// RUN: cp %t/two/file.cpp %t.out.cpp
// RUN: %compiles

#include <sys/socket.h>
#include <unistd.h>

void f(int fd, char *buf) {
  sleep(1);
  recv(fd, buf, 1, 0);
}
// CHECK: MainSourceFile: {{.*}}file.cpp
// CHECK: Diagnostics:
// CHECK: Replacements:
// Insertions at one place are one replacement, as clang-apply-replacements wants.
// ONE: ReplacementText: {{["']}}#include <evy/patched/time.h>
// TWO: ReplacementText: "#include <evy/patched/socket.h>\n#include <evy/patched/time.h>\n"
// CHECK: ReplacementText: {{["']}}evy::green::sleep{{["']}}
// TWO: ReplacementText: {{["']}}evy::green::recv{{["']}}
// ONE-NOT: evy::green::recv
