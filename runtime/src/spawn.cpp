// spawn() and GreenThread.
#include "hub.h"
#include "hub_group.h"

#include <evy/spawn.h>

#include <mutex>

namespace evy {

using detail::Fiber;
using detail::Hub;

namespace detail {
Fiber *spawn_fiber(const SpawnRequest &request) { return Hub::current().spawn(request); }
// The stack comes from the caller's pool; the fiber lives on the hub placed.
Fiber *spawn_placed_fiber(const SpawnRequest &request) {
  return Hub::current().spawn(request, hub_for_new_thread());
}
} // namespace detail

FiberId current_fiber_id() noexcept { return Hub::current().running().id; }

FiberId GreenThread::id() const noexcept { return fiber_ != nullptr ? fiber_->id : 0; }

bool GreenThread::done() const noexcept {
  if (fiber_ == nullptr)
    return false;
  std::lock_guard lock(fiber_->join_guard);
  return fiber_->finished;
}

void GreenThread::join() noexcept { (void)join_until(no_deadline); }

bool GreenThread::join_until(Deadline deadline) noexcept {
  Fiber *fiber = fiber_;
  if (fiber == nullptr)
    return true;
  Waiter waiter;
  bool must_wait;
  {
    std::lock_guard lock(fiber->join_guard);
    must_wait = !fiber->finished;
    if (must_wait)
      fiber->joiner = &waiter;
  }
  if (must_wait && waiter.wait(deadline) != WakeReason::notified) {
    // Timed out, unless the fiber finished meanwhile (its notify lost the
    // race but it is done all the same).
    std::lock_guard lock(fiber->join_guard);
    if (!fiber->finished) {
      fiber->joiner = nullptr;
      return false;
    }
  }
  fiber_ = nullptr;
  Hub::release(*fiber);
  return true;
}

void GreenThread::detach() noexcept {
  if (Fiber *fiber = std::exchange(fiber_, nullptr))
    Hub::release(*fiber);
}

} // namespace evy
