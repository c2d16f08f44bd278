// Runtime statistics and the EVY_STACK_SIZE tunable.
#include "hub.h"
#include "stack.h"

#include <evy/stats.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include <unistd.h>

namespace evy {
namespace {
constexpr std::size_t kDefaultStackSize = 256 * 1024;
constexpr std::size_t kMinimumStackSize = 32 * 1024;

// parse_size() reads "65536", "64K", "64k", "1M", "1m"; 0 when malformed.
std::size_t parse_size(std::string_view text) noexcept {
  std::size_t value = 0, i = 0;
  for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i)
    value = value * 10 + static_cast<std::size_t>(text[i] - '0');
  if (i == 0)
    return 0;
  if (i == text.size())
    return value;
  if (i + 1 != text.size())
    return 0;
  switch (text[i]) {
  case 'k':
  case 'K':
    return value * 1024;
  case 'm':
  case 'M':
    return value * 1024 * 1024;
  default:
    return 0;
  }
}

std::size_t stack_size_from_environment() noexcept {
  const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  std::size_t size = kDefaultStackSize;
  if (const char *text = std::getenv("EVY_STACK_SIZE")) {
    const std::size_t wanted = parse_size(text);
    if (wanted == 0)
      std::fprintf(stderr, "evy: ignoring malformed EVY_STACK_SIZE=%s\n", text);
    else
      size = wanted < kMinimumStackSize ? kMinimumStackSize : wanted;
  }
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
