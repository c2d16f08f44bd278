// Green packaged_task and async: std's interfaces over green futures;
// std::launch::async runs the function as a green thread.
// Part of <evy/patched/thread.h>; include that header, not this one.
#pragma once

#include <evy/invoke.h>
#include <evy/patched/detail/thread_future.h>
#include <evy/spawn.h>

#include <exception>
#include <future> // std::launch
#include <memory>
#include <tuple>
#include <type_traits>
#include <utility>

namespace evy {
namespace green {
namespace detail {

// InvokeResult<F, A...>::type is std::invoke_result_t<F, A...>, absent
// (SFINAE) when F is not callable with A..., as std::async needs.
template <class Void, class F, class... A> struct InvokeResultImpl {};
template <class F, class... A>
struct InvokeResultImpl<
    typename evy::detail::VoidOf<decltype(evy::detail::invoke(std::declval<F>(),
                                                              std::declval<A>()...))>::type,
    F, A...> {
  typedef decltype(evy::detail::invoke(std::declval<F>(), std::declval<A>()...)) type;
};
template <class F, class... A> struct InvokeResult : InvokeResultImpl<void, F, A...> {};

// fulfil() calls call() and stores its result, or its exception, in state.
template <class R, class Call> void fulfil(FutureState<R> &state, Call &call) {
  try {
    state.emplace_ready(call());
  } catch (...) {
    state.set_exception(std::current_exception());
  }
}
template <class Call> void fulfil(FutureState<void> &state, Call &call) {
  try {
    call();
    state.emplace_ready();
  } catch (...) {
    state.set_exception(std::current_exception());
  }
}

// TaskState<R, A...> is a packaged_task's state: the result and the function.
template <class R, class... A> class TaskState : public FutureState<R> {
public:
  // run() calls the function with a... and stores the outcome.
  void run(A... a) {
    this->begin_satisfy();
    struct Call {
      TaskState &self;
      std::tuple<A &&...> args;
      R operator()() {
        return self.call(std::move(args),
                         typename evy::detail::MakeIndices<sizeof...(A)>::type());
      }
    } call{*this, std::forward_as_tuple(std::forward<A>(a)...)};
    fulfil(*this, call);
  }
  // renewed() is a fresh state with the same function (packaged_task::reset).
  virtual std::shared_ptr<TaskState> renewed() = 0;

protected:
  virtual R call_function(A &&...a) = 0;

private:
  template <std::size_t... I> R call(std::tuple<A &&...> args, evy::detail::Indices<I...>) {
    return call_function(std::forward<A>(std::get<I>(args))...);
  }
};

template <class Fn, class R, class... A> class TaskStateOf : public TaskState<R, A...> {
public:
  template <class F> explicit TaskStateOf(F &&f) : fn_(std::forward<F>(f)) {}
  std::shared_ptr<TaskState<R, A...>> renewed() override {
    return std::make_shared<TaskStateOf>(std::move(fn_));
  }

protected:
  R call_function(A &&...a) override { return evy::detail::invoke(fn_, std::forward<A>(a)...); }

private:
  Fn fn_;
};

// DeferredState runs its bound call in the first waiter (launch::deferred).
template <class R, class Bound> class DeferredState : public FutureState<R> {
public:
  explicit DeferredState(Bound &&bound) : bound_(std::move(bound)) {}
  bool deferred() const noexcept override { return pending_.load(std::memory_order_acquire); }

protected:
  void run_deferred() override {
    if (!pending_.exchange(false, std::memory_order_acq_rel))
      return;
    this->begin_satisfy();
    fulfil(*this, bound_);
  }

private:
  Bound bound_;
  std::atomic<bool> pending_{true};
};

// AsyncState runs its bound call as a green thread (launch::async); its
// destruction, when the last future lets go, waits for that thread, as
// std::async's futures do.
template <class R, class Bound> class AsyncState : public FutureState<R> {
public:
  explicit AsyncState(Bound &&bound) : bound_(std::move(bound)) {}
  ~AsyncState() override { thread_.join(); }
  void start() {
    thread_ = evy::spawn([this] {
      this->begin_satisfy();
      fulfil(*this, bound_);
    });
  }

private:
  Bound bound_;
  GreenThread thread_;
};

// ResultBound is a BoundCall that returns its function's result.
template <class R, class Fn, class... Args> struct ResultBound {
  template <class F, class... V>
  explicit ResultBound(F &&f, V &&...v) : fn(std::forward<F>(f)), args(std::forward<V>(v)...) {}
  R operator()() { return call(typename evy::detail::MakeIndices<sizeof...(Args)>::type()); }
  template <std::size_t... I> R call(evy::detail::Indices<I...>) {
    return evy::detail::invoke(std::move(fn), std::move(std::get<I>(args))...);
  }
  Fn fn;
  std::tuple<Args...> args;
};

} // namespace detail

// packaged_task is std::packaged_task whose future is a green future.
template <class Signature> class packaged_task;
template <class R, class... A> class packaged_task<R(A...)> {
public:
  packaged_task() noexcept = default;
  // packaged_task(f) stores a decay-copy of f.
  template <class F, class = typename std::enable_if<!std::is_same<
                         typename std::decay<F>::type, packaged_task>::value>::type>
  explicit packaged_task(F &&f)
      : state_(std::make_shared<detail::TaskStateOf<typename std::decay<F>::type, R, A...>>(
            std::forward<F>(f))) {}
  packaged_task(packaged_task &&) noexcept = default;
  packaged_task &operator=(packaged_task &&other) noexcept {
    packaged_task(std::move(other)).swap(*this);
    return *this;
  }
  packaged_task(const packaged_task &) = delete;
  packaged_task &operator=(const packaged_task &) = delete;
  // ~packaged_task() stores broken_promise if the task never ran.
  ~packaged_task() {
    if (state_)
      state_->break_promise();
  }

  // valid() tells whether the task has a function and state.
  bool valid() const noexcept { return static_cast<bool>(state_); }
  void swap(packaged_task &other) noexcept { state_.swap(other.state_); }
  // get_future() returns the future; future_already_retrieved the 2nd time.
  future<R> get_future() {
    check();
    state_->mark_retrieved();
    return detail::FutureAccess::make<R>(state_);
  }
  // operator() runs the function and stores its result or exception;
  // promise_already_satisfied the 2nd time.
  void operator()(A... a) {
    check();
    state_->run(std::forward<A>(a)...);
  }
  // make_ready_at_thread_exit() runs at once: green threads have no
  // thread-exit hook (docs/thread.md).
  void make_ready_at_thread_exit(A... a) { (*this)(std::forward<A>(a)...); }
  // reset() gives the task a new state (and future) with the same function.
  void reset() {
    check();
    std::shared_ptr<detail::TaskState<R, A...>> fresh = state_->renewed();
    state_->break_promise();
    state_ = std::move(fresh);
  }

private:
  void check() const {
    if (!state_)
      detail::throw_future_error(std::future_errc::no_state);
  }
  std::shared_ptr<detail::TaskState<R, A...>> state_;
};

template <class R, class... A>
void swap(packaged_task<R(A...)> &a, packaged_task<R(A...)> &b) noexcept {
  a.swap(b);
}

// async() is std::async: launch::async runs f(args...) as a green thread of
// the calling OS thread's hub; launch::deferred runs it in the first waiter.
// The default policy (both bits) is launch::async, as libstdc++ chooses.
// The last future of a launch::async call waits for it, as std's does.
template <class F, class... Args>
future<typename detail::InvokeResult<typename std::decay<F>::type,
                                     typename std::decay<Args>::type...>::type>
async(std::launch policy, F &&f, Args &&...args) {
  typedef typename std::decay<F>::type Fn;
  typedef typename detail::InvokeResult<Fn, typename std::decay<Args>::type...>::type R;
  typedef detail::ResultBound<R, Fn, typename std::decay<Args>::type...> Bound;
  Bound bound(std::forward<F>(f), std::forward<Args>(args)...);
  if ((policy & std::launch::async) == std::launch::async) {
    std::shared_ptr<detail::AsyncState<R, Bound>> state =
        std::make_shared<detail::AsyncState<R, Bound>>(std::move(bound));
    state->start();
    return detail::FutureAccess::make<R>(std::move(state));
  }
  if ((policy & std::launch::deferred) == std::launch::deferred)
    return detail::FutureAccess::make<R>(
        std::make_shared<detail::DeferredState<R, Bound>>(std::move(bound)));
  // Neither bit: what std leaves undefined, libstdc++ runs deferred too.
  return detail::FutureAccess::make<R>(
      std::make_shared<detail::DeferredState<R, Bound>>(std::move(bound)));
}

// async(f, args...) is async(launch::async | launch::deferred, f, args...).
template <class F, class... Args>
future<typename detail::InvokeResult<typename std::decay<F>::type,
                                     typename std::decay<Args>::type...>::type>
async(F &&f, Args &&...args) {
  return green::async(std::launch::async | std::launch::deferred, std::forward<F>(f),
                      std::forward<Args>(args)...);
}

} // namespace green
} // namespace evy

namespace std {
template <class R, class Alloc>
struct uses_allocator<evy::green::packaged_task<R>, Alloc> : std::true_type {};
} // namespace std
