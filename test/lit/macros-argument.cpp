// A call spelled in a macro argument in the user file is rewritten at its
// spelling, whether the macro is the user's or a system header's.
// RUN: %evy-rewrite --patch=socket,time %s -- -std=c++20 -isystem %inputs > %t.out.cpp 2> %t.err
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: count 0 < %t.err
// RUN: %compiles

#include <assert.h>
#include <evy-test-system-macros.h>
#include <sys/socket.h>
#include <unistd.h>

#define TWICE(x) \
  do {           \
    x;           \
    x;           \
  } while (0)
#define CHECKED(expr) ((expr) < 0 ? -1 : 0)

int f(int fd, char *buf) {
  TWICE(usleep(3));
  // CHECK: {{^}}  TWICE(evy::green::usleep(3));
  int r = CHECKED(recv(fd, buf, 1, 0));
  // CHECK: {{^}}  int r = CHECKED(evy::green::recv(fd, buf, 1, 0));
  r += SYS_WRAP(sleep(2));
  // CHECK: {{^}}  r += SYS_WRAP(evy::green::sleep(2));
  assert(::send(fd, buf, 1, 0) >= 0);
  // CHECK: {{^}}  assert(evy::green::send(fd, buf, 1, 0) >= 0);
  return r;
}
