// A macro defined in the user file is rewritten once, in its definition;
// its expansions are left as they are (they expand to the green call).
// RUN: %evy-rewrite --patch=socket,time %s -- -std=c++20 > %t.out.cpp 2> %t.err
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: FileCheck %s --check-prefix=ONCE --input-file=%t.out.cpp
// RUN: count 0 < %t.err
// RUN: %compiles

#include <sys/socket.h>
#include <unistd.h>

#define NAP(n) sleep(n)
// CHECK: {{^}}#define NAP(n) evy::green::sleep(n)
#define RECV recv
// CHECK: {{^}}#define RECV evy::green::recv
#define READ_ONE(fd, buf) ::recv(fd, buf, 1, 0)
// CHECK: {{^}}#define READ_ONE(fd, buf) evy::green::recv(fd, buf, 1, 0)

void f(int fd, char *buf) {
  NAP(1);
  // CHECK: {{^}}  NAP(1);
  NAP(2);
  // CHECK: {{^}}  NAP(2);
  RECV(fd, buf, 1, 0);
  // CHECK: {{^}}  RECV(fd, buf, 1, 0);
  READ_ONE(fd, buf);
  // CHECK: {{^}}  READ_ONE(fd, buf);
}

// The definition is edited once, not once per expansion.
// ONCE-NOT: evy::green::{{evy}}::green
// ONCE-NOT: {{^}}#define NAP(n) sleep(n)
