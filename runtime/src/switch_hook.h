// The hub's side of <evy/detail/fiber_switch_hook.h>: called on
// every switch of a fiber away from and back to its stack.
#pragma once

#include "fiber.h"

#include <evy/detail/fiber_switch_hook.h>

#include <atomic>

namespace evy::detail {

// The installed hook, or nullptr (the common case: no ssl module linked).
extern std::atomic<const FiberSwitchHook *> installed_switch_hook;

// fiber_switching_out() saves the thread's hooked state into the fiber.
inline void fiber_switching_out(Fiber &fiber, bool finished) noexcept {
  if (const FiberSwitchHook *hook = installed_switch_hook.load(std::memory_order_acquire))
    hook->save(&fiber.switch_hook_slot, finished);
}

// fiber_switched_in() gives the fiber back what it saved, if anything.
// Only a hook writes the slot: without one, the fiber's line that holds
// it is not read at all.
inline void fiber_switched_in(Fiber &fiber) noexcept {
  if (const FiberSwitchHook *hook = installed_switch_hook.load(std::memory_order_acquire))
    if (fiber.switch_hook_slot != nullptr)
      hook->restore(&fiber.switch_hook_slot);
}

} // namespace evy::detail
