// Green reader-writer locks: shared_mutex, shared_timed_mutex, and RwCore,
// the state they share with green pthread_rwlock_t.
// Part of <evy/patched/thread.h>; include that header, not this one.
#pragma once

#include <evy/deadline.h>
#include <evy/patched/detail/thread_timed.h>
#include <evy/spawn.h>
#include <evy/spin_lock.h>
#include <evy/waiter.h>

#include <chrono>
#include <cstdint>
#if __has_include(<version>) // the feature-test macros (C++20; libstdc++ has it earlier)
#include <version>
#elif __has_include(<shared_mutex>) // older libraries define them in the header itself
#include <shared_mutex>
#endif

namespace evy {
namespace green {
namespace detail {

// RwPreference picks who goes first, with glibc's pthread_rwlockattr values
// (PTHREAD_RWLOCK_PREFER_WRITER_NP, 1, means readers in glibc and here too).
enum class RwPreference : std::uint32_t {
  readers = 0, // a reader enters whenever no writer holds the lock, so one
               // thread may read-lock recursively (glibc's default)
  writers = 2, // a waiting writer holds back new readers (no recursive reads)
};

// RwCore is the state of every green reader-writer lock. Releases hand the
// lock over: a writer's unlock admits every queued reader (or else the
// oldest writer), the last reader's unlock admits the oldest writer, so
// with writer preference neither side starves. Its layout doubles as the
// green reading of a pthread_rwlock_t (see docs/thread.md): all-zero bytes
// are an unlocked lock and `preference` sits where glibc keeps __flags.
struct RwCore {
  constexpr explicit RwCore(RwPreference p) noexcept : preference(static_cast<std::uint32_t>(p)) {}
  RwCore(const RwCore &) = delete;
  RwCore &operator=(const RwCore &) = delete;

  // lock() parks until the caller holds the lock exclusively or the
  // deadline passes: 0, ETIMEDOUT, or EDEADLK (the caller is the writer).
  int lock(Deadline deadline) noexcept;
  // try_lock() takes the lock exclusively if that needs no wait: 0 or EBUSY.
  int try_lock() noexcept;
  // lock_shared() parks until the caller shares the lock or the deadline
  // passes: 0, ETIMEDOUT, EDEADLK (the caller is the writer) or EAGAIN.
  int lock_shared(Deadline deadline) noexcept;
  // try_lock_shared() shares the lock if that needs no wait: 0, EBUSY, EAGAIN.
  int try_lock_shared() noexcept;
  // unlock() releases the caller's hold, exclusive or shared: 0 or EPERM.
  int unlock() noexcept;
  // unlock_shared() releases one shared hold: 0 or EPERM (none held).
  int unlock_shared() noexcept;

  SpinLock guard;
  bool writer = false;       // held exclusively
  std::uint32_t readers = 0; // shared holds
  FiberId writer_owner = 0;  // the writer's fiber while writer is true
  WaitQueue waiting_writers;
  WaitQueue waiting_readers;
  std::uint32_t preference; // RwPreference; where glibc keeps __flags
};

// BasicSharedMutex is what the std-shaped reader-writer locks share: a
// writer-preferring RwCore and the calls that never wait. Each adds its
// own lock() and lock_shared() (whose errors name it).
class BasicSharedMutex {
public:
  constexpr BasicSharedMutex() noexcept = default;
  BasicSharedMutex(const BasicSharedMutex &) = delete;
  BasicSharedMutex &operator=(const BasicSharedMutex &) = delete;
  // try_lock() takes the mutex exclusively if that needs no wait.
  bool try_lock() noexcept { return core_.try_lock() == 0; }
  // unlock() releases exclusive ownership.
  void unlock() { (void)core_.unlock(); }
  // try_lock_shared() shares the mutex if that needs no wait.
  bool try_lock_shared() noexcept { return core_.try_lock_shared() == 0; }
  // unlock_shared() releases shared ownership.
  void unlock_shared() { (void)core_.unlock_shared(); }

protected:
  RwCore core_{RwPreference::writers};
};

} // namespace detail

#if defined(__cpp_lib_shared_mutex)
// shared_mutex is std::shared_mutex for green threads (writer preference).
class shared_mutex : public detail::BasicSharedMutex {
public:
  // lock() parks until the calling fiber holds the mutex exclusively.
  void lock();
  // lock_shared() parks until the calling fiber shares the mutex.
  void lock_shared();
};
#endif // __cpp_lib_shared_mutex (C++17)

#if defined(__cpp_lib_shared_timed_mutex)
// shared_timed_mutex is std::shared_timed_mutex for green threads.
class shared_timed_mutex : public detail::BasicSharedMutex,
                           public detail::TimedLockable<shared_timed_mutex> {
public:
  // lock() parks until the calling fiber holds the mutex exclusively.
  void lock();
  // try_lock_for() and try_lock_until() (exclusive) come from TimedLockable.
  // lock_shared() parks until the calling fiber shares the mutex.
  void lock_shared();
  // try_lock_shared_for() waits at most d for shared ownership.
  template <class Rep, class Period>
  bool try_lock_shared_for(const std::chrono::duration<Rep, Period> &d) {
    return try_lock_shared_until_deadline(deadline_after(d));
  }
  // try_lock_shared_until() waits until t (of any clock) for shared ownership.
  template <class Clock, class Duration>
  bool try_lock_shared_until(const std::chrono::time_point<Clock, Duration> &t) {
    return detail::until_time_point(
        t, [this](Deadline deadline) { return try_lock_shared_until_deadline(deadline); });
  }

private:
  friend class detail::TimedLockable<shared_timed_mutex>;
  bool try_lock_until_deadline(Deadline deadline);
  bool try_lock_shared_until_deadline(Deadline deadline);
};
#endif // __cpp_lib_shared_timed_mutex (C++14)

} // namespace green
} // namespace evy
