// Green pthreads and POSIX semaphores, with the originals' signatures.
// Part of <evy/patched/thread.h>; include that header, not this one.
//
// The synchronisation objects keep their green state in their own bytes
// (pthread_mutex_t, pthread_cond_t, pthread_rwlock_t, sem_t), so static
// initializers work and nothing is allocated; an object must be used either
// only through these functions or only through the originals (named
// semaphores, from green sem_open, stay glibc's: see sem_open). Green
// pthread_t values are fiber ids: they are meaningful to these functions
// only, not to the originals (pthread_kill, pthread_setname_np, ...).
// docs/thread.md describes the layouts and the limits.
#pragma once

#include <pthread.h>
#include <semaphore.h>
#include <time.h>

// glibc declares its GNU extensions (pthread_yield, the *_clock* waits of
// glibc 2.30) only under __USE_GNU; the green ones follow its lead.
#if defined(__USE_GNU) && defined(__GLIBC_PREREQ)
#if __GLIBC_PREREQ(2, 30)
#define EVY_GREEN_GLIBC_CLOCK_WAITS 1
#endif
#endif

namespace evy {
namespace green {

// pthread_create() starts start_routine(arg) as a green thread on the
// calling OS thread's hub; a detached attr is honoured, stack attrs are not.
int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start_routine)(void *),
                   void *arg) noexcept;
// pthread_join() waits as a fiber for a green thread and collects its result.
int pthread_join(pthread_t thread, void **retval);
// pthread_detach() lets a green thread release itself when it ends.
int pthread_detach(pthread_t thread) noexcept;
// pthread_self() identifies the calling green thread (its fiber id).
pthread_t pthread_self() noexcept;
// pthread_equal() compares two green thread identifiers.
int pthread_equal(pthread_t t1, pthread_t t2) noexcept;
#if defined(__USE_GNU)
// pthread_yield() lets the other green threads of this OS thread run.
int pthread_yield() noexcept;
#endif
// pthread_once() runs init_routine once; concurrent callers wait as fibers.
int pthread_once(pthread_once_t *once_control, void (*init_routine)());

// pthread_mutex_init() makes a mutex of the attr's type (PTHREAD_MUTEX_*).
int pthread_mutex_init(pthread_mutex_t *mutex, const pthread_mutexattr_t *attr) noexcept;
// pthread_mutex_destroy() ends a mutex: EBUSY while it is locked.
int pthread_mutex_destroy(pthread_mutex_t *mutex) noexcept;
// pthread_mutex_lock() parks the calling fiber until it owns the mutex.
int pthread_mutex_lock(pthread_mutex_t *mutex) noexcept;
// pthread_mutex_trylock() takes the mutex if free: 0 or EBUSY.
int pthread_mutex_trylock(pthread_mutex_t *mutex) noexcept;
// pthread_mutex_timedlock() waits until abstime (CLOCK_REALTIME): ETIMEDOUT.
int pthread_mutex_timedlock(pthread_mutex_t *mutex, const struct timespec *abstime) noexcept;
#if defined(EVY_GREEN_GLIBC_CLOCK_WAITS)
// pthread_mutex_clocklock() waits until abstime on clockid (CLOCK_REALTIME or
// CLOCK_MONOTONIC, else EINVAL): ETIMEDOUT.
int pthread_mutex_clocklock(pthread_mutex_t *mutex, clockid_t clockid,
                            const struct timespec *abstime) noexcept;
#endif
// pthread_mutex_unlock() releases the mutex to its oldest waiter.
int pthread_mutex_unlock(pthread_mutex_t *mutex) noexcept;

// pthread_cond_init() makes a condition whose timedwait uses attr's clock.
int pthread_cond_init(pthread_cond_t *cond, const pthread_condattr_t *attr) noexcept;
// pthread_cond_destroy() ends a condition: EBUSY while fibers wait on it.
int pthread_cond_destroy(pthread_cond_t *cond) noexcept;
// pthread_cond_wait() unlocks mutex, parks until signalled, relocks it.
int pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex);
// pthread_cond_timedwait() is pthread_cond_wait until abstime: ETIMEDOUT.
int pthread_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mutex,
                           const struct timespec *abstime);
#if defined(EVY_GREEN_GLIBC_CLOCK_WAITS)
// pthread_cond_clockwait() is pthread_cond_timedwait on clock_id instead of
// the condattr's clock (CLOCK_REALTIME or CLOCK_MONOTONIC, else EINVAL).
int pthread_cond_clockwait(pthread_cond_t *cond, pthread_mutex_t *mutex, clockid_t clock_id,
                           const struct timespec *abstime);
