// Green call_once and once_flag: std's interfaces; callers that find the
// function running park as fibers instead of blocking the OS thread.
// Part of <evy/patched/thread.h>; include that header, not this one.
#pragma once

#include <evy/invoke.h>
#include <evy/spin_lock.h>
#include <evy/waiter.h>

#include <atomic>
#include <utility>

namespace evy {
namespace green {
namespace detail {

// OnceCore is a once_flag's state: not run, running or done, and the
// fibers waiting for a running call to end.
class OnceCore {
public:
  constexpr OnceCore() noexcept {}
  OnceCore(const OnceCore &) = delete;
  OnceCore &operator=(const OnceCore &) = delete;

  // done() tells whether a call completed (the fast path of call_once).
  bool done() const noexcept { return state_.load(std::memory_order_acquire) == done_state; }
  // begin() returns true when the caller is to run the function, false
  // when a call completed; it parks the fiber while another call runs.
  bool begin() noexcept;
  // end() records how the caller's run ended: returned (done) or threw
  // (not run: a waiting caller runs it instead), and wakes the waiters.
  void end(bool returned) noexcept;

private:
  enum : int { not_run = 0, running = 1, done_state = 2 };
  SpinLock guard_;
  std::atomic<int> state_{not_run};
  WaitQueue waiters_;
};

} // namespace detail

// once_flag is std::once_flag for green::call_once.
class once_flag {
public:
  constexpr once_flag() noexcept {}
  once_flag(const once_flag &) = delete;
  once_flag &operator=(const once_flag &) = delete;

private:
  template <class F, class... A> friend void call_once(once_flag &flag, F &&f, A &&...a);
  detail::OnceCore core_;
};

// call_once() runs f(a...) once per flag, like std::call_once: callers that
// arrive while it runs park until it ends; if it throws, the exception
// reaches its caller and the next caller runs f.
template <class F, class... A> void call_once(once_flag &flag, F &&f, A &&...a) {
  if (flag.core_.done() || !flag.core_.begin())
    return;
  try {
    evy::detail::invoke(std::forward<F>(f), std::forward<A>(a)...);
  } catch (...) {
    flag.core_.end(false);
    throw;
  }
  flag.core_.end(true);
}

} // namespace green
} // namespace evy
