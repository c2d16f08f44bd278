// Green sem_init/wait/trywait/timedwait/clockwait/post/getvalue/destroy,
// and sem_open/close/unlink.
//
// Storage scheme: a sem_t's own bytes hold a SemaphoreCore (zero waiters,
// the value), as pthread_sync.cpp does for the pthread objects. Named
// semaphores are the exception: sem_open maps glibc's semaphore, which
// other processes share and wait on with futexes, so its bytes must stay
// glibc's. Green sem_open records what it returns, and every green sem_
// call on a recorded semaphore is glibc's call, its waits made on a
// tpool thread.
#include "abstime.h"

#include <evy/patched/detail/thread_pthread.h>
#include <evy/patched/detail/thread_semaphore.h>
#include <evy/tpool.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdarg>
#include <cstddef>
#include <mutex>
#include <new>
#include <unordered_map>

#include <fcntl.h>
#include <sys/types.h>

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

// NamedSemaphores is the set of semaphores green sem_open returned and
// sem_close has not fully closed, each with its open count: glibc returns
// the same address when a process opens a name again, and unmaps it at
// the last sem_close. open() and close() call glibc under the lock, so the
// counts follow glibc's exactly.
class NamedSemaphores {
public:
  sem_t *open(const char *name, int oflag, mode_t mode, unsigned value) noexcept {
    std::lock_guard locked(mutex_);
    sem_t *sem = ::sem_open(name, oflag, mode, value);
    if (sem == SEM_FAILED)
      return sem;
    try {
      if (open_[sem]++ == 0)
        count_.fetch_add(1, std::memory_order_relaxed);
    } catch (...) { // out of memory: undo, as if sem_open had failed
      ::sem_close(sem);
      errno = ENOMEM;
      return SEM_FAILED;
    }
    return sem;
  }

  int close(sem_t *sem) noexcept {
    std::lock_guard locked(mutex_);
    const int r = ::sem_close(sem);
    if (r != 0)
      return r;
    if (const auto it = open_.find(sem); it != open_.end() && --it->second == 0) {
      open_.erase(it);
      count_.fetch_sub(1, std::memory_order_relaxed);
    }
    return 0;
  }

  // contains() tells whether sem is an open named semaphore. Free while
  // none is open: whoever passed sem here got it after its sem_open, so
  // that count_ increment happens before this load.
  bool contains(const sem_t *sem) noexcept {
    if (count_.load(std::memory_order_relaxed) == 0)
      return false;
    std::lock_guard locked(mutex_);
    return open_.find(sem) != open_.end();
  }

private:
  std::mutex mutex_;
  std::unordered_map<const sem_t *, std::size_t> open_;
  std::atomic<std::size_t> count_{0};
};

NamedSemaphores &named() noexcept {
  static auto *instance = new NamedSemaphores(); // never destroyed: used until exit
  return *instance;
}

bool is_named(const sem_t *sem) noexcept { return named().contains(sem); }

// named_wait() is glibc's wait (wait() calls it) on a named semaphore: at
// once if a unit is free, else on a tpool thread while the fiber parks.
// No EINTR: green waits are not interrupted by signals.
template <class Wait> int named_wait(sem_t *sem, Wait wait) {
  if (::sem_trywait(sem) == 0)
    return 0;
  if (errno != EAGAIN)
    return -1;
  const int error = evy::tpool::execute([&]() noexcept {
    int r;
    while ((r = wait()) != 0 && errno == EINTR) {
    }
    return r == 0 ? 0 : errno;
  });
  return error == 0 ? 0 : fail(error);
}

} // namespace

sem_t *sem_open(const char *name, int oflag, ...) noexcept {
  mode_t mode = 0;
  unsigned value = 0;
  if (oflag & O_CREAT) { // glibc reads the two extra arguments only then
    va_list args;
    va_start(args, oflag);
    mode = static_cast<mode_t>(va_arg(args, unsigned));
    value = va_arg(args, unsigned);
    va_end(args);
  }
  return named().open(name, oflag, mode, value);
}

int sem_close(sem_t *sem) noexcept { return named().close(sem); }

int sem_unlink(const char *name) noexcept { return ::sem_unlink(name); }

int sem_init(sem_t *sem, int pshared, unsigned int value) noexcept {
  if (value > SEM_VALUE_MAX)
    return fail(EINVAL);
  if (pshared != 0)
    return fail(ENOSYS); // fibers of another process cannot be woken
  ::new (static_cast<void *>(sem)) SemaphoreCore(static_cast<std::ptrdiff_t>(value));
  return 0;
}

int sem_destroy(sem_t *sem) noexcept { return is_named(sem) ? ::sem_destroy(sem) : 0; }

int sem_wait(sem_t *sem) {
  if (is_named(sem))
    return named_wait(sem, [sem] { return ::sem_wait(sem); });
  // Not interruptible: a C caller has no way to see an evy::TimeoutError.
  core_of(sem).acquire(no_deadline, Interruptible::no, nullptr);
  return 0;
}

int sem_trywait(sem_t *sem) noexcept {
  if (is_named(sem))
    return ::sem_trywait(sem);
  return core_of(sem).try_acquire() ? 0 : fail(EAGAIN);
}

int sem_timedwait(sem_t *sem, const struct timespec *abstime) {
  if (is_named(sem))
    return named_wait(sem, [sem, abstime] { return ::sem_timedwait(sem, abstime); });
  return green::sem_clockwait(sem, CLOCK_REALTIME, abstime);
}

int sem_clockwait(sem_t *sem, clockid_t clock, const struct timespec *abstime) {
  if (!detail::supported_clock(clock))
    return fail(EINVAL); // glibc checks the clock before anything else
  if (is_named(sem))
    return named_wait(sem, [=] { return ::sem_clockwait(sem, clock, abstime); });
  SemaphoreCore &s = core_of(sem);
  // glibc checks tv_nsec before trying, even when the semaphore could be
  // taken at once (the differential harness's unnamed_semaphores).
  if (abstime && !detail::valid_abstime(*abstime))
    return fail(EINVAL);
  if (s.try_acquire())
    return 0;
  if (!abstime || !detail::valid_abstime(*abstime))
    return fail(EINVAL);
  for (;;) {
    const Deadline deadline = detail::abstime_deadline(clock, *abstime);
    if (s.acquire(deadline, Interruptible::no, nullptr))
      return 0;
    // A deadline mapped from a clock that jumped may expire early.
    if (detail::abstime_reached(clock, *abstime))
      return fail(ETIMEDOUT);
  }
}

int sem_post(sem_t *sem) noexcept {
  if (is_named(sem))
    return ::sem_post(sem);
  return core_of(sem).release(1, SEM_VALUE_MAX) ? 0 : fail(EOVERFLOW);
}

int sem_getvalue(sem_t *sem, int *sval) noexcept {
  if (is_named(sem))
    return ::sem_getvalue(sem, sval);
  *sval = static_cast<int>(core_of(sem).value());
  return 0;
}

} // namespace evy::green
