// The blocking detector's hook into hub creation.
#pragma once

namespace evy::detail {
// start_blocking_detection_from_environment() honours
// EVY_BLOCKING_DETECTION=<ms> (once per process; later calls do nothing).
void start_blocking_detection_from_environment() noexcept;
} // namespace evy::detail
