// <evy/patched/time.h>: green sleep/usleep/nanosleep/clock_nanosleep,
// sched_yield and this_thread::sleep_for/sleep_until.
//
// Sleeping suspends only the calling fiber. Signals do not interrupt a green
// sleep (it never reports EINTR); results and errno otherwise follow the
// originals, e.g. EINVAL for a bad timespec.
#pragma once

#include <evy/monkey_patch.h>
#include <evy/sleep.h>

#include <sched.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

namespace evy {
namespace green {

// sleep() suspends the calling fiber for seconds; returns 0 (time left).
unsigned int sleep(unsigned int seconds);
// usleep() suspends the calling fiber for usec microseconds; returns 0.
int usleep(useconds_t usec);
// nanosleep() suspends the calling fiber for *req; *rem is untouched.
int nanosleep(const struct timespec *req, struct timespec *rem);
// clock_nanosleep() is the clock-aware nanosleep; returns an error number.
int clock_nanosleep(clockid_t clockid, int flags, const struct timespec *req, struct timespec *rem);
// sched_yield() lets the other runnable fibers of this OS thread run.
int sched_yield() noexcept;

} // namespace green
} // namespace evy

EVY_REGISTER_PATCHED_MODULE("time", time)
