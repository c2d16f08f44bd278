// Type spellings in declarations: variables, members, parameters, return
// types, references and pointers, static members, arrays, base classes and
// inheriting constructors, default template arguments, decltype, lambdas,
// new-expressions and casts.
// RUN: %evy-rewrite --patch=thread %s -- -std=c++20 > %t.out.cpp
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: FileCheck %s --check-prefix=NOT --input-file=%t.out.cpp
// RUN: FileCheck %s --check-prefix=INHERIT --input-file=%t.out.cpp
// RUN: %compiles

#include <condition_variable>
#include <type_traits>
#include <mutex>
#include <thread>

std::mutex global_mutex;
// CHECK: {{^}}evy::green::mutex global_mutex;
static ::std::condition_variable global_cv;
// CHECK: {{^}}static evy::green::condition_variable global_cv;

struct Worker {
  std::thread thread;
  // CHECK: {{^}}  evy::green::thread thread;
  mutable std::mutex lock;
  // CHECK: {{^}}  mutable evy::green::mutex lock;
  static std::mutex shared;
  // CHECK: {{^}}  static evy::green::mutex shared;
  std::mutex *borrowed = nullptr;
  // CHECK: {{^}}  evy::green::mutex *borrowed = nullptr;
};
std::mutex Worker::shared;
// CHECK: {{^}}evy::green::mutex Worker::shared;

std::thread start(std::mutex &m, const std::condition_variable *cv);
// CHECK: {{^}}evy::green::thread start(evy::green::mutex &m, const evy::green::condition_variable *cv);

std::thread start(std::mutex &m, const std::condition_variable *cv) {
  // CHECK: {{^}}evy::green::thread start(evy::green::mutex &m, const evy::green::condition_variable *cv) {
  (void)m; (void)cv;
  return std::thread([] {});
  // CHECK: {{^}}  return evy::green::thread([] {});
}

auto trailing() -> std::thread * { return nullptr; }
// CHECK: {{^}}auto trailing() -> evy::green::thread * { return nullptr; }

void expressions(void *p) {
  std::mutex *m = new std::mutex;
  // CHECK: {{^}}  evy::green::mutex *m = new evy::green::mutex;
  auto *t = new std::thread[2];
  // CHECK: {{^}}  auto *t = new evy::green::thread[2];
  auto *c = static_cast<std::mutex *>(p);
  // CHECK: {{^}}  auto *c = static_cast<evy::green::mutex *>(p);
  auto *r = reinterpret_cast<std::condition_variable *>(p);
  // CHECK: {{^}}  auto *r = reinterpret_cast<evy::green::condition_variable *>(p);
  auto *cs = (std::mutex *)p;
  // CHECK: {{^}}  auto *cs = (evy::green::mutex *)p;
  unsigned long size = sizeof(std::thread) + alignof(std::mutex);
  // CHECK: {{^}}  unsigned long size = sizeof(evy::green::thread) + alignof(evy::green::mutex);
  delete m;
  delete[] t;
  (void)c; (void)r; (void)cs; (void)size;
}

struct MyThread : std::thread {
  // CHECK: {{^}}struct MyThread : evy::green::thread {
  using std::thread::thread;
  // INHERIT: {{^}}  using evy::green::thread::thread;
};
struct Locked : public std::mutex, private std::condition_variable_any {};
// CHECK: {{^}}struct Locked : public evy::green::mutex, private evy::green::condition_variable_any {};

template <class M = std::mutex> struct Box { M m; };
// CHECK: {{^}}template <class M = evy::green::mutex> struct Box { M m; };
static_assert(!std::is_same_v<std::mutex, int>);
// CHECK: {{^}}static_assert(!std::is_same_v<evy::green::mutex, int>);
decltype(std::thread()) made;
// CHECK: {{^}}decltype(evy::green::thread()) made;

void locals() {
  std::mutex many[4];
  // CHECK: {{^}}  evy::green::mutex many[4];
  auto l = [](std::mutex &m) -> std::thread * { (void)m; return nullptr; };
  // CHECK: {{^}}  auto l = [](evy::green::mutex &m) -> evy::green::thread * { (void)m; return nullptr; };
  (void)many;
  (void)l;
}

// No std:: spelling of a thread type survives outside comments.
// NOT-NOT: {{^[^/]*}}std::{{thread|mutex|condition_variable}}{{[^:_a-z]}}
