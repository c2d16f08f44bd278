// Hub: the per-OS-thread scheduler. It owns the run queue, the epoll set,
// the timer heap and the stack pool, and runs its loop on a fiber of its
// own; the thread's original stack becomes the "root" fiber, which is how
// main() is a fiber without any init call.
#pragma once

#include "blocking_detector.h"
#include "fiber.h"
#include "registration_sweep.h"
#include "runtime_fd.h"
#include "stack.h"
#include "switch_hook.h"
#include "timer_heap.h"

#include <evy/detail/intrusive_list.h>
#include <evy/spawn.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <vector>

#include <pthread.h>

struct epoll_event;

namespace evy::detail {

// Hidden although <evy/timeout.h> declares it: internal to libevy.
class [[gnu::visibility("hidden")]] Hub {
public:
  // current() returns this thread's hub, creating it on first use.
  static Hub &current() {
    Hub *hub = this_thread_hub;
    return hub != nullptr ? *hub : create_for_this_thread();
  }
  // current_if_any() returns this thread's hub or nullptr (never creates).
  static Hub *current_if_any() noexcept { return this_thread_hub; }
  // for_each() calls f(hub) for every live hub, under the registry lock.
  template <class F> static void for_each(F &&f) {
    std::lock_guard lock(registry_mutex());
    for (Hub *hub : registry())
      f(*hub);
  }

  Hub(const Hub &) = delete;
  Hub &operator=(const Hub &) = delete;
  ~Hub();

  // running() is the fiber executing on this thread right now.
  Fiber &running() noexcept { return *running_; }
  // park() suspends the running fiber until Fiber::resume() is called.
  inline void park() noexcept;
  // yield() requeues the running fiber behind the runnable ones.
  void yield() noexcept;
  // finish_running() ends the running spawned fiber; never returns.
  [[noreturn]] void finish_running() noexcept;
  // spawn() creates a fiber for the request and queues it on this hub,
  // where it stays for life. The second form queues a new green thread on
  // `home` (any live hub; its stack comes from this hub's pool): it stays
  // there for life too, unless `home` is a hub of a multi-hub group and an
  // idle hub of the group takes it before it first runs (steal_fresh).
  Fiber *spawn(const SpawnRequest &request) { return spawn_on(request, *this, false); }
  Fiber *spawn(const SpawnRequest &request, Hub &home) { return spawn_on(request, home, true); }
  // make_runnable() queues a fiber of this hub, from any OS thread.
  void make_runnable(Fiber &fiber) noexcept;
  // release() drops one reference to a spawned fiber, from any OS thread.
  static void release(Fiber &fiber) noexcept;

  TimerHeap &timers() noexcept { return timers_; }
  // registration_sweep() keeps this hub's trusted fd waits honest (fd_wait.cpp).
  RegistrationSweep &registration_sweep() noexcept { return registration_sweep_; }
  // epoll_ctl() is ::epoll_ctl on this hub's epoll set.
  int epoll_ctl(int op, int fd, struct epoll_event *event) noexcept;
  // id() names this hub's epoll set, never reused in the process (a
  // forked child's hub gets a new one): fd registrations refer to it.
  std::uint32_t id() const noexcept { return id_; }
  StackPool &stack_pool() noexcept { return stacks_; }
  pthread_t thread() const noexcept { return thread_; }

  // blocking_probe() is what the blocking detector watches of this hub.
  HubProbe &blocking_probe() noexcept { return probe_; }

  // Spawned fibers of this hub that have not finished: what placement
  // balances (hub_group.cpp). Any thread reads it.
  std::atomic<std::uint32_t> unfinished_fibers{0};
  // Set for the hubs of the hub group: other hubs' fibers may wake this
  // hub's fibers after its thread ended (main returned), so the hub is
  // never destroyed.
  std::atomic<bool> outlives_thread{false};

  // note_signal_wait() records that the running fiber parks in a
  // signal-interruptible wait (SignalWait) now; this thread only.
  void note_signal_wait(Fiber &fiber) noexcept;

  // reinitialise_after_fork() gives a forked child its own epoll and eventfd.
  void reinitialise_after_fork() noexcept;

private:
  using RunQueue = IntrusiveList<Fiber, &Fiber::run_next>;
  static constexpr std::uint64_t kWakeToken = ~std::uint64_t{0};
  // With runnable fibers the loop checks I/O only every this many batches.
  static constexpr unsigned kBatchesPerIoCheck = 8;
  // From this many runnable fibers on, the loop prefetches each next one.
  static constexpr std::size_t kPrefetchBatch = 4;

  // A fresh (never run) green thread waits this long for its own hub
  // before an idle hub may take it: long enough that a creator starting
  // a burst of green threads, which it then joins, keeps its share.
  static constexpr std::chrono::milliseconds kStealAfter{1};

  Hub();
  static Hub &create_for_this_thread();
  static std::mutex &registry_mutex();
  static std::vector<Hub *> &registry();
  // initial-exec: read at every switch and green call; the default model
  // in a shared library calls __tls_get_addr each time. 8 bytes of static
  // TLS, which glibc reserves even for a libevy loaded by dlopen.
  // constinit: no dynamic initialisation, so no TLS wrapper call either
  // (clang would call one, hidden, that only hub.cpp defines).
  [[gnu::tls_model("initial-exec")]] static constinit thread_local Hub *this_thread_hub;

