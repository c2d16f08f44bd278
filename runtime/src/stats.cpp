// Runtime statistics and the EVY_STACK_SIZE tunable.
#include "environment.h"
#include "hub.h"
#include "stack.h"

#include <evy/stats.h>

#include <unistd.h>

namespace evy {
namespace {
constexpr std::size_t kDefaultStackSize = 256 * 1024;
constexpr std::size_t kMinimumStackSize = 32 * 1024;

std::size_t stack_size_from_environment() noexcept {
  const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  std::size_t size = kDefaultStackSize;
  if (const auto wanted = detail::bytes_from_environment("EVY_STACK_SIZE"))
    size = *wanted < kMinimumStackSize ? kMinimumStackSize : *wanted;
  return (size + page - 1) / page * page;
}
} // namespace

std::size_t fiber_stack_size() noexcept {
  static const std::size_t size = stack_size_from_environment();
  return size;
}

RuntimeStats runtime_stats() noexcept {
  RuntimeStats stats;
  stats.live_stacks = detail::live_stack_count();
  stats.pooled_stacks = detail::pooled_stack_count();
  stats.live_fibers = detail::live_fiber_count();
  stats.hubs = detail::hub_count();
  return stats;
}

void release_pooled_stacks() noexcept {
  if (detail::Hub *hub = detail::Hub::current_if_any())
    hub->stack_pool().release_all();
}

} // namespace evy
