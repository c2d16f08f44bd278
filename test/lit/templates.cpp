// Templates are rewritten once, in the pattern, never once per
// instantiation: non-dependent calls, dependent calls (close(fd) with T fd),
// types in the pattern, explicit specializations, generic lambdas.
// RUN: %evy-rewrite --patch=socket,thread,time %s -- -std=c++20 > %t.out.cpp 2> %t.err
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: FileCheck %s --check-prefix=ONCE --input-file=%t.out.cpp
// RUN: count 0 < %t.err
// RUN: %compiles
// RUN: %evy-rewrite --report=text --patch=socket,thread,time %s -- -std=c++20 > %t.report
// RUN: FileCheck %s --check-prefix=REPORT --input-file=%t.report
// RUN: grep -c -- '-> evy::green::' %t.report | FileCheck %s --check-prefix=COUNT

#include <mutex>
#include <sys/socket.h>
#include <unistd.h>

template <class T> int shut(T fd) {
  sleep(1);
  // CHECK: {{^}}  evy::green::sleep(1);
  return close(fd);
  // CHECK: {{^}}  return evy::green::close(fd);
}

template <class T> struct Guarded {
  std::mutex lock;
  // CHECK: {{^}}  evy::green::mutex lock;
  T value;
  int pull(int fd, char *buf) { return recv(fd, buf, sizeof(T), 0); }
  // CHECK: {{^}}  int pull(int fd, char *buf) { return evy::green::recv(fd, buf, sizeof(T), 0); }
};

template <> struct Guarded<char> {
  std::mutex lock;
  // CHECK: {{^}}  evy::green::mutex lock;
};

auto generic = [](auto fd) { return ::shutdown(fd, SHUT_RDWR); };
// CHECK: {{^}}auto generic = [](auto fd) { return evy::green::shutdown(fd, SHUT_RDWR); };

int use(char *buf) {
  Guarded<int> a;
  Guarded<long> b;
  Guarded<char> c;
  return shut(3) + shut(4L) + shut(short(5)) + a.pull(3, buf) + b.pull(3, buf) + generic(3) +
         generic(4L);
}

// Each spelling is edited exactly once, whatever the number of instantiations.
// ONCE-NOT: evy::green::{{evy}}::green
// REPORT: : sleep -> evy::green::sleep [time]
// REPORT-NEXT: : close -> evy::green::close [socket]
// REPORT-NEXT: : std::mutex -> evy::green::mutex [thread]
// REPORT-NEXT: : recv -> evy::green::recv [socket]
// REPORT-NEXT: : std::mutex -> evy::green::mutex [thread]
// REPORT-NEXT: : shutdown -> evy::green::shutdown [socket]
// COUNT: {{^}}6{{$}}
