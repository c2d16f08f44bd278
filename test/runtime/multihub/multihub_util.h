// Helpers of the multi-hub suites, which ctest runs at EVY_HUBS=1, 2 and 4.
#pragma once

#include <evy/patched/thread.h>

#include <cstdlib>
#include <functional>
#include <mutex>
#include <set>
#include <vector>

#include <sched.h>
#include <unistd.h>

#if defined(__SANITIZE_THREAD__)
#define EVY_MULTIHUB_UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define EVY_MULTIHUB_UNDER_TSAN 1
#endif
#endif
#ifndef EVY_MULTIHUB_UNDER_TSAN
#define EVY_MULTIHUB_UNDER_TSAN 0
#endif

namespace evy_multihub {

// hubs() is what the runtime reads: EVY_HUBS, else the CPUs we may use.
inline std::size_t hubs() {
  if (const char *text = std::getenv("EVY_HUBS"))
    return static_cast<std::size_t>(std::atol(text));
  cpu_set_t set;
  CPU_ZERO(&set);
  sched_getaffinity(0, sizeof set, &set);
  return static_cast<std::size_t>(CPU_COUNT(&set));
}

// ThreadIds collects the OS threads (gettid) that fibers ran on.
class ThreadIds {
public:
  void add(pid_t tid) {
    std::lock_guard<evy::green::mutex> lock(mutex_);
    ids_.insert(tid);
  }
  std::set<pid_t> ids() {
    std::lock_guard<evy::green::mutex> lock(mutex_);
    return ids_;
  }

private:
  evy::green::mutex mutex_;
  std::set<pid_t> ids_;
};

// run_green_threads() runs body(i), i in [0, n), each as a green thread
// (placed on the hubs), and joins them all.
inline void run_green_threads(int n, const std::function<void(int)> &body) {
  std::vector<evy::green::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back(body, i);
  for (auto &t : threads)
    t.join();
}

// green_threads_per_hub is how many green threads the contention tests
// run: several per hub, so that fibers of one hub contend too.
inline int green_threads_per_test() { return static_cast<int>(hubs()) * 3; }

} // namespace evy_multihub
