// Fresh green threads of a multi-hub group, and stealing them at spawn.
//
// A green thread placed on a hub of the group (Hub::spawn with a home)
// waits in its home's fresh queue until it first runs. The home runs its
// fresh queue in order, after the fibers that were runnable before. A hub
// of the group that is about to sleep, with nothing of its own to run, may
// take the oldest fresh green thread of another hub that has not got to
// it for kStealAfter (its hub is stuck in a long computation or in a real
// blocking call), and it becomes the thief's for life: its `hub` is set
// before it first runs, so it never runs on two OS threads.
//
// Nothing else is stolen. A fiber that ran once is never on a fresh
// queue again (wake-ups go to the run queue or the remote queue of
// fiber.hub), and before it first ran nobody but its queue refers to it
// as a fiber of a hub: no waker, timer, fd watch or signal can name it
// (its handle only joins, which does not look at its hub).
#include "hub.h"

#include "hub_group.h"

#include <algorithm>
#include <climits>
#include <mutex>

namespace evy::detail {

void Hub::push_fresh(Fiber &fiber) noexcept {
  bool was_empty;
  {
    std::lock_guard lock(fresh_mutex_);
    was_empty = fresh_queue_.empty();
    fresh_queue_.push_back(fiber);
    // seq_cst, as the idle hubs' idle_ stores and fresh_count_ loads: a
    // hub that went idle before this push is seen (and woken) below, or
    // it sees this fiber (steal_or_sleep).
    fresh_count_.fetch_add(1, std::memory_order_seq_cst);
  }
  // Group hubs are never destroyed, so waking one after the unlock is safe.
  if (was_empty && this_thread_hub != this)
    wake();
  wake_an_idle_hub(*this);
}

// wake_an_idle_hub(): one idle hub of the group (other than `except`, the
// new fiber's home, which runs it anyway) looks at the fresh queues again.
void Hub::wake_an_idle_hub(const Hub &except) noexcept {
  const std::size_t slots = group_size();
  for (std::size_t slot = 0; slot < slots; ++slot) {
    Hub *hub = group_hub(slot);
    if (hub == nullptr || hub == &except || !hub->idle_.load(std::memory_order_seq_cst))
      continue;
    if (hub->idle_.exchange(false, std::memory_order_seq_cst)) {
      hub->wake();
      return;
    }
  }
}

Fiber *Hub::pop_fresh_locked() noexcept {
  Fiber *fiber = fresh_queue_.pop_front();
  if (fiber != nullptr) {
    fresh_count_.fetch_sub(1, std::memory_order_relaxed);
    front_seen_ = Deadline{}; // the next one's wait, as thieves see it, starts now
  }
  return fiber;
}

// run_fresh(): the owner runs the green threads placed on it so far, one
// at a time from the queue, so that any it has not reached stay stealable
// while one of them runs.
void Hub::run_fresh() noexcept {
  for (std::size_t n = fresh_count_.load(std::memory_order_relaxed); n > 0; --n) {
    Fiber *fiber;
    {
      std::lock_guard lock(fresh_mutex_);
      fiber = pop_fresh_locked();
    }
    if (fiber == nullptr)
      return; // stolen meanwhile
    run_fiber(*fiber);
  }
}

// steal_fresh() is this hub's oldest fresh green thread if an idle hub has
// seen it waiting for kStealAfter; else it lowers `retry` to when it may be.
Fiber *Hub::steal_fresh(Deadline now, Deadline &retry) noexcept {
  std::lock_guard lock(fresh_mutex_);
  if (fresh_queue_.empty())
    return nullptr;
  if (front_seen_ == Deadline{})
    front_seen_ = now;
  if (now - front_seen_ < kStealAfter) {
    retry = std::min(retry, front_seen_ + kStealAfter);
    return nullptr;
  }
  return pop_fresh_locked();
}

// adopt() makes a stolen fiber this hub's, before it first runs.
void Hub::adopt(Fiber &fiber, Hub &from) noexcept {
  fiber.hub = this;
  from.unfinished_fibers.fetch_sub(1, std::memory_order_relaxed);
  unfinished_fibers.fetch_add(1, std::memory_order_relaxed);
  push_local(fiber);
}

// steal_or_sleep(): about to sleep for timeout_ms (-1: until woken), a
// group hub steals a fresh green thread instead (and returns 0), or
// returns how long to sleep: no longer than until one it saw may be taken.
int Hub::steal_or_sleep(int timeout_ms) noexcept {
  idle_.store(true, std::memory_order_seq_cst);
  const Deadline now = std::chrono::steady_clock::now();
  Deadline retry = Deadline::max();
  const std::size_t slots = group_size();
  for (std::size_t slot = 0; slot < slots; ++slot) {
    Hub *victim = group_hub(slot);
    if (victim == nullptr || victim == this ||
        victim->fresh_count_.load(std::memory_order_seq_cst) == 0)
      continue;
    if (Fiber *fiber = victim->steal_fresh(now, retry)) {
      idle_.store(false, std::memory_order_relaxed);
      adopt(*fiber, *victim);
      return 0;
    }
  }
  if (retry == Deadline::max())
    return timeout_ms; // idle_ stays set: the next fresh green thread wakes us
  // We look again at `retry` anyway, and fibers queued later can be taken
  // no sooner: spawners need not wake us.
  idle_.store(false, std::memory_order_relaxed);
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(retry - now).count();
  const int until_retry = static_cast<int>(std::clamp<long long>(ms, 0, INT_MAX));
  return timeout_ms < 0 ? until_retry : std::min(timeout_ms, until_retry);
}

// poll_idle(): nothing to run; a group hub may steal before sleeping.
void Hub::poll_idle() noexcept {
  int timeout_ms = io_timeout_ms();
  if (timeout_ms == 0 || !outlives_thread.load(std::memory_order_relaxed)) {
    poll_io(timeout_ms);
    return;
  }
  poll_io(steal_or_sleep(timeout_ms));
  idle_.store(false, std::memory_order_relaxed);
}

// fresh_after_fork(): a thread that stole or pushed at the fork is gone,
// maybe between the queue and its count; the child runs what is queued.
void Hub::fresh_after_fork() noexcept {
  RunQueue kept = std::move(fresh_queue_);
  std::size_t count = 0;
  for (; Fiber *fiber = kept.pop_front(); ++count)
    fresh_queue_.push_back(*fiber);
  fresh_count_.store(count, std::memory_order_relaxed);
  front_seen_ = Deadline{};
  idle_.store(false, std::memory_order_relaxed);
}

} // namespace evy::detail
