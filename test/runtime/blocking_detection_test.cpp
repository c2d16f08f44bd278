// EVY_BLOCKING_DETECTION: a fiber stuck in a real blocking call is reported.
#include "runtime_test.h"

#include <mutex>
#include <string>
#include <vector>

#include <unistd.h>

namespace evy::test {
namespace {

using namespace std::chrono_literals;
using BlockingDetectionTest = RuntimeTest;

TEST_F(BlockingDetectionTest, ReportsARealUsleepInsideAFiber) {
  std::mutex mutex;
  std::vector<BlockingReport> reports;
  evy::enable_blocking_detection(100ms, [&](const BlockingReport &report) {
    std::lock_guard lock(mutex);
    reports.push_back(report);
  });
  GreenThread stuck = evy::spawn([] { ::usleep(300000); }); // not green: blocks
  const FiberId stuck_id = stuck.id();
  stuck.join();
  evy::sleep(50ms); // let the watchdog deliver
  evy::disable_blocking_detection();

  std::lock_guard lock(mutex);
  ASSERT_EQ(reports.size(), 1u);
  const BlockingReport &report = reports.front();
  EXPECT_EQ(report.fiber, stuck_id);
  EXPECT_GE(report.ran_for, 100ms);
  // The spawn site's callable: a lambda of this test body.
  EXPECT_NE(report.function.find("ReportsARealUsleepInsideAFiber"), std::string::npos)
      << report.function;
  // Where it was: inside the sleep system call wrapper.
  EXPECT_NE(report.backtrace.find("sleep"), std::string::npos) << report.backtrace;
}

TEST_F(BlockingDetectionTest, FibersThatYieldAreNotReported) {
  std::atomic<int> count{0};
  evy::enable_blocking_detection(50ms, [&](const BlockingReport &) { count++; });
  evy::spawn([] {
    const auto until = std::chrono::steady_clock::now() + 200ms;
    while (std::chrono::steady_clock::now() < until)
      evy::sleep(1ms);
  }).join();
  evy::disable_blocking_detection();
  EXPECT_EQ(count.load(), 0);
}

} // namespace
} // namespace evy::test
