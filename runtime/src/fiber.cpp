// Fiber: waking a parked fiber, and the other wake-up sources of its wait.
#include "fiber.h"

#include "hub.h"

#include <cstddef>

namespace evy::detail {

#if defined(__x86_64__) && !defined(EVY_CONTEXT_UCONTEXT)
// The layout fiber.h promises: the registers, then everything a wait
// touches, in exactly two cache lines.
static_assert(alignof(Fiber) == 64);
static_assert(offsetof(Fiber, context) == 0 && sizeof(FiberContext) <= 72);
static_assert(offsetof(Fiber, interruptible_wait) + sizeof(Waiter *) == 128);
#endif

void Fiber::resume(Fiber &fiber) noexcept {
  ParkState state = fiber.park_state.load(std::memory_order_acquire);
  for (;;) {
    if (state == ParkState::running) {
      if (fiber.park_state.compare_exchange_weak(state, ParkState::wake_pending,
                                                 std::memory_order_acq_rel))
        return; // the scheduler requeues it when it arrives
    } else if (state == ParkState::parked) {
      if (fiber.park_state.compare_exchange_weak(state, ParkState::running,
                                                 std::memory_order_acq_rel)) {
        fiber.hub->make_runnable(fiber);
        return;
      }
    } else {
      return; // already resumed for this park
    }
  }
}

void Fiber::interrupt(Fiber &fiber, Timeout &expired) noexcept {
  if (fiber.expired_timeout == nullptr)
    fiber.expired_timeout = &expired;
  if (Waiter *waiting = fiber.interruptible_wait)
    if (waiting->finish(Waiter::interrupted_state))
      Fiber::resume(fiber);
}

void Fiber::signal(Fiber &fiber) noexcept {
  if (Waiter *waiting = fiber.signal_waiter)
    if (waiting->finish(Waiter::signalled_state))
      Fiber::resume(fiber);
}

} // namespace evy::detail
