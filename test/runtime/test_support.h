// Small helpers that several runtime suites share (the gtest suite, the
// thread suite, the differential harness); each suite's own fixtures stay
// in its own header.
#pragma once

#include <chrono>
#include <ctime>

namespace evy::test_support {

// abstime_in() is now + d on clock, as a timespec: an absolute deadline for
// the timed POSIX calls.
inline timespec abstime_in(clockid_t clock, std::chrono::nanoseconds d) {
  timespec t{};
  clock_gettime(clock, &t);
  const long long ns = t.tv_nsec + d.count();
  t.tv_sec += static_cast<time_t>(ns / 1'000'000'000);
  t.tv_nsec = static_cast<long>(ns % 1'000'000'000);
  return t;
}

} // namespace evy::test_support
