// A dependent call in a template that some instantiation resolves, by
// argument-dependent lookup, to another function (ns::close(Handle)) keeps
// its name and is reported: rewriting it would break that instantiation.
// Dependent calls that every instantiation (or none) sends to the blocking
// function are rewritten as usual.
// RUN: %evy-rewrite --patch=socket %s -- -std=c++20 > %t.out.cpp 2> %t.err
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: FileCheck %s --check-prefix=WARN --input-file=%t.err
// RUN: %compiles
// RUN: %evy-rewrite --report=json --patch=socket %s -- -std=c++20 | FileCheck %s --check-prefix=JSON
// RUN: not %evy-rewrite --check --patch=socket %s -- -std=c++20 > /dev/null 2>&1

#include <unistd.h>

namespace ns {
struct Handle {
  int fd;
};
inline int close(Handle h) { return h.fd; }
} // namespace ns

template <class T> int shut(T t) { return close(t); }
// CHECK: {{^}}template <class T> int shut(T t) { return close(t); }
// WARN: {{.*}}templates-argument-dependent.cpp:[[@LINE-2]]:43: warning: 'close' also calls 'ns::close' here (argument-dependent lookup in an instantiation), so it was left alone; call evy::green::close explicitly where the blocking one is meant [evy-argument-dependent-call]
template <class T> int shut_fd(T fd) { return close(fd); }
// CHECK: {{^}}template <class T> int shut_fd(T fd) { return evy::green::close(fd); }
template <class T> int never_used(T fd) { return close(fd); }
// CHECK: {{^}}template <class T> int never_used(T fd) { return evy::green::close(fd); }

int use() { return shut(ns::Handle{3}) + shut(4) + shut_fd(5); }
// WARN-NOT: warning:
// JSON: "check": "evy-argument-dependent-call"
// JSON-NEXT: "column": 43
// JSON-NEXT: "line": 22
