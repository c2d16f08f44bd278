// The registry behind is_monkey_patched(): one bit per module, set by the
// static initializers that <evy/patched/MODULE.h> plants in every TU.
#include <evy/monkey_patch.h>

#include <atomic>
#include <cstdint>
#include <string_view>

namespace evy {
namespace {
// Constant-initialised, so registrations from any static initializer work.
std::atomic<std::uint32_t> patched_modules{0};

struct ModuleName {
  std::string_view name;
  std::uint32_t bit;
};
constexpr std::uint32_t kOs = 1, kSelect = 2, kSocket = 4, kSsl = 8, kThread = 16, kTime = 32,
                        kPsycopg = 64;
// Member names answer for their module, as in the seed's monkey_patch.
constexpr ModuleName kNames[] = {
    {"os", kOs},        {"select", kSelect}, {"socket", kSocket},
    {"ssl", kSsl},      {"thread", kThread}, {"threading", kThread},
    {"queue", kThread}, {"time", kTime},     {"psycopg", kPsycopg},
};

std::uint32_t bit_of(std::string_view module) noexcept {
  for (const ModuleName &entry : kNames)
    if (entry.name == module)
      return entry.bit;
  return 0;
}
} // namespace

bool is_monkey_patched(const char *module, std::size_t length) noexcept {
  const std::uint32_t bit = bit_of(std::string_view(module, length));
  return bit != 0 && (patched_modules.load(std::memory_order_acquire) & bit);
}

namespace detail {
bool register_patched_module(const char *module) noexcept {
  const std::uint32_t bit = bit_of(module);
  patched_modules.fetch_or(bit, std::memory_order_acq_rel);
  return bit != 0;
}
} // namespace detail

} // namespace evy
