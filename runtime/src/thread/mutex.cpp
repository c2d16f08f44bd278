// Green mutexes: MutexCore and the std-shaped mutex types over it.
#include "lock_error.h"
#include "parking.h"

#include <evy/patched/detail/thread_mutex.h>

#include <cerrno>
#include <limits>
#include <mutex>

namespace evy::green {
namespace detail {
namespace {

// acquire_now() is the part of a lock that needs no wait (guard held):
// 0, EAGAIN (recursion depth exhausted), EDEADLK (the owner relocks a
// non-recursive mutex) or EBUSY (another fiber owns it; or the owner
// relocks a normal mutex and relock_waits says that waits).
int acquire_now(MutexCore &m, FiberId me, bool relock_waits) noexcept {
  if (m.depth == 0) {
    m.depth = 1;
    m.owner = me;
    return 0;
  }
  if (m.owner != me || (relock_waits && m.mutex_kind() == MutexKind::normal))
    return EBUSY;
  if (m.mutex_kind() != MutexKind::recursive)
    return EDEADLK;
  if (m.depth == std::numeric_limits<std::uint32_t>::max())
    return EAGAIN;
  ++m.depth;
  return 0;
}

// hand_on() passes an unlocked mutex to its oldest waiter (guard held).
void hand_on(MutexCore &m, Handoff &handoff) noexcept {
  if (Parked *next = handoff.claim(m.waiters)) {
    m.owner = next->fiber;
    m.depth = 1;
  } else {
    m.owner = 0;
    m.depth = 0;
  }
}

// wake_next() wakes whom hand_on() chose; a waiter that gave up meanwhile
// gives the mutex back, and it goes on to the next one.
void wake_next(MutexCore &m, Handoff &handoff) noexcept {
  handoff.wake(m.guard, [&](Parked &) { hand_on(m, handoff); });
}

} // namespace

int MutexCore::lock(Deadline deadline, bool relock_waits) noexcept {
  const FiberId me = current_fiber_id();
  {
    std::lock_guard locked(guard);
    if (int r = acquire_now(*this, me, relock_waits); r != EBUSY)
      return r;
  }
  if (deadline != no_deadline && deadline <= std::chrono::steady_clock::now())
    return ETIMEDOUT;
  Parked me_parked; // outside the guard: binding a Waiter may create the hub
  {
    std::lock_guard locked(guard);
    if (int r = acquire_now(*this, me, relock_waits); r != EBUSY)
      return r;
    waiters.push_back(me_parked.waiter);
  }
  // notify() means unlock() made us the owner already.
  const WakeReason why = wait_parked(guard, waiters, me_parked, deadline, Interruptible::no);
  return why == WakeReason::notified ? 0 : ETIMEDOUT;
}

int MutexCore::try_lock() noexcept {
  const FiberId me = current_fiber_id();
  std::lock_guard locked(guard);
  const int r = acquire_now(*this, me, false);
  return r == EDEADLK ? EBUSY : r;
}

int MutexCore::lock_now(bool relock_waits) noexcept {
  const FiberId me = current_fiber_id();
  std::lock_guard locked(guard);
  return acquire_now(*this, me, relock_waits);
}

int MutexCore::unlock() noexcept {
  const FiberId me = current_fiber_id();
  Handoff handoff;
  {
    std::lock_guard locked(guard);
    if (depth == 0)
      return EPERM;
    // A normal mutex may be unlocked by another fiber, as glibc allows.
    if (owner != me && mutex_kind() != MutexKind::normal)
      return EPERM;
    if (--depth > 0)
      return 0;
    hand_on(*this, handoff);
  }
  if (!handoff.empty())
    wake_next(*this, handoff);
  return 0;
}

std::uint32_t MutexCore::release_all() noexcept {
  Handoff handoff;
  std::uint32_t held;
  {
    std::lock_guard locked(guard);
    held = depth;
    hand_on(*this, handoff);
  }
  if (!handoff.empty())
    wake_next(*this, handoff);
  return held;
}

void MutexCore::reacquire(std::uint32_t held) noexcept {
  lock(no_deadline); // cannot fail: the caller released it
  std::lock_guard locked(guard);
  depth = held;
}

bool MutexCore::owned_by_caller() noexcept {
  const FiberId me = current_fiber_id();
  std::lock_guard locked(guard);
  return depth > 0 && owner == me;
}

} // namespace detail

void mutex::lock() { detail::check_lock(core_.lock(no_deadline), "evy::green::mutex::lock"); }

void timed_mutex::lock() {
  detail::check_lock(core_.lock(no_deadline), "evy::green::timed_mutex::lock");
}
bool timed_mutex::try_lock_until_deadline(Deadline deadline) { return core_.lock(deadline) == 0; }

void recursive_mutex::lock() {
  detail::check_lock(core_.lock(no_deadline), "evy::green::recursive_mutex::lock");
}

void recursive_timed_mutex::lock() {
  detail::check_lock(core_.lock(no_deadline), "evy::green::recursive_timed_mutex::lock");
}
bool recursive_timed_mutex::try_lock_until_deadline(Deadline deadline) {
  return core_.lock(deadline) == 0;
}

} // namespace evy::green
