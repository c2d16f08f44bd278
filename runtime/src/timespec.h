// struct timespec as the POSIX calls take it: the one place that says what
// a valid one is and what duration it stands for.
#pragma once

#include <chrono>

#include <time.h>

namespace evy::detail {

inline constexpr long kNanosecondsPerSecond = 1'000'000'000;

// valid_nanoseconds() tells whether tv_nsec is in [0, 1e9): all an absolute
// time must satisfy (a past tv_sec just times out), else EINVAL.
inline bool valid_nanoseconds(const struct timespec &t) noexcept {
  return t.tv_nsec >= 0 && t.tv_nsec < kNanosecondsPerSecond;
}

// valid_interval() tells whether t is a relative timeout POSIX accepts
// (nanosleep, ppoll, pselect): no negative part, else EINVAL.
inline bool valid_interval(const struct timespec &t) noexcept {
  return t.tv_sec >= 0 && valid_nanoseconds(t);
}

// to_duration() is t as a duration (t valid; no overflow check).
inline std::chrono::nanoseconds to_duration(const struct timespec &t) noexcept {
  return std::chrono::seconds(t.tv_sec) + std::chrono::nanoseconds(t.tv_nsec);
}

} // namespace evy::detail
