// green::counting_semaphore and binary_semaphore.
#include "thread_test_util.h"

#include <evy/evy.h>
#include <evy/patched/thread.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <vector>

namespace green = evy::green;
using namespace evy_test;

namespace {

TEST(GreenCountingSemaphore, LimitsConcurrencyToItsCount) {
  green::counting_semaphore<3> slots(3);
  int inside = 0, max_inside = 0;
  on_green_threads(10, [&] {
    for (int j = 0; j < 3; ++j) {
      slots.acquire();
      max_inside = std::max(max_inside, ++inside);
      evy::sleep(1ms);
      --inside;
      slots.release();
    }
  });
  EXPECT_EQ(max_inside, 3);
  EXPECT_EQ(green::counting_semaphore<3>::max(), 3);
}

TEST(GreenCountingSemaphore, ReleaseOfSeveralWakesThatMany) {
  green::counting_semaphore<> sem(0);
  int acquired = 0;
  std::vector<green::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] {
      sem.acquire();
      ++acquired;
    });
  green::this_thread::yield();
  sem.release(3);
  for (int i = 0; i < 4; ++i)
    green::this_thread::yield();
  EXPECT_EQ(acquired, 3);
  sem.release();
  for (auto &t : threads)
    t.join();
  EXPECT_EQ(acquired, 4);
  EXPECT_FALSE(sem.try_acquire());
}

TEST(GreenBinarySemaphore, SignalsBetweenGreenThreads) {
  green::binary_semaphore ping(0), pong(0);
  std::vector<int> trace;
  green::thread t([&] {
    for (int i = 0; i < 3; ++i) {
      ping.acquire();
      trace.push_back(2 * i + 1);
      pong.release();
    }
  });
  for (int i = 0; i < 3; ++i) {
    trace.push_back(2 * i);
    ping.release();
    pong.acquire();
  }
  t.join();
  EXPECT_EQ(trace, (std::vector<int>{0, 1, 2, 3, 4, 5}));
}

TEST(GreenBinarySemaphore, TryAcquireForTimesOut) {
  green::binary_semaphore sem(0);
  const auto start = Clock::now();
  EXPECT_FALSE(sem.try_acquire_for(25ms));
  EXPECT_GE(elapsed_since(start), 25ms);
  EXPECT_FALSE(sem.try_acquire_until(std::chrono::system_clock::now() + 5ms));
  sem.release();
  EXPECT_TRUE(sem.try_acquire_for(25ms));
}

TEST(GreenCountingSemaphore, ReleasedFromAnotherOsThread) {
  green::counting_semaphore<> sem(0);
  int got = 0;
  on_os_threads({[&] {
                   for (int i = 0; i < 200; ++i) {
                     sem.acquire();
                     ++got;
                   }
                 },
                 [&] {
                   for (int i = 0; i < 200; ++i)
                     sem.release();
                 }});
  EXPECT_EQ(got, 200);
  EXPECT_FALSE(sem.try_acquire());
}

TEST(GreenCountingSemaphore, UnitsHandedToTimedOutWaitersAreNotLost) {
  // Short timed acquires on one OS thread race releases from another: a
  // unit handed to a waiter whose wait just ended must go to the next one
  // or back to the count, never vanish or double.
  green::counting_semaphore<> sem(0);
  constexpr int released = 3000;
  std::atomic<int> acquired{0};
  std::atomic<bool> done{false};
  on_os_threads({[&] {
                   std::vector<green::thread> takers;
                   for (int i = 0; i < 8; ++i)
                     takers.emplace_back([&] {
                       while (!done.load())
                         if (sem.try_acquire_for(std::chrono::microseconds(20)))
                           ++acquired;
                     });
                   for (auto &t : takers)
                     t.join();
                 },
                 [&] {
                   for (int i = 0; i < released; ++i) {
                     sem.release();
                     if (i % 16 == 0)
                       std::this_thread::sleep_for(std::chrono::microseconds(50));
                   }
                   std::this_thread::sleep_for(20ms); // let the takers drain it
                   done = true;
                 }});
  int left = 0;
  while (sem.try_acquire())
    ++left;
  EXPECT_EQ(acquired.load() + left, released);
}

TEST(GreenCountingSemaphore, TimeoutInterruptsAcquire) {
  green::counting_semaphore<> sem(0);
  EXPECT_THROW(
      {
        evy::Timeout timeout(10ms);
        sem.acquire();
      },
      evy::TimeoutError);
  sem.release();
  EXPECT_TRUE(sem.try_acquire()); // the interrupted acquire took nothing
}

} // namespace
