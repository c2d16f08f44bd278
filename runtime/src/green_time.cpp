// Green time: the sleeping calls and sched_yield.
#include <evy/patched/time.h>

#include <cerrno>
#include <chrono>

namespace evy::green {
namespace {
bool valid(const struct timespec *t) noexcept {
  return t->tv_sec >= 0 && t->tv_nsec >= 0 && t->tv_nsec < 1'000'000'000;
}

std::chrono::nanoseconds to_duration(const struct timespec &t) noexcept {
  return std::chrono::seconds(t.tv_sec) + std::chrono::nanoseconds(t.tv_nsec);
}

void sleep_for(std::chrono::nanoseconds d) {
  evy::sleep_until(evy::deadline_after(d)); // a zero duration yields
}

bool green_clock(clockid_t clock) noexcept {
  return clock == CLOCK_REALTIME || clock == CLOCK_MONOTONIC || clock == CLOCK_BOOTTIME ||
         clock == CLOCK_TAI;
}
} // namespace

unsigned int sleep(unsigned int seconds) {
  sleep_for(std::chrono::seconds(seconds));
  return 0;
}

int usleep(useconds_t usec) {
  sleep_for(std::chrono::microseconds(usec));
  return 0;
}

int nanosleep(const struct timespec *req, struct timespec *rem) {
  (void)rem; // only written when interrupted, which a green sleep is not
  if (req == nullptr) {
    errno = EFAULT;
    return -1;
  }
  if (!valid(req)) {
    errno = EINVAL;
    return -1;
  }
  sleep_for(to_duration(*req));
  return 0;
}

int clock_nanosleep(clockid_t clockid, int flags, const struct timespec *req,
                    struct timespec *rem) {
  if (req == nullptr)
    return EFAULT;
  if (!valid(req))
    return EINVAL;
  if (!green_clock(clockid))
    return ::clock_nanosleep(clockid, flags, req, rem); // CPU-time clocks
  if (!(flags & TIMER_ABSTIME)) {
    sleep_for(to_duration(*req));
    return 0;
  }
  // Absolute: sleep by the distance on that clock, and re-check it, since
  // CLOCK_REALTIME may be set while we sleep.
  for (;;) {
    struct timespec now {};
    if (::clock_gettime(clockid, &now) != 0)
      return errno;
    const auto left = to_duration(*req) - to_duration(now);
    if (left <= left.zero())
      return 0;
    sleep_for(left);
  }
}

int sched_yield() noexcept {
  evy::yield();
  return 0;
}

} // namespace evy::green
