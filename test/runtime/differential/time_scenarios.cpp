// sleep/usleep/nanosleep/clock_nanosleep/sched_yield and this_thread's.
#include "fixtures.h"

#include <time.h>

namespace evy::diff {
namespace {

using namespace std::chrono_literals;

EVY_SCENARIO(sleeps_short_and_zero, "sleep usleep nanosleep sched_yield") {
  log.ret("sleep 0", Ops::sleep(0));
  log.ret("usleep 0", Ops::usleep(0));
  log.ret("usleep 1ms", Ops::usleep(1000));
  timespec req{0, 1'000'000}, rem{7, 7};
  log.ret("nanosleep 1ms", Ops::nanosleep(&req, &rem));
  log.note("rem untouched", rem.tv_sec == 7 && rem.tv_nsec == 7);
  req = {0, 0};
  log.ret("nanosleep 0", Ops::nanosleep(&req, nullptr));
  log.ret("sched_yield", Ops::sched_yield());
}

EVY_SCENARIO(nanosleep_invalid, "nanosleep") {
  timespec req{0, 1'000'000'000};
  log.ret("nsec too big", Ops::nanosleep(&req, nullptr));
  req = {0, -1};
  log.ret("nsec negative", Ops::nanosleep(&req, nullptr));
  req = {-1, 0};
  log.ret("sec negative", Ops::nanosleep(&req, nullptr));
  log.ret("null request", Ops::nanosleep(nullptr, nullptr));
}

EVY_SCENARIO(clock_nanosleep_cases, "clock_nanosleep") {
  timespec req{0, 1'000'000}, rem{7, 7};
  log.rc("monotonic 1ms", Ops::clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem));
  log.note("rem untouched", rem.tv_sec == 7 && rem.tv_nsec == 7);
  log.rc("realtime 1ms", Ops::clock_nanosleep(CLOCK_REALTIME, 0, &req, nullptr));
  timespec cpu_past{0, 1}; // (a relative CPU-time sleep waits for CPU use: none here)
  log.rc("process cpu clock", Ops::clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, TIMER_ABSTIME,
                                                   &cpu_past, nullptr));
  log.rc("thread cpu clock", Ops::clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &req, nullptr));
  log.rc("bad clock", Ops::clock_nanosleep(12345, 0, &req, nullptr));
  timespec past{1, 0};
  log.rc("abstime in the past", Ops::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, &rem));
  const timespec soon = test_support::abstime_in(CLOCK_REALTIME, 2ms);
  log.rc("realtime abstime soon", Ops::clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &soon, nullptr));
  req = {0, 1'000'000'000};
  log.rc("nsec too big", Ops::clock_nanosleep(CLOCK_MONOTONIC, 0, &req, nullptr));
  req = {-1, 0};
  log.rc("sec negative", Ops::clock_nanosleep(CLOCK_MONOTONIC, 0, &req, nullptr));
  log.rc("bad flags", Ops::clock_nanosleep(CLOCK_MONOTONIC, 0x100, &past, nullptr));
}

EVY_SCENARIO(this_thread_sleeps, "std::this_thread::sleep_for std::this_thread::sleep_until "
                                  "std::this_thread::yield") {
  Ops::sleep_for(std::chrono::nanoseconds(-5));
  Ops::sleep_for(0ns);
  const auto start = std::chrono::steady_clock::now();
  Ops::sleep_for(2ms);
  log.note("slept at least 2ms", std::chrono::steady_clock::now() - start >= 2ms);
  Ops::sleep_until(std::chrono::steady_clock::time_point{});
  const auto until = std::chrono::steady_clock::now() + 2ms;
  Ops::sleep_until(until);
  log.note("woke after the time point", std::chrono::steady_clock::now() >= until);
  Ops::this_thread_yield();
}

// A signal ends a sleep early in the original: nanosleep says EINTR and
// what was left, sleep returns the seconds left, clock_nanosleep returns
// EINTR; SA_RESTART does not matter (signal(7)).
template <class Ops> void sleep_interrupted(Log &log, int which) {
  SignalHandler handler(true);
  Peer peer([&, tid = log.tid] { handler.interrupt(tid); });
  timespec req{1, 0}, rem{}; // short: the green sleep is not cut short
  switch (which) {
  case 0:
    log.ret("nanosleep interrupted", Ops::nanosleep(&req, &rem));
    log.note("rem in (0, 1s]", rem.tv_sec + rem.tv_nsec > 0 && rem.tv_sec <= 1);
    break;
  case 1:
    log.note("sleep left", Ops::sleep(2)); // glibc rounds down: 1 left
    break;
  case 2:
    log.rc("clock_nanosleep interrupted", Ops::clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem));
    break;
  default:
    log.ret("usleep interrupted", Ops::usleep(500000));
  }
}

EVY_SCENARIO(nanosleep_eintr, "nanosleep") { sleep_interrupted<Ops>(log, 0); }
EVY_SCENARIO(sleep_eintr, "sleep") { sleep_interrupted<Ops>(log, 1); }
EVY_SCENARIO(clock_nanosleep_eintr, "clock_nanosleep") { sleep_interrupted<Ops>(log, 2); }
EVY_SCENARIO(usleep_eintr, "usleep") { sleep_interrupted<Ops>(log, 3); }

} // namespace
} // namespace evy::diff
