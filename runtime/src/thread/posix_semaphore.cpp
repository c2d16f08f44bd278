// Green sem_init/wait/trywait/timedwait/post/getvalue/destroy.
//
// Storage scheme: a sem_t's own bytes hold a SemaphoreCore (zero waiters,
// the value), as pthread_sync.cpp does for the pthread objects.
#include "abstime.h"

#include <evy/patched/detail/thread_pthread.h>
#include <evy/patched/detail/thread_semaphore.h>

#include <cerrno>
#include <climits>
#include <new>

namespace evy::green {
namespace {

using detail::SemaphoreCore;

static_assert(sizeof(SemaphoreCore) <= sizeof(sem_t) && alignof(SemaphoreCore) <= alignof(sem_t));

SemaphoreCore &core_of(sem_t *sem) noexcept {
  return *std::launder(reinterpret_cast<SemaphoreCore *>(sem));
}

// fail() is the POSIX way out of a sem_ call: -1 and errno.
int fail(int error) noexcept {
  errno = error;
  return -1;
}

} // namespace

int sem_init(sem_t *sem, int pshared, unsigned int value) noexcept {
  if (value > SEM_VALUE_MAX)
    return fail(EINVAL);
  if (pshared != 0)
    return fail(ENOSYS); // fibers of another process cannot be woken
  ::new (static_cast<void *>(sem)) SemaphoreCore(static_cast<std::ptrdiff_t>(value));
  return 0;
}

int sem_destroy(sem_t *) noexcept { return 0; }

int sem_wait(sem_t *sem) {
  // Not interruptible: a C caller has no way to see an evy::TimeoutError.
  core_of(sem).acquire(no_deadline, Interruptible::no, nullptr);
  return 0;
}

int sem_trywait(sem_t *sem) noexcept { return core_of(sem).try_acquire() ? 0 : fail(EAGAIN); }

int sem_timedwait(sem_t *sem, const struct timespec *abstime) {
  SemaphoreCore &s = core_of(sem);
  // POSIX: no abstime check when the semaphore can be taken at once.
  if (s.try_acquire())
    return 0;
  if (!abstime || !detail::valid_abstime(*abstime))
    return fail(EINVAL);
  for (;;) {
    const Deadline deadline = detail::abstime_deadline(CLOCK_REALTIME, *abstime);
    if (s.acquire(deadline, Interruptible::no, nullptr))
      return 0;
    if (detail::abstime_reached(CLOCK_REALTIME, *abstime))
      return fail(ETIMEDOUT);
  }
}

int sem_post(sem_t *sem) noexcept {
  return core_of(sem).release(1, SEM_VALUE_MAX) ? 0 : fail(EOVERFLOW);
}

int sem_getvalue(sem_t *sem, int *sval) noexcept {
  *sval = static_cast<int>(core_of(sem).value());
  return 0;
}

} // namespace evy::green
