// Parking: the waiter/releaser handshake every green primitive builds on.
//
// A releaser (unlock, notify, post) decides under the primitive's guard
// whom it hands something to, "claims" those waiters, and notifies them
// only after dropping the guard. Notifying outside the guard matters: a
// woken fiber on another OS thread may destroy the primitive (the last
// unlock before a delete) while the releaser would still be unlocking it.
//
// The price is a race with waits that end on their own (deadline, evy::
// Timeout): Waiter::notify() then returns false and the releaser must take
// its handoff back. The claimed flag keeps such a waiter's frame alive until
// the releaser is done with it: withdraw() waits for it to be cleared.
#pragma once

#include <evy/detail/intrusive_list.h>
#include <evy/spawn.h>
#include <evy/spin_lock.h>
#include <evy/waiter.h>

#include <atomic>
#include <cstdint>
#include <mutex>

namespace evy::green::detail {

// Parked is a Waiter plus what its releaser needs to know.
class Parked {
public:
  // Parked() binds to the calling fiber; request is primitive-defined.
  explicit Parked(std::uintptr_t request = 0) noexcept;
  Parked(const Parked &) = delete;
  Parked &operator=(const Parked &) = delete;

  // of() maps a queued Waiter back to its Parked.
  static Parked &of(Waiter &waiter) noexcept { return *reinterpret_cast<Parked *>(waiter.tag); }

  Waiter waiter;
  const FiberId fiber;          // who waits (mutex ownership passes to it)
  const std::uintptr_t request; // e.g. reader/writer, the awaited address
  std::atomic<bool> claimed{false};
  // Handoff's own link: a claimed waiter has left the primitive's queue,
  // and its Waiter links must then stay clear so that remove() says so.
  Parked *next_claimed = nullptr;
};

// ParkedList is a FIFO of claimed waiters, linked through next_claimed.
using ParkedList = evy::detail::IntrusiveList<Parked, &Parked::next_claimed>;

// wait_parked() parks p (already queued in queue under guard, guard since
// released) and, if the wait ends other than by notify(), withdraws it:
// afterwards p is in no queue and no releaser will touch it again.
WakeReason wait_parked(SpinLock &guard, WaitQueue &queue, Parked &p, Deadline deadline,
                       Interruptible interruptible) noexcept;

// withdraw() is the second half of wait_parked(), for waits that must do
// something between queueing and parking (condition variables unlock the
// caller's mutex there). Returns whether p was still queued.
bool withdraw(SpinLock &guard, WaitQueue &queue, Parked &p) noexcept;

// Handoff collects, under a primitive's guard, the waiters a release hands
// something to, and wakes them once the guard is dropped.
class Handoff {
public:
  Handoff() noexcept = default;
  Handoff(const Handoff &) = delete;
  Handoff &operator=(const Handoff &) = delete;

  // claim() moves the oldest waiter of queue into this handoff (guard held)
  // and returns it, or nullptr when queue is empty.
  Parked *claim(WaitQueue &queue) noexcept;
  // claim_all() moves every waiter of queue into this handoff (guard held)
  // and returns how many there were.
  std::size_t claim_all(WaitQueue &queue) noexcept;
  // claim_if() moves the waiters of queue for which pred(parked) holds into
  // this handoff (guard held), oldest first, and returns how many there were.
  template <class Pred> std::size_t claim_if(WaitQueue &queue, Pred &&pred) noexcept {
    std::size_t n = 0;
    for (Waiter *w = queue.front(); w;) {
      Waiter *next = w->queue_next;
      if (pred(Parked::of(*w))) {
        queue.remove(*w);
        adopt(Parked::of(*w));
        ++n;
      }
      w = next;
    }
    return n;
  }
  // empty() tells whether nobody is to be woken.
  bool empty() const noexcept { return claimed_.empty(); }

  // wake() notifies the claimed waiters (guard not held). A waiter whose
  // wait had already ended is given to undo(parked) under guard, which
  // takes the handoff back and may claim others into this handoff; those
  // are woken in turn. Returns when every claimed waiter was dealt with.
  template <class Undo> void wake(SpinLock &guard, Undo &&undo) noexcept {
    ParkedList missed;
    while (wake_claimed(missed)) {
      {
        std::lock_guard locked(guard);
        for (Parked *p = missed.front(); p; p = ParkedList::next(*p))
          undo(*p);
      }
      release_missed(missed);
    }
  }

private:
  // adopt() claims p, which the caller just took out of its queue.
  void adopt(Parked &p) noexcept;
  // wake_claimed() notifies every claimed waiter, collecting in missed those
  // whose wait had ended; returns whether there are any.
  bool wake_claimed(ParkedList &missed) noexcept;
  // release_missed() clears the claims of the missed waiters, letting their
  // fibers return from withdraw().
  static void release_missed(ParkedList &missed) noexcept;

  ParkedList claimed_;
};

} // namespace evy::green::detail
