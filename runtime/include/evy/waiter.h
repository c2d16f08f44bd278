// Waiter and WaitQueue: park a fiber, wake it from any OS thread.
//
// This is the API green synchronisation primitives are built on (the thread
// module's mutexes, condition variables, semaphores; GreenThread::join).
// The pattern, for a primitive guarded by an evy::SpinLock:
//
//   evy::Waiter me;                       // binds to the calling fiber
//   {
//     std::lock_guard g(lock_);
//     if (available()) return;            // fast path, no parking
//     queue_.push_back(me);
//   }
//   evy::WakeReason why = me.wait(deadline);
//   if (why != evy::WakeReason::notified) {
//     std::lock_guard g(lock_);
//     if (!queue_.remove(me))             // popped: the handoff is ours
//       why = evy::WakeReason::notified;
//   }
//
// and on the releasing side (any OS thread, any fiber):
//
//   std::lock_guard g(lock_);
//   if (evy::Waiter *w = queue_.pop_front())
//     w->notify();                        // false: its wait already ended
//
// Lifetime rule: a Waiter lives on its fiber's stack and stays valid until
// its wait() returns. wait() cannot return before a successful notify()
// has finished with it, but a wait that ends by itself (deadline, evy::
// Timeout) returns at once. So notify() a Waiter either under the lock
// that guards its queue (as above: the waiter re-takes that lock before it
// leaves) or with a handshake of your own that keeps the waiter until the
// notifier is done (the thread module's parking.h does that, to notify
// outside the lock). Remove a Waiter that was not notified from every
// queue before it goes out of scope. notify() never blocks: it only queues
// the fiber on its hub (waking that hub's thread through its eventfd).
#pragma once

#include <evy/deadline.h>
#include <evy/detail/internal_classes.h>
#include <evy/detail/intrusive_list.h>

#include <atomic>
#include <cstdint>

namespace evy {

// WakeReason says why Waiter::wait() returned.
enum class WakeReason : std::uint8_t {
  notified,    // notify() was called
  timed_out,   // the deadline passed first
  interrupted, // an evy::Timeout of this fiber expired (interruptible waits)
  signalled,   // a signal handler ran on the thread (green system calls
               // only, which ask for it: see docs/runtime.md)
};

// Interruptible chooses whether an expiring evy::Timeout cuts a wait short.
enum class Interruptible : bool { no = false, yes = true };

// Waiter is a one-shot parking slot for the fiber that constructs it.
class Waiter {
public:
  // Waiter() binds to the calling fiber (creating this thread's hub if
  // needed: plain OS threads get a hub, and their own stack is its root fiber).
  Waiter() noexcept;
  Waiter(const Waiter &) = delete;
  Waiter &operator=(const Waiter &) = delete;

  // wait() parks the calling fiber until notify(), the deadline, or (when
  // interruptible) an expiring evy::Timeout; other fibers of the thread run.
  WakeReason wait(Deadline deadline = no_deadline,
                  Interruptible interruptible = Interruptible::no) noexcept;

  // notify() wakes the waiting fiber from any OS thread; returns false if
  // the wait already ended (deadline, interruption, or an earlier notify).
  bool notify() noexcept;

  // reset() rearms a Waiter whose wait() returned, to wait again.
  void reset() noexcept;

  // Intrusive links for WaitQueue; owned by whoever guards that queue.
  Waiter *queue_next = nullptr;
  Waiter *queue_prev = nullptr;
  // Free-form word for the primitive's own use (e.g. requested count, mode).
  std::uintptr_t tag = 0;

private:
  friend class detail::Fiber;
  enum State : std::uint8_t {
    waiting,
    notified_state,
    timed_out_state,
    interrupted_state,
    signalled_state
  };
  bool finish(State outcome) noexcept; // the race between wake-up sources

  detail::Fiber *fiber_;
  std::atomic<std::uint8_t> state_{waiting};
};

// WaitQueue is an intrusive FIFO of Waiters. It does no locking itself:
// guard it with the primitive's SpinLock. All operations are O(1).
class WaitQueue {
public:
  constexpr WaitQueue() noexcept = default;
  WaitQueue(const WaitQueue &) = delete;
  WaitQueue &operator=(const WaitQueue &) = delete;

  // empty() tells whether no Waiter is queued.
  bool empty() const noexcept { return waiters_.empty(); }
  // push_back() appends a Waiter that is in no queue.
  void push_back(Waiter &w) noexcept;
  // pop_front() unlinks and returns the oldest Waiter, or nullptr.
  Waiter *pop_front() noexcept;
  // remove() unlinks w if it is queued here and reports whether it was.
  bool remove(Waiter &w) noexcept;
  // front() returns the oldest Waiter without unlinking it, or nullptr.
  Waiter *front() const noexcept { return waiters_.front(); }

private:
  detail::IntrusiveList<Waiter, &Waiter::queue_next, &Waiter::queue_prev> waiters_;
};

} // namespace evy
