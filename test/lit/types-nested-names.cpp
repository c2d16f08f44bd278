// A mapped type used as a qualifier: std::thread::id,
// std::thread::hardware_concurrency(), std::thread::native_handle_type; the
// whole qualifier becomes the green type.
// RUN: %evy-rewrite --patch=thread %s -- -std=c++20 > %t.out.cpp
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: FileCheck %s --check-prefix=NOT --input-file=%t.out.cpp
// RUN: %compiles

#include <memory>
#include <thread>

unsigned cores() {
  return std::thread::hardware_concurrency();
  // CHECK: {{^}}  return evy::green::thread::hardware_concurrency();
}

std::thread::id owner;
// CHECK: {{^}}evy::green::thread::id owner;

bool mine(std::thread::id other) {
  // CHECK: {{^}}bool mine(evy::green::thread::id other) {
  return other == ::std::thread::id();
  // CHECK: {{^}}  return other == evy::green::thread::id();
}

void make() {
  auto t = std::make_unique<std::thread>([] {});
  // CHECK: {{^}}  auto t = std::make_unique<evy::green::thread>([] {});
  std::thread::id id = t->get_id();
  // CHECK: {{^}}  evy::green::thread::id id = t->get_id();
  t->join();
  (void)id;
}

// NOT-NOT: {{^[^/]*}}std::thread
