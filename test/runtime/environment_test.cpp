// The environment variables, each read once per process: checked in a
// freshly executed child (gtest's "threadsafe" death-test style re-runs
// this binary for the one statement), so nothing has read them yet.
#include "runtime_test.h"

#include <cstdlib>

#include <unistd.h>

namespace evy::test {
namespace {

using namespace std::chrono_literals;

class EnvironmentTest : public RuntimeTest {
protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

TEST_F(EnvironmentTest, StackSizeComesFromEvyStackSize) {
  EXPECT_EXIT(
      {
        setenv("EVY_STACK_SIZE", "64K", 1);
        std::exit(evy::fiber_stack_size() == 64 * 1024 ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
  EXPECT_EXIT(
      {
        setenv("EVY_STACK_SIZE", "1M", 1);
        std::exit(evy::fiber_stack_size() == 1024 * 1024 ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
  EXPECT_EXIT(
      {
        setenv("EVY_STACK_SIZE", "lots", 1);
        std::exit(evy::fiber_stack_size() == 256 * 1024 ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "ignoring malformed EVY_STACK_SIZE=lots");
}

TEST_F(EnvironmentTest, PoolSizeComesFromEvyThreadpoolSize) {
  EXPECT_EXIT(
      {
        setenv("EVY_THREADPOOL_SIZE", "3", 1);
        std::exit(evy::tpool::size() == 3 ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST_F(EnvironmentTest, EvyBlockingDetectionReportsToStderr) {
  EXPECT_EXIT(
      {
        setenv("EVY_BLOCKING_DETECTION", "50", 1);
        evy::spawn([] { ::usleep(200000); }).join();
        evy::sleep(50ms);
        std::exit(0);
      },
      ::testing::ExitedWithCode(0),
      "evy: blocking detected: fiber [0-9]+ \\(.*EvyBlockingDetectionReportsToStderr.*\\) "
      "ran [0-9]+ ms without yielding");
}

} // namespace
} // namespace evy::test
