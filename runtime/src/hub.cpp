// The hub: scheduling loop, parking handshake, spawning and releasing fibers.
#include "hub.h"

#include "blocking_detector.h"
#include "fd_table.h"
#include "switch_hook.h"

#include <evy/stats.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>
#include <thread>
#include <utility>

#include <csignal>

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace evy::detail {

[[gnu::tls_model("initial-exec")]] constinit thread_local Hub *Hub::this_thread_hub = nullptr;

namespace {
std::atomic<FiberId> last_fiber_id{0};
std::atomic<std::size_t> live_fibers{0};
std::atomic<std::size_t> live_hubs{0};
std::atomic<std::uint32_t> last_hub_id{0};

// The hub's own loop needs little stack, but sanitizer builds and deep
// timer callbacks want headroom; it is address space, touched lazily.
constexpr std::size_t kSchedulerStackSize = 256 * 1024;
// A spawned fiber keeps at least this much stack below its callable.
constexpr std::size_t kMinimumUsableStack = 16 * 1024;

[[noreturn]] void fatal(const char *what) noexcept {
  std::fprintf(stderr, "evy: %s: %s\n", what, std::strerror(errno));
  std::abort();
}

// Destroys this thread's hub when the thread exits.
struct HubOwner {
  Hub *hub = nullptr;
  ~HubOwner() {
    if (hub != nullptr && !hub->outlives_thread.load(std::memory_order_acquire))
      delete hub;
  }
};
thread_local HubOwner this_thread_hub_owner;

// HandlersSeen: what sigaction() says of the program's signal handlers.
// The hub cannot know which signal ran, so SA_RESTART counts only if every
// handler has it. Fault signals (SIGSEGV and co., which sanitizers and the
// overflow guard catch) are synchronous, never what interrupts a wait, and
// backtrace_signal() is the blocking detector's: those are left out.
struct HandlersSeen {
  bool any = false;
  bool all_restart = true;
};

HandlersSeen installed_handlers() noexcept {
  HandlersSeen seen;
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP ||
        sig == backtrace_signal())
      continue;
    struct sigaction action {};
    if (sigaction(sig, nullptr, &action) != 0)
      continue; // glibc's own, or not a signal
    if (action.sa_handler == SIG_DFL || action.sa_handler == SIG_IGN)
      continue;
    seen.any = true;
    if ((action.sa_flags & SA_RESTART) == 0)
      seen.all_restart = false;
  }
  return seen;
}

void after_fork_in_child() noexcept {
  Hub *hub = Hub::current_if_any();
  if (hub == nullptr)
    return;
  hub->reinitialise_after_fork();
  // The child of a thread's fork() has that one thread, and ends when it
  // does; so here, when the green thread that forked returns.
  if (hub->running().green_thread)
    hub->running().ends_process = true;
}
} // namespace

FiberId next_fiber_id() noexcept {
  return last_fiber_id.fetch_add(1, std::memory_order_relaxed) + 1;
}
std::size_t live_fiber_count() noexcept { return live_fibers.load(std::memory_order_relaxed); }
std::size_t hub_count() noexcept { return live_hubs.load(std::memory_order_relaxed); }

std::mutex &Hub::registry_mutex() {
  static std::mutex mutex;
  return mutex;
}
std::vector<Hub *> &Hub::registry() {
  static std::vector<Hub *> hubs;
  return hubs;
}

Hub &Hub::create_for_this_thread() {
  static const bool fork_handler_installed =
      (pthread_atfork(nullptr, nullptr, &after_fork_in_child), true);
  (void)fork_handler_installed;
  install_overflow_handler();
  Hub *hub = new Hub();
  this_thread_hub = hub;
  this_thread_hub_owner.hub = hub;
  {
    std::lock_guard lock(registry_mutex());
    registry().push_back(hub);
  }
  live_hubs.fetch_add(1, std::memory_order_relaxed);
  start_blocking_detection_from_environment();
  return *hub;
}

Hub::Hub()
    : root_(*this, next_fiber_id()), scheduler_(*this, 0), running_(&root_),
      thread_(pthread_self()) {
  sanitizer_root_fiber(root_.sanitizer);
  open_descriptors();
  // The root fiber runs from here on: its slice starts now (switch 0).
  probe_.started(root_);
}

