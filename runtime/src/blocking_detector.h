// The blocking detector's side of the hub: its start, its signal, and the
// HubProbe each hub carries for it.
#pragma once

#include <evy/spawn.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <typeinfo>

namespace evy::detail {

class Fiber;

// start_blocking_detection_from_environment() honours
// EVY_BLOCKING_DETECTION=<ms> (once per process; later calls do nothing).
void start_blocking_detection_from_environment() noexcept;
// backtrace_signal() is the signal the detector sends a stuck hub thread.
int backtrace_signal() noexcept;

// record_slice_starts is on while blocking detection is configured: only
// then does every switch into a fiber read the clock.
inline std::atomic<bool> record_slice_starts{false};
// steady_now_ns() is steady_clock::now() in nanoseconds.
inline std::int64_t steady_now_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// HubProbe is what the detector (on its own thread) watches of one hub.
// The hub reports its switches and epoll waits through the methods; the
// state is the detector's own.
class [[gnu::visibility("hidden")]] HubProbe {
public:
  // started() records that fiber (the root) runs from now, as switch 0.
  void started(Fiber & fiber) noexcept {
    state_.slice_started_ns.store(steady_now_ns(), std::memory_order_relaxed);
    state_.slice_fiber.store(&fiber, std::memory_order_relaxed);
  }
  // switching_in() counts a switch into fiber (and while detection is on,
  // records when its slice started).
  void switching_in(Fiber & fiber) noexcept {
    const std::uint64_t switches = state_.switch_count.load(std::memory_order_relaxed) + 1;
    if (record_slice_starts.load(std::memory_order_relaxed)) {
      state_.slice_started_ns.store(steady_now_ns(), std::memory_order_relaxed);
      state_.slice_started_switch.store(switches, std::memory_order_relaxed);
    }
    state_.switch_count.store(switches, std::memory_order_release);
    state_.slice_fiber.store(&fiber, std::memory_order_relaxed);
  }
  // switching_out() says the scheduler runs now, not a fiber.
  void switching_out() noexcept { state_.slice_fiber.store(nullptr, std::memory_order_relaxed); }
  // polling() is called before each epoll_wait; after it returned EINTR,
  // interrupted_by_detector() tells whether the detector's signal did it
  // (then it is not a program's signal).
  void polling() noexcept { state_.backtrace_signal_seen.store(false); }
  bool interrupted_by_detector() noexcept { return state_.backtrace_signal_seen.exchange(false); }
  // wait_until_released() waits while the detector still asks this hub's
  // thread for a backtrace (it gives up within 200 ms): the hub's
  // destructor must not free what it touches.
  void wait_until_released() const noexcept;

private:
  // The detector's state. Only the hub's calls above and the detector
  // (through detector_state()) touch it.
  struct State {
    // Bumped on every switch into a fiber; the fiber now running (nullptr:
    // the scheduler).
    std::atomic<std::uint64_t> switch_count{0};
    std::atomic<Fiber *> slice_fiber{nullptr};
    // When the running fiber last resumed (steady_clock ns), and the
    // switch_count it was recorded for: while detection is off no switch
    // records a time, so a stale pair is recognised by its count.
    std::atomic<std::int64_t> slice_started_ns{0};
    std::atomic<std::uint64_t> slice_started_switch{0};
    // Set (under the registry lock) while the detector captures this hub's
    // backtrace outside that lock: the hub's destructor waits for it to clear.
    std::atomic<bool> capture_pinned{false};
    // Backtrace hand-off between the detector and this thread's signal handler.
    std::atomic<int> backtrace_state{0};
    void *backtrace_frames[64] = {};
    int backtrace_depth = 0;
    std::uint64_t backtrace_switch_count = 0;
    // Set by the backtrace signal's handler: the EINTR it causes in
    // epoll_wait is not a program's signal.
    std::atomic<bool> backtrace_signal_seen{false};
    FiberId stuck_fiber_id = 0;
    const std::type_info *stuck_fiber_function = nullptr;
  };
  State state_;

  // detector_state() is the detector's access (found by ADL only).
  friend State &detector_state(HubProbe & probe) noexcept { return probe.state_; }
};

} // namespace evy::detail
