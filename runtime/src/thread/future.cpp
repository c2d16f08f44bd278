// FutureCore: the non-template part of green futures' shared state.
#include "parking.h"

#include <evy/patched/detail/thread_future_state.h>

#include <mutex>

namespace evy::green::detail {

void throw_future_error(std::future_errc code) {
  throw std::future_error(code);
}

FutureCore::~FutureCore() = default;

void FutureCore::wait() {
  run_deferred();
  (void)wait_until(no_deadline);
}

bool FutureCore::wait_until(Deadline deadline) {
  while (!ready()) {
    Parked parked;
    {
      std::lock_guard locked(guard_);
      if (ready())
        return true;
      waiters_.push_back(parked.waiter);
    }
    if (wait_parked(guard_, waiters_, parked, deadline, Interruptible::no) ==
        WakeReason::timed_out)
      return ready();
  }
  return true;
}

std::future_status FutureCore::status_until(Deadline deadline) {
  if (deferred())
    return std::future_status::deferred; // std: a deferred function is not started by waits
  return wait_until(deadline) ? std::future_status::ready : std::future_status::timeout;
}

void FutureCore::begin_satisfy() {
  std::lock_guard locked(guard_);
  if (satisfied_)
    throw_future_error(std::future_errc::promise_already_satisfied);
  satisfied_ = true;
}

void FutureCore::abandon_satisfy() noexcept {
  std::lock_guard locked(guard_);
  satisfied_ = false;
}

void FutureCore::make_ready() noexcept {
  Handoff handoff;
  {
    std::lock_guard locked(guard_);
    ready_.store(true, std::memory_order_release);
    handoff.claim_all(waiters_);
  }
  if (!handoff.empty())
    handoff.wake(guard_, [](Parked &) {}); // a getter that timed out just sees ready()
}

void FutureCore::set_exception(std::exception_ptr e) {
  error_ = std::move(e);
  make_ready();
}

void FutureCore::break_promise() noexcept {
  {
    std::lock_guard locked(guard_);
    if (satisfied_)
      return;
    satisfied_ = true;
  }
  error_ = std::make_exception_ptr(std::future_error(std::future_errc::broken_promise));
  make_ready();
}

void FutureCore::mark_retrieved() {
  std::lock_guard locked(guard_);
  if (retrieved_)
    throw_future_error(std::future_errc::future_already_retrieved);
  retrieved_ = true;
}

} // namespace evy::green::detail
