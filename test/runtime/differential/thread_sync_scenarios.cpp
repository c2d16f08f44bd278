// pthread mutexes, condition variables and rwlocks: every error return.
#include "fixtures.h"

namespace evy::diff {
namespace {

const timespec kPast{1, 0};
const timespec kBadNsec{0, 1'000'000'000};
const timespec kNegativeNsec{0, -1};

template <class Ops> void init_mutex(pthread_mutex_t *m, int type) {
  pthread_mutexattr_t attr;
  ::pthread_mutexattr_init(&attr);
  ::pthread_mutexattr_settype(&attr, type);
  Ops::pthread_mutex_init(m, &attr);
  ::pthread_mutexattr_destroy(&attr);
}

EVY_SCENARIO(mutex_normal, "pthread_mutex_init pthread_mutex_destroy pthread_mutex_lock "
                           "pthread_mutex_trylock pthread_mutex_timedlock "
                           "pthread_mutex_clocklock pthread_mutex_unlock") {
  pthread_mutex_t m;
  log.rc("init", Ops::pthread_mutex_init(&m, nullptr));
  log.rc("timedlock bad abstime, free", Ops::pthread_mutex_timedlock(&m, &kBadNsec));
  log.rc("unlock", Ops::pthread_mutex_unlock(&m));
  log.rc("lock", Ops::pthread_mutex_lock(&m));
  log.rc("trylock held", Ops::pthread_mutex_trylock(&m));
  log.rc("timedlock past", Ops::pthread_mutex_timedlock(&m, &kPast));
  log.rc("timedlock bad nsec", Ops::pthread_mutex_timedlock(&m, &kBadNsec));
  log.rc("timedlock negative nsec", Ops::pthread_mutex_timedlock(&m, &kNegativeNsec));
  log.rc("clocklock past", Ops::pthread_mutex_clocklock(&m, CLOCK_MONOTONIC, &kPast));
  log.rc("clocklock bad clock", Ops::pthread_mutex_clocklock(&m, CLOCK_PROCESS_CPUTIME_ID, &kPast));
  log.rc("clocklock bad nsec", Ops::pthread_mutex_clocklock(&m, CLOCK_REALTIME, &kBadNsec));
  log.rc("destroy held", Ops::pthread_mutex_destroy(&m));
  log.rc("unlock", Ops::pthread_mutex_unlock(&m));
  log.rc("destroy", Ops::pthread_mutex_destroy(&m));
}

EVY_SCENARIO(mutex_errorcheck_and_recursive, "pthread_mutex_init pthread_mutex_lock "
                                             "pthread_mutex_unlock pthread_mutex_trylock "
                                             "pthread_mutex_timedlock pthread_mutex_destroy") {
  pthread_mutex_t m;
  init_mutex<Ops>(&m, PTHREAD_MUTEX_ERRORCHECK);
  log.rc("unlock unowned", Ops::pthread_mutex_unlock(&m));
  log.rc("lock", Ops::pthread_mutex_lock(&m));
  log.rc("lock again", Ops::pthread_mutex_lock(&m));
  log.rc("trylock again", Ops::pthread_mutex_trylock(&m));
  log.rc("timedlock again", Ops::pthread_mutex_timedlock(&m, &kPast));
  log.rc("unlock", Ops::pthread_mutex_unlock(&m));
  Ops::pthread_mutex_destroy(&m);
  init_mutex<Ops>(&m, PTHREAD_MUTEX_RECURSIVE);
  log.rc("lock", Ops::pthread_mutex_lock(&m));
  log.rc("lock again", Ops::pthread_mutex_lock(&m));
  log.rc("trylock again", Ops::pthread_mutex_trylock(&m));
  log.rc("timedlock again", Ops::pthread_mutex_timedlock(&m, &kPast));
  for (int i = 0; i < 5; ++i)
    log.rc("unlock", Ops::pthread_mutex_unlock(&m));
  Ops::pthread_mutex_destroy(&m);
}

EVY_SCENARIO(mutex_contended, "pthread_mutex_lock pthread_mutex_unlock pthread_mutex_trylock "
                              "pthread_mutex_timedlock pthread_create pthread_join") {
  static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  static std::atomic<bool> tried;
  static int results[3];
  tried = false;
  Ops::pthread_mutex_lock(&m);
  pthread_t other;
  Ops::pthread_create(
      &other, nullptr,
      [](void *) -> void * {
        results[0] = Ops::pthread_mutex_trylock(&m);
        results[1] = Ops::pthread_mutex_timedlock(&m, &kPast);
        tried = true;
        results[2] = Ops::pthread_mutex_lock(&m); // waits for the main thread
        Ops::pthread_mutex_unlock(&m);
        return nullptr;
      },
      nullptr);
  while (!tried)
    Ops::this_thread_yield();
  log.rc("unlock", Ops::pthread_mutex_unlock(&m));
  log.rc("join", Ops::pthread_join(other, nullptr));
  log.note("other's trylock", Log::errno_name(results[0]));
  log.note("other's timedlock", Log::errno_name(results[1]));
  log.note("other's lock", results[2]);
}

EVY_SCENARIO(cond_errors_and_timeouts, "pthread_cond_init pthread_cond_destroy "
                                       "pthread_cond_timedwait pthread_cond_clockwait "
                                       "pthread_cond_signal pthread_cond_broadcast") {
  pthread_cond_t c;
  pthread_mutex_t m;
  log.rc("init", Ops::pthread_cond_init(&c, nullptr));
  init_mutex<Ops>(&m, PTHREAD_MUTEX_ERRORCHECK);
  log.rc("signal nobody", Ops::pthread_cond_signal(&c));
  log.rc("broadcast nobody", Ops::pthread_cond_broadcast(&c));
  Ops::pthread_mutex_lock(&m);
  log.rc("timedwait past", Ops::pthread_cond_timedwait(&c, &m, &kPast));
  log.rc("mutex relocked (unlock again)", Ops::pthread_mutex_lock(&m));
  log.rc("timedwait bad nsec", Ops::pthread_cond_timedwait(&c, &m, &kBadNsec));
  log.rc("clockwait past", Ops::pthread_cond_clockwait(&c, &m, CLOCK_MONOTONIC, &kPast));
  log.rc("clockwait bad clock",
         Ops::pthread_cond_clockwait(&c, &m, CLOCK_PROCESS_CPUTIME_ID, &kPast));
  const timespec soon = test_support::abstime_in(CLOCK_REALTIME, std::chrono::milliseconds(5));
  log.rc("timedwait 5ms", Ops::pthread_cond_timedwait(&c, &m, &soon));
  Ops::pthread_mutex_unlock(&m);
  log.rc("timedwait, mutex not held", Ops::pthread_cond_timedwait(&c, &m, &kPast));
  log.rc("destroy", Ops::pthread_cond_destroy(&c));
  Ops::pthread_mutex_destroy(&m);
}

struct Shared {
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  pthread_cond_t c = PTHREAD_COND_INITIALIZER;
  bool ready = false;
};

EVY_SCENARIO(cond_wait_signalled, "pthread_cond_wait pthread_cond_signal pthread_create "
                                  "pthread_join") {
  static Shared s;
  s = Shared{};
  // Locked before the other thread exists: the wait below always happens.
  Ops::pthread_mutex_lock(&s.m);
  pthread_t other;
  Ops::pthread_create(
      &other, nullptr,
      [](void *) -> void * {
        Ops::pthread_mutex_lock(&s.m);
        s.ready = true;
        Ops::pthread_cond_signal(&s.c);
        Ops::pthread_mutex_unlock(&s.m);
        return nullptr;
      },
      nullptr);
  int failures = 0;
  while (!s.ready)
    failures += Ops::pthread_cond_wait(&s.c, &s.m) != 0;
  Ops::pthread_mutex_unlock(&s.m);
  Ops::pthread_join(other, nullptr);
  log.note("failed waits", failures);
  log.note("ready", s.ready);
}

EVY_SCENARIO(rwlock_errors, "pthread_rwlock_init pthread_rwlock_destroy pthread_rwlock_rdlock "
                            "pthread_rwlock_tryrdlock pthread_rwlock_timedrdlock "
                            "pthread_rwlock_clockrdlock pthread_rwlock_wrlock "
                            "pthread_rwlock_trywrlock pthread_rwlock_timedwrlock "
                            "pthread_rwlock_clockwrlock pthread_rwlock_unlock") {
  pthread_rwlock_t rw;
  log.rc("init", Ops::pthread_rwlock_init(&rw, nullptr));
  log.rc("rdlock", Ops::pthread_rwlock_rdlock(&rw));
  log.rc("tryrdlock", Ops::pthread_rwlock_tryrdlock(&rw));
  log.rc("trywrlock while read", Ops::pthread_rwlock_trywrlock(&rw));
  log.rc("timedwrlock past", Ops::pthread_rwlock_timedwrlock(&rw, &kPast));
  log.rc("timedwrlock bad nsec", Ops::pthread_rwlock_timedwrlock(&rw, &kBadNsec));
  log.rc("clockwrlock bad clock",
         Ops::pthread_rwlock_clockwrlock(&rw, CLOCK_PROCESS_CPUTIME_ID, &kPast));
  log.rc("clockwrlock past", Ops::pthread_rwlock_clockwrlock(&rw, CLOCK_MONOTONIC, &kPast));
  log.rc("timedrdlock bad nsec, available", Ops::pthread_rwlock_timedrdlock(&rw, &kBadNsec));
  // (how many read locks are held depends on the line above: start over)
  log.rc("init", Ops::pthread_rwlock_init(&rw, nullptr));
  log.rc("wrlock", Ops::pthread_rwlock_wrlock(&rw));
  log.rc("wrlock again", Ops::pthread_rwlock_wrlock(&rw));
  log.rc("rdlock while writing", Ops::pthread_rwlock_rdlock(&rw));
  log.rc("tryrdlock while writing", Ops::pthread_rwlock_tryrdlock(&rw));
  log.rc("trywrlock while writing", Ops::pthread_rwlock_trywrlock(&rw));
  log.rc("timedrdlock while writing", Ops::pthread_rwlock_timedrdlock(&rw, &kPast));
  log.rc("clockrdlock while writing",
         Ops::pthread_rwlock_clockrdlock(&rw, CLOCK_MONOTONIC, &kPast));
  log.rc("timedwrlock while writing", Ops::pthread_rwlock_timedwrlock(&rw, &kPast));
  log.rc("clockrdlock bad clock",
         Ops::pthread_rwlock_clockrdlock(&rw, CLOCK_PROCESS_CPUTIME_ID, &kPast));
  log.rc("destroy held", Ops::pthread_rwlock_destroy(&rw));
  log.rc("unlock", Ops::pthread_rwlock_unlock(&rw));
  log.rc("destroy", Ops::pthread_rwlock_destroy(&rw));
}

} // namespace
} // namespace evy::diff
