// evy::tpool: run calls that cannot be made non-blocking on real threads.
#pragma once

#include <evy/waiter.h>

#include <cstddef>
#include <exception>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace evy::tpool {

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
template <class F> std::invoke_result_t<F &> execute(F &&f) {
  using Result = std::invoke_result_t<F &>;
  // References are carried as pointers; void carries nothing.
  using Stored =
      std::conditional_t<std::is_reference_v<Result>, std::add_pointer_t<Result>, Result>;
  using Slot = std::conditional_t<std::is_void_v<Result>, bool, std::optional<Stored>>;
  struct Call : detail::Job {
    F *fn;
    Slot result{};
    std::exception_ptr error;
    Waiter done;
  } call;
  call.fn = std::addressof(f);
  call.run = [](detail::Job *job) noexcept {
    Call &c = *static_cast<Call *>(job);
    try {
      if constexpr (std::is_void_v<Result>) {
        (*c.fn)();
      } else if constexpr (std::is_reference_v<Result>) {
        c.result.emplace(std::addressof((*c.fn)()));
      } else {
        c.result.emplace((*c.fn)());
      }
    } catch (...) {
      c.error = std::current_exception();
    }
    c.done.notify();
  };
  detail::submit(call);
  call.done.wait();
  if (call.error)
    std::rethrow_exception(call.error);
  if constexpr (std::is_reference_v<Result>) {
    return static_cast<Result>(**call.result);
  } else if constexpr (!std::is_void_v<Result>) {
    return std::move(*call.result);
  }
}

} // namespace evy::tpool
