// Green mutexes: mutex, timed_mutex, recursive_mutex, recursive_timed_mutex,
// and MutexCore, the state they share with green pthread_mutex_t.
// Part of <evy/patched/thread.h>; include that header, not this one.
#pragma once

#include <evy/deadline.h>
#include <evy/patched/detail/thread_timed.h>
#include <evy/spawn.h>
#include <evy/spin_lock.h>
#include <evy/waiter.h>

#include <chrono>
#include <cstdint>

namespace evy {
namespace green {

class condition_variable;

namespace detail {

// MutexKind is the pthread mutex type, with glibc's values so that a
// pthread_mutex_t's kind word can be read as one.
enum class MutexKind : int {
  normal = 0,     // relocking by the owner: EDEADLK, or waits (see relock_waits)
  recursive = 1,  // the owner may relock; unlocks count down
  errorcheck = 2, // relock EDEADLK, unlock by a non-owner EPERM
};

// MutexCore is the state of every green mutex. Ownership passes directly
// from unlock() to the oldest waiter (FIFO, no barging), so a timed-out or
// woken waiter never races a newcomer. Its layout doubles as the green
// reading of a pthread_mutex_t (see docs/thread.md): all-zero bytes are an
// unlocked normal mutex, and `kind` sits where glibc keeps __kind, so
// PTHREAD_MUTEX_INITIALIZER and the _NP recursive/errorcheck initializers
// work unchanged.
struct MutexCore {
  constexpr explicit MutexCore(MutexKind k) noexcept : kind(static_cast<int>(k)) {}
  MutexCore(const MutexCore &) = delete;
  MutexCore &operator=(const MutexCore &) = delete;

  // lock() parks the calling fiber until it owns the mutex or the deadline
  // passes; returns 0, ETIMEDOUT, EDEADLK (owner relocks a non-recursive
  // mutex) or EAGAIN (recursion depth exhausted). With relock_waits, an
  // owner relocking a normal mutex waits like any other locker (until the
  // deadline, or until another fiber unlocks it), as glibc's timed locks do.
  int lock(Deadline deadline, bool relock_waits = false) noexcept;
  // try_lock() takes the mutex if that needs no wait: 0, EBUSY or EAGAIN.
  int try_lock() noexcept;
  // lock_now() is the no-wait part of lock(): 0, EDEADLK, EAGAIN or EBUSY.
  int lock_now(bool relock_waits) noexcept;
  // unlock() releases one level and hands the mutex to the oldest waiter:
  // 0, or EPERM when an errorcheck/recursive mutex is not the caller's.
  int unlock() noexcept;
  // release_all() fully unlocks a mutex the caller owns (a condition wait)
  // and returns the recursion depth to give back to reacquire().
  std::uint32_t release_all() noexcept;
  // reacquire() locks again after release_all(), restoring the depth.
  void reacquire(std::uint32_t depth) noexcept;
  // owned_by_caller() tells whether the calling fiber owns the mutex.
  bool owned_by_caller() noexcept;
  // mutex_kind() is the kind without glibc's flag bits (elision, robust);
  // PTHREAD_MUTEX_ADAPTIVE_NP (3) behaves as normal.
  MutexKind mutex_kind() const noexcept {
    const int k = kind & 3;
    return k == 3 ? MutexKind::normal : static_cast<MutexKind>(k);
  }

  SpinLock guard;
  std::uint32_t depth = 0; // 0: unlocked
  FiberId owner = 0;       // the owning fiber while depth > 0
  int kind;                // MutexKind plus glibc's flag bits
  WaitQueue waiters;
};

// BasicMutex<Kind> is what the four std-shaped mutexes share: a MutexCore
// of that kind, try_lock() and unlock(). Each adds its own lock() (whose
// error names it) and, for the timed ones, TimedLockable.
template <MutexKind Kind> class BasicMutex {
public:
  constexpr BasicMutex() noexcept = default;
  BasicMutex(const BasicMutex &) = delete;
  BasicMutex &operator=(const BasicMutex &) = delete;
  // try_lock() takes the mutex (one more level, if recursive) if that
  // needs no wait.
  bool try_lock() noexcept { return core_.try_lock() == 0; }
  // unlock() releases the mutex (one level, if recursive); the last level
  // hands it to the oldest waiter.
  void unlock() { (void)core_.unlock(); }

protected:
  MutexCore core_{Kind};
};

} // namespace detail

// mutex is std::mutex for green threads: lock() parks the fiber, not the OS
// thread. Relocking by the owner throws resource_deadlock_would_occur.
class mutex : public detail::BasicMutex<detail::MutexKind::normal> {
public:
  // lock() parks the calling fiber until the mutex is free.
  void lock();

private:
  friend class condition_variable;
};

// timed_mutex is std::timed_mutex for green threads.
class timed_mutex : public detail::BasicMutex<detail::MutexKind::normal>,
                    public detail::TimedLockable<timed_mutex> {
public:
  // lock() parks the calling fiber until the mutex is free.
  void lock();
  // try_lock_for() and try_lock_until() come from TimedLockable.

private:
  friend class detail::TimedLockable<timed_mutex>;
  bool try_lock_until_deadline(Deadline deadline);
};

// recursive_mutex is std::recursive_mutex for green threads (owner = fiber).
class recursive_mutex : public detail::BasicMutex<detail::MutexKind::recursive> {
public:
  // lock() takes one more level, parking while another fiber owns it.
  void lock();
};

// recursive_timed_mutex is std::recursive_timed_mutex for green threads.
class recursive_timed_mutex : public detail::BasicMutex<detail::MutexKind::recursive>,
                              public detail::TimedLockable<recursive_timed_mutex> {
public:
  // lock() takes one more level, parking while another fiber owns it.
  void lock();
  // try_lock_for() and try_lock_until() come from TimedLockable.

private:
  friend class detail::TimedLockable<recursive_timed_mutex>;
  bool try_lock_until_deadline(Deadline deadline);
};

} // namespace green
} // namespace evy
