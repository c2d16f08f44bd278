// The registry behind is_monkey_patched(): one bit per module, set by the
// static initializers that <evy/patched/MODULE.h> plants in every TU.
#include <evy/monkey_patch.h>

#include "evy_module_names.h" // generated from rules/*.json

#include <atomic>
#include <cstdint>
#include <string_view>

namespace evy {
namespace {
// Constant-initialised, so registrations from any static initializer work.
std::atomic<std::uint32_t> patched_modules{0};

// bit_of() is the module's bit; an alias ("threading", "queue": a rule
// file's "aliases") answers for its module. 0: no such module.
std::uint32_t bit_of(std::string_view module) noexcept {
  for (const detail::PatchedModuleName &entry : detail::kPatchedModuleNames)
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
