// Green latch.
#include "parking.h"

#include <evy/detail/green_io.h>
#include <evy/patched/detail/thread_latch.h>

#include <mutex>

namespace evy::green {

void latch::count_down(std::ptrdiff_t update) {
  detail::Handoff handoff;
  {
    std::lock_guard locked(guard_);
    count_ -= update;
    if (count_ == 0)
      handoff.claim_all(waiters_);
  }
  if (!handoff.empty())
    handoff.wake(guard_, [](detail::Parked &) {});
}

bool latch::try_wait() const noexcept {
  std::lock_guard locked(guard_);
  return count_ == 0;
}

void latch::wait() const {
  {
    std::lock_guard locked(guard_);
    if (count_ == 0)
      return;
  }
  detail::Parked parked;
  {
    std::lock_guard locked(guard_);
    if (count_ == 0)
      return;
    waiters_.push_back(parked.waiter);
  }
  evy::detail::throw_if_interrupted(
      detail::wait_parked(guard_, waiters_, parked, no_deadline, Interruptible::yes));
}

void latch::arrive_and_wait(std::ptrdiff_t update) {
  count_down(update);
  wait();
}

} // namespace evy::green
