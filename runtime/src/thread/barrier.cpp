// Green barrier: BarrierCore, the phases under every barrier<F>.
#include "parking.h"

#include <evy/detail/green_io.h>
#include <evy/patched/detail/thread_barrier.h>

#include <mutex>

namespace evy::green::detail {

std::uint64_t BarrierCore::arrive(std::ptrdiff_t n, bool drop, bool &completes) noexcept {
  std::lock_guard locked(guard_);
  remaining_ -= n;
  if (drop)
    --expected_;
  completes = remaining_ == 0;
  return phase_;
}

void BarrierCore::complete_phase() noexcept {
  Handoff handoff;
  {
    std::lock_guard locked(guard_);
    ++phase_;
    remaining_ = expected_;
    handoff.claim_all(waiters_);
  }
  if (!handoff.empty())
    handoff.wake(guard_, [](Parked &) {});
}

void BarrierCore::wait(std::uint64_t phase) const {
  {
    std::lock_guard locked(guard_);
    if (phase_ != phase)
      return;
  }
  Parked parked;
  {
    std::lock_guard locked(guard_);
    if (phase_ != phase)
      return;
    waiters_.push_back(parked.waiter);
  }
  evy::detail::throw_if_interrupted(
      wait_parked(guard_, waiters_, parked, no_deadline, Interruptible::yes));
}

} // namespace evy::green::detail
