// EVY_BLOCKING_DETECTION: a watchdog thread notices a hub whose switch
// counter stood still for the threshold while a fiber was running, then
// asks that thread (by a signal) for a backtrace of the stuck fiber.
#include "blocking_detector.h"

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
namespace {

using Clock = std::chrono::steady_clock;
using detail::Hub;

// backtrace_state values, a hand-off between the watchdog and the handler.
enum : int { kIdle = 0, kRequested = 1, kWriting = 2, kDone = 3 };

int backtrace_signal() noexcept { return SIGRTMIN + 7; }

// Runs on the stuck thread, on the stuck fiber's stack (no SA_ONSTACK), so
// that backtrace() walks exactly that fiber.
void on_backtrace_signal(int, siginfo_t *, void *) {
  Hub *hub = Hub::current_if_any();
  if (hub == nullptr)
    return;
  int expected = kRequested;
  if (!hub->backtrace_state.compare_exchange_strong(expected, kWriting))
    return; // the watchdog gave up already
  hub->backtrace_depth = ::backtrace(hub->backtrace_frames, 64);
  hub->backtrace_switch_count = hub->switch_count.load(std::memory_order_relaxed);
  detail::Fiber &fiber = hub->running();
  hub->stuck_fiber_id = fiber.id;
  hub->stuck_fiber_function = fiber.function;
  hub->backtrace_state.store(kDone, std::memory_order_release);
}

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
    changed_.notify_all();
  }

  // disable() parks the watchdog thread until configured again.
  void disable() noexcept {
    std::lock_guard lock(mutex_);
    threshold_ = std::chrono::milliseconds(0);
  }

private:
  struct Observation {
    std::uint64_t switches = 0;
    Clock::time_point since{};
    bool reported = false;
  };

  [[noreturn]] void run() {
    pthread_setname_np(pthread_self(), "evy-watchdog");
    std::unordered_map<Hub *, Observation> seen;
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
      std::vector<BlockingReport> reports;
      const Clock::time_point now = Clock::now();
      Hub::for_each([&](Hub &hub) { observe(hub, seen[&hub], now, threshold, reports); });
      if (seen.size() > 4 * detail::hub_count() + 16)
        seen.clear(); // forget hubs that went away
      for (const BlockingReport &report : reports)
        reporter(report);
    }
  }

  void observe(Hub &hub, Observation &seen, Clock::time_point now,
               std::chrono::milliseconds threshold, std::vector<BlockingReport> &reports) {
    const std::uint64_t switches = hub.switch_count.load(std::memory_order_relaxed);
    const bool fiber_running = hub.slice_fiber.load(std::memory_order_relaxed) != nullptr;
    if (!fiber_running || switches != seen.switches) {
      seen = Observation{switches, now, false};
      return;
    }
    const auto ran = std::chrono::duration_cast<std::chrono::milliseconds>(now - seen.since);
    if (seen.reported || ran < threshold)
      return;
    seen.reported = true;
    BlockingReport report;
    report.ran_for = ran;
    capture(hub, switches, report);
    reports.push_back(std::move(report));
  }

  // capture() asks the stuck thread for its backtrace; gives up after 200 ms.
  static void capture(Hub &hub, std::uint64_t switches, BlockingReport &report) {
    hub.backtrace_state.store(kRequested, std::memory_order_release);
    if (pthread_kill(hub.thread(), backtrace_signal()) != 0) {
      hub.backtrace_state.store(kIdle);
      return;
    }
    const Clock::time_point give_up = Clock::now() + std::chrono::milliseconds(200);
    while (hub.backtrace_state.load(std::memory_order_acquire) != kDone) {
      int expected = kRequested;
      if (Clock::now() > give_up && hub.backtrace_state.compare_exchange_strong(expected, kIdle))
        return;
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    // A switch before the signal arrived means we caught some other fiber:
    // say nothing. (After it, the stuck call may well have ended: a signal
    // ends nanosleep, poll and the like early, with EINTR.)
    if (hub.backtrace_switch_count == switches) {
      report.fiber = hub.stuck_fiber_id;
      report.function = hub.stuck_fiber_function != nullptr
                            ? demangle(hub.stuck_fiber_function->name())
                            : std::string("the thread's own stack (e.g. main)");
      report.backtrace = symbolize(hub.backtrace_frames, hub.backtrace_depth);
    }
    hub.backtrace_state.store(kIdle, std::memory_order_release);
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
void start_blocking_detection_from_environment() noexcept {
  static const bool started = [] {
    const char *text = std::getenv("EVY_BLOCKING_DETECTION");
    if (text == nullptr)
      return false;
    char *end = nullptr;
    const long ms = std::strtol(text, &end, 10);
    if (end == text || *end != '\0' || ms <= 0) {
      std::fprintf(stderr, "evy: ignoring malformed EVY_BLOCKING_DETECTION=%s\n", text);
      return false;
    }
    try {
      enable_blocking_detection(std::chrono::milliseconds(ms));
    } catch (...) {
      return false;
    }
    return true;
  }();
  (void)started;
}
} // namespace detail

} // namespace evy
