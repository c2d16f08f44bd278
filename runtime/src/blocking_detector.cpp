// EVY_BLOCKING_DETECTION: a watchdog thread notices a hub whose switch
// counter stood still for the threshold while a fiber was running, then
// asks that thread (by a signal) for a backtrace of the stuck fiber.
#include "blocking_detector.h"

#include "environment.h"
#include "hub.h"

#include <evy/blocking_detection.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cxxabi.h>
#include <execinfo.h>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <pthread.h>

namespace evy {

int detail::backtrace_signal() noexcept { return SIGRTMIN + 7; }

namespace {
using detail::backtrace_signal;

using Clock = std::chrono::steady_clock;
using detail::Hub;

// backtrace_state values, a hand-off between the watchdog and the handler.
enum : int { kIdle = 0, kRequested = 1, kWriting = 2, kDone = 3 };

std::string demangle(const char *name) {
  int status = 0;
  std::unique_ptr<char, decltype(&std::free)> readable(
      abi::__cxa_demangle(name, nullptr, nullptr, &status), &std::free);
  return status == 0 && readable ? readable.get() : name;
}

// symbolize() turns frames into "  #i symbol" lines, demangled when possible.
std::string symbolize(void *const *frames, int depth) {
  std::string text;
  std::unique_ptr<char *, decltype(&std::free)> symbols(::backtrace_symbols(frames, depth),
                                                        &std::free);
  for (int i = 0; i < depth; ++i) {
    std::string line = symbols ? symbols.get()[i] : "?";
    // "object(mangled+0x12) [0x...]": demangle the part in parentheses.
    const auto open = line.find('(');
    const auto plus = line.find('+', open == std::string::npos ? 0 : open);
    if (open != std::string::npos && plus != std::string::npos && plus > open + 1)
      line = line.substr(0, open + 1) + demangle(line.substr(open + 1, plus - open - 1).c_str()) +
             line.substr(plus);
    text += "  #" + std::to_string(i) + " " + line + "\n";
  }
  return text;
}

void print_report(const BlockingReport &report) {
  std::fprintf(stderr,
               "evy: blocking detected: fiber %llu (%s) ran %lld ms without "
               "yielding; its stack:\n%s",
               static_cast<unsigned long long>(report.fiber), report.function.c_str(),
               static_cast<long long>(report.ran_for.count()), report.backtrace.c_str());
}

// Runs on the stuck thread, on the stuck fiber's stack (no SA_ONSTACK), so
// that backtrace() walks exactly that fiber.
void on_backtrace_signal(int, siginfo_t *, void *) {
  Hub *hub = Hub::current_if_any();
  if (hub == nullptr)
    return;
  auto &state = detector_state(hub->blocking_probe());
  state.backtrace_signal_seen.store(true); // its EINTR is not the program's
  int expected = kRequested;
  if (!state.backtrace_state.compare_exchange_strong(expected, kWriting))
    return; // the watchdog gave up already
  state.backtrace_depth = ::backtrace(state.backtrace_frames, 64);
  state.backtrace_switch_count = state.switch_count.load(std::memory_order_relaxed);
  detail::Fiber &fiber = hub->running();
  state.stuck_fiber_id = fiber.id;
  state.stuck_fiber_function = fiber.function;
  state.backtrace_state.store(kDone, std::memory_order_release);
}

class Watchdog {
public:
  void configure(std::chrono::milliseconds threshold, BlockingReporter reporter) {
    std::call_once(setup_, [this] {
      // backtrace() loads libgcc on first use, which is not signal-safe:
      // do it here, on an ordinary thread.
      void *warm_up[1];
      (void)::backtrace(warm_up, 1);
      struct sigaction action {};
      action.sa_sigaction = &on_backtrace_signal;
      action.sa_flags = SA_SIGINFO | SA_RESTART;
      sigemptyset(&action.sa_mask);
      sigaction(backtrace_signal(), &action, nullptr);
      std::thread(&Watchdog::run, this).detach();
    });
    std::lock_guard lock(mutex_);
    threshold_ = threshold;
    reporter_ = reporter ? std::move(reporter) : BlockingReporter(&print_report);
    detail::record_slice_starts.store(true, std::memory_order_relaxed);
    changed_.notify_all();
  }

  // disable() parks the watchdog thread until configured again.
  void disable() noexcept {
    std::lock_guard lock(mutex_);
    threshold_ = std::chrono::milliseconds(0);
    detail::record_slice_starts.store(false, std::memory_order_relaxed);
  }

private:
  // What the watchdog last saw of one hub (keyed by Hub::id, never reused:
  // a new hub at a freed hub's address starts afresh).
  struct Observation {
    std::uint64_t switches = 0;
    Clock::time_point first_seen{};
    bool reported = false;
  };
  // A hub to ask for a backtrace; pinned so that it outlives the request.
  struct Suspect {
    Hub *hub;
    std::uint64_t switches;
    std::chrono::milliseconds ran;
  };

