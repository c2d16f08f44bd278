// -i rewrites files in place (through a temporary and a rename): the file
// gets the same text stdout would show, stdout stays empty, no temporary is
// left behind, permissions are kept, and an unchanged file is not rewritten.
// RUN: rm -rf %t && mkdir %t && cp %s %t/a.cpp && cp %s %t/b.cpp
// RUN: chmod 640 %t/a.cpp
// RUN: echo 'int clean() { return 0; }' > %t/clean.cpp
// RUN: touch -d '2001-01-01 00:00:00' %t/clean.cpp
// RUN: %evy-rewrite --patch=time %t/b.cpp -- -std=c++20 > %t/expected.cpp
// RUN: %evy-rewrite -i --patch=time %t/a.cpp %t/clean.cpp -- -std=c++20 > %t/stdout
// RUN: count 0 < %t/stdout
// RUN: diff %t/expected.cpp %t/a.cpp
// RUN: FileCheck %s < %t/a.cpp
// RUN: stat -c %%a %t/a.cpp | FileCheck %s --check-prefix=MODE
// RUN: ls %t | FileCheck %s --check-prefix=LS
// RUN: stat -c %%y %t/clean.cpp | FileCheck %s --check-prefix=MTIME
// RUN: cp %t/a.cpp %t.out.cpp
// RUN: %compiles

#include <unistd.h>
// CHECK: {{^}}#include <evy/patched/time.h>

void f() { usleep(1); }
// CHECK: {{^}}void f() { evy::green::usleep(1); }
// MODE: {{^}}640{{$}}
// LS-NOT: evy-
// LS: a.cpp
// LS-NEXT: b.cpp
// LS-NEXT: clean.cpp
// LS-NEXT: expected.cpp
// LS-NEXT: stdout
// LS-NOT: {{.}}
// MTIME: {{^}}2001-01-01 00:00:00
