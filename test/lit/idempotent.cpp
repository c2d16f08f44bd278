// Rewriting is idempotent: the tool's output, run through the tool again,
// is byte-identical, and --check on it passes. The file mixes most
// features: calls of every form, types, macros, templates, keep, includes.
// RUN: %evy-rewrite --patch %s -- -std=c++20 > %t.out.cpp
// RUN: %evy-rewrite --patch %t.out.cpp -- -std=c++20 > %t.out2.cpp
// RUN: diff %t.out.cpp %t.out2.cpp
// RUN: %evy-rewrite --check --patch %t.out.cpp -- -std=c++20
// RUN: %evy-rewrite %t.out.cpp -- -std=c++20 > %t.out3.cpp
// RUN: diff %t.out.cpp %t.out3.cpp
// RUN: cp %s %t.cpp
// RUN: %evy-rewrite -i --patch %t.cpp -- -std=c++20
// RUN: %evy-rewrite -i --patch %t.cpp -- -std=c++20
// RUN: diff %t.out.cpp %t.cpp
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: %compiles

#include <chrono>
#include <memory>
#include <mutex>
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>
// CHECK: {{^}}#include <evy/patched/select.h>

#define NAP(n) sleep(n)

using std::this_thread::sleep_for;
using Mutex = std::mutex;

std::vector<std::thread> pool;
Mutex m;

template <class T> int shut(T fd) { return close(fd); }

int work(int fd, char *buf, struct pollfd *p) {
  std::lock_guard<std::mutex> g(m);
  auto t = std::make_unique<std::thread>([] {});
  auto r = &recv;
  sleep_for(std::chrono::milliseconds(1));
  NAP(1);
  usleep(1); // evy: keep
  int n = ::poll(p, 1, 0) + static_cast<int>(r(fd, buf, 1, 0));
  n += static_cast<int>(std::thread::hardware_concurrency());
  t->join();
  return n + shut(fd);
}
