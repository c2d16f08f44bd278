// Every member of the time module (rules/time.json) is rewritten.
// RUN: %evy-rewrite --patch=time %s -- -std=c++20 > %t.out.cpp
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: FileCheck %s --check-prefix=INC --input-file=%t.out.cpp
// RUN: %compiles

#include <chrono>
#include <sched.h>
#include <thread>
#include <time.h>
#include <unistd.h>
// INC: {{^}}#include <evy/patched/time.h>
// INC-NOT: {{^}}#include <evy/patched/

long members() {
  struct timespec ts = {0, 1000};
  long n = sleep(1);
  // CHECK: {{^}}  long n = evy::green::sleep(1);
  n += usleep(10);
  // CHECK: {{^}}  n += evy::green::usleep(10);
  n += nanosleep(&ts, nullptr);
  // CHECK: {{^}}  n += evy::green::nanosleep(&ts, nullptr);
  n += clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, nullptr);
  // CHECK: {{^}}  n += evy::green::clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, nullptr);
  n += sched_yield();
  // CHECK: {{^}}  n += evy::green::sched_yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
  // CHECK: {{^}}  evy::green::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::this_thread::sleep_until(std::chrono::steady_clock::now());
  // CHECK: {{^}}  evy::green::this_thread::sleep_until(std::chrono::steady_clock::now());
  return n;
}
