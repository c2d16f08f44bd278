// EVY_BLOCKING_DETECTION: a fiber stuck in a real blocking call is reported.
#include "runtime_test.h"

#include <csignal>
#include <mutex>
#include <thread>
#include <string>
#include <vector>

#include <unistd.h>

namespace evy::test {
namespace {

using namespace std::chrono_literals;
using BlockingDetectionTest = RuntimeTest;

// ReportCollector turns blocking detection on and keeps every report the
// watchdog thread delivers; stop() turns it off and hands them over.
class ReportCollector {
public:
  explicit ReportCollector(std::chrono::milliseconds threshold) {
    evy::enable_blocking_detection(threshold, [this](const BlockingReport &report) {
      std::lock_guard lock(mutex_);
      reports_.push_back(report);
    });
  }
  ~ReportCollector() { evy::disable_blocking_detection(); }
  std::vector<BlockingReport> stop() {
    evy::disable_blocking_detection();
    std::lock_guard lock(mutex_);
    return reports_;
  }

private:
  std::mutex mutex_;
  std::vector<BlockingReport> reports_;
};

TEST_F(BlockingDetectionTest, ReportsARealUsleepInsideAFiber) {
  ReportCollector collector(100ms);
  GreenThread stuck = evy::spawn([] { ::usleep(300000); }); // not green: blocks
  const FiberId stuck_id = stuck.id();
  stuck.join();
  evy::sleep(50ms); // let the watchdog deliver
  const std::vector<BlockingReport> reports = collector.stop();
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

// While the watchdog waits for a stuck thread's backtrace (here: the
// thread holds the signal blocked until another thread made its hub), hub
// creation elsewhere must go on: the wait is outside the registry lock.
TEST_F(BlockingDetectionTest, HubCreationDoesNotWaitForABacktraceRequest) {
  ReportCollector collector(50ms);
  const int backtrace_signal = SIGRTMIN + 7; // the detector's
  std::atomic<FiberId> stuck_id{0};
  std::atomic<bool> done{false};
  std::thread stuck([&] {
    sigset_t just_that;
    sigemptyset(&just_that);
    sigaddset(&just_that, backtrace_signal);
    pthread_sigmask(SIG_BLOCK, &just_that, nullptr);
    stuck_id = evy::current_fiber_id(); // this thread's hub; its root fiber spins
    for (sigset_t pending;;) {
      sigpending(&pending);
      if (sigismember(&pending, backtrace_signal))
        break; // the watchdog is waiting for us now
    }
    std::thread([] { (void)evy::current_fiber_id(); }).join(); // a new hub
    pthread_sigmask(SIG_UNBLOCK, &just_that, nullptr); // the handler runs here
    done = true;
  });
  while (!done)
    evy::sleep(1ms); // this thread's own fiber must not look stuck
  stuck.join();
  evy::sleep(50ms);
  const std::vector<BlockingReport> reports = collector.stop();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports.front().fiber, stuck_id.load()) << "the backtrace request timed out";
  EXPECT_EQ(reports.front().function, "the thread's own stack (e.g. main)");
}

} // namespace
} // namespace evy::test
