// A file that already includes its patched header does not get it twice,
// with --patch or without (import style); a missing one is still added.
// RUN: %evy-rewrite --patch=time,socket %s -- -std=c++20 > %t.out.cpp
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: grep -c '^#include <evy/patched/time.h>' %t.out.cpp | FileCheck %s --check-prefix=ONCE
// RUN: grep -c '^#include <evy/patched/socket.h>' %t.out.cpp | FileCheck %s --check-prefix=ONCE
// RUN: %compiles
// RUN: %evy-rewrite %s -- -std=c++20 > %t.import.cpp
// RUN: grep -c '^#include <evy/patched/time.h>' %t.import.cpp | FileCheck %s --check-prefix=ONCE
// RUN: FileCheck %s --check-prefix=IMPORT --input-file=%t.import.cpp

#include <evy/patched/time.h>
#include <sys/socket.h>
#include <unistd.h>
// CHECK: {{^}}#include <evy/patched/socket.h>
// CHECK-NEXT: {{^}}#include <evy/patched/time.h>
// CHECK-NEXT: {{^}}#include <sys/socket.h>
// ONCE: {{^}}1{{$}}
// IMPORT-NOT: {{^}}#include <evy/patched/socket.h>

void f(int fd, char *buf) {
  sleep(1);
  // CHECK: {{^}}  evy::green::sleep(1);
  // IMPORT: {{^}}  evy::green::sleep(1);
  recv(fd, buf, 1, 0);
  // CHECK: {{^}}  evy::green::recv(fd, buf, 1, 0);
  // IMPORT: {{^}}  recv(fd, buf, 1, 0);
}
