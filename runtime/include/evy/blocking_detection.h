// Blocking detection: report fibers that run too long without yielding.
#pragma once

#include <evy/spawn.h>

#include <chrono>
#include <functional>
#include <string>

namespace evy {

// BlockingReport describes a fiber that ran past the threshold.
struct BlockingReport {
  FiberId fiber = 0;                    // the stuck fiber (0: unknown)
  std::chrono::milliseconds ran_for{0}; // how long it had run when caught
  std::string function;                 // the callable it was spawned with
  std::string backtrace;                // its stack, one frame per line
};

// BlockingReporter receives each report, on the watchdog thread.
using BlockingReporter = std::function<void(const BlockingReport &)>;

// enable_blocking_detection() starts (or retunes) the watchdog: a fiber that
// runs `threshold` without switching is reported once per stretch; an empty
// reporter prints "evy: blocking detected ..." to stderr. The environment
// variable EVY_BLOCKING_DETECTION=<ms> does the same at startup.
void enable_blocking_detection(std::chrono::milliseconds threshold, BlockingReporter reporter = {});

// disable_blocking_detection() stops reporting (the watchdog thread stays idle).
void disable_blocking_detection() noexcept;

} // namespace evy
