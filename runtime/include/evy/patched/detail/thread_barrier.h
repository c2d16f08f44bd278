// Green barrier: std::barrier for green threads.
// Part of <evy/patched/thread.h>; include that header, not this one.
#pragma once

#include <evy/spin_lock.h>
#include <evy/waiter.h>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>
#if __has_include(<version>) // the feature-test macros (C++20; libstdc++ has it earlier)
#include <version>
#endif

namespace evy {
namespace green {
namespace detail {

// BarrierCore is the non-template body of barrier: phases and waiters.
class BarrierCore {
public:
  constexpr explicit BarrierCore(std::ptrdiff_t expected) noexcept
      : expected_(expected), remaining_(expected) {}
  BarrierCore(const BarrierCore &) = delete;
  BarrierCore &operator=(const BarrierCore &) = delete;
  // arrive() counts n arrivals (drop: the caller also leaves later phases)
  // and returns the current phase; completes is set when this arrival ends
  // the phase, and then the caller runs the completion and complete_phase().
  std::uint64_t arrive(std::ptrdiff_t n, bool drop, bool &completes) noexcept;
  // complete_phase() starts the next phase and wakes the current one's waiters.
  void complete_phase() noexcept;
  // wait() parks the calling fiber until phase has completed.
  void wait(std::uint64_t phase) const;

private:
  mutable SpinLock guard_;
  std::ptrdiff_t expected_;
  std::ptrdiff_t remaining_;
  std::uint64_t phase_ = 0;
  mutable WaitQueue waiters_;
};

// EmptyCompletion is barrier's default completion step.
struct EmptyCompletion {
  void operator()() noexcept {}
};

} // namespace detail

#if defined(__cpp_lib_barrier)
// barrier is std::barrier for green threads; the completion runs in the
// fiber whose arrival completes the phase, before any waiter resumes. Waits
// end with evy::TimeoutError when the fiber's evy::Timeout expires.
template <class CompletionFunction = detail::EmptyCompletion> class barrier {
  static_assert(std::is_nothrow_invocable_v<CompletionFunction &>,
                "std::barrier requires a noexcept completion function");

public:
  // arrival_token ties a wait() to the phase of its arrive().
  class arrival_token {
  public:
    arrival_token(arrival_token &&) noexcept = default;
    arrival_token &operator=(arrival_token &&) noexcept = default;

  private:
    friend class barrier;
    explicit arrival_token(std::uint64_t phase) noexcept : phase_(phase) {}
    std::uint64_t phase_;
  };

  // max() is the largest expected count.
  static constexpr std::ptrdiff_t max() noexcept {
    return std::numeric_limits<std::ptrdiff_t>::max();
  }
  constexpr explicit barrier(std::ptrdiff_t expected, CompletionFunction f = CompletionFunction())
      : core_(expected), completion_(std::move(f)) {}
  barrier(const barrier &) = delete;
  barrier &operator=(const barrier &) = delete;

  // arrive() counts update arrivals in the current phase.
  [[nodiscard]] arrival_token arrive(std::ptrdiff_t update = 1) {
    return arrival_token(arrive_counted(update, false));
  }
  // wait() parks the calling fiber until the token's phase completes.
  void wait(arrival_token &&token) const { core_.wait(token.phase_); }
  // arrive_and_wait() arrives once and waits for the phase to complete.
  void arrive_and_wait() { core_.wait(arrive_counted(1, false)); }
  // arrive_and_drop() arrives once and leaves the later phases.
  void arrive_and_drop() { (void)arrive_counted(1, true); }

private:
  std::uint64_t arrive_counted(std::ptrdiff_t n, bool drop) {
    bool completes = false;
    const std::uint64_t phase = core_.arrive(n, drop, completes);
    if (completes) {
      completion_();
      core_.complete_phase();
    }
    return phase;
  }
  detail::BarrierCore core_;
  [[no_unique_address]] CompletionFunction completion_;
};
#endif // __cpp_lib_barrier: green barrier exactly where std::barrier exists

} // namespace green
} // namespace evy
