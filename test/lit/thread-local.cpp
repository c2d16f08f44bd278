// thread_local variables are shared by every green thread of one OS thread:
// each is reported (file:line:col of the variable) when the thread module is
// chosen, and nothing is edited. Without the thread module: no warning.
// RUN: %evy-rewrite --patch=thread %s -- -std=c++20 > %t.out.cpp 2> %t.err
// RUN: diff %s %t.out.cpp
// RUN: FileCheck %s --input-file=%t.err
// RUN: %compiles
// RUN: %evy-rewrite --patch=socket %s -- -std=c++20 2>&1 >/dev/null | count 0

thread_local int counter = 0;
// CHECK: {{.*}}thread-local.cpp:[[@LINE-1]]:18: warning: {{.*}}'counter'{{.*}} [evy-thread-local]

int next() {
  static thread_local int calls;
  // CHECK: {{.*}}thread-local.cpp:[[@LINE-1]]:27: warning: {{.*}}'calls'{{.*}} [evy-thread-local]
  __thread static int legacy;
  // CHECK: {{.*}}thread-local.cpp:[[@LINE-1]]:23: warning: {{.*}}'legacy'{{.*}} [evy-thread-local]
  return ++counter + ++calls + ++legacy;
}

struct S {
  static thread_local int member;
  // CHECK: {{.*}}thread-local.cpp:[[@LINE-1]]:27: warning: {{.*}}'member'{{.*}} [evy-thread-local]
};