  static void scheduler_entry(void *hub) noexcept;
  static void fiber_entry(void *fiber) noexcept;
  [[noreturn]] void scheduler_loop() noexcept;
  void run_fiber(Fiber &fiber) noexcept;
  void after_switch(Fiber &fiber) noexcept;
  inline void switch_to_scheduler(Fiber &self, bool finished) noexcept;
  void ensure_scheduler();
  [[gnu::noinline, gnu::cold]] void start_scheduler() noexcept; // or abort
  void push_local(Fiber &fiber) noexcept;
  Fiber *pop_local() noexcept;
  void take_remote() noexcept;
  Fiber *spawn_on(const SpawnRequest &request, Hub &home, bool stealable);
  // Fresh green threads of a group hub (see spawn()): pushed by any
  // thread, run in order by the owner, stolen by idle hubs of the group.
  void push_fresh(Fiber &fiber) noexcept;
  Fiber *pop_fresh_locked() noexcept;
  void run_fresh() noexcept;
  Fiber *steal_fresh(Deadline now, Deadline &retry) noexcept;
  int steal_or_sleep(int timeout_ms) noexcept;
  void adopt(Fiber &fiber, Hub &from) noexcept;
  static void wake_an_idle_hub(const Hub &except) noexcept;
  void poll_idle() noexcept;
  void fresh_after_fork() noexcept;
  void poll_io(int timeout_ms) noexcept;
  int io_timeout_ms() const noexcept;
  void fire_timers() noexcept;
  void deliver_signal() noexcept;
  Fiber *latest_signal_wait() const noexcept;
  void open_descriptors();
  void wake() noexcept;

  Fiber root_;
  Fiber scheduler_;
  Stack scheduler_stack_;
  bool scheduler_started_ = false;
  Fiber *running_;

  // Every fiber of this hub that ever made a signal-interruptible wait,
  // until it ends, how many such waits began, and the fiber of the latest:
  // a wait costs no list operation, and deliver_signal() (rare) scans the
  // list only when the latest wait has ended while others go on.
  IntrusiveList<Fiber, &Fiber::signal_next, &Fiber::signal_prev> signal_listed_;
  std::uint64_t signal_waits_begun_ = 0;
  Fiber *latest_signal_wait_ = nullptr; // cleared when that fiber ends

  RunQueue run_queue_;
  std::size_t run_count_ = 0;
  unsigned batches_since_io_ = 0;

  std::mutex remote_mutex_;
  RunQueue remote_queue_; // guarded by remote_mutex_
  std::atomic<bool> remote_pending_{false};

  std::mutex fresh_mutex_;
  RunQueue fresh_queue_;   // guarded by fresh_mutex_
  Deadline front_seen_{};  // guarded: when an idle hub first saw the front
  std::atomic<std::size_t> fresh_count_{0};
  // Set while this group hub sleeps with nothing to steal in sight: a new
  // fresh green thread anywhere in the group wakes it (wake_an_idle_hub).
  std::atomic<bool> idle_{false};

  RuntimeFd epoll_;
  std::uint32_t id_ = 0;
  RuntimeFd wake_;
  TimerHeap timers_;
  RegistrationSweep registration_sweep_{timers_}; // after timers_: uses it
  StackPool stacks_;
  pthread_t thread_;
  HubProbe probe_;
};

// SignalWaitScope makes the running fiber's waits within it end on a
// signal as the green system call would (see SignalWait).
class SignalWaitScope {
public:
  explicit SignalWaitScope(SignalWait kind) noexcept
      : fiber_(Hub::current().running()), previous_(fiber_.signal_wait) {
    fiber_.signal_wait = kind;
  }
  SignalWaitScope(const SignalWaitScope &) = delete;
  SignalWaitScope &operator=(const SignalWaitScope &) = delete;
  ~SignalWaitScope() { fiber_.signal_wait = previous_; }

private:
  Fiber &fiber_;
  SignalWait previous_;
};

// next_fiber_id() hands out process-unique fiber ids, starting at 1.
FiberId next_fiber_id() noexcept;
// live_fiber_count() counts spawned fibers not yet released.
std::size_t live_fiber_count() noexcept;
// hub_count() counts live hubs.
std::size_t hub_count() noexcept;

// Inline, so that a wait's frame is also the switch's: one frame fewer of
// the parked fiber's stack to write now and read back when it resumes.
inline void Hub::switch_to_scheduler(Fiber &self, bool finished) noexcept {
  if (!scheduler_started_) [[unlikely]]
    start_scheduler();
  // errno is per green thread (DESIGN.md): what other fibers' calls leave
  // in this thread's errno must not show through when this one resumes.
  const int saved_errno = errno;
  fiber_switching_out(self, finished);
  probe_.switching_out();
  current_guarded_stack = &scheduler_stack_;
  sanitizer_before_switch(self.sanitizer, scheduler_.sanitizer, finished);
  // The scheduler is a neutral context (arch/context.h): it must never
  // change the floating-point control state (rounding mode, FTZ/DAZ).
  context_switch_to_neutral(self.context, scheduler_.context);
  sanitizer_after_switch(self.sanitizer, &scheduler_.sanitizer);
  fiber_switched_in(self);
  errno = saved_errno;
}

inline void Hub::park() noexcept {
  Fiber &self = *running_;
  self.after_switch = AfterSwitch::park;
  switch_to_scheduler(self, false);
}

} // namespace evy::detail
