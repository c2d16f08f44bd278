// yield(), sleep(), and Timeout.
#include "hub.h"

#include <evy/detail/green_io.h>
#include <evy/sleep.h>
#include <evy/timeout.h>

#include <cmath>
#include <type_traits>

namespace evy {

using detail::Fiber;
using detail::Hub;

void yield() noexcept { Hub::current().yield(); }

void sleep_until(Deadline deadline) {
  if (deadline <= std::chrono::steady_clock::now()) {
    // A zero sleep is a switch: let the others run, as eventlet.sleep(0).
    Hub &hub = Hub::current();
    hub.yield();
    if (hub.running().expired_timeout != nullptr)
      detail::throw_timeout_error();
    return;
  }
  Waiter waiter;
  detail::throw_if_interrupted(waiter.wait(deadline, Interruptible::yes));
}

void sleep(double seconds) {
  if (!(seconds > 0)) { // also NaN
    sleep_until(std::chrono::steady_clock::now());
    return;
  }
  sleep_until(deadline_after(std::chrono::duration<double>(seconds)));
}

// ---------------------------------------------------------------- Timeout

Timeout::Timeout(Deadline deadline) {
  Hub &hub = Hub::current();
  hub_ = &hub;
  fiber_ = &hub.running();
  enclosing_ = fiber_->innermost_timeout;
  fiber_->innermost_timeout = this;
  timer_.when = deadline;
  timer_.fire = &Timeout::on_fire;
  hub.timers().add(timer_);
}

Timeout::~Timeout() {
  cancel();
  fiber_->innermost_timeout = enclosing_;
  if (fiber_->expired_timeout == this)
    fiber_->expired_timeout = nullptr; // expired but never raised
}

void Timeout::cancel() noexcept { hub_->timers().remove(timer_); }

void Timeout::on_fire(detail::TimerNode *node) noexcept {
  static_assert(std::is_standard_layout_v<Timeout>);
  Timeout &timeout = *reinterpret_cast<Timeout *>(node); // timer_ is first
  timeout.expired_ = true;
  Fiber::interrupt(*timeout.fiber_, timeout);
}

namespace detail {
void throw_timeout_error() {
  Fiber &self = Hub::current().running();
  const Timeout *expired = self.expired_timeout;
  self.expired_timeout = nullptr;
  throw TimeoutError(expired);
}
} // namespace detail

} // namespace evy
