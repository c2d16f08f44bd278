// Sleeping and yielding: suspend the calling fiber, let others run.
#pragma once

#include <evy/deadline.h>

#include <chrono>

namespace evy {

// yield() lets every other runnable fiber of this OS thread run once, then
// resumes the caller; ready I/O and due timers are processed too.
void yield() noexcept;

// sleep_until() suspends the calling fiber until the deadline; other fibers
// of this OS thread run meanwhile. A passed deadline still yields once.
void sleep_until(Deadline deadline);

// sleep() suspends the calling fiber for d; sleep(0s) yields, like eventlet.sleep(0).
template <class Rep, class Period> void sleep(const std::chrono::duration<Rep, Period> &d) {
  sleep_until(deadline_after(d));
}

// sleep() with a number: seconds as in eventlet.sleep(seconds=0).
void sleep(double seconds = 0);

namespace green {
namespace this_thread {

// sleep_for() suspends the calling fiber for at least d, like std's.
template <class Rep, class Period> void sleep_for(const std::chrono::duration<Rep, Period> &d) {
  if (d <= d.zero())
    return; // std::this_thread::sleep_for returns at once too
  evy::sleep_until(evy::deadline_after(d));
}

// sleep_until() suspends the calling fiber until t on Clock, like std's: for
// clocks other than steady_clock it re-checks Clock::now() after waking.
template <class Clock, class Duration>
void sleep_until(const std::chrono::time_point<Clock, Duration> &t) {
  while (Clock::now() < t)
    evy::sleep_until(evy::to_deadline(t));
}

} // namespace this_thread
} // namespace green
} // namespace evy
