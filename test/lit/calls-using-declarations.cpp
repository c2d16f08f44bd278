// Calls through using-declarations, using-directives and namespace aliases
// are rewritten; the using-declaration itself names the green function too.
// A call through a using-declaration is spelled fully qualified, so it is
// green even when the using-declaration lives somewhere the tool does not
// rewrite.
// RUN: %evy-rewrite --patch=socket,time %s -- -std=c++20 > %t.out.cpp
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: FileCheck %s --check-prefix=NOT --input-file=%t.out.cpp
// RUN: %compiles

#include <chrono>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace net {
using ::recv;
// CHECK: {{^}}using evy::green::recv;
}

void through_using_declaration(int fd, char *buf) {
  using std::this_thread::sleep_for;
  // CHECK: {{^}}  using evy::green::this_thread::sleep_for;
  sleep_for(std::chrono::milliseconds(1));
  // CHECK: {{^}}  evy::green::this_thread::sleep_for(std::chrono::milliseconds(1));
  net::recv(fd, buf, 1, 0);
  // CHECK: {{^}}  evy::green::recv(fd, buf, 1, 0);
}

void through_using_directive() {
  using namespace std::this_thread;
  sleep_until(std::chrono::steady_clock::now());
  // CHECK: {{^}}  evy::green::this_thread::sleep_until(std::chrono::steady_clock::now());
}

namespace tt = std::this_thread;
void through_namespace_alias() {
  tt::sleep_for(std::chrono::milliseconds(1));
  // CHECK: {{^}}  evy::green::this_thread::sleep_for(std::chrono::milliseconds(1));
}

namespace std_user {
using namespace std;
void f() {
  this_thread::sleep_for(chrono::milliseconds(1));
  // CHECK: {{^}}  evy::green::this_thread::sleep_for(chrono::milliseconds(1));
}
} // namespace std_user

// No blocking spelling survives outside comments.
// NOT-NOT: {{^[^/]*}}std::this_thread::sleep
// NOT-NOT: {{^ *}}using ::recv;
