// Fibers: switch order, stack alignment, the per-fiber floating-point
// control state, lifetime, join, and the park/wake API (Waiter, WaitQueue)
// across OS threads.
#include "runtime_test.h"

#include <evy/spin_lock.h>
#include <evy/waiter.h>

#include <cfenv>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#if defined(__x86_64__)
#include <xmmintrin.h>
#endif

namespace evy::test {
namespace {

using namespace std::chrono_literals;
using FiberTest = RuntimeTest;

TEST_F(FiberTest, SpawnedFibersRunInSpawnOrderAndInterleaveOnYield) {
  std::string order;
  std::vector<GreenThread> fibers;
  for (char name : {'a', 'b', 'c'})
    fibers.push_back(evy::spawn([&order, name] {
      for (int round = 0; round < 3; ++round) {
        order += name;
        evy::yield();
      }
    }));
  order += 'm'; // spawn queues; nothing ran yet
  for (GreenThread &fiber : fibers)
    fiber.join();
  EXPECT_EQ(order, "mabcabcabc");
}

TEST_F(FiberTest, ArgumentsAreDecayCopiedAndMovedIn) {
  std::string copied = "copied";
  auto owned = std::make_unique<int>(7);
  std::string seen;
  int value = 0;
  evy::spawn(
      [&](std::string text, std::unique_ptr<int> p) {
        seen = text;
        value = *p;
      },
      copied, std::move(owned))
      .join();
  EXPECT_EQ(seen, "copied");
  EXPECT_EQ(value, 7);
  EXPECT_EQ(copied, "copied");
}

// A 16-byte aligned local is laid out assuming the ABI's alignment held at
// entry (the compiler does not realign for it): its address exposes a
// fiber entered with a misaligned stack.
[[gnu::noinline]] std::uintptr_t aligned_local_address() {
  alignas(16) volatile char probe[16];
  probe[0] = 0;
  return reinterpret_cast<std::uintptr_t>(&probe[0]);
}

TEST_F(FiberTest, StackIsAlignedInsideAFiber) {
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

TEST_F(FiberTest, RoundingModeAndFlushToZeroArePerFiber) {
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
TEST_F(FiberTest, AFiberStartsWithItsSpawnersRoundingMode) {
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

TEST_F(FiberTest, ThousandsOfFibersFinishWithoutLeakingStacks) {
  constexpr int kFibers = 5000;
  int finished = 0;
  std::vector<GreenThread> fibers;
  fibers.reserve(kFibers);
  for (int i = 0; i < kFibers; ++i)
    fibers.push_back(evy::spawn([&finished] {
      evy::yield();
      ++finished;
    }));
  EXPECT_EQ(evy::runtime_stats().live_fibers, static_cast<std::size_t>(kFibers));
  for (GreenThread &fiber : fibers)
    fiber.join();
  EXPECT_EQ(finished, kFibers);
  EXPECT_EQ(evy::runtime_stats().live_fibers, 0u);
  EXPECT_LE(evy::runtime_stats().pooled_stacks, 64u); // the pool is bounded
  // TearDown: no stack outlives the pool.
}

TEST_F(FiberTest, DetachedFibersAreReleasedWhenTheyEnd) {
  int finished = 0;
  for (int i = 0; i < 1000; ++i)
    evy::spawn([&finished] {
      evy::sleep(1ms);
      ++finished;
    }).detach();
  while (finished < 1000)
    evy::sleep(1ms);
  evy::yield(); // let the last one switch away and be recycled
  EXPECT_EQ(evy::runtime_stats().live_fibers, 0u);
}

TEST_F(FiberTest, ExceptionsUnwindInsideAFiber) {
  std::string caught;
  evy::spawn([&] {
    try {
      evy::yield();
      throw std::runtime_error("inside");
    } catch (const std::exception &e) {
      caught = e.what();
    }
  }).join();
  EXPECT_EQ(caught, "inside");
}

TEST_F(FiberTest, JoinUntilGivesUpAtTheDeadline) {
  GreenThread sleeper = evy::spawn([] { evy::sleep(100ms); });
  EXPECT_FALSE(sleeper.join_until(evy::deadline_after(10ms)));
  EXPECT_TRUE(sleeper.joinable());
  EXPECT_FALSE(sleeper.done());
  EXPECT_TRUE(sleeper.join_until(evy::no_deadline));
  EXPECT_FALSE(sleeper.joinable());
}

TEST_F(FiberTest, EveryFiberHasItsOwnId) {
  const FiberId main_id = evy::current_fiber_id();
  FiberId a = 0, b = 0;
  GreenThread fa = evy::spawn([&] { a = evy::current_fiber_id(); });
  GreenThread fb = evy::spawn([&] { b = evy::current_fiber_id(); });
  const FiberId fa_id = fa.id(), fb_id = fb.id();
  fa.join();
  fb.join();
  EXPECT_NE(main_id, 0u);
  EXPECT_EQ(a, fa_id);
  EXPECT_EQ(b, fb_id);
  EXPECT_NE(a, b);
  EXPECT_NE(a, main_id);
}

TEST_F(FiberTest, WaiterTimesOutAndALateNotifyIsRefused) {
  Waiter waiter;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(waiter.wait(evy::deadline_after(20ms)), WakeReason::timed_out);
  EXPECT_GE(elapsed_since(start), 20ms);
  EXPECT_FALSE(waiter.notify());
}

TEST_F(FiberTest, NotifyBeforeWaitIsNotLost) {
  Waiter waiter;
  EXPECT_TRUE(waiter.notify());
  EXPECT_EQ(waiter.wait(), WakeReason::notified);
  waiter.reset();
  GreenThread other = evy::spawn([&] { EXPECT_TRUE(waiter.notify()); });
  EXPECT_EQ(waiter.wait(), WakeReason::notified);
  other.join();
}

TEST_F(FiberTest, AnotherOsThreadWakesAParkedFiberWhileOthersRun) {
  Ticker ticker(1ms);
  Waiter waiter;
  std::thread waker([&] {
    std::this_thread::sleep_for(30ms);
    EXPECT_TRUE(waiter.notify());
  });
  EXPECT_EQ(waiter.wait(), WakeReason::notified);
  waker.join();
  EXPECT_GT(ticker.stop(), 0);
}

TEST_F(FiberTest, WaitQueueIsFifoAndRemoveIsExact) {
  Waiter a, b, c;
  WaitQueue queue;
  queue.push_back(a);
  queue.push_back(b);
  queue.push_back(c);
  EXPECT_TRUE(queue.remove(b));
  EXPECT_FALSE(queue.remove(b));
  EXPECT_EQ(queue.pop_front(), &a);
  EXPECT_EQ(queue.pop_front(), &c);
  EXPECT_EQ(queue.pop_front(), nullptr);
  EXPECT_TRUE(queue.empty());
}

// A counting semaphore built exactly as waiter.h documents, used by fibers
// on two OS threads at once: the pattern issue 4's primitives follow.
class TestSemaphore {
public:
  void release() {
    std::lock_guard guard(lock_);
    if (Waiter *w = queue_.pop_front())
      w->notify(); // hand the unit over directly
    else
      ++count_;
  }
  bool acquire(Deadline deadline = no_deadline) {
    Waiter me;
    {
      std::lock_guard guard(lock_);
      if (count_ > 0) {
        --count_;
        return true;
      }
      queue_.push_back(me);
    }
    if (me.wait(deadline) == WakeReason::notified)
      return true;
    std::lock_guard guard(lock_);
    if (!queue_.remove(me))
      return true; // a release popped us first: the unit is ours
    return false;
  }

private:
  SpinLock lock_;
  int count_ = 0;
  WaitQueue queue_;
};

TEST_F(FiberTest, ParkAndWakeAcrossOsThreadsUnderLoad) {
  constexpr int kFibersPerThread = 8;
  constexpr int kRounds = 300;
  TestSemaphore ping, pong;
  std::atomic<int> received{0};
  std::thread other([&] {
    std::vector<GreenThread> fibers;
    for (int f = 0; f < kFibersPerThread; ++f)
      fibers.push_back(evy::spawn([&] {
        for (int i = 0; i < kRounds; ++i) {
          ping.acquire();
          received.fetch_add(1);
          pong.release();
        }
      }));
    for (GreenThread &fiber : fibers)
      fiber.join();
    evy::release_pooled_stacks();
  });
  std::vector<GreenThread> fibers;
  for (int f = 0; f < kFibersPerThread; ++f)
    fibers.push_back(evy::spawn([&] {
      for (int i = 0; i < kRounds; ++i) {
        ping.release();
        pong.acquire();
      }
    }));
  for (GreenThread &fiber : fibers)
    fiber.join();
  other.join();
  EXPECT_EQ(received.load(), kFibersPerThread * kRounds);
}

TEST_F(FiberTest, TimedAcquireRacesWithReleaseWithoutLosingUnits) {
  TestSemaphore semaphore;
  int acquired = 0;
  std::thread releaser([&] {
    for (int i = 0; i < 200; ++i) {
      semaphore.release();
      std::this_thread::sleep_for(std::chrono::microseconds(50 * (i % 7)));
    }
  });
  for (int attempts = 0; acquired < 200 && attempts < 100000; ++attempts)
    if (semaphore.acquire(evy::deadline_after(std::chrono::microseconds(100))))
      ++acquired;
  releaser.join();
  EXPECT_EQ(acquired, 200);
  EXPECT_FALSE(semaphore.acquire(evy::deadline_after(1ms)));
}

TEST_F(FiberTest, JoinFromAnotherOsThread) {
  bool ran = false;
  GreenThread fiber = evy::spawn([&] {
    evy::sleep(20ms);
    ran = true;
  });
  std::atomic<bool> joined{false};
  std::thread joiner([&] {
    fiber.join();
    joined = true;
  });
  // The fiber runs on this thread's hub: keep the hub turning meanwhile.
  while (!joined.load())
    evy::sleep(1ms);
  joiner.join();
  EXPECT_TRUE(ran);
  EXPECT_FALSE(fiber.joinable());
}

} // namespace
} // namespace evy::test
