// Stacks: a guard page turns an overflow into a clear message; running
// out of memory maps is explained; the pool recycles stacks.
#include "runtime_test.h"

#include "stack.h" // runtime/src: the internal stack API

#include <string>
#include <system_error>

namespace evy::test {
namespace {

using StackTest = RuntimeTest;

[[gnu::noinline]] int recurse_forever(int depth) {
  volatile char frame[512];
  frame[0] = static_cast<char>(depth);
  return recurse_forever(depth + 1) + frame[0]; // not a tail call
}

TEST_F(StackTest, OverflowDiesWithAClearMessage) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(evy::spawn([] { recurse_forever(0); }).join(), "evy: fiber stack overflow");
}

TEST_F(StackTest, MapFailureNamesTheMapCountLimit) {
  try {
    detail::Stack stack = detail::map_stack(std::size_t{1} << 46); // 64 TiB
    detail::unmap_stack(stack);
    FAIL() << "a 64 TiB stack was mapped";
  } catch (const std::system_error &error) {
    EXPECT_NE(std::string(error.what()).find("vm.max_map_count"), std::string::npos)
        << error.what();
  }
}

TEST_F(StackTest, PooledStacksAreReused) {
  evy::spawn([] {}).join();
  const RuntimeStats after_first = evy::runtime_stats();
  EXPECT_EQ(after_first.pooled_stacks, 1u);
  for (int i = 0; i < 100; ++i)
    evy::spawn([] {}).join();
  const RuntimeStats after_many = evy::runtime_stats();
  EXPECT_EQ(after_many.live_stacks, after_first.live_stacks); // nothing new mapped
  EXPECT_EQ(after_many.pooled_stacks, 1u);
}

TEST_F(StackTest, DefaultStackSizeIsUsable) {
  EXPECT_EQ(evy::fiber_stack_size(), 256u * 1024); // EVY_STACK_SIZE unset
  evy::spawn([] {
    volatile char big[128 * 1024];
    big[0] = 1;
    big[sizeof big - 1] = 2;
    EXPECT_EQ(big[0] + big[sizeof big - 1], 3);
  }).join();
}

} // namespace
} // namespace evy::test
