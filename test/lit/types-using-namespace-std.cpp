// Under "using namespace std;", unqualified type spellings (thread, mutex,
// lock_guard<mutex>) are still the library's types and are rewritten; the
// names are qualified in full so the green type is meant, not std's.
// RUN: %evy-rewrite --patch=thread,time %s -- -std=c++20 > %t.out.cpp
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: %compiles

#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

using namespace std;

mutex m;
// CHECK: {{^}}evy::green::mutex m;

void run() {
  thread t([] { this_thread::sleep_for(chrono::milliseconds(1)); });
  // CHECK: {{^}}  evy::green::thread t([] { evy::green::this_thread::sleep_for(chrono::milliseconds(1)); });
  lock_guard<mutex> g(m);
  // CHECK: {{^}}  lock_guard<evy::green::mutex> g(m);
  vector<thread> v;
  // CHECK: {{^}}  vector<evy::green::thread> v;
  thread::id id = this_thread::get_id();
  // CHECK: {{^}}  evy::green::thread::id id = evy::green::this_thread::get_id();
  t.join();
  (void)id;
}
