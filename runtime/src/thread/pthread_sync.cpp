// Green pthread_mutex_*, pthread_cond_*, pthread_rwlock_* and pthread_once.
//
// Storage scheme: each pthread object's own bytes hold the green state
// (MutexCore, CondCore, RwCore), so nothing is allocated and nothing leaks
// when a program never destroys its objects. All-zero bytes (what the
// static initializers and zeroed memory give) are a valid unlocked state;
// the words glibc's _NP initializers set (a mutex's __kind, a rwlock's
// __flags) are read where glibc puts them. The static_asserts below pin
// that on every target.
#include "abstime.h"
#include "parking.h"

#include <evy/patched/detail/thread_condition_variable.h>
#include <evy/patched/detail/thread_mutex.h>
#include <evy/patched/detail/thread_pthread.h>
#include <evy/patched/detail/thread_shared_mutex.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <mutex>
#include <new>

namespace evy::green {
namespace {

using detail::CondCore;
using detail::MutexCore;
using detail::MutexKind;
using detail::RwCore;
using detail::RwPreference;

static_assert(sizeof(MutexCore) <= sizeof(pthread_mutex_t) &&
              alignof(MutexCore) <= alignof(pthread_mutex_t));
static_assert(offsetof(MutexCore, kind) == offsetof(pthread_mutex_t, __data.__kind),
              "PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP sets __kind: it must be our kind");
static_assert(sizeof(CondCore) <= sizeof(pthread_cond_t) &&
              alignof(CondCore) <= alignof(pthread_cond_t));
static_assert(sizeof(RwCore) <= sizeof(pthread_rwlock_t) &&
              alignof(RwCore) <= alignof(pthread_rwlock_t));
static_assert(offsetof(RwCore, preference) == offsetof(pthread_rwlock_t, __data.__flags),
              "PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP sets __flags");
static_assert(static_cast<int>(MutexKind::recursive) == PTHREAD_MUTEX_RECURSIVE &&
              static_cast<int>(MutexKind::errorcheck) == PTHREAD_MUTEX_ERRORCHECK &&
              static_cast<int>(MutexKind::normal) == PTHREAD_MUTEX_NORMAL);
static_assert(static_cast<std::uint32_t>(RwPreference::writers) ==
              PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);

// The green state of an object is its bytes, read as a core. Objects that
// only a static initializer (or memset) produced hold no constructed core;
// the cores are made of atomics and plain integers whose all-zero pattern
// is their initial value, which is what makes that reading sound in practice.
MutexCore &core_of(pthread_mutex_t *m) noexcept {
  return *std::launder(reinterpret_cast<MutexCore *>(m));
}
CondCore &core_of(pthread_cond_t *c) noexcept {
  return *std::launder(reinterpret_cast<CondCore *>(c));
}
RwCore &core_of(pthread_rwlock_t *rw) noexcept {
  return *std::launder(reinterpret_cast<RwCore *>(rw));
}

// timed() runs lock(deadline) until it succeeds or abstime has passed on
// clock: a deadline mapped from a clock that jumped may expire early.
template <class Lock> int timed(clockid_t clock, const struct timespec *abstime, Lock &&lock) {
  if (!abstime || !detail::valid_abstime(*abstime))
    return EINVAL;
  for (;;) {
    const int r = lock(detail::abstime_deadline(clock, *abstime));
    if (r != ETIMEDOUT || detail::abstime_reached(clock, *abstime))
      return r;
  }
}

// rw_timed() is a timed rwlock lock in glibc 2.36's order
// (__pthread_rwlock_{rd,wr}lock_full64): a given abstime with an
// unsupported clock or bad tv_nsec is EINVAL even when the lock is free;
// then the caller's own write lock is EDEADLK; then the lock is taken or
// waited for until abstime. A null abstime waits without a timeout.
template <class Lock>
int rw_timed(clockid_t clock, const struct timespec *abstime, Lock &&lock) {
  if (!abstime)
    return lock(no_deadline);
  if (!detail::supported_clock(clock) || !detail::valid_abstime(*abstime))
    return EINVAL;
  return timed(clock, abstime, lock);
}

} // namespace

// ---------------------------------------------------------------- mutexes

int pthread_mutex_init(pthread_mutex_t *mutex, const pthread_mutexattr_t *attr) noexcept {
  int type = PTHREAD_MUTEX_DEFAULT;
  if (attr) {
    int shared = PTHREAD_PROCESS_PRIVATE;
    int robust = PTHREAD_MUTEX_STALLED;
    if (::pthread_mutexattr_gettype(attr, &type) != 0 ||
        ::pthread_mutexattr_getpshared(attr, &shared) != 0 ||
        ::pthread_mutexattr_getrobust(attr, &robust) != 0)
      return EINVAL;
    // Fibers of another process cannot be woken, nor can a dead owner be told.
    if (shared != PTHREAD_PROCESS_PRIVATE || robust != PTHREAD_MUTEX_STALLED)
      return ENOTSUP;
  }
  ::new (static_cast<void *>(mutex)) MutexCore(static_cast<MutexKind>(type & 3));
  return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *mutex) noexcept {
  MutexCore &m = core_of(mutex);
  std::lock_guard locked(m.guard);
  return m.depth > 0 || !m.waiters.empty() ? EBUSY : 0;
}

int pthread_mutex_lock(pthread_mutex_t *mutex) noexcept { return core_of(mutex).lock(no_deadline); }

int pthread_mutex_trylock(pthread_mutex_t *mutex) noexcept { return core_of(mutex).try_lock(); }

int pthread_mutex_timedlock(pthread_mutex_t *mutex, const struct timespec *abstime) noexcept {
  return green::pthread_mutex_clocklock(mutex, CLOCK_REALTIME, abstime);
}

int pthread_mutex_clocklock(pthread_mutex_t *mutex, clockid_t clockid,
                            const struct timespec *abstime) noexcept {
  if (!detail::supported_clock(clockid))
    return EINVAL; // glibc checks the clock before anything else
  MutexCore &m = core_of(mutex);
  // As glibc: a free mutex is taken, and an errorcheck relock refused,
  // before abstime is looked at; the owner relocking a normal mutex waits
  // out abstime (ETIMEDOUT) unless another thread unlocks it meanwhile.
  if (const int r = m.lock_now(true); r != EBUSY)
    return r;
  return timed(clockid, abstime, [&](Deadline d) { return m.lock(d, true); });
}

int pthread_mutex_unlock(pthread_mutex_t *mutex) noexcept { return core_of(mutex).unlock(); }

// ------------------------------------------------------------ conditions

int pthread_cond_init(pthread_cond_t *cond, const pthread_condattr_t *attr) noexcept {
  clockid_t clock = CLOCK_REALTIME;
  if (attr) {
    int shared = PTHREAD_PROCESS_PRIVATE;
    if (::pthread_condattr_getclock(attr, &clock) != 0 ||
        ::pthread_condattr_getpshared(attr, &shared) != 0)
      return EINVAL;
    if (shared != PTHREAD_PROCESS_PRIVATE)
      return ENOTSUP;
  }
  auto *c = ::new (static_cast<void *>(cond)) CondCore();
  c->clock = static_cast<int>(clock);
  return 0;
}

int pthread_cond_destroy(pthread_cond_t *cond) noexcept {
  CondCore &c = core_of(cond);
  std::lock_guard locked(c.guard);
  return c.waiters.empty() ? 0 : EBUSY;
}

namespace {

// MutexRelease is what a condition wait gives up: every level of the mutex.
struct MutexRelease {
  MutexCore *mutex;
  std::uint32_t depth = 0;
};

// cond_wait() is pthread_cond_wait with a deadline: 0 or ETIMEDOUT.
int cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex, Deadline deadline) {
  MutexCore &m = core_of(mutex);
  if (!m.owned_by_caller())
    return EPERM;
  MutexRelease held{&m};
  const detail::LockRef release{&held, nullptr, [](void *h) {
                                  auto *r = static_cast<MutexRelease *>(h);
                                  r->depth = r->mutex->release_all();
                                }};
  // Not interruptible: a C caller has no way to see an evy::TimeoutError.
  const WakeReason why = core_of(cond).wait(release, deadline, Interruptible::no);
  m.reacquire(held.depth);
  return why == WakeReason::timed_out ? ETIMEDOUT : 0;
}

} // namespace

int pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex) {
  return cond_wait(cond, mutex, no_deadline);
}

namespace {

// cond_clockwait() is pthread_cond_wait until abstime on clock.
int cond_clockwait(pthread_cond_t *cond, pthread_mutex_t *mutex, clockid_t clock,
                   const struct timespec *abstime) {
  if (!abstime || !detail::valid_abstime(*abstime))
    return EINVAL;
  const int r = cond_wait(cond, mutex, detail::abstime_deadline(clock, *abstime));
  // A deadline mapped from a clock that jumped may expire early: then this
  // was a spurious wake-up, which POSIX allows, not a timeout.
  if (r == ETIMEDOUT && !detail::abstime_reached(clock, *abstime))
    return 0;
  return r;
}

} // namespace

int pthread_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mutex,
                           const struct timespec *abstime) {
  return cond_clockwait(cond, mutex, static_cast<clockid_t>(core_of(cond).clock), abstime);
}

int pthread_cond_clockwait(pthread_cond_t *cond, pthread_mutex_t *mutex, clockid_t clock_id,
                           const struct timespec *abstime) {
  // glibc: the clock argument overrides the condattr's clock.
  if (!detail::supported_clock(clock_id))
    return EINVAL;
  return cond_clockwait(cond, mutex, clock_id, abstime);
}

int pthread_cond_signal(pthread_cond_t *cond) noexcept {
  core_of(cond).notify_one();
  return 0;
}

