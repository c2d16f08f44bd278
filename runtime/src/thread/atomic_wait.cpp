// Green atomic waits: waiters park in a process-wide table of queues keyed
// by the atomic's address (an atomic has no room for a queue), as
// libstdc++'s own waits hash into a table of futex words.
#include "parking.h"

#include <evy/patched/detail/thread_atomic_wait.h>

#include <cstdint>
#include <functional>
#include <mutex>

namespace evy::green::detail {
namespace {

struct Bucket {
  SpinLock guard;
  WaitQueue waiters;
};

// 64 buckets: waits on different atomics rarely share a guard.
Bucket &bucket_of(const void *address) noexcept {
  static Bucket table[64];
  const auto key = reinterpret_cast<std::uintptr_t>(address);
  return table[std::hash<std::uintptr_t>()(key >> 3) % 64];
}

} // namespace

void atomic_wait_address(const void *atomic, AtomicUnchanged unchanged, const void *old,
                         std::memory_order order) noexcept {
  Bucket &bucket = bucket_of(atomic);
  while (unchanged(atomic, old, order)) {
    Parked parked(reinterpret_cast<std::uintptr_t>(atomic));
    {
      // Checked again under the guard: a notifier stores first, then takes
      // the guard, so a change after this check finds us queued.
      std::lock_guard locked(bucket.guard);
      if (!unchanged(atomic, old, order))
        return;
      bucket.waiters.push_back(parked.waiter);
    }
    wait_parked(bucket.guard, bucket.waiters, parked, no_deadline, Interruptible::no);
  }
}

void atomic_notify_address(const void *atomic, bool all) noexcept {
  Bucket &bucket = bucket_of(atomic);
  Handoff handoff;
  const auto key = reinterpret_cast<std::uintptr_t>(atomic);
  bool first = true;
  {
    std::lock_guard locked(bucket.guard);
    handoff.claim_if(bucket.waiters, [&](Parked &p) {
      const bool take = p.request == key && (all || first);
      first = first && !take;
      return take;
    });
  }
  if (!handoff.empty())
    handoff.wake(bucket.guard, [](Parked &) {}); // waits have no deadline: never missed
}

} // namespace evy::green::detail