  [[noreturn]] void run() {
    pthread_setname_np(pthread_self(), "evy-watchdog");
    std::unordered_map<std::uint32_t, Observation> seen;
    for (;;) {
      std::chrono::milliseconds threshold;
      BlockingReporter reporter;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return threshold_.count() > 0; });
        threshold = threshold_;
        reporter = reporter_;
        const auto interval =
            std::clamp(threshold / 4, std::chrono::milliseconds(1), std::chrono::milliseconds(50));
        changed_.wait_for(lock, interval);
      }
      std::vector<Suspect> suspects;
      std::unordered_map<std::uint32_t, Observation> still_seen;
      const Clock::time_point now = Clock::now();
      Hub::for_each([&](Hub &hub) {
        Observation &mine = still_seen[hub.id()];
        if (auto found = seen.find(hub.id()); found != seen.end())
          mine = found->second;
        else
          mine.switches = ~std::uint64_t{0}; // never seen: starts afresh below
        observe(hub, mine, now, threshold, suspects);
      });
      seen.swap(still_seen); // forgets hubs that went away
      // Backtraces are asked for outside the registry lock: a thread that
      // creates its hub meanwhile must not wait for a stuck one.
      for (const Suspect &suspect : suspects) {
        BlockingReport report;
        report.ran_for = suspect.ran;
        capture(*suspect.hub, suspect.switches, report);
        detector_state(suspect.hub->blocking_probe())
            .capture_pinned.store(false, std::memory_order_release);
        reporter(report);
      }
    }
  }

  // observe() runs under the registry lock; a hub whose fiber ran past the
  // threshold is pinned and queued as a suspect.
  static void observe(Hub &hub, Observation &seen, Clock::time_point now,
                      std::chrono::milliseconds threshold, std::vector<Suspect> &suspects) {
    auto &state = detector_state(hub.blocking_probe());
    const std::uint64_t switches = state.switch_count.load(std::memory_order_acquire);
    const bool fiber_running = state.slice_fiber.load(std::memory_order_relaxed) != nullptr;
    if (!fiber_running) {
      seen.switches = ~std::uint64_t{0};
      return;
    }
    if (switches != seen.switches)
      seen = Observation{switches, now, false};
    if (seen.reported)
      return;
    const auto ran = std::chrono::duration_cast<std::chrono::milliseconds>(
        now - slice_start(hub, switches, seen.first_seen));
    if (ran < threshold)
      return;
    seen.reported = true;
    state.capture_pinned.store(true, std::memory_order_relaxed);
    suspects.push_back(Suspect{&hub, switches, ran});
  }

  // slice_start() is when the fiber running since switch `switches`
  // resumed: the hub's own record when it is about this very slice, else
  // (the switch happened while detection was off) when we first saw it.
  static Clock::time_point slice_start(Hub &hub, std::uint64_t switches,
                                       Clock::time_point first_seen) {
    auto &state = detector_state(hub.blocking_probe());
    const std::int64_t started = state.slice_started_ns.load(std::memory_order_relaxed);
    const std::uint64_t recorded_for = state.slice_started_switch.load(std::memory_order_relaxed);
    if (recorded_for != switches)
      return first_seen;
    const Clock::time_point at{std::chrono::nanoseconds(started)};
    return std::min(at, first_seen);
  }

  // capture() asks the stuck thread for its backtrace; gives up after 200 ms.
  static void capture(Hub &hub, std::uint64_t switches, BlockingReport &report) {
    auto &state = detector_state(hub.blocking_probe());
    state.backtrace_state.store(kRequested, std::memory_order_release);
    if (pthread_kill(hub.thread(), backtrace_signal()) != 0) {
      state.backtrace_state.store(kIdle);
      return;
    }
    const Clock::time_point give_up = Clock::now() + std::chrono::milliseconds(200);
    while (state.backtrace_state.load(std::memory_order_acquire) != kDone) {
      int expected = kRequested;
      if (Clock::now() > give_up && state.backtrace_state.compare_exchange_strong(expected, kIdle))
        return;
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    // A switch before the signal arrived means we caught some other fiber:
    // say nothing. (After it, the stuck call may well have ended: a signal
    // ends nanosleep, poll and the like early, with EINTR.)
    if (state.backtrace_switch_count == switches) {
      report.fiber = state.stuck_fiber_id;
      report.function = state.stuck_fiber_function != nullptr
                            ? demangle(state.stuck_fiber_function->name())
                            : std::string("the thread's own stack (e.g. main)");
      report.backtrace = symbolize(state.backtrace_frames, state.backtrace_depth);
    }
    state.backtrace_state.store(kIdle, std::memory_order_release);
  }

  std::once_flag setup_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::chrono::milliseconds threshold_{0};
  BlockingReporter reporter_;
};

Watchdog &watchdog() {
  static Watchdog *instance = new Watchdog(); // its thread outlives statics
  return *instance;
}
} // namespace

void enable_blocking_detection(std::chrono::milliseconds threshold, BlockingReporter reporter) {
  if (threshold.count() <= 0) {
    disable_blocking_detection();
    return;
  }
  watchdog().configure(threshold, std::move(reporter));
}

void disable_blocking_detection() noexcept { watchdog().disable(); }

namespace detail {
void HubProbe::wait_until_released() const noexcept {
  while (state_.capture_pinned.load(std::memory_order_acquire))
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void start_blocking_detection_from_environment() noexcept {
  static const bool started = [] {
    const auto ms = positive_from_environment("EVY_BLOCKING_DETECTION");
    if (!ms)
      return false;
    try {
      enable_blocking_detection(std::chrono::milliseconds(*ms));
    } catch (...) {
      return false;
    }
    return true;
  }();
  (void)started;
}
} // namespace detail

} // namespace evy
