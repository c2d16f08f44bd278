// OnceCore: the state of green::once_flag.
#include "parking.h"

#include <evy/patched/detail/thread_call_once.h>

#include <mutex>

namespace evy::green::detail {

bool OnceCore::begin() noexcept {
  for (;;) {
    Parked parked;
    {
      std::lock_guard locked(guard_);
      const int state = state_.load(std::memory_order_acquire);
      if (state == done_state)
        return false;
      if (state == not_run) {
        state_.store(running, std::memory_order_relaxed);
        return true;
      }
      waiters_.push_back(parked.waiter);
    }
    // Woken when the running call ended; look again (it may have thrown).
    wait_parked(guard_, waiters_, parked, no_deadline, Interruptible::no);
  }
}

void OnceCore::end(bool returned) noexcept {
  Handoff handoff;
  {
    std::lock_guard locked(guard_);
    state_.store(returned ? done_state : not_run, std::memory_order_release);
    handoff.claim_all(waiters_);
  }
  if (!handoff.empty())
    handoff.wake(guard_, [](Parked &) {});
}

} // namespace evy::green::detail
