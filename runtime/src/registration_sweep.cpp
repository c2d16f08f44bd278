// RegistrationSweep's timer (see registration_sweep.h).
#include "registration_sweep.h"

#include <type_traits>

namespace evy::detail {

void RegistrationSweep::enter(TrustedWait &wait) {
  wait.since = sweeps_;
  wait.check_due = false;
  waits_.push_back(wait);
  if (timer_.heap_index == TimerHeap::kNotArmed) {
    timer_.fire = &RegistrationSweep::on_fire;
    timer_.when = std::chrono::steady_clock::now() + kPeriod;
    timers_->add(timer_);
  }
}

void RegistrationSweep::on_fire(TimerNode *node) noexcept {
  static_assert(std::is_standard_layout_v<RegistrationSweep>);
  RegistrationSweep &sweep = *reinterpret_cast<RegistrationSweep *>(node); // timer_ is first
  const std::uint64_t now = ++sweep.sweeps_;
  // Waits that began before the previous sweep have waited a whole period.
  while (TrustedWait *wait = sweep.waits_.front()) {
    if (now - wait->since < 2)
      break; // this one and all after it are younger
    sweep.waits_.remove(*wait);
    // An event may have ended the wait already: then there is nothing to check.
    wait->check_due = wait->waiter->notify();
  }
  if (!sweep.waits_.empty()) {
    sweep.timer_.when = std::chrono::steady_clock::now() + kPeriod;
    sweep.timers_->add(sweep.timer_);
  }
}

} // namespace evy::detail