void Hub::open_descriptors() {
  id_ = last_hub_id.fetch_add(1, std::memory_order_relaxed) + 1;
  // A blocked epoll_wait is ended by the eventfd when the epoll fd moves.
  if (!epoll_.adopt(epoll_create1(EPOLL_CLOEXEC), [](void *hub) { static_cast<Hub *>(hub)->wake(); },
                    this))
    fatal("epoll_create1 failed");
  if (!wake_.adopt(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)))
    fatal("eventfd failed");
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = kWakeToken;
  if (wake_.use([&](int wake_fd) { return epoll_ctl(EPOLL_CTL_ADD, wake_fd, &event); }) != 0)
    fatal("epoll_ctl(eventfd) failed");
}

int Hub::epoll_ctl(int op, int fd, struct epoll_event *event) noexcept {
  return epoll_.use([&](int epoll_fd) { return ::epoll_ctl(epoll_fd, op, fd, event); });
}

void Hub::wake() noexcept {
  const std::uint64_t one = 1;
  // EAGAIN means the counter is already non-zero: the hub will wake.
  [[maybe_unused]] ssize_t ignored =
      wake_.use([&](int wake_fd) { return ::write(wake_fd, &one, sizeof one); });
}

void Hub::reinitialise_after_fork() noexcept {
  runtime_fds_after_fork();
  epoll_.reset();
  wake_.reset();
  open_descriptors();
  thread_ = pthread_self();
  // Another thread may have held these at the fork: it is gone.
  new (&remote_mutex_) std::mutex();
  new (&fresh_mutex_) std::mutex();
  fresh_after_fork();
  {
    // Only this thread survived the fork: forget the other threads' hubs.
    new (&registry_mutex()) std::mutex();
    registry().assign(1, this);
    live_hubs.store(1, std::memory_order_relaxed);
  }
  rearm_fd_watches(*this);
}

Hub::~Hub() {
  {
    std::lock_guard lock(registry_mutex());
    auto &hubs = registry();
    hubs.erase(std::remove(hubs.begin(), hubs.end(), this), hubs.end());
  }
  live_hubs.fetch_sub(1, std::memory_order_relaxed);
  this_thread_hub = nullptr;
  probe_.wait_until_released();
  epoll_.reset();
  wake_.reset();
  // exit() called inside a fiber runs thread_local destructors on that
  // fiber's stack: then the stacks must stay mapped.
  if (running_ == &root_) {
    stacks_.release_all();
    unmap_stack(scheduler_stack_);
  }
  sanitizer_fiber_destroyed(scheduler_.sanitizer);
}

// ------------------------------------------------------------- switching

void Hub::ensure_scheduler() {
  if (scheduler_started_)
    return;
  scheduler_stack_ = map_stack(kSchedulerStackSize, /*counted=*/false);
  scheduler_.stack = scheduler_stack_;
  context_init(scheduler_.context, scheduler_stack_.low(), scheduler_stack_.usable_size(),
               &Hub::scheduler_entry, this);
  sanitizer_fiber_created(scheduler_.sanitizer, scheduler_stack_.low(),
                          scheduler_stack_.usable_size());
  scheduler_started_ = true;
}

void Hub::start_scheduler() noexcept {
  try {
    ensure_scheduler();
  } catch (const std::exception &e) {
    std::fprintf(stderr, "%s\n", e.what());
    std::abort();
  }
}

void Hub::run_fiber(Fiber &fiber) noexcept {
  running_ = &fiber;
  probe_.switching_in(fiber);
  // Not read here: the Stack lies past the two lines a switch touches (a
  // thread's own stack, an empty Stack, has no guard to fault in).
  current_guarded_stack = &fiber.stack;
  sanitizer_before_switch(scheduler_.sanitizer, fiber.sanitizer, false);
  context_switch_from_neutral(scheduler_.context, fiber.context);
  sanitizer_after_switch(scheduler_.sanitizer, &fiber.sanitizer);
  running_ = &scheduler_;
  after_switch(fiber);
}

