// RegistrationSweep: the hub's one timer behind every trusted fd wait.
//
// A wait that follows EAGAIN trusts the hub's persistent, edge-triggered
// registration of the fd and makes no epoll_ctl (fd_wait.cpp, wait_on).
// What it cannot see is an fd closed and reused behind the runtime's back:
// the registration went with the old file, and no edge will ever come. So
// every kPeriod, while trusted waits exist, the sweep wakes each one that
// was already waiting at the previous sweep (100 to 200 ms old) to check
// its registration once. One timer per hub rather than one per wait: a
// wait costs two list links, no clock read and no timer-heap operation.
#pragma once

#include "timer_heap.h"

#include <evy/detail/intrusive_list.h>
#include <evy/waiter.h>

#include <chrono>
#include <cstdint>

namespace evy::detail {

// TrustedWait is one fiber's trusted wait; it lives in that fiber's frame.
struct TrustedWait {
  Waiter *waiter = nullptr;
  std::uint64_t since = 0; // the sweep count when the wait began
  bool check_due = false;  // woken by the sweep: check the registration
  TrustedWait *next = nullptr;
  TrustedWait *prev = nullptr;
};

// One per hub; used only by the hub's own thread (its fibers and its loop).
class RegistrationSweep {
public:
  static constexpr std::chrono::milliseconds kPeriod{100};

  explicit RegistrationSweep(TimerHeap &timers) noexcept : timers_(&timers) {}
  RegistrationSweep(const RegistrationSweep &) = delete;
  RegistrationSweep &operator=(const RegistrationSweep &) = delete;
  ~RegistrationSweep() { timers_->remove(timer_); }

  // enter() starts watching a wait (its waiter set), arming the timer.
  void enter(TrustedWait &wait);
  // leave() stops watching it, if the sweep has not already let it go.
  void leave(TrustedWait &wait) noexcept { waits_.remove(wait); }

private:
  static void on_fire(TimerNode *node) noexcept;

  TimerNode timer_; // first: on_fire() gets a pointer to it
  TimerHeap *timers_;
  // Oldest first: waits are appended as they begin.
  IntrusiveList<TrustedWait, &TrustedWait::next, &TrustedWait::prev> waits_;
  std::uint64_t sweeps_ = 0;
};

} // namespace evy::detail
