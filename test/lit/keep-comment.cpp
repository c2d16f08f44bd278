// "// evy: keep" on a line keeps that line's blocking call; the other lines
// are still rewritten, and the report lists the kept call. Only a comment
// counts: the words inside a string literal do not.
// RUN: %evy-rewrite --patch=socket,time %s -- -std=c++20 > %t.out.cpp
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: %compiles
// RUN: %evy-rewrite --report=text --patch=socket,time %s -- -std=c++20 | FileCheck %s --check-prefix=REPORT

#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

void f(int fd, char *buf) {
  sleep(1); // evy: keep
  // CHECK: {{^}}  sleep(1); // evy: keep
  recv(fd, buf, 1, 0); /* evy: keep */
  // CHECK: {{^}}  recv(fd, buf, 1, 0); /* evy: keep */
  sleep(2);
  // CHECK: {{^}}  evy::green::sleep(2);
  send(fd, buf, 1, 0); /* must block */ // evy: keep
  // CHECK: {{^}}  send(fd, buf, 1, 0); /* must block */ // evy: keep
  send(fd, buf, 2, 0); // evy: keeper is not the marker
  // CHECK: {{^}}  evy::green::send(fd, buf, 2, 0); // evy: keeper is not the marker
}
// REPORT: [[@LINE-11]]:3: sleep kept (evy: keep) [time]
// REPORT: [[@LINE-10]]:3: recv kept (evy: keep) [socket]

void g() {
  sleep(3); std::puts("// evy: keep");
  // CHECK: {{^}}  evy::green::sleep(3); std::puts("// evy: keep");
  sleep(4'000); // evy: keep
  // CHECK: {{^}}  sleep(4'000); // evy: keep
}
