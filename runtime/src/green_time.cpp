// Green time: the sleeping calls and sched_yield.
#include "hub.h"
#include "timespec.h"

#include <evy/detail/green_io.h>
#include <evy/patched/time.h>

#include <algorithm>
#include <cerrno>
#include <chrono>

namespace evy::green {
namespace {
using std::chrono::nanoseconds;

// sleep_for() sleeps for d, or until a signal's handler ran on the thread
// (never restarted: signal(7)); then it is false and `left` what was left.
bool sleep_for(nanoseconds d, nanoseconds &left) {
  const Deadline deadline = evy::deadline_after(d);
  if (d <= d.zero()) {
    evy::sleep_until(deadline); // a zero duration yields
    return true;
  }
  detail::SignalWaitScope by_signal(detail::SignalWait::always);
  Waiter waiter;
  if (detail::throw_if_interrupted(waiter.wait(deadline, Interruptible::yes)) !=
      WakeReason::signalled)
    return true; // notified or timed out
  left = std::max(nanoseconds::zero(), std::chrono::duration_cast<nanoseconds>(
                                           deadline - std::chrono::steady_clock::now()));
  return false;
}

struct timespec to_timespec(nanoseconds d) noexcept {
  struct timespec t {};
  t.tv_sec = static_cast<time_t>(d.count() / 1'000'000'000);
  t.tv_nsec = static_cast<long>(d.count() % 1'000'000'000);
  return t;
}

bool green_clock(clockid_t clock) noexcept {
  return clock == CLOCK_REALTIME || clock == CLOCK_MONOTONIC || clock == CLOCK_BOOTTIME ||
         clock == CLOCK_TAI;
}
} // namespace

unsigned int sleep(unsigned int seconds) {
  nanoseconds left{};
  if (sleep_for(std::chrono::seconds(seconds), left))
    return 0;
  return static_cast<unsigned int>(to_timespec(left).tv_sec); // glibc rounds down
}

int usleep(useconds_t usec) {
  nanoseconds left{};
  if (sleep_for(std::chrono::microseconds(usec), left))
    return 0;
  errno = EINTR;
  return -1;
}

int nanosleep(const struct timespec *req, struct timespec *rem) {
  if (req == nullptr) {
    errno = EFAULT;
    return -1;
  }
  if (!detail::valid_interval(*req)) {
    errno = EINVAL;
    return -1;
  }
  nanoseconds left{};
  if (sleep_for(detail::to_duration(*req), left))
    return 0;
  if (rem != nullptr)
    *rem = to_timespec(left);
  errno = EINTR;
  return -1;
}

int clock_nanosleep(clockid_t clockid, int flags, const struct timespec *req,
                    struct timespec *rem) {
  if (req == nullptr)
    return EFAULT;
  if (!detail::valid_interval(*req))
    return EINVAL;
  if (!green_clock(clockid))
    return ::clock_nanosleep(clockid, flags, req, rem); // CPU-time clocks
  nanoseconds remaining{};
  if (!(flags & TIMER_ABSTIME)) {
    if (sleep_for(detail::to_duration(*req), remaining))
      return 0;
    if (rem != nullptr)
      *rem = to_timespec(remaining);
    return EINTR;
  }
  // Absolute: sleep by the distance on that clock, and re-check it, since
  // CLOCK_REALTIME may be set while we sleep.
  for (;;) {
    struct timespec now {};
    if (::clock_gettime(clockid, &now) != 0)
      return errno;
    const auto left = detail::to_duration(*req) - detail::to_duration(now);
    if (left <= left.zero())
      return 0;
    if (!sleep_for(left, remaining))
      return EINTR; // an absolute sleep leaves rem alone
  }
}

int sched_yield() noexcept {
  evy::yield();
  return 0;
}

} // namespace evy::green
