// --diff prints a unified diff (labels relative to the working directory,
// a/ and b/ prefixes, @@ hunks with context), changes no file, exits 0, and
// the diff applies with patch -p1 to give what stdout mode prints. A file
// with nothing to change prints nothing.
// RUN: rm -rf %t && mkdir -p %t/src && cp %s %t/src/file.cpp
// RUN: cd %t && %evy-rewrite --diff --patch=time src/file.cpp -- -std=c++20 > %t/out.diff
// RUN: FileCheck %s --input-file=%t/out.diff
// RUN: diff %s %t/src/file.cpp
// RUN: cd %t && %evy-rewrite --patch=time src/file.cpp -- -std=c++20 > %t.out.cpp
// RUN: cd %t && patch -s -p1 < %t/out.diff
// RUN: diff %t.out.cpp %t/src/file.cpp
// RUN: %compiles
// RUN: echo 'int clean() { return 0; }' > %t/clean.cpp
// RUN: cd %t && %evy-rewrite --diff --patch clean.cpp -- -std=c++20 | count 0

#include <unistd.h>

void f() {
  sleep(1);
}
// CHECK: {{^}}--- a/src/file.cpp
// CHECK-NEXT: {{^}}+++ b/src/file.cpp
// CHECK-NEXT: {{^}}@@ -{{[0-9]+}},{{[0-9]+}} +{{[0-9]+}},{{[0-9]+}} @@
// CHECK: {{^}}+#include <evy/patched/time.h>
// CHECK-NEXT: {{^}} #include <unistd.h>
// CHECK: {{^}}-  sleep(1);
// CHECK-NEXT: {{^}}+  evy::green::sleep(1);
// CHECK-NEXT: {{^}} }
