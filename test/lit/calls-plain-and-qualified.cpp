// Plain, ::-qualified and std::-qualified calls are rewritten by canonical
// declaration; the patched include lands in the include block.
// RUN: %evy-rewrite --patch=socket,time %s -- -std=c++20 > %t.out.cpp
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: %compiles

#include <sys/socket.h>
#include <unistd.h>
#include <thread>
// CHECK: {{^}}#include <evy/patched/socket.h>
// CHECK-NEXT: {{^}}#include <evy/patched/time.h>
// CHECK-NEXT: {{^}}#include <sys/socket.h>

void calls(int fd, char *buf) {
  recv(fd, buf, 1, 0);
  // CHECK: {{^}}  evy::green::recv(fd, buf, 1, 0);
  ::send(fd, buf, 1, 0);
  // CHECK: {{^}}  evy::green::send(fd, buf, 1, 0);
  :: sleep(1);
  // CHECK: {{^}}  evy::green::sleep(1);
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
  // CHECK: {{^}}  evy::green::this_thread::sleep_for(std::chrono::milliseconds(1));
  ::std::this_thread::sleep_until(std::chrono::steady_clock::now());
  // CHECK: {{^}}  evy::green::this_thread::sleep_until(std::chrono::steady_clock::now());
}
