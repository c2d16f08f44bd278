// Green reader-writer locks: RwCore and the std-shaped shared mutexes.
#include "lock_error.h"
#include "parking.h"

#include <evy/patched/detail/thread_shared_mutex.h>

#include <cerrno>
#include <limits>
#include <mutex>
#include <system_error>

namespace evy::green {
namespace detail {
namespace {

// The Parked request word says which queue a waiter came from.
constexpr std::uintptr_t as_reader = 0;
constexpr std::uintptr_t as_writer = 1;

bool prefers_writers(const RwCore &rw) noexcept {
  return rw.preference == static_cast<std::uint32_t>(RwPreference::writers);
}

// write_now() takes the lock exclusively if that needs no wait (guard held).
int write_now(RwCore &rw, FiberId me) noexcept {
  if (rw.writer)
    return rw.writer_owner == me ? EDEADLK : EBUSY;
  if (rw.readers > 0)
    return EBUSY;
  rw.writer = true;
  rw.writer_owner = me;
  return 0;
}

// read_now() shares the lock if that needs no wait (guard held).
int read_now(RwCore &rw, FiberId me) noexcept {
  if (rw.writer)
    return rw.writer_owner == me ? EDEADLK : EBUSY;
  if (prefers_writers(rw) && !rw.waiting_writers.empty())
    return EBUSY;
  if (rw.readers == std::numeric_limits<std::uint32_t>::max())
    return EAGAIN;
  ++rw.readers;
  return 0;
}

// admit_writer() hands a free lock to the oldest waiting writer (guard held).
bool admit_writer(RwCore &rw, Handoff &handoff) noexcept {
  Parked *next = handoff.claim(rw.waiting_writers);
  if (!next)
    return false;
  rw.writer = true;
  rw.writer_owner = next->fiber;
  return true;
}

// after_writer() runs when the writer left: the readers that queued behind
// it go first (so a stream of writers cannot starve them), else a writer.
void after_writer(RwCore &rw, Handoff &handoff) noexcept {
  rw.writer = false;
  rw.writer_owner = 0;
  if (!rw.waiting_readers.empty())
    rw.readers += static_cast<std::uint32_t>(handoff.claim_all(rw.waiting_readers));
  else
    admit_writer(rw, handoff);
}

// after_reader() runs when a reader left: the last one admits a writer.
void after_reader(RwCore &rw, Handoff &handoff) noexcept {
  --rw.readers;
  if (rw.readers == 0)
    admit_writer(rw, handoff);
}

// wake_admitted() wakes whom the release admitted; one that gave up
// meanwhile releases what it was handed, which may admit others.
void wake_admitted(RwCore &rw, Handoff &handoff) noexcept {
  handoff.wake(rw.guard, [&](Parked &missed) {
    if (missed.request == as_writer)
      after_writer(rw, handoff);
    else
      after_reader(rw, handoff);
  });
}

// park() queues the caller as a reader or writer and waits; the lock is
// the caller's when it returns 0.
int park(RwCore &rw, std::uintptr_t role, Deadline deadline) noexcept {
  const FiberId me = current_fiber_id();
  {
    std::lock_guard locked(rw.guard);
    if (int r = role == as_writer ? write_now(rw, me) : read_now(rw, me); r != EBUSY)
      return r;
  }
  if (deadline != no_deadline && deadline <= std::chrono::steady_clock::now())
    return ETIMEDOUT;
  Parked parked(role);
  WaitQueue &queue = role == as_writer ? rw.waiting_writers : rw.waiting_readers;
  {
    std::lock_guard locked(rw.guard);
    if (int r = role == as_writer ? write_now(rw, me) : read_now(rw, me); r != EBUSY)
      return r;
    queue.push_back(parked.waiter);
  }
  if (wait_parked(rw.guard, queue, parked, deadline, Interruptible::no) == WakeReason::notified)
    return 0;
  if (role == as_writer) {
    // Readers held back by this writer would otherwise wait for nobody.
    Handoff handoff;
    {
      std::lock_guard locked(rw.guard);
      if (!rw.writer && rw.waiting_writers.empty())
        rw.readers += static_cast<std::uint32_t>(handoff.claim_all(rw.waiting_readers));
    }
    if (!handoff.empty())
      wake_admitted(rw, handoff);
  }
  return ETIMEDOUT;
}

} // namespace

int RwCore::lock(Deadline deadline) noexcept { return park(*this, as_writer, deadline); }

int RwCore::try_lock() noexcept {
  const FiberId me = current_fiber_id();
  std::lock_guard locked(guard);
  return write_now(*this, me) == 0 ? 0 : EBUSY;
}

int RwCore::lock_shared(Deadline deadline) noexcept { return park(*this, as_reader, deadline); }

int RwCore::try_lock_shared() noexcept {
  const FiberId me = current_fiber_id();
  std::lock_guard locked(guard);
  const int r = read_now(*this, me);
  return r == EDEADLK ? EBUSY : r;
}

int RwCore::unlock() noexcept {
  const FiberId me = current_fiber_id();
  Handoff handoff;
  {
    std::lock_guard locked(guard);
    if (writer) {
      if (writer_owner != me)
        return EPERM;
      after_writer(*this, handoff);
    } else if (readers > 0) {
      after_reader(*this, handoff);
    } else {
      return EPERM;
    }
  }
  if (!handoff.empty())
    wake_admitted(*this, handoff);
  return 0;
}

int RwCore::unlock_shared() noexcept {
  Handoff handoff;
  {
    std::lock_guard locked(guard);
    if (writer || readers == 0)
      return EPERM;
    after_reader(*this, handoff);
  }
  if (!handoff.empty())
    wake_admitted(*this, handoff);
  return 0;
}

} // namespace detail

void shared_mutex::lock() {
  detail::check_lock(core_.lock(no_deadline), "evy::green::shared_mutex::lock");
}
void shared_mutex::lock_shared() {
  detail::check_lock(core_.lock_shared(no_deadline), "evy::green::shared_mutex::lock_shared");
}

void shared_timed_mutex::lock() {
  detail::check_lock(core_.lock(no_deadline), "evy::green::shared_timed_mutex::lock");
}
bool shared_timed_mutex::try_lock_until_deadline(Deadline deadline) {
  return core_.lock(deadline) == 0;
}
void shared_timed_mutex::lock_shared() {
  detail::check_lock(core_.lock_shared(no_deadline), "evy::green::shared_timed_mutex::lock_shared");
}
bool shared_timed_mutex::try_lock_shared_until_deadline(Deadline deadline) {
  return core_.lock_shared(deadline) == 0;
}

} // namespace evy::green
