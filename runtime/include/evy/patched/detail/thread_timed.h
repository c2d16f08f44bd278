// The timed waits of std's shape (try_lock_for, try_lock_until, ...) over
// a green primitive's wait with a steady-clock Deadline, written once.
// Part of <evy/patched/thread.h>; include that header, not this one.
#pragma once

#include <evy/deadline.h>

#include <chrono>

namespace evy {
namespace green {
namespace detail {

// until_time_point() retries attempt(deadline) until it succeeds or t has
// passed. A time point of another clock maps onto the steady clock only
// approximately (system_clock jumps), so t's own clock has the last word.
template <class Clock, class Duration, class Attempt>
bool until_time_point(const std::chrono::time_point<Clock, Duration> &t, Attempt attempt) {
  while (!attempt(to_deadline(t)))
    if (Clock::now() >= t)
      return false;
  return true;
}

// TimedLockable<Lockable> gives a green mutex std's try_lock_for() and
// try_lock_until() over its (private, befriended) try_lock_until_deadline().
template <class Lockable> class TimedLockable {
public:
  // try_lock_for() waits at most d for the mutex.
  template <class Rep, class Period>
  bool try_lock_for(const std::chrono::duration<Rep, Period> &d) {
    return self().try_lock_until_deadline(deadline_after(d));
  }
  // try_lock_until() waits until t (of any clock) for the mutex.
  template <class Clock, class Duration>
  bool try_lock_until(const std::chrono::time_point<Clock, Duration> &t) {
    Lockable &lockable = self();
    return until_time_point(
        t, [&lockable](Deadline deadline) { return lockable.try_lock_until_deadline(deadline); });
  }

private:
  Lockable &self() noexcept { return static_cast<Lockable &>(*this); }
};

} // namespace detail
} // namespace green
} // namespace evy
