// green::latch and green::barrier.
#include "thread_test_util.h"

#include <evy/evy.h>
#include <evy/patched/thread.h>

#include <gtest/gtest.h>

#include <atomic>

#include <vector>

namespace green = evy::green;
using namespace evy_test;

namespace {

TEST(GreenLatch, ReleasesWaitersAtZero) {
  green::latch done(4);
  std::atomic<int> finished{0}; // green threads may run in parallel
  std::vector<green::thread> workers;
  for (int i = 0; i < 4; ++i)
    workers.emplace_back([&, i] {
      evy::sleep(std::chrono::milliseconds(i));
      ++finished;
      done.count_down();
    });
  EXPECT_FALSE(done.try_wait());
  done.wait();
  EXPECT_EQ(finished.load(), 4);
  EXPECT_TRUE(done.try_wait());
  for (auto &t : workers)
    t.join();
}

TEST(GreenLatch, ArriveAndWaitAcrossOsThreads) {
  green::latch start(3);
  std::atomic<int> passed{0};
  auto body = [&] {
    start.arrive_and_wait();
    ++passed;
  };
  on_os_threads({body, body, body});
  EXPECT_EQ(passed.load(), 3);
  green::latch two(2);
  two.count_down(2);
  EXPECT_TRUE(two.try_wait());
}

TEST(GreenBarrier, CompletionRunsOncePerPhaseBeforeAnyoneMovesOn) {
  constexpr int parties = 4, phases = 3;
  int completions = 0;
  int wrong_phase = 0;
  green::barrier sync(parties, [&]() noexcept { ++completions; });
  std::vector<green::thread> threads;
  for (int i = 0; i < parties; ++i)
    threads.emplace_back([&, i] {
      for (int phase = 0; phase < phases; ++phase) {
        evy::sleep(std::chrono::milliseconds(i));
        sync.arrive_and_wait();
        if (completions != phase + 1)
          ++wrong_phase;
      }
    });
  for (auto &t : threads)
    t.join();
  EXPECT_EQ(completions, phases);
  EXPECT_EQ(wrong_phase, 0);
}

TEST(GreenBarrier, ArriveTokenAndDrop) {
  int completions = 0;
  green::barrier sync(3, [&]() noexcept { ++completions; });
  green::thread dropper([&] { sync.arrive_and_drop(); });
  green::thread waiter([&] {
    sync.arrive_and_wait(); // phase 0
    sync.arrive_and_wait(); // phase 1: only two parties left
  });
  auto token = sync.arrive();
  sync.wait(std::move(token));
  EXPECT_EQ(completions, 1);
  sync.arrive_and_wait();
  EXPECT_EQ(completions, 2);
  dropper.join();
  waiter.join();
}

} // namespace
