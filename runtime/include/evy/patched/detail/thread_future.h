// Green promise, future and shared_future: std's interfaces, but get() and
// the waits park the calling fiber, not the OS thread.
// Part of <evy/patched/thread.h>; include that header, not this one.
#pragma once

#include <evy/patched/detail/thread_future_state.h>

#include <chrono>
#include <exception>
#include <future>
#include <memory>
#include <utility>

namespace evy {
namespace green {

template <class R> class shared_future;
template <class R> class promise;
template <class Signature> class packaged_task;

namespace detail {
// FutureAccess lets promise, packaged_task and async make futures.
struct FutureAccess;

// FutureBase holds what future and shared_future have in common: the
// state and the waits.
template <class R> class FutureBase {
public:
  // valid() tells whether the handle refers to a shared state.
  bool valid() const noexcept { return static_cast<bool>(state_); }
  // wait() parks the calling fiber until the result is ready.
  void wait() const {
    check_state(state_);
    state_->wait();
  }
  // wait_for() waits at most d: ready, timeout, or deferred (not started).
  template <class Rep, class Period>
  std::future_status wait_for(const std::chrono::duration<Rep, Period> &d) const {
    check_state(state_);
    return state_->status_until(deadline_after(d));
  }
  // wait_until() waits until t (of any clock), as std does.
  template <class Clock, class Duration>
  std::future_status wait_until(const std::chrono::time_point<Clock, Duration> &t) const {
    check_state(state_);
    for (;;) {
      const std::future_status status = state_->status_until(to_deadline(t));
      if (status != std::future_status::timeout || Clock::now() >= t)
        return status;
    }
  }

protected:
  FutureBase() noexcept = default;
  explicit FutureBase(State<R> state) noexcept : state_(std::move(state)) {}
  State<R> state_;
};
} // namespace detail

// future is std::future for green threads: get() parks the fiber.
template <class R> class future : public detail::FutureBase<R> {
public:
  future() noexcept = default;
  future(future &&) noexcept = default;
  future &operator=(future &&) noexcept = default;
  future(const future &) = delete;
  future &operator=(const future &) = delete;

  // get() waits, then moves the value out (or throws the stored exception);
  // the future is no longer valid afterwards, as with std::future.
  R get() {
    detail::State<R> state = take();
    return std::move(state->result());
  }
  // share() makes a shared_future of this future's state.
  shared_future<R> share() noexcept;

private:
  friend struct detail::FutureAccess;
  explicit future(detail::State<R> state) noexcept : detail::FutureBase<R>(std::move(state)) {}
  detail::State<R> take() {
    detail::check_state(this->state_);
    return std::move(this->state_);
  }
};

template <class R> class future<R &> : public detail::FutureBase<R &> {
public:
  future() noexcept = default;
  future(future &&) noexcept = default;
  future &operator=(future &&) noexcept = default;
  future(const future &) = delete;
  future &operator=(const future &) = delete;
  // get() waits, then returns the reference (or throws); invalidates.
  R &get() {
    detail::check_state(this->state_);
    detail::State<R &> state = std::move(this->state_);
    return state->result();
  }
  shared_future<R &> share() noexcept;

private:
  friend struct detail::FutureAccess;
  explicit future(detail::State<R &> state) noexcept : detail::FutureBase<R &>(std::move(state)) {}
};

template <> class future<void> : public detail::FutureBase<void> {
public:
  future() noexcept = default;
  future(future &&) noexcept = default;
  future &operator=(future &&) noexcept = default;
  future(const future &) = delete;
  future &operator=(const future &) = delete;
  // get() waits, then returns (or throws the stored exception); invalidates.
  void get() {
    detail::check_state(this->state_);
    detail::State<void> state = std::move(this->state_);
    state->result();
  }
  inline shared_future<void> share() noexcept;

private:
  friend struct detail::FutureAccess;
  explicit future(detail::State<void> state) noexcept : detail::FutureBase<void>(std::move(state)) {}
};

namespace detail {
struct FutureAccess {
  template <class R> static future<R> make(State<R> state) noexcept {
    return future<R>(std::move(state));
  }
  template <class R> static State<R> take(future<R> &f) noexcept { return std::move(f.state_); }
};
} // namespace detail

// shared_future is std::shared_future for green threads: copyable, get()
// parks the fiber and leaves the value in place for the other copies.
template <class R> class shared_future : public detail::FutureBase<R> {
public:
  shared_future() noexcept = default;
  shared_future(const shared_future &) = default;
  shared_future(shared_future &&) noexcept = default;
  shared_future &operator=(const shared_future &) = default;
  shared_future &operator=(shared_future &&) noexcept = default;
  // shared_future(future&&) takes over the future's state.
  shared_future(future<R> &&f) noexcept : detail::FutureBase<R>(detail::FutureAccess::take(f)) {}
  // get() waits, then returns the value (const R&, R& or void) or throws.
  typename std::conditional<std::is_void<R>::value || std::is_reference<R>::value,
                            typename std::add_lvalue_reference<R>::type,
                            typename std::add_lvalue_reference<const R>::type>::type
  get() const {
    detail::check_state(this->state_);
    return this->state_->result();
  }
};

template <class R> shared_future<R> future<R>::share() noexcept {
  return shared_future<R>(std::move(*this));
}
template <class R> shared_future<R &> future<R &>::share() noexcept {
  return shared_future<R &>(std::move(*this));
}
inline shared_future<void> future<void>::share() noexcept {
  return shared_future<void>(std::move(*this));
}

// promise is std::promise whose futures are green futures.
template <class R> class promise {
public:
  promise() : state_(std::make_shared<detail::FutureState<R>>()) {}
  // promise(allocator_arg, alloc) is accepted; the state uses operator new.
  template <class Alloc> promise(std::allocator_arg_t, const Alloc &) : promise() {}
  promise(promise &&) noexcept = default;
  promise &operator=(promise &&other) noexcept {
    promise(std::move(other)).swap(*this);
    return *this;
  }
  promise(const promise &) = delete;
  promise &operator=(const promise &) = delete;
  // ~promise() stores broken_promise if no result was stored.
  ~promise() {
    if (state_)
      state_->break_promise();
  }
  void swap(promise &other) noexcept { state_.swap(other.state_); }

  // get_future() returns the future; future_already_retrieved the 2nd time.
  future<R> get_future() {
    detail::check_state(state_);
    state_->mark_retrieved();
    return detail::FutureAccess::make(state_);
  }
  // set_value() stores the value and wakes the getters.
  template <class... V> void set_value(V &&...v) {
    detail::check_state(state_);
    state_->set_value(std::forward<V>(v)...);
  }
  // set_exception() stores e and wakes the getters.
  void set_exception(std::exception_ptr e) {
    detail::check_state(state_);
    state_->store_exception(e);
  }
  // set_value_at_thread_exit() and set_exception_at_thread_exit() store at
  // once: green threads have no thread-exit hook (docs/thread.md).
  template <class... V> void set_value_at_thread_exit(V &&...v) {
    set_value(std::forward<V>(v)...);
  }
  void set_exception_at_thread_exit(std::exception_ptr e) { set_exception(e); }

private:
  std::shared_ptr<detail::FutureState<R>> state_;
};

template <class R> void swap(promise<R> &a, promise<R> &b) noexcept { a.swap(b); }

} // namespace green
} // namespace evy

namespace std {
template <class R, class Alloc>
struct uses_allocator<evy::green::promise<R>, Alloc> : std::true_type {};
} // namespace std