void Hub::after_switch(Fiber &fiber) noexcept {
  const AfterSwitch what = fiber.after_switch;
  fiber.after_switch = AfterSwitch::nothing;
  switch (what) {
  case AfterSwitch::nothing:
    break;
  case AfterSwitch::requeue:
    push_local(fiber);
    break;
  case AfterSwitch::park: {
    // The fiber's registers are saved now; from here on a waker may run it.
    ParkState expected = ParkState::running;
    if (!fiber.park_state.compare_exchange_strong(expected, ParkState::parked,
                                                  std::memory_order_acq_rel)) {
      // It was woken while on its way here: run it again instead.
      fiber.park_state.store(ParkState::running, std::memory_order_relaxed);
      push_local(fiber);
    }
    break;
  }
  case AfterSwitch::finish:
    release(fiber); // the body's reference; the stack is free now
    break;
  }
}

void Hub::yield() noexcept {
  Fiber &self = *running_;
  self.after_switch = AfterSwitch::requeue;
  switch_to_scheduler(self, false);
}

void Hub::make_runnable(Fiber &fiber) noexcept {
  EVY_ASSERT(fiber.hub == this);
  if (this_thread_hub == this) {
    push_local(fiber);
    return;
  }
  // All of it under the lock, the eventfd write included: the fiber can
  // only run (and its thread exit, destroying this hub) after take_remote()
  // got the lock, so a notifier never touches a hub that is gone.
  std::lock_guard lock(remote_mutex_);
  const bool was_empty = remote_queue_.empty();
  remote_queue_.push_back(fiber);
  remote_pending_.store(true, std::memory_order_release);
  if (was_empty)
    wake();
}

void Hub::push_local(Fiber &fiber) noexcept {
  run_queue_.push_back(fiber);
  ++run_count_;
}

Fiber *Hub::pop_local() noexcept {
  Fiber *fiber = run_queue_.pop_front();
  if (fiber != nullptr)
    --run_count_;
  return fiber;
}

void Hub::take_remote() noexcept {
  RunQueue taken;
  {
    std::lock_guard lock(remote_mutex_);
    taken = std::move(remote_queue_);
    remote_pending_.store(false, std::memory_order_relaxed);
  }
  while (Fiber *fiber = taken.pop_front())
    push_local(*fiber);
}

// ------------------------------------------------------------------ loop

void Hub::scheduler_entry(void *argument) noexcept {
  Hub &hub = *static_cast<Hub *>(argument);
  // The first switch here always comes from a fiber that parks or yields.
  Fiber &from = *hub.running_;
  sanitizer_after_switch(hub.scheduler_.sanitizer, &from.sanitizer);
  hub.running_ = &hub.scheduler_;
  hub.after_switch(from);
  hub.scheduler_loop();
}

void Hub::scheduler_loop() noexcept {
  for (;;) {
    // Timers and I/O first: a fiber that just yielded must see the
    // timeouts that expired while it ran before it runs again.
    if (remote_pending_.load(std::memory_order_acquire))
      take_remote();
    const bool runnable =
        run_count_ != 0 || fresh_count_.load(std::memory_order_relaxed) != 0;
    if (!runnable || ++batches_since_io_ >= kBatchesPerIoCheck) {
      batches_since_io_ = 0;
      if (runnable)
        poll_io(0);
      else
        poll_idle(); // may steal a fresh green thread instead of sleeping
    }
    fire_timers();
    // Run what is runnable now, once; fibers queued meanwhile wait a round.
    // In a large batch (a server's many connections) the next fiber's
    // stack is cold, as the others ran since it parked: fetch it while this
    // one runs. A small one (fibers taking turns) is in cache already.
    const bool prefetch = run_count_ >= kPrefetchBatch;
    for (std::size_t batch = run_count_; batch > 0; --batch) {
      Fiber &fiber = *pop_local();
      if (Fiber *next = prefetch ? run_queue_.front() : nullptr) {
        prefetch_context(next->context);
        // The one after it: the saved stack pointer the next turn of this
        // loop reads to find its stack, and the fields its wait reads as
        // it resumes (fiber.h: on x86-64 the record's two hot lines).
        if (Fiber *after = next->run_next) {
          __builtin_prefetch(saved_stack_pointer(after->context));
          __builtin_prefetch(&after->park_state);
        }
      }
      run_fiber(fiber);
    }
    // New green threads last, as if queued behind the others (never with
    // one hub: only hubs of a group have fresh ones).
    if (fresh_count_.load(std::memory_order_relaxed) != 0)
      run_fresh();
  }
}

