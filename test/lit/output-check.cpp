// --check is the CI gate: the diff and exit 1 when anything would change,
// exit 1 with only findings (a warning, no change), exit 0 and no output on
// a clean file. It never writes a file.
// RUN: cp %s %t.cpp
// RUN: %evy-rewrite --check --patch=time %t.cpp -- -std=c++20 > %t.diff; test $? = 1
// RUN: FileCheck %s --input-file=%t.diff
// RUN: diff %s %t.cpp
// RUN: echo 'thread_local int counter;' > %t.finding.cpp
// RUN: %evy-rewrite --check --patch %t.finding.cpp -- -std=c++20 > %t.finding.out 2> %t.finding.err; test $? = 1
// RUN: count 0 < %t.finding.out
// RUN: FileCheck %s --check-prefix=FINDING --input-file=%t.finding.err
// RUN: %evy-rewrite --patch=time %s -- -std=c++20 > %t.out.cpp
// RUN: %evy-rewrite --check --patch=time %t.out.cpp -- -std=c++20 > %t.clean
// RUN: count 0 < %t.clean
// RUN: %compiles

#include <unistd.h>

void f() { sleep(1); }
// CHECK: {{^}}+++ {{.*}}output-check.cpp.tmp.cpp
// CHECK: {{^}}-void f() { sleep(1); }
// CHECK-NEXT: {{^}}+void f() { evy::green::sleep(1); }
// FINDING: finding.cpp:1:18: warning: {{.*}}[evy-thread-local]
