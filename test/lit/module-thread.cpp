// Every member of the thread module (rules/thread.json) is rewritten: the
// functions (std::this_thread::yield/get_id, pthread_* with glibc's
// clock-taking waits, sem_* with named semaphores) and the types. The types
// that only newer standards have are used where the library has them, so
// that module-standards-*.test can rewrite this file at every standard.
// RUN: %evy-rewrite --patch=thread %s -- -std=c++20 > %t.out.cpp
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: FileCheck %s --check-prefix=TYPE --input-file=%t.out.cpp
// RUN: FileCheck %s --check-prefix=INC --input-file=%t.out.cpp
// RUN: %compiles

#include <barrier>
#include <fcntl.h>
#include <condition_variable>
#include <latch>
#include <mutex>
#include <pthread.h>
#include <semaphore.h>
#include <semaphore>
#include <shared_mutex>
#include <thread>
#include <time.h>
#include <version>
// INC: {{^}}#include <evy/patched/thread.h>
// INC-NOT: {{^}}#include <evy/patched/

void *body(void *arg) { return arg; }
void once() {}

long functions() {
  pthread_t t;
  pthread_mutex_t m;
  pthread_cond_t c;
  pthread_rwlock_t rw;
  pthread_once_t o = PTHREAD_ONCE_INIT;
  sem_t s;
  struct timespec ts = {0, 0};
  void *ret = nullptr;
  int v = 0;
  std::this_thread::yield();
  // CHECK: {{^}}  evy::green::this_thread::yield();
  auto id = std::this_thread::get_id();
  // CHECK: {{^}}  auto id = evy::green::this_thread::get_id();
  long n = pthread_create(&t, nullptr, body, nullptr);
  // CHECK: {{^}}  long n = evy::green::pthread_create(&t, nullptr, body, nullptr);
  n += pthread_join(t, &ret);
  // CHECK: {{^}}  n += evy::green::pthread_join(t, &ret);
  n += pthread_detach(t);
  // CHECK: {{^}}  n += evy::green::pthread_detach(t);
  n += pthread_equal(pthread_self(), t);
  // CHECK: {{^}}  n += evy::green::pthread_equal(evy::green::pthread_self(), t);
  n += pthread_yield();
  // CHECK: {{^}}  n += evy::green::pthread_yield();
  n += pthread_mutex_init(&m, nullptr);
  // CHECK: {{^}}  n += evy::green::pthread_mutex_init(&m, nullptr);
  n += pthread_mutex_lock(&m);
  // CHECK: {{^}}  n += evy::green::pthread_mutex_lock(&m);
  n += pthread_mutex_trylock(&m);
  // CHECK: {{^}}  n += evy::green::pthread_mutex_trylock(&m);
  n += pthread_mutex_timedlock(&m, &ts);
  // CHECK: {{^}}  n += evy::green::pthread_mutex_timedlock(&m, &ts);
  n += pthread_mutex_clocklock(&m, CLOCK_MONOTONIC, &ts);
  // CHECK: {{^}}  n += evy::green::pthread_mutex_clocklock(&m, CLOCK_MONOTONIC, &ts);
  n += pthread_mutex_unlock(&m);
  // CHECK: {{^}}  n += evy::green::pthread_mutex_unlock(&m);
  n += pthread_cond_init(&c, nullptr);
  // CHECK: {{^}}  n += evy::green::pthread_cond_init(&c, nullptr);
  n += pthread_cond_wait(&c, &m);
  // CHECK: {{^}}  n += evy::green::pthread_cond_wait(&c, &m);
  n += pthread_cond_timedwait(&c, &m, &ts);
  // CHECK: {{^}}  n += evy::green::pthread_cond_timedwait(&c, &m, &ts);
  n += pthread_cond_clockwait(&c, &m, CLOCK_REALTIME, &ts);
  // CHECK: {{^}}  n += evy::green::pthread_cond_clockwait(&c, &m, CLOCK_REALTIME, &ts);
  n += pthread_cond_signal(&c);
  // CHECK: {{^}}  n += evy::green::pthread_cond_signal(&c);
  n += pthread_cond_broadcast(&c);
  // CHECK: {{^}}  n += evy::green::pthread_cond_broadcast(&c);
  n += pthread_cond_destroy(&c);
  // CHECK: {{^}}  n += evy::green::pthread_cond_destroy(&c);
  n += pthread_mutex_destroy(&m);
  // CHECK: {{^}}  n += evy::green::pthread_mutex_destroy(&m);
  n += pthread_rwlock_init(&rw, nullptr);
  // CHECK: {{^}}  n += evy::green::pthread_rwlock_init(&rw, nullptr);
  n += pthread_rwlock_rdlock(&rw);
  // CHECK: {{^}}  n += evy::green::pthread_rwlock_rdlock(&rw);
  n += pthread_rwlock_tryrdlock(&rw);
  // CHECK: {{^}}  n += evy::green::pthread_rwlock_tryrdlock(&rw);
  n += pthread_rwlock_timedrdlock(&rw, &ts);
  // CHECK: {{^}}  n += evy::green::pthread_rwlock_timedrdlock(&rw, &ts);
  n += pthread_rwlock_clockrdlock(&rw, CLOCK_MONOTONIC, &ts);
  // CHECK: {{^}}  n += evy::green::pthread_rwlock_clockrdlock(&rw, CLOCK_MONOTONIC, &ts);
  n += pthread_rwlock_wrlock(&rw);
  // CHECK: {{^}}  n += evy::green::pthread_rwlock_wrlock(&rw);
  n += pthread_rwlock_trywrlock(&rw);
  // CHECK: {{^}}  n += evy::green::pthread_rwlock_trywrlock(&rw);
  n += pthread_rwlock_timedwrlock(&rw, &ts);
  // CHECK: {{^}}  n += evy::green::pthread_rwlock_timedwrlock(&rw, &ts);
  n += pthread_rwlock_clockwrlock(&rw, CLOCK_MONOTONIC, &ts);
  // CHECK: {{^}}  n += evy::green::pthread_rwlock_clockwrlock(&rw, CLOCK_MONOTONIC, &ts);
  n += pthread_rwlock_unlock(&rw);
  // CHECK: {{^}}  n += evy::green::pthread_rwlock_unlock(&rw);
  n += pthread_rwlock_destroy(&rw);
  // CHECK: {{^}}  n += evy::green::pthread_rwlock_destroy(&rw);
  n += pthread_once(&o, once);
  // CHECK: {{^}}  n += evy::green::pthread_once(&o, once);
  n += sem_init(&s, 0, 1);
  // CHECK: {{^}}  n += evy::green::sem_init(&s, 0, 1);
  n += sem_wait(&s);
  // CHECK: {{^}}  n += evy::green::sem_wait(&s);
  n += sem_trywait(&s);
  // CHECK: {{^}}  n += evy::green::sem_trywait(&s);
  n += sem_timedwait(&s, &ts);
  // CHECK: {{^}}  n += evy::green::sem_timedwait(&s, &ts);
  n += sem_clockwait(&s, CLOCK_MONOTONIC, &ts);
  // CHECK: {{^}}  n += evy::green::sem_clockwait(&s, CLOCK_MONOTONIC, &ts);
  n += sem_post(&s);
  // CHECK: {{^}}  n += evy::green::sem_post(&s);
  n += sem_getvalue(&s, &v);
  // CHECK: {{^}}  n += evy::green::sem_getvalue(&s, &v);
  n += sem_destroy(&s);
  // CHECK: {{^}}  n += evy::green::sem_destroy(&s);
  sem_t *named = sem_open("/name", O_CREAT, 0600, 1u);
  // CHECK: {{^}}  sem_t *named = evy::green::sem_open("/name", O_CREAT, 0600, 1u);
  n += sem_wait(named) + sem_post(named);
  // CHECK: {{^}}  n += evy::green::sem_wait(named) + evy::green::sem_post(named);
  n += sem_close(named);
  // CHECK: {{^}}  n += evy::green::sem_close(named);
  n += sem_unlink("/name");
  // CHECK: {{^}}  n += evy::green::sem_unlink("/name");
  (void)id;
  return n;
}

