// Helpers shared by the thread module's tests.
#pragma once

#include <chrono>
#include <functional>
#include <thread>
#include <utility>
#include <vector>

namespace evy_test {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// elapsed_since() is the time from start to now.
inline Clock::duration elapsed_since(Clock::time_point start) { return Clock::now() - start; }

// on_os_threads() runs each function on its own real OS thread (each gets
// its own hub on first green use) and waits for all of them.
inline void on_os_threads(std::vector<std::function<void()>> bodies) {
  std::vector<std::thread> threads;
  threads.reserve(bodies.size());
  for (auto &body : bodies)
    threads.emplace_back(std::move(body));
  for (auto &t : threads)
    t.join();
}

} // namespace evy_test
