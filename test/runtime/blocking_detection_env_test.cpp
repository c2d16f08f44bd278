// EVY_BLOCKING_DETECTION=200 in a fresh process: the default reporter
// prints each stuck stretch once, with the time since the fiber resumed
// (not since boot, not since the hub was created).
#include "runtime_test.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace evy::test {
namespace {

using namespace std::chrono_literals;

void spin_for(std::chrono::milliseconds how_long) {
  const auto until = std::chrono::steady_clock::now() + how_long;
  while (std::chrono::steady_clock::now() < until) {
  }
}

// StderrCapture sends fd 2 to a file for its lifetime.
class StderrCapture {
public:
  StderrCapture() : path_("/tmp/evy-blocking-env-XXXXXX") {
    const int fd = ::mkstemp(path_.data());
    saved_ = ::dup(2);
    ::dup2(fd, 2);
    ::close(fd);
  }
  ~StderrCapture() { restore(); }
  std::string restore() {
    if (saved_ >= 0) {
      std::fflush(stderr);
      ::dup2(saved_, 2);
      ::close(saved_);
      saved_ = -1;
    }
    std::ifstream in(path_);
    std::stringstream text;
    text << in.rdbuf();
    ::unlink(path_.c_str());
    return text.str();
  }

private:
  std::string path_;
  int saved_ = -1;
};

std::vector<long long> reported_durations(const std::string &text) {
  std::vector<long long> ms;
  static const std::regex line("evy: blocking detected: fiber [0-9]+ \\(.*\\) ran ([0-9]+) ms");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), line); it != std::sregex_iterator();
       ++it)
    ms.push_back(std::stoll((*it)[1]));
  return ms;
}

TEST(BlockingDetectionEnvTest, AFiberSpinningBeforeItsFirstGreenCallIsReportedOnceWithItsOwnTime) {
  StderrCapture capture;
  // The process's first runtime call creates the hub (and reads the
  // environment); the main fiber then spins before it ever yields.
  (void)evy::current_fiber_id();
  spin_for(1500ms);
  evy::sleep(100ms);
  // A spawned fiber does the same on its first run.
  GreenThread spinner = evy::spawn([] {
    spin_for(1500ms);
    evy::sleep(1ms);
  });
  spinner.join();
  evy::sleep(100ms); // let the watchdog deliver
  const std::string text = capture.restore();
  const std::vector<long long> ms = reported_durations(text);
  ASSERT_EQ(ms.size(), 2u) << text;
  for (long long each : ms) {
    EXPECT_GE(each, 200) << text;
    EXPECT_LE(each, 5000) << text; // not the time since boot
  }
}

} // namespace
} // namespace evy::test

int main(int argc, char **argv) {
  ::setenv("EVY_BLOCKING_DETECTION", "200", 1); // before any hub exists
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
