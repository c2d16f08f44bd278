// Deadlines: the one time representation every wait in libevy takes.
#pragma once

#include <chrono>
#include <type_traits>

namespace evy {

// Deadline is an absolute point on the monotonic clock; waits never use the
// wall clock so that setting the system time cannot stretch or cut them.
using Deadline = std::chrono::steady_clock::time_point;

namespace detail {
// NoDeadline holds the one no_deadline object: a static member of a class
// template is defined once per program even in C++11 (no inline variables).
template <class Unused = void> struct NoDeadline {
  static constexpr Deadline value = Deadline::max();
};
#if !defined(__cpp_inline_variables)
template <class Unused> constexpr Deadline NoDeadline<Unused>::value;
#endif
} // namespace detail

// no_deadline means "wait until woken"; it is the largest representable time.
// A reference to one object, so inline functions that use it mean the same
// entity in every unit at every standard.
static constexpr const Deadline &no_deadline = detail::NoDeadline<>::value;

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
namespace detail {
template <class Duration>
Deadline to_deadline(const std::chrono::time_point<std::chrono::steady_clock, Duration> &t,
                     std::true_type /*steady*/) {
  return std::chrono::time_point_cast<Deadline::duration>(t);
}
template <class Clock, class Duration>
Deadline to_deadline(const std::chrono::time_point<Clock, Duration> &t, std::false_type) {
  return deadline_after(t - Clock::now());
}
} // namespace detail

template <class Clock, class Duration>
Deadline to_deadline(const std::chrono::time_point<Clock, Duration> &t) {
  return detail::to_deadline(t, std::is_same<Clock, std::chrono::steady_clock>());
}

} // namespace evy
