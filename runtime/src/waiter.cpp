// Waiter and WaitQueue: parking and waking fibers.
#include "hub.h"

#include <evy/waiter.h>

namespace evy {

using detail::Fiber;
using detail::Hub;
using detail::TimerNode;

Waiter::Waiter() noexcept : fiber_(&Hub::current().running()) {}

void Waiter::reset() noexcept {
  state_.store(waiting, std::memory_order_relaxed);
  queue_next = queue_prev = nullptr;
}

bool Waiter::finish(State outcome) noexcept {
  std::uint8_t expected = waiting;
  return state_.compare_exchange_strong(expected, outcome, std::memory_order_acq_rel);
}

bool Waiter::notify() noexcept {
  if (!finish(notified_state))
    return false;
  // Until resume() the waiting fiber cannot leave wait(): *this is alive.
  Fiber::resume(*fiber_);
  return true;
}

namespace {
// The deadline of one wait(); it lives in wait()'s frame.
struct DeadlineTimer {
  TimerNode node; // first: fire() gets a pointer to it
  Waiter *waiter;
};

WakeReason reason_of(std::uint8_t state) noexcept {
  switch (state) {
  case 1:
    return WakeReason::notified;
  case 2:
    return WakeReason::timed_out;
  case 4:
    return WakeReason::signalled;
  default:
    return WakeReason::interrupted;
  }
}
} // namespace

WakeReason Waiter::wait(Deadline deadline, Interruptible interruptible) noexcept {
  static_assert(notified_state == 1 && timed_out_state == 2 && interrupted_state == 3 &&
                signalled_state == 4);
  Fiber &self = *fiber_;
  Hub &hub = *self.hub;
  EVY_ASSERT(&hub.running() == &self); // only the fiber that made it waits
  const bool can_interrupt = interruptible == Interruptible::yes;

  // Decided before parking? Then park only if a waker already committed to
  // resuming us (its resume() must be consumed by exactly one park).
  bool decided = false;
  if (can_interrupt && self.expired_timeout != nullptr)
    decided = finish(interrupted_state);
  else if (deadline != no_deadline && deadline <= std::chrono::steady_clock::now())
    decided = finish(timed_out_state);
  if (decided)
    return reason_of(state_.load(std::memory_order_acquire));

  // Parks as the wait an evy::Timeout or a signal may end, if it is one.
  const auto park = [&] {
    if (can_interrupt)
      self.interruptible_wait = this;
    const bool by_signal = self.signal_wait != detail::SignalWait::none;
    if (by_signal) {
      self.signal_waiter = this;
      hub.note_signal_wait(self);
    }
    hub.park();
    self.signal_waiter = nullptr;
    self.interruptible_wait = nullptr;
  };
  if (deadline == no_deadline || state_.load(std::memory_order_acquire) != waiting) {
    park(); // no timer: its record in this frame is not even written
  } else {
    DeadlineTimer timer;
    timer.waiter = this;
    timer.node.when = deadline;
    timer.node.fire = [](TimerNode *node) noexcept {
      Waiter &waiter = *reinterpret_cast<DeadlineTimer *>(node)->waiter;
      if (waiter.finish(timed_out_state))
        Fiber::resume(*waiter.fiber_);
    };
    hub.timers().add(timer.node);
    park();
    hub.timers().remove(timer.node);
  }
  return reason_of(state_.load(std::memory_order_acquire));
}

void WaitQueue::push_back(Waiter &w) noexcept { waiters_.push_back(w); }

Waiter *WaitQueue::pop_front() noexcept { return waiters_.pop_front(); }

bool WaitQueue::remove(Waiter &w) noexcept { return waiters_.remove(w); }

} // namespace evy

