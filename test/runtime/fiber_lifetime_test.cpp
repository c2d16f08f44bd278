// How fibers end: join, join_until and detach release every fiber and its
// stack, even by thousands, and a fiber can be joined from another OS thread.
#include "runtime_test.h"

#include <atomic>
#include <thread>
#include <vector>

namespace evy::test {
namespace {

using namespace std::chrono_literals;
using FiberLifetimeTest = RuntimeTest;

TEST_F(FiberLifetimeTest, ThousandsOfFibersFinishWithoutLeakingStacks) {
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

TEST_F(FiberLifetimeTest, DetachedFibersAreReleasedWhenTheyEnd) {
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

TEST_F(FiberLifetimeTest, JoinUntilGivesUpAtTheDeadline) {
  GreenThread sleeper = evy::spawn([] { evy::sleep(100ms); });
  EXPECT_FALSE(sleeper.join_until(evy::deadline_after(10ms)));
  EXPECT_TRUE(sleeper.joinable());
  EXPECT_FALSE(sleeper.done());
  EXPECT_TRUE(sleeper.join_until(evy::no_deadline));
  EXPECT_FALSE(sleeper.joinable());
}

TEST_F(FiberLifetimeTest, JoinFromAnotherOsThread) {
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
