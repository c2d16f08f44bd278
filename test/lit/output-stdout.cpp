// Default output: the rewritten source of the one input file on stdout, exit
// 0, and the input itself untouched. Several files without -i/--diff/
// --check/--report is a usage error (exit 2, nothing on stdout).
// RUN: cp %s %t.cpp
// RUN: %evy-rewrite --patch=time %t.cpp -- -std=c++20 > %t.out.cpp
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: diff %s %t.cpp
// RUN: %compiles
// RUN: cp %s %t.second.cpp
// RUN: %evy-rewrite --patch=time %t.cpp %t.second.cpp -- -std=c++20 > %t.two 2> %t.two.err; test $? = 2
// RUN: count 0 < %t.two
// RUN: FileCheck %s --check-prefix=TWO --input-file=%t.two.err
// RUN: diff %s %t.cpp
// RUN: diff %s %t.second.cpp

#include <unistd.h>
// CHECK: {{^}}#include <evy/patched/time.h>
// CHECK-NEXT: {{^}}#include <unistd.h>

void f() { sleep(1); }
// CHECK: {{^}}void f() { evy::green::sleep(1); }
// TWO: error: {{.*}}-i{{.*}}
