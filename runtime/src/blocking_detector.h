// The blocking detector's hooks into the hub: its start, and its signal.
#pragma once

namespace evy::detail {
// start_blocking_detection_from_environment() honours
// EVY_BLOCKING_DETECTION=<ms> (once per process; later calls do nothing).
void start_blocking_detection_from_environment() noexcept;
// backtrace_signal() is the signal the detector sends a stuck hub thread.
int backtrace_signal() noexcept;
} // namespace evy::detail
