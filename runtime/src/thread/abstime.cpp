// Absolute timespec timeouts of the POSIX calls (see abstime.h).
#include "abstime.h"
#include "timespec.h"

#include <chrono>

namespace evy::green::detail {
namespace {

using std::chrono::nanoseconds;
using std::chrono::seconds;

// since_epoch() is t as a duration, saturating where nanoseconds overflow.
nanoseconds since_epoch(const struct timespec &t) noexcept {
  constexpr auto max_seconds = std::chrono::duration_cast<seconds>(nanoseconds::max()) - seconds(1);
  if (t.tv_sec >= max_seconds.count())
    return nanoseconds::max();
  return evy::detail::to_duration(t);
}

nanoseconds clock_now(clockid_t clock) noexcept {
  struct timespec now {};
  ::clock_gettime(clock, &now);
  return since_epoch(now);
}

} // namespace

bool valid_abstime(const struct timespec &t) noexcept { return evy::detail::valid_nanoseconds(t); }

Deadline abstime_deadline(clockid_t clock, const struct timespec &abstime) noexcept {
  const nanoseconds when = since_epoch(abstime);
  if (when == nanoseconds::max())
    return no_deadline;
  // libstdc++'s steady_clock is CLOCK_MONOTONIC: no conversion needed.
  if (clock == CLOCK_MONOTONIC)
    return Deadline(std::chrono::duration_cast<Deadline::duration>(when));
  return deadline_after(when - clock_now(clock));
}

bool abstime_reached(clockid_t clock, const struct timespec &abstime) noexcept {
  return clock_now(clock) >= since_epoch(abstime);
}

} // namespace evy::green::detail
