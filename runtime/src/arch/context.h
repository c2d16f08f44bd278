// The machine layer: a suspended fiber's registers and the switch between
// two of them. One implementation is compiled in, chosen at configure time:
// assembly for x86-64 or AArch64 (default), or ucontext (EVY_CONTEXT_UCONTEXT).
#pragma once

#include <cstddef>

#if defined(EVY_CONTEXT_UCONTEXT)
#include <ucontext.h>
struct evy_context {
  ucontext_t native;
};
#elif defined(__x86_64__)
#include "context_x86_64.h"
#elif defined(__aarch64__)
#include "context_aarch64.h"
#else
#error                                                                                             \
    "evy: no fiber context switch for this architecture; configure with -DEVY_FIBER_BACKEND=ucontext"
#endif

extern "C" {
// evy_context_switch() saves the running context into *from and resumes *to.
void evy_context_switch(evy_context *from, const evy_context *to);
// The same for a neutral context on one side (see context_switch_to_neutral).
void evy_context_switch_to_neutral(evy_context *from, evy_context *to);
void evy_context_switch_from_neutral(evy_context *from, const evy_context *to);
}

namespace evy::detail {

using FiberContext = evy_context;
using ContextEntry = void (*)(void *argument);

// context_init() prepares ctx so that the first switch to it runs
// entry(argument) on the stack [stack_low, stack_low + stack_size) with the
// ABI's alignment. entry must never return; it leaves by switching away.
void context_init(FiberContext &ctx, void *stack_low, std::size_t stack_size, ContextEntry entry,
                  void *argument) noexcept;

// context_switch() saves the caller into from and resumes to; it returns
// when some other fiber switches back to from.
inline void context_switch(FiberContext &from, FiberContext &to) noexcept {
  evy_context_switch(&from, &to);
}

// A neutral context never changes the floating-point control state
// (rounding mode, flush-to-zero...) and runs with whatever state the context
// that switched to it had: the hub's scheduler. Switching to it records the
// caller's state in both contexts and loads nothing; switching away from it
// compares that record with the target's and loads the target's only if
// they differ, without reading the registers again. A round trip through a
// neutral context thus reads the control state once instead of twice, and
// that read is the most expensive part of a switch on some CPUs (AMD Zen).
// Every context still owns its floating-point control state.
inline void context_switch_to_neutral(FiberContext &from, FiberContext &neutral) noexcept {
  evy_context_switch_to_neutral(&from, &neutral);
}
inline void context_switch_from_neutral(FiberContext &neutral, FiberContext &to) noexcept {
  evy_context_switch_from_neutral(&neutral, &to);
}

// saved_stack_pointer() is where a suspended context keeps its stack
// pointer (for a prefetch: the line prefetch_context() reads first).
inline const void *saved_stack_pointer(const FiberContext &ctx) noexcept {
#if defined(EVY_CONTEXT_UCONTEXT)
  return &ctx;
#elif defined(__x86_64__)
  return &ctx.rsp;
#else
  return &ctx.sp;
#endif
}

// prefetch_context() asks the CPU to bring in what resuming a suspended
// context reads first: its register save area and the top of its stack
// (the frames of the calls it parked in). A hub calls it for the fiber
// it runs next, so that those lines arrive while the current one runs.
inline void prefetch_context(const FiberContext &ctx) noexcept {
#if defined(EVY_CONTEXT_UCONTEXT)
  (void)ctx; // the saved stack pointer is not ours to read portably
#else
#if defined(__x86_64__)
  const char *sp = reinterpret_cast<const char *>(ctx.rsp);
#else
  const char *sp = reinterpret_cast<const char *>(ctx.sp);
#endif
  // The parked call chain (a green recv: about 700 bytes). A prefetch
  // never faults, so reading past a short chain costs nothing.
  constexpr int kLines = 16;
#pragma GCC unroll 16 // 16 prefetches, not a loop around one (clang reads it too)
  for (int line = 0; line < kLines; ++line)
    __builtin_prefetch(sp + 64 * line);
#endif
}

// context_backend() names the compiled-in implementation ("x86_64", ...).
const char *context_backend() noexcept;

} // namespace evy::detail
