// A file using several modules gains one patched include per module it now
// uses, each once, sorted into its include block; modules chosen but unused
// (os, ssl, psycopg here) add nothing.
// RUN: %evy-rewrite --patch %s -- -std=c++20 > %t.out.cpp
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: grep -c '^#include <evy/patched/' %t.out.cpp | FileCheck %s --check-prefix=COUNT
// RUN: %compiles

#include <mutex>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
// CHECK: {{^}}#include <evy/patched/select.h>
// CHECK-NEXT: {{^}}#include <evy/patched/socket.h>
// CHECK-NEXT: {{^}}#include <evy/patched/thread.h>
// CHECK-NEXT: {{^}}#include <evy/patched/time.h>
// CHECK-NEXT: {{^}}#include <mutex>
// CHECK-NEXT: {{^}}#include <poll.h>
// CHECK-NEXT: {{^}}#include <sys/socket.h>
// CHECK-NEXT: {{^}}#include <unistd.h>
// COUNT: {{^}}4{{$}}

std::mutex m;
// CHECK: {{^}}evy::green::mutex m;

void f(int fd, char *buf, struct pollfd *p) {
  sleep(1);
  // CHECK: {{^}}  evy::green::sleep(1);
  usleep(1);
  // CHECK: {{^}}  evy::green::usleep(1);
  poll(p, 1, 0);
  // CHECK: {{^}}  evy::green::poll(p, 1, 0);
  recv(fd, buf, 1, 0);
  // CHECK: {{^}}  evy::green::recv(fd, buf, 1, 0);
  send(fd, buf, 1, 0);
  // CHECK: {{^}}  evy::green::send(fd, buf, 1, 0);
}
