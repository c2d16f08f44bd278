// Absolute timespec timeouts of the POSIX calls, mapped onto Deadlines.
#pragma once

#include <evy/deadline.h>

#include <time.h>

namespace evy::green::detail {

// supported_clock() tells whether the ..._clock* calls accept clock: glibc
// takes CLOCK_REALTIME and CLOCK_MONOTONIC only (else EINVAL).
inline bool supported_clock(clockid_t clock) noexcept {
  return clock == CLOCK_REALTIME || clock == CLOCK_MONOTONIC;
}

// valid_abstime() tells whether t is a timespec POSIX accepts (else EINVAL).
bool valid_abstime(const struct timespec &t) noexcept;

// abstime_deadline() maps abstime on clock onto the steady clock: exactly
// for CLOCK_MONOTONIC, by the distance from now for other clocks (callers
// confirm with abstime_reached() after a timeout, since such clocks jump).
Deadline abstime_deadline(clockid_t clock, const struct timespec &abstime) noexcept;

// abstime_reached() tells whether clock has reached abstime.
bool abstime_reached(clockid_t clock, const struct timespec &abstime) noexcept;

} // namespace evy::green::detail
