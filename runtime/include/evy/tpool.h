// evy::tpool: run calls that cannot be made non-blocking on real threads.
#pragma once

#include <evy/waiter.h>

#include <cstddef>
#include <exception>
#include <memory>
#include <new>
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

// ResultSlot<R> carries a call's result from the pool thread back to the
// caller (std::optional is C++17): fill(f) stores f(), take() hands it over.
template <class R> class ResultSlot {
public:
  ResultSlot() noexcept {}
  ResultSlot(const ResultSlot &) = delete;
  ResultSlot &operator=(const ResultSlot &) = delete;
  ~ResultSlot() {
    if (value_ != nullptr)
      value_->~R();
  }
  template <class F> void fill(F &f) { value_ = ::new (static_cast<void *>(bytes_)) R(f()); }
  R take() { return std::move(*value_); }

private:
  alignas(R) unsigned char bytes_[sizeof(R)];
  R *value_ = nullptr;
};
// References are carried as pointers.
template <class R> class ResultSlot<R &> {
public:
  template <class F> void fill(F &f) { value_ = std::addressof(f()); }
  R &take() { return *value_; }

private:
  R *value_ = nullptr;
};
template <class R> class ResultSlot<R &&> {
public:
  template <class F> void fill(F &f) { value_ = std::addressof(static_cast<R &>(f())); }
  R &&take() { return static_cast<R &&>(*value_); }

private:
  R *value_ = nullptr;
};
// void carries nothing.
template <> class ResultSlot<void> {
public:
  template <class F> void fill(F &f) { f(); }
  void take() {}
};
} // namespace detail

// size() is the number of pool threads: EVY_THREADPOOL_SIZE, default 20.
std::size_t size() noexcept;

// execute() runs f() on a pool thread while only the calling fiber waits
// (other fibers of its OS thread keep running), then returns f's result or
// rethrows its exception. The wait cannot be interrupted by evy::Timeout:
// the call owns references into the caller's frame until it returns.
template <class F> auto execute(F &&f) -> decltype(f()) {
  typedef decltype(f()) Result;
  struct Call : detail::Job {
    F *fn;
    detail::ResultSlot<Result> result;
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

} // namespace tpool
} // namespace evy
