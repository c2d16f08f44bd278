// Absolute timespec timeouts of the POSIX calls, mapped onto Deadlines.
#pragma once

#include <evy/deadline.h>

#include <time.h>

namespace evy::green::detail {

// valid_abstime() tells whether t is a timespec POSIX accepts (else EINVAL).
bool valid_abstime(const struct timespec &t) noexcept;

// abstime_deadline() maps abstime on clock onto the steady clock: exactly
// for CLOCK_MONOTONIC, by the distance from now for other clocks (callers
// confirm with abstime_reached() after a timeout, since such clocks jump).
Deadline abstime_deadline(clockid_t clock, const struct timespec &abstime) noexcept;

// abstime_reached() tells whether clock has reached abstime.
bool abstime_reached(clockid_t clock, const struct timespec &abstime) noexcept;

} // namespace evy::green::detail
