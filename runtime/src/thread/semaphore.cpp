// Green semaphores: SemaphoreCore, the body of counting_semaphore and sem_t.
#include "parking.h"

#include <evy/detail/green_io.h>
#include <evy/patched/detail/thread_semaphore.h>

#include <mutex>

namespace evy::green::detail {
namespace {

// give() hands n units to the oldest waiters, the rest to the count (guard held).
void give(SemaphoreCore &s, Handoff &handoff, std::ptrdiff_t n) noexcept {
  while (n > 0 && handoff.claim(s.waiters))
    --n;
  s.count += n;
}

// take_now() takes a unit if one is free (guard held).
bool take_now(SemaphoreCore &s) noexcept {
  if (s.count <= 0)
    return false;
  --s.count;
  return true;
}

} // namespace

bool SemaphoreCore::release(std::ptrdiff_t update, std::ptrdiff_t max) noexcept {
  Handoff handoff;
  {
    std::lock_guard locked(guard);
    // Units only reach the count once no fiber waits; check what would.
    if (waiters.empty() && update > max - count)
      return false;
    give(*this, handoff, update);
  }
  if (!handoff.empty())
    handoff.wake(guard, [&](Parked &) { give(*this, handoff, 1); });
  return true;
}

bool SemaphoreCore::acquire(Deadline deadline, Interruptible interruptible,
                            bool *interrupted) noexcept {
  {
    std::lock_guard locked(guard);
    if (take_now(*this))
      return true;
  }
  if (deadline != no_deadline && deadline <= std::chrono::steady_clock::now())
    return false;
  Parked parked;
  {
    std::lock_guard locked(guard);
    if (take_now(*this))
      return true;
    waiters.push_back(parked.waiter);
  }
  // notify() means release() gave us a unit already.
  const WakeReason why = wait_parked(guard, waiters, parked, deadline, interruptible);
  if (why == WakeReason::interrupted && interrupted)
    *interrupted = true;
  return why == WakeReason::notified;
}

bool SemaphoreCore::try_acquire() noexcept {
  std::lock_guard locked(guard);
  return take_now(*this);
}

std::ptrdiff_t SemaphoreCore::value() noexcept {
  std::lock_guard locked(guard);
  return count;
}

bool acquire_or_throw(SemaphoreCore &core, Deadline deadline) {
  bool interrupted = false;
  const bool acquired = core.acquire(deadline, Interruptible::yes, &interrupted);
  if (interrupted)
    evy::detail::throw_timeout_error();
  return acquired;
}

} // namespace evy::green::detail
