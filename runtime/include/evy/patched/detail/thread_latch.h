// Green latch: std::latch for green threads.
// Part of <evy/patched/thread.h>; include that header, not this one.
#pragma once

#include <evy/spin_lock.h>
#include <evy/waiter.h>

#include <cstddef>
#include <limits>
#if __has_include(<version>) // the feature-test macros (C++20; libstdc++ has it earlier)
#include <version>
#endif

namespace evy {
namespace green {

#if defined(__cpp_lib_latch)
// latch is std::latch for green threads; waits end with evy::TimeoutError
// when the fiber's evy::Timeout expires.
class latch {
public:
  // max() is the largest expected count.
  static constexpr std::ptrdiff_t max() noexcept {
    return std::numeric_limits<std::ptrdiff_t>::max();
  }
  constexpr explicit latch(std::ptrdiff_t expected) : count_(expected) {}
  latch(const latch &) = delete;
  latch &operator=(const latch &) = delete;
  // count_down() decrements the counter; at zero every waiter wakes.
  void count_down(std::ptrdiff_t update = 1);
  // try_wait() tells whether the counter reached zero.
  bool try_wait() const noexcept;
  // wait() parks the calling fiber until the counter is zero.
  void wait() const;
  // arrive_and_wait() is count_down(update) then wait().
  void arrive_and_wait(std::ptrdiff_t update = 1);

private:
  mutable SpinLock guard_;
  std::ptrdiff_t count_;
  mutable WaitQueue waiters_;
};
#endif // __cpp_lib_latch: green latch exactly where std::latch exists

} // namespace green
} // namespace evy
