// Fiber annotations for AddressSanitizer and ThreadSanitizer, compiled in
// when CMake's EVY_SANITIZE option defines EVY_ASAN or EVY_TSAN. Without
// them both sanitizers see one thread jumping between unknown stacks and
// report nonsense (ASan: false stack-buffer-overflows, TSan: false races).
#pragma once

#include <cstddef>

#if defined(EVY_ASAN)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif
#if defined(EVY_TSAN)
#include <sanitizer/tsan_interface.h>
#endif

namespace evy::detail {

// SanitizerFiber is a fiber's bookkeeping for the sanitizers.
struct SanitizerFiber {
  const void *stack_bottom = nullptr; // ASan: lowest usable address
  std::size_t stack_size = 0;         // ASan: usable bytes
  void *fake_stack = nullptr;         // ASan: saved while suspended
  void *tsan_fiber = nullptr;         // TSan: its fiber handle
};

// sanitizer_stack_reused() clears a recycled stack, all of it up to its
// top where the fiber record and the callable go: a fiber that ended
// switched away for good from inside its frames, whose ASan poison would
// otherwise greet the next user.
inline void sanitizer_stack_reused(void *stack_low, std::size_t stack_size) noexcept {
#if defined(EVY_ASAN)
  ASAN_UNPOISON_MEMORY_REGION(stack_low, stack_size);
#else
  (void)stack_low;
  (void)stack_size;
#endif
}

// sanitizer_fiber_created() sets up a new fiber's records.
inline void sanitizer_fiber_created(SanitizerFiber &fiber, void *stack_low,
                                    std::size_t stack_size) noexcept {
  fiber.stack_bottom = stack_low;
  fiber.stack_size = stack_size;
#if defined(EVY_TSAN)
  fiber.tsan_fiber = __tsan_create_fiber(0);
#endif
}

// sanitizer_root_fiber() adopts the OS thread's own stack as a fiber; ASan
// learns its bounds on the first switch away from it.
inline void sanitizer_root_fiber(SanitizerFiber &fiber) noexcept {
#if defined(EVY_TSAN)
  fiber.tsan_fiber = __tsan_get_current_fiber();
#else
  (void)fiber;
#endif
}

// sanitizer_fiber_destroyed() releases a finished fiber's records.
inline void sanitizer_fiber_destroyed(SanitizerFiber &fiber) noexcept {
#if defined(EVY_TSAN)
  if (fiber.tsan_fiber != nullptr)
    __tsan_destroy_fiber(fiber.tsan_fiber);
#endif
  fiber.tsan_fiber = nullptr;
}

// sanitizer_before_switch() runs right before leaving `from` for `to`;
// `from_finished` says `from` will never run again (ASan frees its fake stack).
inline void sanitizer_before_switch(SanitizerFiber &from, const SanitizerFiber &to,
                                    bool from_finished) noexcept {
#if defined(EVY_ASAN)
  __sanitizer_start_switch_fiber(from_finished ? nullptr : &from.fake_stack, to.stack_bottom,
                                 to.stack_size);
#else
  (void)from;
  (void)from_finished;
#endif
#if defined(EVY_TSAN)
  __tsan_switch_to_fiber(to.tsan_fiber, 0);
#else
  (void)to;
#endif
}

// sanitizer_after_switch() runs first thing in `self` once it runs again
// (or for the first time); it records the bounds of the stack we came from,
// which is how a root fiber's stack becomes known.
inline void sanitizer_after_switch(SanitizerFiber &self, SanitizerFiber *previous) noexcept {
#if defined(EVY_ASAN)
  const void *previous_bottom = nullptr;
  std::size_t previous_size = 0;
  __sanitizer_finish_switch_fiber(self.fake_stack, &previous_bottom, &previous_size);
  if (previous != nullptr) {
    previous->stack_bottom = previous_bottom;
    previous->stack_size = previous_size;
  }
#else
  (void)self;
  (void)previous;
#endif
}

} // namespace evy::detail
