// Timeout: bound the green calls of a scope, like eventlet.Timeout.
#pragma once

#include <evy/deadline.h>
#include <evy/detail/internal_classes.h>

#include <chrono>
#include <cstddef>
#include <exception>

namespace evy {

namespace detail {

// TimerNode is an entry of a hub's timer heap. It lives inside the object
// that armed it (a Waiter's wait, a Timeout), never on the heap.
struct TimerNode {
  Deadline when{};
  std::size_t heap_index = static_cast<std::size_t>(-1); // -1: not armed
  void (*fire)(TimerNode *) noexcept = nullptr;
};
} // namespace detail

class Timeout;

// TimeoutError is what a green call throws when the calling fiber's Timeout
// expires while it waits; source() names the Timeout that expired.
class TimeoutError : public std::exception {
public:
  explicit TimeoutError(const Timeout *source) noexcept : source_(source) {}
  const char *what() const noexcept override { return "evy: timeout expired"; }
  // source() is the Timeout that expired, to tell nested Timeouts apart.
  const Timeout *source() const noexcept { return source_; }

private:
  const Timeout *source_;
};

// Timeout arms a deadline for the calling fiber for the scope's lifetime.
// When it passes, the fiber's current or next interruptible wait (every
// blocking green call and evy::sleep) throws TimeoutError instead of
// waiting on. Code that never waits is not interrupted. Timeouts nest.
class Timeout {
public:
  // Timeout(d) expires d from now.
  template <class Rep, class Period>
  explicit Timeout(const std::chrono::duration<Rep, Period> &d) : Timeout(deadline_after(d)) {}
  // Timeout(deadline) expires at deadline.
  explicit Timeout(Deadline deadline);
  Timeout(const Timeout &) = delete;
  Timeout &operator=(const Timeout &) = delete;
  // ~Timeout() cancels the timer (a pending, unraised expiry is dropped).
  ~Timeout();

  // cancel() disarms the timeout early; the scope then runs unbounded.
  void cancel() noexcept;
  // expired() tells whether the deadline passed while armed.
  bool expired() const noexcept { return expired_; }
  // pending() tells whether the timeout is armed and has not expired.
  bool pending() const noexcept { return timer_.heap_index != static_cast<std::size_t>(-1); }

private:
  friend class detail::Fiber;
  friend class detail::Hub;
  static void on_fire(detail::TimerNode *node) noexcept;

  detail::TimerNode timer_;
  detail::Hub *hub_;
  detail::Fiber *fiber_;
  Timeout *enclosing_; // the fiber's previous innermost Timeout
  bool expired_ = false;
};

} // namespace evy