#endif
// pthread_cond_signal() wakes one waiter.
int pthread_cond_signal(pthread_cond_t *cond) noexcept;
// pthread_cond_broadcast() wakes every waiter.
int pthread_cond_broadcast(pthread_cond_t *cond) noexcept;

// pthread_rwlock_init() makes a lock with the attr's reader/writer preference.
int pthread_rwlock_init(pthread_rwlock_t *rwlock, const pthread_rwlockattr_t *attr) noexcept;
// pthread_rwlock_destroy() ends a lock: EBUSY while it is held.
int pthread_rwlock_destroy(pthread_rwlock_t *rwlock) noexcept;
// pthread_rwlock_rdlock() parks until the calling fiber shares the lock.
int pthread_rwlock_rdlock(pthread_rwlock_t *rwlock) noexcept;
// pthread_rwlock_tryrdlock() shares the lock if that needs no wait: EBUSY.
int pthread_rwlock_tryrdlock(pthread_rwlock_t *rwlock) noexcept;
// pthread_rwlock_timedrdlock() is rdlock until abstime: ETIMEDOUT.
int pthread_rwlock_timedrdlock(pthread_rwlock_t *rwlock, const struct timespec *abstime) noexcept;
#if defined(EVY_GREEN_GLIBC_CLOCK_WAITS)
// pthread_rwlock_clockrdlock() is rdlock until abstime on clockid: ETIMEDOUT.
int pthread_rwlock_clockrdlock(pthread_rwlock_t *rwlock, clockid_t clockid,
                               const struct timespec *abstime) noexcept;
#endif
// pthread_rwlock_wrlock() parks until the calling fiber holds the lock alone.
int pthread_rwlock_wrlock(pthread_rwlock_t *rwlock) noexcept;
// pthread_rwlock_trywrlock() takes the lock alone if free: EBUSY.
int pthread_rwlock_trywrlock(pthread_rwlock_t *rwlock) noexcept;
// pthread_rwlock_timedwrlock() is wrlock until abstime: ETIMEDOUT.
int pthread_rwlock_timedwrlock(pthread_rwlock_t *rwlock, const struct timespec *abstime) noexcept;
#if defined(EVY_GREEN_GLIBC_CLOCK_WAITS)
// pthread_rwlock_clockwrlock() is wrlock until abstime on clockid: ETIMEDOUT.
int pthread_rwlock_clockwrlock(pthread_rwlock_t *rwlock, clockid_t clockid,
                               const struct timespec *abstime) noexcept;
#endif
// pthread_rwlock_unlock() releases the caller's read or write hold.
int pthread_rwlock_unlock(pthread_rwlock_t *rwlock) noexcept;

// sem_init() makes an unnamed semaphore (pshared != 0: -1, errno ENOSYS).
int sem_init(sem_t *sem, int pshared, unsigned int value) noexcept;
// sem_destroy() ends a semaphore; no fiber may still wait on it.
int sem_destroy(sem_t *sem) noexcept;
// sem_open() opens glibc's named semaphore (shared with other processes)
// and records it, so that the other green sem_ functions hand it to glibc:
// its waits run on evy::tpool while only the calling fiber parks.
sem_t *sem_open(const char *name, int oflag, ...) noexcept;
// sem_close() closes a named semaphore and forgets it once fully closed.
int sem_close(sem_t *sem) noexcept;
// sem_unlink() removes a named semaphore's name (glibc's sem_unlink).
int sem_unlink(const char *name) noexcept;
// sem_wait() parks the calling fiber until it can decrement the value.
int sem_wait(sem_t *sem);
// sem_trywait() decrements the value if positive, else -1, errno EAGAIN.
int sem_trywait(sem_t *sem) noexcept;
// sem_timedwait() is sem_wait until abstime (CLOCK_REALTIME): ETIMEDOUT.
int sem_timedwait(sem_t *sem, const struct timespec *abstime);
#if defined(EVY_GREEN_GLIBC_CLOCK_WAITS)
// sem_clockwait() is sem_wait until abstime on clock (CLOCK_REALTIME or
// CLOCK_MONOTONIC, else EINVAL): ETIMEDOUT.
int sem_clockwait(sem_t *sem, clockid_t clock, const struct timespec *abstime);
#endif
// sem_post() increments the value, waking the oldest waiter: EOVERFLOW.
int sem_post(sem_t *sem) noexcept;
// sem_getvalue() stores the current value (never negative).
int sem_getvalue(sem_t *sem, int *sval) noexcept;

} // namespace green
} // namespace evy
