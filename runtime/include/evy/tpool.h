// evy::tpool: run calls that cannot be made non-blocking on real threads.
#pragma once

#include <evy/detail/result_slot.h>
#include <evy/waiter.h>

#include <cerrno>
#include <cstddef>
#include <exception>
#include <memory>
#include <type_traits>
#include <utility>

namespace evy {
namespace tpool {

namespace detail {
// Job is one queued call; it lives in the frame of the fiber that waits for it.
struct Job {
  void (*run)(Job *) noexcept = nullptr;
  Job *next = nullptr;
};
// submit() queues job for a pool thread (starting the pool on first use).
void submit(Job &job) noexcept;
} // namespace detail

// size() is the number of pool threads: EVY_THREADPOOL_SIZE, default 20.
std::size_t size() noexcept;

// execute() runs f() on a pool thread while only the calling fiber waits
// (other fibers of its OS thread keep running), then returns f's result or
// rethrows its exception. The wait cannot be interrupted by evy::Timeout:
// the call owns references into the caller's frame until it returns.
template <class F> auto execute(F &&f) -> decltype(f()) {
  typedef decltype(f()) Result;
  typedef typename std::remove_reference<F>::type Fn; // F is Fn& for an lvalue f
  struct Call : detail::Job {
    Fn *fn;
    evy::detail::ResultSlot<Result> result; // carries f()'s result back
    std::exception_ptr error;
    Waiter done;
  } call;
  call.fn = std::addressof(f);
  call.run = [](detail::Job *job) noexcept {
    Call &c = *static_cast<Call *>(job);
    try {
      c.result.fill(*c.fn);
    } catch (...) {
      c.error = std::current_exception();
    }
    c.done.notify();
  };
  detail::submit(call);
  call.done.wait();
  if (call.error)
    std::rethrow_exception(call.error);
  return call.result.take();
}

namespace detail {
// ErrnoTransfer gives the pool thread the caller's errno before the call
// and takes the pool thread's errno after it (also when it throws), so the
// caller sees errno as if it had made the call itself.
class ErrnoTransfer {
public:
  explicit ErrnoTransfer(int &value) : value_(value) { errno = value_; }
  ~ErrnoTransfer() { value_ = errno; }

private:
  ErrnoTransfer(const ErrnoTransfer &);
  int &value_;
};

// Offloaded<F> is what offload(f) returns: calling it runs f on the pool.
template <class F> class Offloaded {
public:
  explicit Offloaded(F f) : f_(f) {}

  template <class... A>
  auto operator()(A &&...args) const -> decltype(std::declval<const F &>()(std::forward<A>(args)...)) {
    typedef decltype(std::declval<const F &>()(std::forward<A>(args)...)) Result;
    int error = errno;
    const F &f = f_;
    struct Restore { // errno is the caller's again, whatever happens
      int &error;
      ~Restore() { errno = error; }
    } restore = {error};
    (void)restore;
    return execute([&]() -> Result {
      ErrnoTransfer transfer(error);
      (void)transfer;
      return static_cast<Result>(f(std::forward<A>(args)...));
    });
  }

private:
  F f_;
};
} // namespace detail

// offload(f)(args...) calls f(args...) on a pool thread while only the
// calling fiber waits, and returns its result; errno is carried both ways
// (the call sees the caller's errno, the caller sees the one the call
// left). It is what rule files' "offload" lists rewrite calls into:
// slow_io(x) becomes evy::tpool::offload(::slow_io)(x). f is a function
// (not an overload set) or any callable copied into the result.
template <class F> detail::Offloaded<typename std::decay<F>::type> offload(F &&f) {
  return detail::Offloaded<typename std::decay<F>::type>(std::forward<F>(f));
}

} // namespace tpool
} // namespace evy
