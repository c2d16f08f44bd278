// Every member of the select module (rules/select.json) is rewritten.
// RUN: %evy-rewrite --patch=select %s -- -std=c++20 > %t.out.cpp
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: FileCheck %s --check-prefix=INC --input-file=%t.out.cpp
// RUN: %compiles

#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/select.h>
// INC: {{^}}#include <evy/patched/select.h>
// INC-NOT: {{^}}#include <evy/patched/

int members(int fd, fd_set *r, struct pollfd *p, int ep, struct epoll_event *ev) {
  struct timeval tv = {0, 0};
  struct timespec ts = {0, 0};
  sigset_t mask;
  int n = select(fd + 1, r, nullptr, nullptr, &tv);
  // CHECK: {{^}}  int n = evy::green::select(fd + 1, r, nullptr, nullptr, &tv);
  n += pselect(fd + 1, r, nullptr, nullptr, &ts, &mask);
  // CHECK: {{^}}  n += evy::green::pselect(fd + 1, r, nullptr, nullptr, &ts, &mask);
  n += poll(p, 1, 0);
  // CHECK: {{^}}  n += evy::green::poll(p, 1, 0);
  n += ppoll(p, 1, &ts, &mask);
  // CHECK: {{^}}  n += evy::green::ppoll(p, 1, &ts, &mask);
  n += epoll_wait(ep, ev, 1, 0);
  // CHECK: {{^}}  n += evy::green::epoll_wait(ep, ev, 1, 0);
  return n;
}