int Hub::io_timeout_ms() const noexcept {
  if (remote_pending_.load(std::memory_order_acquire))
    return 0;
  if (timers_.empty())
    return -1;
  const auto left = timers_.earliest() - std::chrono::steady_clock::now();
  if (left <= left.zero())
    return 0;
  // Round up: waking early would only spin until the deadline.
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
  return static_cast<int>(std::min<long long>(ms, INT_MAX));
}

void Hub::poll_io(int timeout_ms) noexcept {
  epoll_event events[256];
  // A move of the epoll fd (a green dup2 onto its number) waits for this
  // call to end, and kicks it through the eventfd.
  probe_.polling();
  const int count = epoll_.use(
      [&](int epoll_fd) { return epoll_wait(epoll_fd, events, 256, timeout_ms); });
  const int wait_errno = errno;
  for (int i = 0; i < count; ++i) {
    const std::uint64_t token = events[i].data.u64;
    if (token == kWakeToken) {
      std::uint64_t value;
      [[maybe_unused]] ssize_t ignored =
          wake_.use([&](int wake_fd) { return ::read(wake_fd, &value, sizeof value); });
      continue;
    }
    dispatch_fd_event(*this, static_cast<int>(token & 0xffffffffu),
                      static_cast<std::uint32_t>(token >> 32), events[i].events);
  }
  if (count < 0 && wait_errno == EINTR && !probe_.interrupted_by_detector())
    deliver_signal();
  if (count < 0 && wait_errno != EINTR) {
    errno = wait_errno;
    fatal("epoll_wait failed");
  }
}

// deliver_signal(): a handler ran on this thread during epoll_wait. It
// interrupts "the thread's" call: the root fiber's if it waits in one,
// else the one whose wait began last (exact when only one fiber waits).
void Hub::deliver_signal() noexcept {
  Fiber *target = root_.signal_waiter != nullptr ? &root_ : latest_signal_wait();
  if (target == nullptr)
    return;
  const HandlersSeen handlers = installed_handlers();
  if (!handlers.any)
    return; // no handler ran: a stop and SIGCONT, which the originals restart
  if (target->signal_wait == SignalWait::restartable && handlers.all_restart)
    return; // SA_RESTART: the original goes on waiting
  Fiber::signal(*target);
}

// latest_signal_wait() is the fiber in the signal-interruptible wait that
// began last, or nullptr. Usually that is the latest wait of all, still
// going (the hub sleeps only when every fiber is parked); the scan, one
// look at every fiber that ever made such a wait, is for when it ended.
Fiber *Hub::latest_signal_wait() const noexcept {
  Fiber *latest = latest_signal_wait_;
  if (latest != nullptr && latest->signal_waiter != nullptr &&
      latest->signal_wait_number == signal_waits_begun_)
    return latest;
  latest = nullptr;
  for (Fiber *f = signal_listed_.front(); f != nullptr; f = f->signal_next)
    if (f->signal_waiter != nullptr &&
        (latest == nullptr || f->signal_wait_number > latest->signal_wait_number))
      latest = f;
  return latest;
}

void Hub::note_signal_wait(Fiber &fiber) noexcept {
  fiber.signal_wait_number = ++signal_waits_begun_;
  latest_signal_wait_ = &fiber;
  if (!fiber.signal_listed) {
    fiber.signal_listed = true;
    signal_listed_.push_back(fiber);
  }
}

void Hub::fire_timers() noexcept {
  if (timers_.empty())
    return;
  const Deadline now = std::chrono::steady_clock::now();
  while (TimerNode *due = timers_.pop_due(now))
    due->fire(due);
}

// ------------------------------------------------------- spawned fibers

