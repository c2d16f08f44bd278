// Deadlines: the one time representation every wait in libevy takes.
#pragma once

#include <chrono>

namespace evy {

// Deadline is an absolute point on the monotonic clock; waits never use the
// wall clock so that setting the system time cannot stretch or cut them.
using Deadline = std::chrono::steady_clock::time_point;

// no_deadline means "wait until woken"; it is the largest representable time.
inline constexpr Deadline no_deadline = Deadline::max();

// deadline_after() returns now + d, saturating at no_deadline instead of
// overflowing for huge durations (e.g. duration::max()).
template <class Rep, class Period>
Deadline deadline_after(const std::chrono::duration<Rep, Period> &d) {
  using std::chrono::duration_cast;
  using std::chrono::nanoseconds;
  const auto now = std::chrono::steady_clock::now();
  if (d <= d.zero())
    return now;
  // Compare in floating point so that neither side overflows.
  const std::chrono::duration<long double, std::nano> wanted = d;
  const std::chrono::duration<long double, std::nano> room = no_deadline - now;
  if (wanted >= room)
    return no_deadline;
  return now + duration_cast<nanoseconds>(wanted);
}

// to_deadline() maps a time point of any clock onto the steady clock, the
// way std::condition_variable does for non-steady clocks: by the distance
// from that clock's now(). Callers of a non-steady clock re-check
// Clock::now() after waking, as the standard requires.
template <class Clock, class Duration>
Deadline to_deadline(const std::chrono::time_point<Clock, Duration> &t) {
  if constexpr (std::is_same_v<Clock, std::chrono::steady_clock>) {
    return std::chrono::time_point_cast<Deadline::duration>(t);
  } else {
    return deadline_after(t - Clock::now());
  }
}

} // namespace evy
