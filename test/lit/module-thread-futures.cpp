// The thread module's futures, call_once, atomic waits and thread-handle
// calls (issue 12) are rewritten, and the output compiles; at C++11 the
// C++20 atomic waits are left alone (they are absent there, as in std).
// RUN: %evy-rewrite --patch=thread %s -- -std=c++20 > %t.out.cpp
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: FileCheck %s --check-prefix=CXX20 --input-file=%t.out.cpp
// RUN: %compiles
// RUN: %evy-rewrite --patch=thread %s -- -std=c++11 > %t.11.cpp
// RUN: FileCheck %s --input-file=%t.11.cpp
// RUN: %cxx -std=c++11 %syntax-flags -Wextra -Werror -Wno-unused-variable %t.11.cpp
// RUN: %clangxx -std=c++11 %syntax-flags -Wextra -Werror -Wno-unused-variable %t.11.cpp

#include <atomic>
#include <future>
#include <mutex>
#include <pthread.h>
#include <signal.h>
#include <thread>
#if __has_include(<version>)
#include <version>
#endif

std::once_flag flag;
// CHECK: {{^}}evy::green::once_flag flag;

int futures() {
  std::promise<int> p;
  // CHECK: {{^}}  evy::green::promise<int> p;
  std::future<int> f = p.get_future();
  // CHECK: {{^}}  evy::green::future<int> f = p.get_future();
  std::shared_future<int> shared = f.share();
  // CHECK: {{^}}  evy::green::shared_future<int> shared = f.share();
  std::packaged_task<int(int)> task([](int x) { return x + 1; });
  // CHECK: {{^}}  evy::green::packaged_task<int(int)> task([](int x) { return x + 1; });
  std::future<int> a = std::async(std::launch::async, [] { return 41; });
  // CHECK: {{^}}  evy::green::future<int> a = evy::green::async(std::launch::async, [] { return 41; });
  auto d = std::async([] { return 1; });
  // CHECK: {{^}}  auto d = evy::green::async([] { return 1; });
  std::call_once(flag, [] {});
  // CHECK: {{^}}  evy::green::call_once(flag, [] {});
  std::thread t([] {});
  // CHECK: {{^}}  evy::green::thread t([] {});
  int n = pthread_kill(t.native_handle(), 0);
  // CHECK: {{^}}  int n = evy::green::pthread_kill(t.native_handle(), 0);
  n += pthread_setname_np(t.native_handle(), "worker");
  // CHECK: {{^}}  n += evy::green::pthread_setname_np(t.native_handle(), "worker");
  char name[16];
  n += pthread_getname_np(t.native_handle(), name, sizeof name);
  // CHECK: {{^}}  n += evy::green::pthread_getname_np(t.native_handle(), name, sizeof name);
  cpu_set_t cpus;
  n += pthread_getaffinity_np(t.native_handle(), sizeof cpus, &cpus);
  // CHECK: {{^}}  n += evy::green::pthread_getaffinity_np(t.native_handle(), sizeof cpus, &cpus);
  n += pthread_setaffinity_np(t.native_handle(), sizeof cpus, &cpus);
  // CHECK: {{^}}  n += evy::green::pthread_setaffinity_np(t.native_handle(), sizeof cpus, &cpus);
  int policy;
  sched_param param;
  n += pthread_getschedparam(t.native_handle(), &policy, &param);
  // CHECK: {{^}}  n += evy::green::pthread_getschedparam(t.native_handle(), &policy, &param);
  n += pthread_setschedparam(t.native_handle(), policy, &param);
  // CHECK: {{^}}  n += evy::green::pthread_setschedparam(t.native_handle(), policy, &param);
  n += pthread_cancel(t.native_handle());
  // CHECK: {{^}}  n += evy::green::pthread_cancel(t.native_handle());
  t.join();
  task(1);
  p.set_value(1);
  return n + shared.get() + a.get() + d.get();
}

#if defined(__cpp_lib_atomic_wait)
void atomics(std::atomic<int> &value) {
  std::atomic_wait(&value, 0);
  // CXX20: {{^}}  evy::green::atomic_wait(&value, 0);
  std::atomic_wait_explicit(&value, 0, std::memory_order_acquire);
  // CXX20: {{^}}  evy::green::atomic_wait_explicit(&value, 0, std::memory_order_acquire);
  std::atomic_notify_one(&value);
  // CXX20: {{^}}  evy::green::atomic_notify_one(&value);
  std::atomic_notify_all(&value);
  // CXX20: {{^}}  evy::green::atomic_notify_all(&value);
  value.wait(1);
  // The member call is not a rule's: it stays (docs/thread.md).
  // CXX20: {{^}}  value.wait(1);
}
#endif
