// Types spelled as template arguments: containers, lock guards, smart
// pointers, std::make_unique / make_shared, nested template arguments.
// RUN: %evy-rewrite --patch=thread %s -- -std=c++20 > %t.out.cpp
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: FileCheck %s --check-prefix=NOT --input-file=%t.out.cpp
// RUN: %compiles

#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <vector>

std::vector<std::thread> pool;
// CHECK: {{^}}std::vector<evy::green::thread> pool;
std::map<int, std::unique_ptr<std::mutex>> locks;
// CHECK: {{^}}std::map<int, std::unique_ptr<evy::green::mutex>> locks;

void guards(std::mutex &m, std::shared_mutex &sm) {
  std::lock_guard<std::mutex> g(m);
  // CHECK: {{^}}  std::lock_guard<evy::green::mutex> g(m);
  std::unique_lock<std::mutex> u(m, std::defer_lock);
  // CHECK: {{^}}  std::unique_lock<evy::green::mutex> u(m, std::defer_lock);
  std::shared_lock<std::shared_mutex> s(sm);
  // CHECK: {{^}}  std::shared_lock<evy::green::shared_mutex> s(sm);
  std::scoped_lock<std::mutex> sl(m);
  // CHECK-NOT: std::mutex
  // CHECK: {{^}}  std::scoped_lock<evy::green::mutex> sl(m);
}

void smart_pointers() {
  auto t = std::make_unique<std::thread>([] {});
  // CHECK: {{^}}  auto t = std::make_unique<evy::green::thread>([] {});
  std::shared_ptr<std::mutex> m = std::make_shared<std::mutex>();
  // CHECK: {{^}}  std::shared_ptr<evy::green::mutex> m = std::make_shared<evy::green::mutex>();
  std::vector<std::vector<std::thread>> nested;
  // CHECK: {{^}}  std::vector<std::vector<evy::green::thread>> nested;
  pool.emplace_back(std::thread([] {}));
  // CHECK: {{^}}  pool.emplace_back(evy::green::thread([] {}));
  t->join();
}

template <class Lock> struct Holder { Lock lock; };
Holder<std::mutex> holder;
// CHECK: {{^}}Holder<evy::green::mutex> holder;

// NOT-NOT: {{^[^/]*}}std::{{thread|mutex|shared_mutex}}{{[^:_a-z]}}
