// The process's fiber switch hook (see fiber_switch_hook.h).
#include "switch_hook.h"

#include <mutex>

namespace evy::detail {

std::atomic<const FiberSwitchHook *> installed_switch_hook{nullptr};

bool install_fiber_switch_hook(const FiberSwitchHook &hook) noexcept {
  // Kept for the life of the process: fibers may hold state it saved.
  static FiberSwitchHook stored{};
  static std::mutex guard;
  std::lock_guard lock(guard);
  if (const FiberSwitchHook *current = installed_switch_hook.load(std::memory_order_relaxed))
    return current->save == hook.save && current->restore == hook.restore;
  stored = hook;
  installed_switch_hook.store(&stored, std::memory_order_release);
  return true;
}

} // namespace evy::detail
