// Many green threads on one OS thread.
#include "../runtime_test.h" // kManyFibers: fewer under ThreadSanitizer
#include "thread_test_util.h"

#include <evy/evy.h>
#include <evy/patched/thread.h>

#include <gtest/gtest.h>

#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace green = evy::green;
using namespace evy_test;

namespace {

// os_threads() reads this process's thread count from /proc.
int os_threads() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("Threads:", 0) == 0)
      return std::stoi(line.substr(8));
  return -1;
}

TEST(GreenThreadScale, TenThousandGreenThreadsShareAMutexInOneOsThread) {
  EVY_TEST_NEEDS_ONE_HUB();
  constexpr int count = evy::test::kManyFibers;
  const int threads_before = os_threads();
  const auto os_thread = std::this_thread::get_id();
  green::mutex m;
  green::condition_variable all_started;
  int started = 0;
  long counter = 0;
  int elsewhere = 0;
  std::vector<green::thread> threads;
  threads.reserve(count);
  for (int i = 0; i < count; ++i)
    threads.emplace_back([&] {
      std::unique_lock lock(m);
      // Everyone is alive at once: the last one to start releases the rest.
      if (++started == count)
        all_started.notify_all();
      all_started.wait(lock, [&] { return started == count; });
      const long seen = counter;
      green::this_thread::yield(); // others contend for the mutex meanwhile
      counter = seen + 1;
      if (std::this_thread::get_id() != os_thread)
        ++elsewhere;
    });
  for (auto &t : threads)
    t.join();
  EXPECT_EQ(counter, count);
  EXPECT_EQ(elsewhere, 0);
  EXPECT_EQ(os_threads(), threads_before);
}

} // namespace
