// Green semaphores: counting_semaphore, binary_semaphore, and
// SemaphoreCore, the state they share with green sem_t.
// Part of <evy/patched/thread.h>; include that header, not this one.
#pragma once

#include <evy/deadline.h>
#include <evy/patched/detail/thread_timed.h>
#include <evy/spin_lock.h>
#include <evy/waiter.h>

#include <chrono>
#include <cstddef>
#include <limits>
#if __has_include(<version>) // the feature-test macros (C++20; libstdc++ has it earlier)
#include <version>
#endif

namespace evy {
namespace green {
namespace detail {

// SemaphoreCore is the non-template body of counting_semaphore. A release
// hands its units straight to the oldest waiters, so a fiber that arrives
// later cannot take a unit a parked one was woken for. Its layout doubles
// as the green reading of a sem_t (see docs/thread.md).
struct SemaphoreCore {
  constexpr explicit SemaphoreCore(std::ptrdiff_t initial) noexcept : count(initial) {}
  SemaphoreCore(const SemaphoreCore &) = delete;
  SemaphoreCore &operator=(const SemaphoreCore &) = delete;

  // release() adds update units, to the oldest waiters first, then to the
  // count; false (and nothing added) when the count would exceed max.
  bool release(std::ptrdiff_t update,
               std::ptrdiff_t max = std::numeric_limits<std::ptrdiff_t>::max()) noexcept;
  // acquire() parks until it gets a unit or the deadline passes (false), or
  // an interruptible wait's evy::Timeout expires (interrupted = true).
  bool acquire(Deadline deadline, Interruptible interruptible, bool *interrupted) noexcept;
  // try_acquire() takes a unit if one is available now.
  bool try_acquire() noexcept;
  // value() is the number of available units.
  std::ptrdiff_t value() noexcept;

  SpinLock guard;
  std::ptrdiff_t count;
  WaitQueue waiters;
};

} // namespace detail

#if defined(__cpp_lib_semaphore)
// counting_semaphore is std::counting_semaphore for green threads; waits end
// with evy::TimeoutError when the fiber's evy::Timeout expires.
template <std::ptrdiff_t LeastMaxValue = std::numeric_limits<std::ptrdiff_t>::max()>
class counting_semaphore {
  static_assert(LeastMaxValue >= 0, "counting_semaphore needs a non-negative maximum");

public:
  // max() is the largest count the semaphore supports.
  static constexpr std::ptrdiff_t max() noexcept { return LeastMaxValue; }
  constexpr explicit counting_semaphore(std::ptrdiff_t desired) noexcept : core_(desired) {}
  counting_semaphore(const counting_semaphore &) = delete;
  counting_semaphore &operator=(const counting_semaphore &) = delete;

  // release() adds update to the count, waking that many waiters.
  void release(std::ptrdiff_t update = 1) { (void)core_.release(update); }
  // acquire() parks the calling fiber until it can decrement the count.
  void acquire() { wait(no_deadline); }
  // try_acquire() decrements the count if it is positive, without waiting.
  bool try_acquire() noexcept { return core_.try_acquire(); }
  // try_acquire_for() waits at most d to decrement the count.
  template <class Rep, class Period>
  bool try_acquire_for(const std::chrono::duration<Rep, Period> &d) {
    return wait(deadline_after(d));
  }
  // try_acquire_until() waits until t (of any clock) to decrement the count.
  template <class Clock, class Duration>
  bool try_acquire_until(const std::chrono::time_point<Clock, Duration> &t) {
    return detail::until_time_point(t, [this](Deadline deadline) { return wait(deadline); });
  }

private:
  bool wait(Deadline deadline);
  detail::SemaphoreCore core_;
};

namespace detail {
// acquire_or_throw() is the interruptible acquire of every counting_semaphore.
bool acquire_or_throw(SemaphoreCore &core, Deadline deadline);
} // namespace detail

template <std::ptrdiff_t LeastMaxValue>
bool counting_semaphore<LeastMaxValue>::wait(Deadline deadline) {
  return detail::acquire_or_throw(core_, deadline);
}

// binary_semaphore is std::binary_semaphore for green threads.
using binary_semaphore = counting_semaphore<1>;
#endif // __cpp_lib_semaphore: green semaphores exactly where std's exist

} // namespace green
} // namespace evy
