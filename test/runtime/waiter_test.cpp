// The park/wake API (waiter.h): Waiter, WaitQueue, and a semaphore built on
// them as waiter.h documents, used by fibers on several OS threads.
#include "runtime_test.h"

#include <evy/spin_lock.h>
#include <evy/waiter.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

namespace evy::test {
namespace {

using namespace std::chrono_literals;
using WaiterTest = RuntimeTest;

TEST_F(WaiterTest, WaiterTimesOutAndALateNotifyIsRefused) {
  Waiter waiter;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(waiter.wait(evy::deadline_after(20ms)), WakeReason::timed_out);
  EXPECT_GE(elapsed_since(start), 20ms);
  EXPECT_FALSE(waiter.notify());
}

TEST_F(WaiterTest, NotifyBeforeWaitIsNotLost) {
  Waiter waiter;
  EXPECT_TRUE(waiter.notify());
  EXPECT_EQ(waiter.wait(), WakeReason::notified);
  waiter.reset();
  GreenThread other = evy::spawn([&] { EXPECT_TRUE(waiter.notify()); });
  EXPECT_EQ(waiter.wait(), WakeReason::notified);
  other.join();
}

TEST_F(WaiterTest, AnotherOsThreadWakesAParkedFiberWhileOthersRun) {
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

TEST_F(WaiterTest, WaitQueueIsFifoAndRemoveIsExact) {
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
// on two OS threads at once: the pattern the green thread primitives
// (evy/patched/detail/thread_*.h, runtime/src/thread/) follow.
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

TEST_F(WaiterTest, ParkAndWakeAcrossOsThreadsUnderLoad) {
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

TEST_F(WaiterTest, TimedAcquireRacesWithReleaseWithoutLosingUnits) {
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

} // namespace
} // namespace evy::test
