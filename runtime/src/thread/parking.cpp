// The waiter/releaser handshake of green primitives (see parking.h).
#include "parking.h"

#include <sched.h>

namespace evy::green::detail {
namespace {

// cpu_relax() tells the CPU we are spinning, to spare the sibling hyperthread.
inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield" ::: "memory");
#endif
}

// await_unclaimed() waits for a releaser that claimed p to finish with it.
// The releaser runs on another OS thread (on ours it would not have let us
// run in between), and only for a notify() and a short guarded section.
void await_unclaimed(Parked &p) noexcept {
  for (int spins = 0; p.claimed.load(std::memory_order_acquire); ++spins) {
    if (spins < 64)
      cpu_relax();
    else
      sched_yield(); // the releaser may have been preempted
  }
}

} // namespace

Parked::Parked(std::uintptr_t request_word) noexcept
    : fiber(current_fiber_id()), request(request_word) {
  waiter.tag = reinterpret_cast<std::uintptr_t>(this);
}

bool withdraw(SpinLock &guard, WaitQueue &queue, Parked &p) noexcept {
  bool was_queued;
  {
    std::lock_guard locked(guard);
    was_queued = queue.remove(p.waiter);
  }
  if (!was_queued)
    await_unclaimed(p);
  return was_queued;
}

WakeReason wait_parked(SpinLock &guard, WaitQueue &queue, Parked &p, Deadline deadline,
                       Interruptible interruptible) noexcept {
  const WakeReason why = p.waiter.wait(deadline, interruptible);
  if (why != WakeReason::notified)
    withdraw(guard, queue, p);
  return why;
}

void Handoff::adopt(Parked &p) noexcept {
  p.claimed.store(true, std::memory_order_relaxed); // published by the guard
  claimed_.push_back(p);
}

Parked *Handoff::claim(WaitQueue &queue) noexcept {
  Waiter *w = queue.pop_front();
  if (!w)
    return nullptr;
  Parked &p = Parked::of(*w);
  adopt(p);
  return &p;
}

std::size_t Handoff::claim_all(WaitQueue &queue) noexcept {
  std::size_t n = 0;
  while (claim(queue))
    ++n;
  return n;
}

bool Handoff::wake_claimed(ParkedList &missed) noexcept {
  while (Parked *p = claimed_.pop_front()) {
    // After a successful notify() the fiber may already have returned:
    // p must not be touched again.
    if (!p->waiter.notify())
      missed.push_back(*p);
  }
  return !missed.empty();
}

void Handoff::release_missed(ParkedList &missed) noexcept {
  while (Parked *p = missed.pop_front())
    p->claimed.store(false, std::memory_order_release);
}

} // namespace evy::green::detail