void types() {
  std::thread t([] {});
  // TYPE: {{^}}  evy::green::thread t([] {});
#if defined(__cpp_lib_jthread)
  std::jthread jt([] {});
  // TYPE: {{^}}  evy::green::jthread jt([] {});
#endif
  std::mutex m;
  // TYPE: {{^}}  evy::green::mutex m;
  std::timed_mutex tm;
  // TYPE: {{^}}  evy::green::timed_mutex tm;
  std::recursive_mutex rm;
  // TYPE: {{^}}  evy::green::recursive_mutex rm;
  std::recursive_timed_mutex rtm;
  // TYPE: {{^}}  evy::green::recursive_timed_mutex rtm;
#if defined(__cpp_lib_shared_mutex)
  std::shared_mutex sm;
  // TYPE: {{^}}  evy::green::shared_mutex sm;
#endif
#if defined(__cpp_lib_shared_timed_mutex)
  std::shared_timed_mutex stm;
  // TYPE: {{^}}  evy::green::shared_timed_mutex stm;
#endif
  std::condition_variable cv;
  // TYPE: {{^}}  evy::green::condition_variable cv;
  std::condition_variable_any cva;
  // TYPE: {{^}}  evy::green::condition_variable_any cva;
#if defined(__cpp_lib_semaphore)
  std::counting_semaphore<4> cs(4);
  // TYPE: {{^}}  evy::green::counting_semaphore<4> cs(4);
  std::binary_semaphore bs(1);
  // TYPE: {{^}}  evy::green::binary_semaphore bs(1);
#endif
#if defined(__cpp_lib_latch)
  std::latch l(1);
  // TYPE: {{^}}  evy::green::latch l(1);
#endif
#if defined(__cpp_lib_barrier)
  std::barrier b(1);
  // TYPE: {{^}}  evy::green::barrier b(1);
  std::barrier<void (*)() noexcept> bf(1, nullptr);
  // TYPE: {{^}}  evy::green::barrier<void (*)() noexcept> bf(1, nullptr);
#endif
  t.join();
}
