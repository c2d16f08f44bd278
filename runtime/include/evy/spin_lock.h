// SpinLock: the short critical sections that guard wait queues.
#pragma once

#include <evy/detail/assert.h>

#include <atomic>

namespace evy {

// SpinLock is a test-and-test-and-set lock for critical sections of a few
// instructions (queue links, counters). It never parks a fiber: holding it
// across a green call would stall the whole OS thread. It meets
// BasicLockable and Lockable, so std::lock_guard and std::unique_lock work.
class SpinLock {
public:
  constexpr SpinLock() noexcept = default;
  SpinLock(const SpinLock &) = delete;
  SpinLock &operator=(const SpinLock &) = delete;

  // lock() spins (with a CPU pause, then sched_yield) until it owns the lock.
  void lock() noexcept {
    while (locked_.exchange(true, std::memory_order_acquire))
      wait_until_free();
  }
  // try_lock() takes the lock if it is free and reports whether it did.
  bool try_lock() noexcept {
    return !locked_.load(std::memory_order_relaxed) &&
           !locked_.exchange(true, std::memory_order_acquire);
  }
  // unlock() releases the lock; the caller must own it.
  void unlock() noexcept {
    EVY_ASSERT(locked_.load(std::memory_order_relaxed));
    locked_.store(false, std::memory_order_release);
  }

private:
  void wait_until_free() noexcept; // out of line: the contended path
  std::atomic<bool> locked_{false};
};

} // namespace evy
