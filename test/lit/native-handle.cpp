// evy-native-handle: a thread's native_handle() passed to a pthread_* call,
// in a file greened for thread. A green thread has no OS thread of its own;
// what its handle means is the runtime's (docs/thread.md): the tool points
// at each use. Not reported where thread is not chosen.
// RUN: %evy-rewrite --report=text --patch=thread %s -- -std=c++20 | FileCheck %s
// RUN: %evy-rewrite --report=text --patch=socket %s -- -std=c++20 | FileCheck %s --check-prefix=NO-THREAD

#include <pthread.h>
#include <signal.h>
#include <thread>

int f(std::thread &t) {
  int alive = pthread_kill(t.native_handle(), 0);
  // CHECK: [[@LINE-1]]:28: warning: 'pthread_kill' receives a thread's native_handle(); a green thread has no OS thread of its own{{.*}}docs/thread.md{{.*}} [evy-native-handle]
  pthread_setname_np((t).native_handle(), "worker"); // evy: keep
  pthread_t self = pthread_self();
  return alive + pthread_setname_np(self, "main");
}
// CHECK-NOT: evy-native-handle
// NO-THREAD-NOT: evy-native-handle
