// The runtime's tunables read from the environment (EVY_STACK_SIZE,
// EVY_THREADPOOL_SIZE, EVY_BLOCKING_DETECTION): one parser, one warning.
#pragma once

#include <cstddef>
#include <optional>

namespace evy::detail {

// positive_from_environment() reads variable `name` as a positive decimal
// number; nullopt when unset, or (after a warning on stderr) malformed.
std::optional<long> positive_from_environment(const char *name) noexcept;

// bytes_from_environment() reads `name` as a byte count: "65536", "64K",
// "64k", "1M", "1m"; nullopt when unset, or (after a warning) malformed.
std::optional<std::size_t> bytes_from_environment(const char *name) noexcept;

} // namespace evy::detail
