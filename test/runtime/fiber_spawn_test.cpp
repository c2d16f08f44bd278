// Spawning: fibers run in spawn order and interleave on yield, take their
// arguments as std::thread does, each has its own id, and exceptions unwind
// inside them.
#include "runtime_test.h"

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace evy::test {
namespace {

using FiberSpawnTest = RuntimeTest;

TEST_F(FiberSpawnTest, SpawnedFibersRunInSpawnOrderAndInterleaveOnYield) {
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

TEST_F(FiberSpawnTest, ArgumentsAreDecayCopiedAndMovedIn) {
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

TEST_F(FiberSpawnTest, ExceptionsUnwindInsideAFiber) {
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

TEST_F(FiberSpawnTest, EveryFiberHasItsOwnId) {
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

} // namespace
} // namespace evy::test
