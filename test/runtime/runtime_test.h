// Shared fixture and helpers of the runtime suite.
#pragma once

#include <evy/evy.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>

#if defined(__SANITIZE_THREAD__)
#define EVY_TEST_UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define EVY_TEST_UNDER_TSAN 1
#endif
#endif
#ifndef EVY_TEST_UNDER_TSAN
#define EVY_TEST_UNDER_TSAN 0
#endif

namespace evy::test {

// ThreadSanitizer keeps over 1 MB of trace per fiber (it treats fibers as
// threads): there the 10,000-fiber tests run with 2,000.
inline constexpr int kManyFibers = EVY_TEST_UNDER_TSAN ? 2000 : 10000;

// RuntimeTest asserts, marl-style, that a test leaves no fiber and no
// stack behind: every spawned fiber finished and was released, and every
// stack was unmapped once the pool is emptied.
class RuntimeTest : public ::testing::Test {
protected:
  void TearDown() override {
    evy::release_pooled_stacks();
    const RuntimeStats stats = evy::runtime_stats();
    EXPECT_EQ(stats.live_fibers, 0u) << "a fiber spawned by this test is still alive";
    EXPECT_EQ(stats.live_stacks, 0u) << "fiber stacks leaked";
  }
};

// Ticker is a fiber that counts while the hub keeps scheduling: proof that
// whatever else happens on this OS thread does not block it.
class Ticker {
public:
  // every: sleep between ticks; zero: tick on every pass through the hub.
  explicit Ticker(std::chrono::milliseconds every = std::chrono::milliseconds(0))
      : fiber_(evy::spawn([this, every] {
          while (!stop_.load()) {
            ticks_.fetch_add(1);
            if (every.count() > 0)
              evy::sleep(every);
            else
              evy::yield();
          }
        })) {}
  ~Ticker() { stop(); }
  // stop() ends the ticker and returns how often it ticked.
  int stop() {
    stop_ = true;
    if (fiber_.joinable())
      fiber_.join();
    return ticks_.load();
  }
  int ticks() const { return ticks_.load(); }

private:
  std::atomic<bool> stop_{false};
  std::atomic<int> ticks_{0};
  GreenThread fiber_;
};

inline std::chrono::milliseconds elapsed_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start);
}

} // namespace evy::test
