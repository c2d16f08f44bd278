// Timeout: a fiber's deadline over a scope, and the TimeoutError it raises.
#include "hub.h"

#include <evy/detail/green_io.h>
#include <evy/timeout.h>

#include <type_traits>

namespace evy {

using detail::Fiber;
using detail::Hub;

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
