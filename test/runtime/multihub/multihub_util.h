// Helpers of the multi-hub suites, which ctest runs at EVY_HUBS=1, 2 and 4.
#pragma once

#include <evy/evy.h>
#include <evy/patched/thread.h>

#include <cerrno>
#include <chrono>
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

// Whereabouts is where a fiber runs, as compiled code sees it: its OS
// thread, and the addresses of a thread_local and of errno, which
// compilers cache across calls. A fiber that never migrates keeps all three.
class Whereabouts {
public:
  Whereabouts() : tid_(::gettid()), tls_(&thread_local_probe()), error_(&errno) {}
  bool unchanged() const {
    return ::gettid() == tid_ && &thread_local_probe() == tls_ && &errno == error_;
  }

private:
  static int &thread_local_probe() {
    static thread_local int probe = 0;
    return probe;
  }
  pid_t tid_;
  int *tls_;
  int *error_;
};

// wait_through_hub() is one of three waits that pass through the hub,
// chosen by kind % 3: a yield, a zero sleep, a sleep of `nap`.
inline void wait_through_hub(int kind, std::chrono::microseconds nap) {
  switch (kind % 3) {
  case 0:
    evy::yield();
    break;
  case 1:
    evy::sleep(std::chrono::seconds(0));
    break;
  default:
    evy::sleep(nap);
    break;
  }
}

// green_threads_per_hub is how many green threads the contention tests
// run: several per hub, so that fibers of one hub contend too.
inline int green_threads_per_test() { return static_cast<int>(hubs()) * 3; }

} // namespace evy_multihub
