// Green condition variables: CondCore, condition_variable and
// condition_variable_any.
#include "parking.h"

#include <evy/detail/green_io.h>
#include <evy/patched/detail/thread_condition_variable.h>

#include <mutex>

namespace evy::green {
namespace detail {

void CondCore::notify_one() noexcept {
  Handoff handoff;
  {
    std::lock_guard locked(guard);
    handoff.claim(waiters);
  }
  // A waiter that timed out meanwhile is no longer waiting: pick another.
  if (!handoff.empty())
    handoff.wake(guard, [&](Parked &) { handoff.claim(waiters); });
}

void CondCore::notify_all() noexcept {
  Handoff handoff;
  {
    std::lock_guard locked(guard);
    handoff.claim_all(waiters);
  }
  if (!handoff.empty())
    handoff.wake(guard, [](Parked &) {});
}

WakeReason CondCore::wait(LockRef release, Deadline deadline, Interruptible interruptible,
                          const StopRef *stop) noexcept {
  Parked parked;
  bool stopped;
  {
    std::lock_guard locked(guard);
    // Checked under the guard: a stop request after this point finds us
    // queued (its callback notifies everyone), one before it is seen here.
    stopped = stop && stop->stop_requested(stop->token);
    if (!stopped)
      waiters.push_back(parked.waiter);
  }
  release.unlock(release.lockable);
  if (stopped)
    return WakeReason::notified;
  return wait_parked(guard, waiters, parked, deadline, interruptible);
}

} // namespace detail

namespace {

// unlock_mutex() is the LockRef release of a green::mutex's core.
void unlock_mutex(void *core) { static_cast<detail::MutexCore *>(core)->unlock(); }

} // namespace

void condition_variable::wait(std::unique_lock<mutex> &lock) {
  wait_until_deadline(lock, no_deadline);
}

std::cv_status condition_variable::wait_until_deadline(std::unique_lock<mutex> &lock,
                                                       Deadline deadline) {
  detail::MutexCore &m = lock.mutex()->core_;
  const WakeReason why = core_.wait({&m, nullptr, &unlock_mutex}, deadline, Interruptible::yes);
  // Relock without interruption: std wants the lock held however we leave.
  m.lock(no_deadline);
  evy::detail::throw_if_interrupted(why);
  return why == WakeReason::timed_out ? std::cv_status::timeout : std::cv_status::no_timeout;
}

void condition_variable_any::wait_until_deadline(detail::LockRef lock, Deadline deadline,
                                                 const detail::StopRef *stop) {
  const WakeReason why = core_.wait(lock, deadline, Interruptible::yes, stop);
  lock.lock(lock.lockable);
  evy::detail::throw_if_interrupted(why);
}

} // namespace evy::green
