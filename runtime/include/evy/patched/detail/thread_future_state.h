// The shared state behind green promise, future, shared_future,
// packaged_task and async. Part of <evy/patched/thread.h>; include that
// header, not this one.
//
// FutureCore is the non-template part (libevy): readiness, the exception,
// the "satisfied" and "retrieved" flags and the queue of parked getters.
// FutureState<R> adds the value. Errors are std's own std::future_error
// with std::future_errc codes, so user code catches them unchanged.
#pragma once

#include <evy/deadline.h>
#include <evy/detail/result_slot.h>
#include <evy/spin_lock.h>
#include <evy/waiter.h>

#include <atomic>
#include <exception>
#include <future> // std::future_error, future_errc, future_status, launch
#include <memory>
#include <utility>

namespace evy {
namespace green {
namespace detail {

// throw_future_error() throws std::future_error(code), as std's types do.
[[noreturn]] void throw_future_error(std::future_errc code);

// FutureCore is the state one promise (or task, or async call) shares with
// its futures. Getters park as fibers; any fiber or OS thread may satisfy it.
class FutureCore {
public:
  FutureCore() noexcept {}
  FutureCore(const FutureCore &) = delete;
  FutureCore &operator=(const FutureCore &) = delete;
  virtual ~FutureCore();

  // ready() tells whether a value or an exception is stored.
  bool ready() const noexcept { return ready_.load(std::memory_order_acquire); }
  // deferred() tells whether a deferred function still has to run
  // (std::launch::deferred): then wait_for() says future_status::deferred.
  virtual bool deferred() const noexcept { return false; }
  // wait() runs a deferred function in the caller, then parks the calling
  // fiber until ready(). wait_until() gives up at the deadline (false).
  void wait();
  bool wait_until(Deadline deadline);
  // status_until() is wait_for/wait_until's answer at the deadline.
  std::future_status status_until(Deadline deadline);

  // begin_satisfy() takes the right to store a result: throws
  // promise_already_satisfied if one is stored or being stored.
  void begin_satisfy();
  // abandon_satisfy() gives the right back (the value's constructor threw).
  void abandon_satisfy() noexcept;
  // make_ready() publishes the stored result and wakes every getter.
  void make_ready() noexcept;
  // set_exception() stores e as the result (begin_satisfy first).
  void set_exception(std::exception_ptr e);
  // break_promise() stores broken_promise unless a result is stored.
  void break_promise() noexcept;
  // mark_retrieved() throws future_already_retrieved on a second call.
  void mark_retrieved();
  // rethrow_if_exception() throws the stored exception, if any.
  void rethrow_if_exception() const {
    if (error_)
      std::rethrow_exception(error_);
  }

protected:
  // run_deferred() runs a deferred function once (std::launch::deferred).
  virtual void run_deferred() {}

private:
  SpinLock guard_;
  std::atomic<bool> ready_{false};
  bool satisfied_ = false; // a result is stored or being stored
  bool retrieved_ = false; // get_future() was called
  std::exception_ptr error_;
  WaitQueue waiters_;
};

// FutureState<R> is FutureCore plus the value.
template <class R> class FutureState : public FutureCore {
public:
  // set_value() stores a value built from a... and makes the state ready.
  template <class... A> void set_value(A &&...a) {
    begin_satisfy();
    try {
      slot_.emplace(std::forward<A>(a)...);
    } catch (...) {
      abandon_satisfy();
      throw;
    }
    make_ready();
  }
  // emplace_ready() is set_value() after begin_satisfy() (tasks, async).
  template <class... A> void emplace_ready(A &&...a) {
    slot_.emplace(std::forward<A>(a)...);
    make_ready();
  }
  // store_exception() stores e and makes the state ready.
  void store_exception(std::exception_ptr e) {
    begin_satisfy();
    set_exception(e);
  }
  // result() waits, then returns the value or throws the exception.
  typename std::add_lvalue_reference<R>::type result() {
    wait();
    rethrow_if_exception();
    return slot_.get();
  }

private:
  evy::detail::ResultSlot<R> slot_;
};

// State<R> is how the handles share a FutureState.
template <class R> using State = std::shared_ptr<FutureState<R>>;

// check_state() throws no_state for a handle without state, as libstdc++.
template <class R> void check_state(const State<R> &state) {
  if (!state)
    throw_future_error(std::future_errc::no_state);
}

} // namespace detail
} // namespace green
} // namespace evy
