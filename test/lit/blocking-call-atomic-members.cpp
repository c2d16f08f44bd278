// std::atomic's member waits (C++20) block the OS thread on a futex and
// rules cannot rewrite member calls: they are reported as evy-blocking-call
// in every greened file, pointing to evy::green::atomic_wait (docs/thread.md).
// The free functions (std::atomic_wait...) are rewritten instead.
// RUN: %evy-rewrite --patch=thread %s -- -std=c++20 > %t.out.cpp 2> %t.err
// RUN: FileCheck %s --input-file=%t.err --implicit-check-not=warning:
// RUN: FileCheck %s --check-prefix=REWRITE --input-file=%t.out.cpp
// RUN: %compiles
// RUN: %evy-rewrite --check --patch=thread %s -- -std=c++20 > /dev/null 2>&1; test $? = 1
// RUN: %evy-rewrite --check %s -- -std=c++20 -DUNGREENED; test $? = 0

#ifndef UNGREENED
#include <evy/patched/socket.h>
#endif
#include <atomic>

struct Pair {
  int x, y;
};

void waits(std::atomic<int> &i, std::atomic<bool> &b, std::atomic<int *> &p,
           std::atomic<Pair> &s, std::atomic<double> &d, std::atomic_flag &f) {
  i.wait(1);
  // CHECK: blocking-call-atomic-members.cpp:[[@LINE-1]]:5: warning: 'std::__atomic_base::wait' blocks the OS thread and every green thread on it; it waits on a futex; wait with evy::green::atomic_wait(&a, old) {{.*}}[evy-blocking-call]
  b.wait(true);
  // CHECK: blocking-call-atomic-members.cpp:[[@LINE-1]]:5: warning: 'std::atomic::wait' blocks
  p.wait(nullptr);
  // CHECK: blocking-call-atomic-members.cpp:[[@LINE-1]]:5: warning: 'std::atomic::wait' blocks
  s.wait(Pair{0, 0});
  // CHECK: blocking-call-atomic-members.cpp:[[@LINE-1]]:5: warning: 'std::atomic::wait' blocks
  d.wait(1.0);
  // CHECK: blocking-call-atomic-members.cpp:[[@LINE-1]]:5: warning: 'std::__atomic_float::wait' blocks
  f.wait(true);
  // CHECK: blocking-call-atomic-members.cpp:[[@LINE-1]]:5: warning: 'std::atomic_flag::wait' blocks
  i.wait(2); // evy: keep
  i.notify_one(); // a notify does not block: not reported
  std::atomic_wait(&i, 3);
  // REWRITE: evy::green::atomic_wait(&i, 3);
}