int pthread_cond_broadcast(pthread_cond_t *cond) noexcept {
  core_of(cond).notify_all();
  return 0;
}

// -------------------------------------------------------- reader-writer

int pthread_rwlock_init(pthread_rwlock_t *rwlock, const pthread_rwlockattr_t *attr) noexcept {
  int kind = PTHREAD_RWLOCK_DEFAULT_NP;
  if (attr) {
    int shared = PTHREAD_PROCESS_PRIVATE;
    if (::pthread_rwlockattr_getkind_np(attr, &kind) != 0 ||
        ::pthread_rwlockattr_getpshared(attr, &shared) != 0)
      return EINVAL;
    if (shared != PTHREAD_PROCESS_PRIVATE)
      return ENOTSUP;
  }
  ::new (static_cast<void *>(rwlock))
      RwCore(kind == PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP ? RwPreference::writers
                                                                  : RwPreference::readers);
  return 0;
}

// glibc 2.36's pthread_rwlock_destroy does nothing and returns 0, even on
// a held lock (POSIX leaves that undefined): so does this one.
int pthread_rwlock_destroy(pthread_rwlock_t *) noexcept { return 0; }

int pthread_rwlock_rdlock(pthread_rwlock_t *rwlock) noexcept {
  return core_of(rwlock).lock_shared(no_deadline);
}

int pthread_rwlock_tryrdlock(pthread_rwlock_t *rwlock) noexcept {
  return core_of(rwlock).try_lock_shared();
}

int pthread_rwlock_timedrdlock(pthread_rwlock_t *rwlock, const struct timespec *abstime) noexcept {
  return green::pthread_rwlock_clockrdlock(rwlock, CLOCK_REALTIME, abstime);
}

int pthread_rwlock_clockrdlock(pthread_rwlock_t *rwlock, clockid_t clockid,
                               const struct timespec *abstime) noexcept {
  RwCore &rw = core_of(rwlock);
  return rw_timed(clockid, abstime, [&](Deadline d) { return rw.lock_shared(d); });
}

int pthread_rwlock_wrlock(pthread_rwlock_t *rwlock) noexcept {
  return core_of(rwlock).lock(no_deadline);
}

int pthread_rwlock_trywrlock(pthread_rwlock_t *rwlock) noexcept {
  return core_of(rwlock).try_lock();
}

int pthread_rwlock_timedwrlock(pthread_rwlock_t *rwlock, const struct timespec *abstime) noexcept {
  return green::pthread_rwlock_clockwrlock(rwlock, CLOCK_REALTIME, abstime);
}

int pthread_rwlock_clockwrlock(pthread_rwlock_t *rwlock, clockid_t clockid,
                               const struct timespec *abstime) noexcept {
  RwCore &rw = core_of(rwlock);
  return rw_timed(clockid, abstime, [&](Deadline d) { return rw.lock(d); });
}

int pthread_rwlock_unlock(pthread_rwlock_t *rwlock) noexcept { return core_of(rwlock).unlock(); }

// ------------------------------------------------------------------ once

namespace {

// pthread_once_t is a bare int: no room for a queue. Callers that find an
// initialisation running park in one process-wide queue, keyed by address.
enum OnceState : int { once_not_run = 0, once_running = 1, once_done = 2 };
static_assert(PTHREAD_ONCE_INIT == once_not_run);

SpinLock once_guard;
WaitQueue once_waiters;

// end_once() publishes state and wakes the callers waiting on control.
void end_once(pthread_once_t *control, OnceState state) noexcept {
  detail::Handoff handoff;
  {
    std::lock_guard locked(once_guard);
    std::atomic_ref<pthread_once_t>(*control).store(state, std::memory_order_release);
    handoff.claim_if(once_waiters, [&](detail::Parked &p) {
      return p.request == reinterpret_cast<std::uintptr_t>(control);
    });
  }
  if (!handoff.empty())
    handoff.wake(once_guard, [](detail::Parked &) {});
}

} // namespace

int pthread_once(pthread_once_t *once_control, void (*init_routine)()) {
  std::atomic_ref<pthread_once_t> state(*once_control);
  for (;;) {
    int seen = state.load(std::memory_order_acquire);
    if (seen == once_done)
      return 0;
    if (seen == once_not_run &&
        state.compare_exchange_strong(seen, once_running, std::memory_order_acquire)) {
      try {
        init_routine();
      } catch (...) {
        end_once(once_control, once_not_run); // let a waiter try instead
        throw;
      }
      end_once(once_control, once_done);
      return 0;
    }
    detail::Parked parked(reinterpret_cast<std::uintptr_t>(once_control));
    {
      std::lock_guard locked(once_guard);
      if (state.load(std::memory_order_acquire) != once_running)
        continue;
      once_waiters.push_back(parked.waiter);
    }
    detail::wait_parked(once_guard, once_waiters, parked, no_deadline, Interruptible::no);
  }
}

} // namespace evy::green
