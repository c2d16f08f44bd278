// The fiber side of epoll: registering interest in an fd, parking a
// fiber on it until it is ready, dispatching readiness to the waiting
// fibers; poll/select's FdWaitSet. The records are fd_table.cpp's.
#include "fd_table.h"

#include "hub.h"
#include "runtime_fd.h"

#include <cerrno>
#include <mutex>

#include <sys/epoll.h>
#include <sys/stat.h>

namespace evy::detail {
namespace {

enum class ArmResult { armed, not_pollable, bad_fd, replaced };

// Every registration asks for everything, edge-triggered, and stays until
// the file is closed: a wait needs no epoll_ctl once its hub has the fd.
constexpr std::uint32_t kInterest = EPOLLIN | EPOLLOUT | EPOLLPRI | EPOLLRDHUP | EPOLLET;

// arm() makes sure fd is registered in hub's epoll, asking the kernel.
// Called with state.guard held. Re-registering (MOD) an fd that is ready
// already raises an edge for it, so a waiter that did not just see EAGAIN
// cannot miss readiness that an earlier event reported to nobody. A MOD
// that finds no entry tells us either that this hub never had the fd, or
// that the number now names another file (closed and reused behind our
// back): the identity check tells which.
ArmResult arm(Hub &hub, int fd, FdState &state) noexcept {
  epoll_event event{};
  event.events = kInterest;
  event.data.u64 = (std::uint64_t{state.generation} << 32) | static_cast<std::uint32_t>(fd);
  // A tracked fd nobody registered yet is new: skip the MOD that would fail.
  const bool fresh = state.tracked && state.registered_in == 0;
  if (!fresh && hub.epoll_ctl(EPOLL_CTL_MOD, fd, &event) == 0) {
    state.registered_in = hub.id();
    return ArmResult::armed;
  }
  if (fresh || errno == ENOENT) {
    if (fresh) {
      // Nothing to compare with: the runtime made this file itself.
    } else if (state.identity_known) {
      if (!same_file(fd, state)) {
        state.initialised = false;
        new_generation(fd, state);
        return errno == EBADF ? ArmResult::bad_fd : ArmResult::replaced;
      }
    } else {
      struct stat st {};
      if (fstat(fd, &st) != 0)
        return ArmResult::bad_fd;
      state.identity = identity_of(st);
      state.identity_known = true;
    }
    if (hub.epoll_ctl(EPOLL_CTL_ADD, fd, &event) == 0 ||
        (errno == EEXIST && hub.epoll_ctl(EPOLL_CTL_MOD, fd, &event) == 0)) {
      state.registered_in = hub.id();
      return ArmResult::armed;
    }
  }
  return errno == EPERM ? ArmResult::not_pollable : ArmResult::bad_fd;
}

void link(FdState &state, FdWatch &watch) noexcept {
  watch.prev = nullptr;
  watch.next = state.watches;
  if (state.watches != nullptr)
    state.watches->prev = &watch;
  state.watches = &watch;
}

void unlink(FdState &state, FdWatch &watch) noexcept {
  if (watch.prev != nullptr)
    watch.prev->next = watch.next;
  else if (state.watches == &watch)
    state.watches = watch.next;
  if (watch.next != nullptr)
    watch.next->prev = watch.prev;
  watch.next = watch.prev = nullptr;
}

FdWaitResult result_of(WakeReason reason) noexcept {
  switch (reason) {
  case WakeReason::notified:
    return FdWaitResult::ready;
  case WakeReason::timed_out:
    return FdWaitResult::timed_out;
  case WakeReason::signalled:
    return FdWaitResult::signalled;
  case WakeReason::interrupted:
    break;
  }
  return FdWaitResult::interrupted;
}

// after_event() ends a wait whose watch the waking event took (FdWatch::
// taken): the retry's plan needs the fd's guard only if a view changed. A
// close since (a new generation), which no longer finds the watch to mark
// it, ends the wait as closed all the same, as it would before the event.
FdWaitResult after_event(int fd, FdState &state, IoPlan *replan,
                         std::uint32_t linked_generation) noexcept {
  if (replan != nullptr && plan_current(*replan)) { // no close, no new file since
    read_drained(state, *replan);
    keep_plan(fd, *replan);
    return FdWaitResult::ready;
  }
  std::lock_guard lock(state.guard);
  if (state.generation != linked_generation)
    return FdWaitResult::closed; // closed after the event took the watch
  if (replan != nullptr)
    plan_locked(fd, state, *replan);
  return FdWaitResult::ready;
}
} // namespace

// A registration is persistent and edge-triggered; once the caller has
// seen EAGAIN, any readiness that follows raises an edge, so the wait needs
// no epoll_ctl (trust_registration). What it cannot see without asking the
// kernel is an fd closed and reused behind the runtime's back: its
// registration went with the old file. So the hub's RegistrationSweep
// wakes a trusted wait that nothing ended within 100 to 200 ms; it checks
// the registration once (arm(): the MOD re-raises an edge for an fd that
// is ready, and finds a reused one) and goes on waiting. An fd reused
// behind the runtime's back is a bug of the program's; this only keeps it
// from becoming a hang. Shorter bounds would cost a loaded server: with
// 1,000 connections its waits last tens of milliseconds, and must stay free.
FdWaitResult wait_on(int fd, FdEvents events, Deadline deadline, Interruptible interruptible,
                     bool trust_registration, IoPlan *replan) noexcept {
  FdState *state = fd_state(fd);
  if (state == nullptr)
    return FdWaitResult::bad_fd;
  Hub &hub = Hub::current();
  Waiter waiter;
  FdWatch watch;
  watch.waiter = &waiter;
  watch.hub = &hub;
  watch.events = static_cast<std::uint32_t>(events) & (EPOLLIN | EPOLLOUT | EPOLLPRI);
  TrustedWait trusted_wait;
  trusted_wait.waiter = &waiter;
  bool trusted = trust_registration;
  std::uint32_t linked_generation = 0;
  for (;;) {
    {
      std::lock_guard lock(state->guard);
      unlink(*state, watch); // linked only when a trusted wait is being checked
      if (watch.closed)
        return FdWaitResult::closed;
      trusted = trusted && state->registered_in == hub.id();
      if (!trusted) {
        switch (arm(hub, fd, *state)) {
        case ArmResult::armed:
          break;
        case ArmResult::not_pollable:
        case ArmResult::replaced: // the caller retries with a fresh view
          if (replan != nullptr)
            plan_locked(fd, *state, *replan);
          return FdWaitResult::ready;
        case ArmResult::bad_fd:
          return FdWaitResult::bad_fd;
        }
      }
      waiter.reset();
      watch.taken = false;
      linked_generation = state->generation;
      link(*state, watch);
    }
    if (trusted)
      hub.registration_sweep().enter(trusted_wait);
    const WakeReason reason = waiter.wait(deadline, interruptible);
    if (trusted) {
      hub.registration_sweep().leave(trusted_wait);
      if (trusted_wait.check_due && reason == WakeReason::notified) {
        trusted = false; // nothing came: check the registration, wait on
        continue;
      }
    }
    if (watch.taken)
      return after_event(fd, *state, replan, linked_generation);
    std::lock_guard lock(state->guard);
    unlink(*state, watch);
    if (watch.closed)
      return FdWaitResult::closed;
    const FdWaitResult result = result_of(reason);
    if (result == FdWaitResult::ready && replan != nullptr)
      plan_locked(fd, *state, *replan);
    return result;
  }
}

void dispatch_fd_event(Hub &hub, int fd, std::uint32_t generation, std::uint32_t events) noexcept {
  FdState *state = existing_state(fd);
  if (state == nullptr)
    return;
  std::lock_guard lock(state->guard);
  if (state->generation != generation)
    return; // about a file that is gone
  // Whatever it says: a drained fd may have data again. (Written under the
  // guard: a plain increment of the atomic is enough.)
  state->events_seen.store(state->events_seen.load(std::memory_order_relaxed) + 1,
                           std::memory_order_relaxed);
  if (events & EPOLLPRI)
    state->urgent_seen.store(true, std::memory_order_relaxed);
  // Other hubs that registered the fd get their own event.
  for (FdWatch *w = state->watches, *next; w != nullptr; w = next) {
    next = w->next;
    if (w->hub == &hub && (events & (w->events | EPOLLERR | EPOLLHUP)) && w->waiter->notify()) {
      unlink(*state, *w); // for the woken fiber, which runs on this thread later
      w->taken = true;
    }
  }
}

void rearm_fd_watches(Hub &hub) noexcept {
  for (int c = 0; c < kFdChunkCount; ++c) {
    FdState *chunk = fd_chunks[c].load(std::memory_order_acquire);
    if (chunk == nullptr)
      continue;
    for (int i = 0; i < kFdChunkSize; ++i) {
      FdState &state = chunk[i];
      // A guard held at fork() time belongs to a thread the child does not
      // have: it will never be released, and neither will its fd's waits.
      if (!state.guard.try_lock())
        continue;
      for (const FdWatch *w = state.watches; w != nullptr; w = w->next)
        if (w->hub == &hub) {
          (void)arm(hub, (c << kFdChunkBits) | i, state);
          break;
        }
      state.guard.unlock();
    }
  }
}

// ------------------------------------------------------------ FdWaitSet

FdWaitSet::FdWaitSet(std::size_t capacity)
    : watches_(new FdWatch[capacity]), fds_(new int[capacity]), capacity_(capacity) {}

bool FdWaitSet::add(int fd, short events) noexcept {
  FdState *state = fd_state(fd);
  if (state == nullptr || count_ == capacity_)
    return false;
  Hub &hub = Hub::current();
  FdWatch &watch = watches_[count_];
  watch = FdWatch{};
  watch.waiter = &waiter_;
  watch.hub = &hub;
  watch.events = static_cast<std::uint32_t>(events) & (EPOLLIN | EPOLLOUT | EPOLLPRI);
  std::lock_guard lock(state->guard);
  if (arm(hub, fd, *state) != ArmResult::armed)
    return false;
  link(*state, watch);
  fds_[count_++] = fd;
  return true;
}

WakeReason FdWaitSet::wait(Deadline deadline, Interruptible interruptible) noexcept {
  return waiter_.wait(deadline, interruptible);
}

void FdWaitSet::clear() noexcept {
  for (std::size_t i = 0; i < count_; ++i) {
    FdState *state = existing_state(fds_[i]);
    std::lock_guard lock(state->guard);
    unlink(*state, watches_[i]);
  }
  count_ = 0;
}

// A close on another thread may have notified the waiter already (under
// the fd's guard, before clear() unlinked its watch): that queued one wake
// for this fiber. Notifying it here when nobody did makes exactly one wake
// pending either way, and the wait consumes it after a round.
void FdWaitSet::pass_round() noexcept {
  clear();
  (void)waiter_.notify();
  (void)waiter_.wait(no_deadline, Interruptible::no);
}

FdWaitSet::~FdWaitSet() { clear(); }

} // namespace evy::detail

namespace evy {

// wait_fd() is public API; it lives here beside the watches it manages.
FdWaitResult wait_fd(int fd, FdEvents events, Deadline deadline,
                     Interruptible interruptible) noexcept {
  if (detail::is_runtime_fd(fd))
    return FdWaitResult::bad_fd; // not open, as far as the program knows
  return detail::wait_on(fd, events, deadline, interruptible);
}

namespace detail {
FdWaitResult wait_fd_after_eagain(int fd, FdEvents events, Deadline deadline,
                                  Interruptible interruptible) noexcept {
  if (is_runtime_fd(fd))
    return FdWaitResult::bad_fd;
  return wait_on(fd, events, deadline, interruptible, /*trust_registration=*/true);
}
} // namespace detail

} // namespace evy
