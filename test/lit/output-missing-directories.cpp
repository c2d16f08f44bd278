// -o and --depfile create the directories they write into: Make, unlike
// Ninja, runs an evy_rewrite_sources() command before any of them exists.
// RUN: rm -rf %t && mkdir %t
// RUN: %evy-rewrite --patch=time -o %t/a/b/out.cpp --depfile=%t/d/e/out.d %s -- -std=c++20
// RUN: FileCheck %s --input-file=%t/a/b/out.cpp
// RUN: FileCheck %s --check-prefix=DEPS --input-file=%t/d/e/out.d
// A file where a directory must be is still an error, and nothing is written.
// RUN: touch %t/file
// RUN: not %evy-rewrite --patch=time -o %t/file/out.cpp %s -- -std=c++20 2>&1 | FileCheck %s --check-prefix=ERR
// RUN: test -f %t/file

#include <unistd.h>
// CHECK: {{^}}#include <evy/patched/time.h>

void f() { sleep(1); }
// CHECK: {{^}}void f() { evy::green::sleep(1); }
// DEPS: a/b/out.cpp: \
// DEPS-NEXT: {{.*}}output-missing-directories.cpp
// ERR: error: {{.*}}/file/out.cpp: {{.*}}