Fiber *Hub::spawn_on(const SpawnRequest &request, Hub &home, bool stealable) {
  Stack stack = stacks_.take();
  auto top = reinterpret_cast<std::uintptr_t>(stack.high());
  sanitizer_stack_reused(stack.low(), top - reinterpret_cast<std::uintptr_t>(stack.low()));
  const std::uintptr_t fiber_at = (top - sizeof(Fiber)) & ~(alignof(Fiber) - 1);
  const std::uintptr_t callable_at = (fiber_at - request.size) & ~(request.align - 1);
  const auto low = reinterpret_cast<std::uintptr_t>(stack.low());
  if (callable_at < low + kMinimumUsableStack) {
    stacks_.give(stack);
    throw std::length_error("evy: the spawned callable does not fit the "
                            "fiber stack (raise EVY_STACK_SIZE)");
  }
  Fiber *fiber = ::new (reinterpret_cast<void *>(fiber_at)) Fiber(home, next_fiber_id());
  void *callable = reinterpret_cast<void *>(callable_at);
  request.relocate(request.source, callable);
  fiber->stack = stack;
  fiber->callable = callable;
  fiber->run = request.run;
  fiber->function = request.function;
  fiber->references.store(2, std::memory_order_relaxed); // body + handle
  fiber->green_thread = stealable; // spawn_thread's: a green thread
  const std::size_t usable = callable_at - low;
  context_init(fiber->context, stack.low(), usable, &Hub::fiber_entry, fiber);
  sanitizer_fiber_created(fiber->sanitizer, stack.low(), usable);
  live_fibers.fetch_add(1, std::memory_order_relaxed);
  home.unfinished_fibers.fetch_add(1, std::memory_order_relaxed);
  // Stealable only among the hubs of a multi-hub group (outlives_thread):
  // with one hub, or outside the group, it is queued as any wake-up is.
  if (stealable && home.outlives_thread.load(std::memory_order_relaxed))
    home.push_fresh(*fiber);
  else
    home.make_runnable(*fiber); // this hub's run queue, or home's remote one
  return fiber;
}

void Hub::fiber_entry(void *argument) noexcept {
  Fiber &self = *static_cast<Fiber *>(argument);
  sanitizer_after_switch(self.sanitizer, &self.hub->scheduler_.sanitizer);
  errno = 0; // as in a new thread, not what the hub's last fiber left
  self.run(self.callable); // noexcept: an escaping exception terminates
  self.hub->finish_running();
}

void Hub::finish_running() noexcept {
  Fiber &self = *running_;
  EVY_ASSERT(self.stack); // a spawned fiber: the root and scheduler never finish
  if (self.ends_process)
    std::exit(0); // as when a process's last thread returns (pthread_exit)
  if (self.signal_listed)
    signal_listed_.remove(self); // its record goes with its stack
  if (latest_signal_wait_ == &self)
    latest_signal_wait_ = nullptr;
  // Before the joiner wakes: a green thread it starts next sees this load.
  unfinished_fibers.fetch_sub(1, std::memory_order_relaxed);
  {
    std::lock_guard lock(self.join_guard);
    self.finished = true;
    // Notify under the lock: a joiner that timed out must not leave (and
    // destroy its Waiter) while we are still touching it.
    if (self.joiner != nullptr)
      self.joiner->notify();
  }
  self.after_switch = AfterSwitch::finish;
  switch_to_scheduler(self, /*finished=*/true);
  std::abort(); // a finished fiber is never resumed
}

void Hub::release(Fiber &fiber) noexcept {
  EVY_ASSERT(fiber.references.load(std::memory_order_relaxed) > 0);
  if (fiber.references.fetch_sub(1, std::memory_order_acq_rel) != 1)
    return;
  Stack stack = fiber.stack;
  sanitizer_fiber_destroyed(fiber.sanitizer);
  fiber.~Fiber(); // it lives on the stack being recycled
  live_fibers.fetch_sub(1, std::memory_order_relaxed);
  // Into this thread's pool (any hub's: stacks are alike), so that green
  // threads joined across hubs do not cost an munmap and an mmap each.
  if (Hub *mine = this_thread_hub)
    mine->stacks_.give(stack);
  else
    unmap_stack(stack); // a thread without a hub has no pool
}

} // namespace evy::detail
