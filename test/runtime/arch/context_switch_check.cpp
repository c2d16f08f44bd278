// The machine layer alone, without gtest, so that it also runs as a
// cross-compiled AArch64 binary under qemu-user: switch order, stack
// alignment at entry, callee-saved registers preserved across switches, and
// the floating-point control state (rounding mode, flush-to-zero) kept per
// context and inherited by a new one from its creator.
// Exit status 0 on success; each failed check prints a line.
#include "arch/context.h"

#include <cfenv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#if defined(__x86_64__)
#include <xmmintrin.h>
#endif

namespace {

using evy::detail::FiberContext;

FiberContext main_context, fiber_context;
std::string order;
std::uintptr_t sp_at_entry = 0;
int failures = 0;

void check(bool ok, const char *what) {
  if (!ok) {
    std::printf("FAIL: %s\n", what);
    ++failures;
  }
}

// A 16-byte aligned local is placed relative to the stack pointer on the
// assumption that the ABI alignment held at entry; the compiler does not
// realign for it. Its address therefore exposes a misaligned entry.
[[gnu::noinline]] void note_sp() {
  alignas(16) volatile char probe[16];
  probe[0] = 0;
  sp_at_entry = reinterpret_cast<std::uintptr_t>(&probe[0]);
}

void fiber_body(void *argument) {
  check(argument == &order, "entry receives its argument");
  note_sp();
  order += 'f';
  evy::detail::context_switch(fiber_context, main_context);
  order += 'g';
  evy::detail::context_switch(fiber_context, main_context);
  std::abort(); // never resumed a third time
}

// The architecture's flush-to-zero control: MXCSR.FTZ, FPCR.FZ.
bool flush_to_zero() {
#if defined(__x86_64__)
  return (_mm_getcsr() & 0x8000u) != 0;
#elif defined(__aarch64__)
  std::uint64_t fpcr;
  __asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
  return (fpcr & (std::uint64_t{1} << 24)) != 0;
#else
  return false;
#endif
}

void set_flush_to_zero(bool on) {
#if defined(__x86_64__)
  _mm_setcsr(on ? (_mm_getcsr() | 0x8000u) : (_mm_getcsr() & ~0x8000u));
#elif defined(__aarch64__)
  std::uint64_t fpcr;
  __asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
  const std::uint64_t bit = std::uint64_t{1} << 24;
  fpcr = on ? (fpcr | bit) : (fpcr & ~bit);
  __asm__ volatile("msr fpcr, %0" : : "r"(fpcr));
#else
  (void)on;
#endif
}

// MXCSR's cumulative exception flags (bits 0-5), x86-64 only: they belong
// to the OS thread, and a switch that loads another fiber's control bits
// must keep them.
constexpr unsigned kInexact = 0x20;
[[maybe_unused]] unsigned sse_flags() {
#if defined(__x86_64__)
  return _mm_getcsr() & 0x3fu;
#else
  return 0;
#endif
}
void set_sse_flags([[maybe_unused]] unsigned flags) {
#if defined(__x86_64__)
  _mm_setcsr((_mm_getcsr() & ~0x3fu) | flags);
#endif
}

FiberContext fp_main_context, fp_fiber_context;

void fp_fiber_body(void *) {
  check(std::fegetround() == FE_DOWNWARD, "a new context starts with its creator's rounding mode");
  check(flush_to_zero(), "a new context starts with its creator's flush-to-zero");
  std::fesetround(FE_UPWARD);
  set_flush_to_zero(false);
  set_sse_flags(0);
  evy::detail::context_switch(fp_fiber_context, fp_main_context);
  check(std::fegetround() == FE_UPWARD, "the rounding mode survives a switch away and back");
  check(!flush_to_zero(), "flush-to-zero off survives a switch away and back");
#if defined(__x86_64__) && !defined(EVY_CONTEXT_UCONTEXT) // swapcontext switches them too
  check(sse_flags() == kInexact, "MXCSR's exception flags stay with the OS thread");
#endif
  evy::detail::context_switch(fp_fiber_context, fp_main_context);
  std::abort();
}

void check_floating_point_control() {
  static char stack[64 * 1024] __attribute__((aligned(16)));
  std::fesetround(FE_DOWNWARD);
  set_flush_to_zero(true);
  evy::detail::context_init(fp_fiber_context, stack, sizeof stack, &fp_fiber_body, nullptr);
  std::fesetround(FE_TONEAREST);
  set_flush_to_zero(false);
  evy::detail::context_switch(fp_main_context, fp_fiber_context);
  check(std::fegetround() == FE_TONEAREST, "another context's rounding mode does not leak");
  check(!flush_to_zero(), "another context's flush-to-zero does not leak");
  std::fesetround(FE_TOWARDZERO);
  set_flush_to_zero(true);
  set_sse_flags(kInexact); // raised here, tested in the fiber
  evy::detail::context_switch(fp_main_context, fp_fiber_context);
  check(std::fegetround() == FE_TOWARDZERO, "the rounding mode survives a switch to another");
  check(flush_to_zero(), "flush-to-zero on survives a switch to another");
  std::fesetround(FE_TONEAREST);
  set_flush_to_zero(false);
}

// A neutral context (the hub's scheduler) runs with whatever control state
// it is given; the contexts on either side of it still own theirs.
FiberContext neutral_main_context, neutral_context, neutral_a_context, neutral_b_context;

void neutral_body(void *) {
  for (FiberContext *next : {&neutral_a_context, &neutral_b_context, &neutral_a_context,
                             &neutral_main_context})
    evy::detail::context_switch_from_neutral(neutral_context, *next);
  std::abort();
}

void neutral_a_body(void *) {
  check(std::fegetround() == FE_DOWNWARD, "through a neutral context: a new context's own mode");
  std::fesetround(FE_UPWARD);
  set_flush_to_zero(true);
  set_sse_flags(0);
  evy::detail::context_switch_to_neutral(neutral_a_context, neutral_context);
  check(std::fegetround() == FE_UPWARD, "through a neutral context: the mode survives");
  check(flush_to_zero(), "through a neutral context: flush-to-zero survives");
#if defined(__x86_64__) && !defined(EVY_CONTEXT_UCONTEXT)
  check(sse_flags() == kInexact, "through a neutral context: MXCSR's flags stay with the thread");
#endif
  evy::detail::context_switch_to_neutral(neutral_a_context, neutral_context);
  std::abort();
}

void neutral_b_body(void *) {
  check(std::fegetround() == FE_TOWARDZERO, "through a neutral context: the mode does not leak");
  check(!flush_to_zero(), "through a neutral context: flush-to-zero does not leak");
  set_sse_flags(kInexact);
  evy::detail::context_switch_to_neutral(neutral_b_context, neutral_context);
  std::abort();
}

void check_neutral_context() {
  static char stacks[3][64 * 1024] __attribute__((aligned(16)));
  std::fesetround(FE_DOWNWARD);
  evy::detail::context_init(neutral_a_context, stacks[0], sizeof stacks[0], &neutral_a_body,
                            nullptr);
  std::fesetround(FE_TOWARDZERO);
  evy::detail::context_init(neutral_b_context, stacks[1], sizeof stacks[1], &neutral_b_body,
                            nullptr);
  std::fesetround(FE_TONEAREST);
  evy::detail::context_init(neutral_context, stacks[2], sizeof stacks[2], &neutral_body, nullptr);
  evy::detail::context_switch_to_neutral(neutral_main_context, neutral_context);
  check(std::fegetround() == FE_TONEAREST, "back from a neutral context: the caller's mode");
  check(!flush_to_zero(), "back from a neutral context: the caller's flush-to-zero");
}

// callee_saved_*.S: fill every callee-saved register with a known value,
// switch to the fiber and back, and return 1 if all of them survived.
extern "C" int evy_test_callee_saved_survive(FiberContext *from, FiberContext *to);

} // namespace

int main() {
  static char stack[64 * 1024] __attribute__((aligned(16)));
  // An odd size: context_init must align the top itself.
  evy::detail::context_init(fiber_context, stack, sizeof stack - 24, &fiber_body, &order);
  order += 'm';
  evy::detail::context_switch(main_context, fiber_context);
  order += 'n';
  check(evy_test_callee_saved_survive(&main_context, &fiber_context) == 1,
        "callee-saved registers survive a switch");
  order += 'o';
  check_floating_point_control();
  check_neutral_context();
  check(order == "mfngo", ("switch order is mfngo, got " + order).c_str());
  check(sp_at_entry % 16 == 0, "16-byte aligned stack in a callee of the entry");
  check(sp_at_entry > reinterpret_cast<std::uintptr_t>(stack) &&
            sp_at_entry < reinterpret_cast<std::uintptr_t>(stack) + sizeof stack,
        "the fiber runs on its own stack");
  std::printf("%s context switch (%s): %s\n", failures ? "FAILED" : "ok",
              evy::detail::context_backend(), order.c_str());
  return failures == 0 ? 0 : 1;
}
