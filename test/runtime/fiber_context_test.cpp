// What a fiber's context carries: a stack aligned as the ABI requires, its
// own floating-point control state and its own errno.
#include "runtime_test.h"

#include <evy/sleep.h>

#include <cerrno>
#include <cfenv>
#include <cstdint>

#if defined(__x86_64__)
#include <xmmintrin.h>
#endif

namespace evy::test {
namespace {

using FiberContextTest = RuntimeTest;

// A 16-byte aligned local is laid out assuming the ABI's alignment held at
// entry (the compiler does not realign for it): its address exposes a
// fiber entered with a misaligned stack.
[[gnu::noinline]] std::uintptr_t aligned_local_address() {
  alignas(16) volatile char probe[16];
  probe[0] = 0;
  return reinterpret_cast<std::uintptr_t>(&probe[0]);
}

TEST_F(FiberContextTest, StackIsAlignedInsideAFiber) {
  std::uintptr_t sp = 1;
  evy::spawn([&] { sp = aligned_local_address(); }).join();
  EXPECT_EQ(sp % 16, 0u);
  // Doubles and SSE spills would crash on a misaligned stack; use some.
  double sum = 0;
  evy::spawn([&] {
    alignas(16) double values[4] = {1.5, 2.5, 3.5, 4.5};
    for (double v : values)
      sum += v;
  }).join();
  EXPECT_DOUBLE_EQ(sum, 12.0);
}

// The floating-point control state (rounding mode; on x86-64 also MXCSR's
// flush-to-zero) belongs to a fiber as it belongs to a std::thread: what one
// fiber sets is not seen by another, and survives its own switches.
struct FpControl {
  int rounding = -1;        // fegetround(): on x86-64 the x87 control word
  unsigned sse_rounding = 0; // MXCSR's rounding field, x86-64 only
  bool flush_to_zero = false;
  double third = 0;          // 1/3 computed now, in the current mode
};

[[gnu::noinline]] FpControl fp_control() {
  FpControl now;
  now.rounding = std::fegetround();
#if defined(__x86_64__)
  now.sse_rounding = _MM_GET_ROUNDING_MODE();
  now.flush_to_zero = _MM_GET_FLUSH_ZERO_MODE() == _MM_FLUSH_ZERO_ON;
#endif
  volatile double one = 1, three = 3; // computed at run time, not folded
  now.third = one / three;
  return now;
}

void set_flush_to_zero([[maybe_unused]] bool on) {
#if defined(__x86_64__)
  _MM_SET_FLUSH_ZERO_MODE(on ? _MM_FLUSH_ZERO_ON : _MM_FLUSH_ZERO_OFF);
#endif
}

constexpr bool kHasFlushToZeroCheck =
#if defined(__x86_64__)
    true;
#else
    false;
#endif

TEST_F(FiberContextTest, RoundingModeAndFlushToZeroArePerFiber) {
  ASSERT_EQ(std::fegetround(), FE_TONEAREST);
  const FpControl nearest = fp_control();
  FpControl a_start, a_after_yield, b_start, b_after_yield;
  GreenThread a = evy::spawn([&] {
    ASSERT_EQ(std::fesetround(FE_UPWARD), 0);
    set_flush_to_zero(true);
    a_start = fp_control();
    evy::yield(); // to b
    a_after_yield = fp_control();
    std::fesetround(FE_TONEAREST);
    set_flush_to_zero(false);
  });
  GreenThread b = evy::spawn([&] {
    b_start = fp_control();
    ASSERT_EQ(std::fesetround(FE_TOWARDZERO), 0);
    evy::yield(); // back to a
    b_after_yield = fp_control();
    std::fesetround(FE_TONEAREST);
  });
  a.join();
  b.join();
  const FpControl main_after = fp_control();

  EXPECT_EQ(a_start.rounding, FE_UPWARD);
  EXPECT_GT(a_start.third, nearest.third); // the mode really took effect
  // b starts with the defaults (those of main, which spawned it) ...
  EXPECT_EQ(b_start.rounding, FE_TONEAREST);
  EXPECT_EQ(b_start.sse_rounding, nearest.sse_rounding);
  EXPECT_FALSE(b_start.flush_to_zero);
  EXPECT_EQ(b_start.third, nearest.third);
  // ... a's mode survives b's change ...
  EXPECT_EQ(a_after_yield.rounding, FE_UPWARD);
  EXPECT_EQ(a_after_yield.sse_rounding, a_start.sse_rounding);
  EXPECT_EQ(a_after_yield.flush_to_zero, kHasFlushToZeroCheck);
  EXPECT_EQ(a_after_yield.third, a_start.third);
  // ... b's survives a's ...
  EXPECT_EQ(b_after_yield.rounding, FE_TOWARDZERO);
  EXPECT_FALSE(b_after_yield.flush_to_zero);
  EXPECT_LT(b_after_yield.third, a_start.third);
  // ... and main was never touched.
  EXPECT_EQ(main_after.rounding, FE_TONEAREST);
  EXPECT_EQ(main_after.sse_rounding, nearest.sse_rounding);
  EXPECT_FALSE(main_after.flush_to_zero);
  EXPECT_EQ(main_after.third, nearest.third);
}

// Like a std::thread (C11 7.6: a new thread starts with its creator's
// floating-point environment), a fiber starts with the control state of the
// fiber that spawned it, as it was at spawn().
TEST_F(FiberContextTest, AFiberStartsWithItsSpawnersRoundingMode) {
  ASSERT_EQ(std::fesetround(FE_DOWNWARD), 0);
  set_flush_to_zero(true);
  FpControl seen;
  GreenThread child = evy::spawn([&] { seen = fp_control(); });
  std::fesetround(FE_TONEAREST); // before the child runs
  set_flush_to_zero(false);
  child.join();
  EXPECT_EQ(seen.rounding, FE_DOWNWARD);
  EXPECT_EQ(seen.flush_to_zero, kHasFlushToZeroCheck);
  EXPECT_EQ(std::fegetround(), FE_TONEAREST);
}

// errno is per green thread as it is per std::thread: what one fiber's
// calls leave in it is not seen by another across a yield or a wait, and a
// new fiber starts with 0.
TEST_F(FiberContextTest, ErrnoBelongsToEachFiber) {
  int a_after_yield = -1, a_after_sleep = -1, b_after_yield = -1, b_start = -1;
  errno = EDOM;
  GreenThread a = evy::spawn([&] {
    errno = EILSEQ;
    evy::yield();
    a_after_yield = errno;
    evy::sleep(std::chrono::milliseconds(1)); // parks: b runs meanwhile
    a_after_sleep = errno;
  });
  GreenThread b = evy::spawn([&] {
    b_start = errno;
    errno = ERANGE;
    evy::yield();
    b_after_yield = errno;
    errno = ENOENT; // left behind while a sleeps
  });
  a.join();
  b.join();
  EXPECT_EQ(b_start, 0);
  EXPECT_EQ(a_after_yield, EILSEQ);
  EXPECT_EQ(a_after_sleep, EILSEQ);
  EXPECT_EQ(b_after_yield, ERANGE);
  EXPECT_EQ(errno, EDOM); // main's, through both joins
}

} // namespace
} // namespace evy::test
