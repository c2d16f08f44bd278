// The hub group: EVY_HUBS, the hub threads, and where a new green thread goes.
#include "hub_group.h"

#include "blocking_detector.h"
#include "hub.h"

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <new>

#include <pthread.h>
#include <sched.h>
#include <unistd.h>

namespace evy::detail {
namespace {

// More hubs than this is a typo, not a machine.
constexpr long kMaxHubs = 4096;

std::size_t cpus_we_may_use() noexcept {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
    return static_cast<std::size_t>(CPU_COUNT(&set));
  const long online = sysconf(_SC_NPROCESSORS_ONLN);
  return online > 0 ? static_cast<std::size_t>(online) : 1;
}

bool is_main_thread() noexcept { return ::gettid() == ::getpid(); }

// What a hub thread blocks: every signal but the synchronous faults (the
// overflow handler, sanitizers), the blocking detector's backtrace signal
// and SIGPROF (profilers sample every thread). A process-directed signal
// then goes to the main thread, as Linux delivers it to the original
// program, whose other threads' blocking calls it does not interrupt.
sigset_t hub_thread_signal_mask() noexcept {
  sigset_t mask;
  sigfillset(&mask);
  for (int sig :
       {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGABRT, SIGSYS, SIGPROF, backtrace_signal()})
    sigdelset(&mask, sig);
  return mask;
}

// HubStart hands the new thread's hub back to the thread that started it.
struct HubStart {
  std::mutex mutex;
  std::condition_variable ready;
  Hub *hub = nullptr;
};

// A hub thread: its root fiber parks for good, so the thread only ever
// runs its hub's scheduler and the fibers placed on it. It ends with the
// process (detached, never joined: exit does not wait for green threads,
// as it does not for the original's threads).
void *run_hub_thread(void *argument) {
  auto &start = *static_cast<HubStart *>(argument);
  Hub &hub = Hub::current();
  hub.outlives_thread.store(true, std::memory_order_release);
  {
    // Notify under the lock: `start` lives on the starter's stack.
    std::lock_guard lock(start.mutex);
    start.hub = &hub;
    start.ready.notify_one();
  }
  for (;;)
    hub.park(); // nothing resumes the root fiber
}

// start_hub_thread() starts a hub thread and returns its hub (nullptr if
// no thread could be made).
Hub *start_hub_thread() noexcept {
  HubStart start;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  // The new thread inherits the mask: block first, restore after.
  const sigset_t block = hub_thread_signal_mask();
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &block, &previous);
  pthread_t thread;
  const int error = pthread_create(&thread, &attr, &run_hub_thread, &start);
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  pthread_attr_destroy(&attr);
  if (error != 0)
    return nullptr;
  std::unique_lock lock(start.mutex);
  start.ready.wait(lock, [&] { return start.hub != nullptr; });
  return start.hub;
}

class HubGroup {
public:
  explicit HubGroup(std::size_t size) : size_(size), slots_(new std::atomic<Hub *>[size]) {
    for (std::size_t i = 0; i < size_; ++i)
      slots_[i].store(nullptr, std::memory_order_relaxed);
  }

  Hub &place(Hub &caller);
  std::size_t size() const noexcept { return size_; }
  Hub *hub(std::size_t slot) const noexcept { return slots_[slot].load(std::memory_order_acquire); }
  // forget_after_fork(): the child has only the forking thread; the hub
  // threads, and the hubs they ran, are gone.
  void forget_after_fork() noexcept {
    new (&start_mutex_) std::mutex();
    for (std::size_t i = 0; i < size_; ++i)
      slots_[i].store(nullptr, std::memory_order_relaxed);
  }

private:
  bool joined(Hub &caller);
  std::size_t least_loaded() const noexcept;
  Hub &hub_of_slot(std::size_t slot, Hub &fallback);

  const std::size_t size_;
  const std::unique_ptr<std::atomic<Hub *>[]> slots_;
  std::mutex start_mutex_; // serialises starting hub threads
};

// joined() makes the main thread's hub slot 0 on its first placement and
// tells whether the caller belongs to the group.
bool HubGroup::joined(Hub &caller) {
  if (slots_[0].load(std::memory_order_acquire) == nullptr && is_main_thread()) {
    std::lock_guard lock(start_mutex_);
    if (slots_[0].load(std::memory_order_relaxed) == nullptr) {
      caller.outlives_thread.store(true, std::memory_order_release);
      slots_[0].store(&caller, std::memory_order_release);
    }
  }
  return caller.outlives_thread.load(std::memory_order_acquire) &&
         slots_[0].load(std::memory_order_acquire) != nullptr;
}

// least_loaded() is the first slot of least load; a slot without a hub
// yet counts as idle. Slot 0 counts its root fiber (main) as one: main
// runs there unless it waits. Ties go to the lowest slot, so that main's
// hub takes its share: four green threads on two hubs split two and two
// (main, which typically joins them, adding one to slot 0), not three and
// one, which would leave a CPU idle for a third of the run.
std::size_t HubGroup::least_loaded() const noexcept {
  std::size_t best = 0;
  std::size_t best_load = SIZE_MAX;
  for (std::size_t slot = 0; slot < size_; ++slot) {
    Hub *hub = slots_[slot].load(std::memory_order_acquire);
    std::size_t load = 0;
    if (hub != nullptr)
      load = hub->unfinished_fibers.load(std::memory_order_relaxed) + (slot == 0 ? 1 : 0);
    if (load < best_load) {
      best = slot;
      best_load = load;
      if (load == 0)
        break;
    }
  }
  return best;
}

Hub &HubGroup::hub_of_slot(std::size_t slot, Hub &fallback) {
  if (Hub *hub = slots_[slot].load(std::memory_order_acquire))
    return *hub;
  std::lock_guard lock(start_mutex_);
  Hub *hub = slots_[slot].load(std::memory_order_relaxed);
  if (hub == nullptr) {
    hub = start_hub_thread();
    if (hub == nullptr)
      return fallback; // no thread to be had: run it here, as with one hub
    slots_[slot].store(hub, std::memory_order_release);
  }
  return *hub;
}

Hub &HubGroup::place(Hub &caller) {
  if (size_ == 1 || !joined(caller))
    return caller;
  return hub_of_slot(least_loaded(), caller);
}

HubGroup *the_group = nullptr; // never destroyed: hub threads outlive exit

void forget_hub_threads_in_child() noexcept {
  if (the_group != nullptr)
    the_group->forget_after_fork();
}

HubGroup &group() {
  static HubGroup *const made = [] {
    pthread_atfork(nullptr, nullptr, &forget_hub_threads_in_child);
    the_group = new HubGroup(configured_hub_count());
    return the_group;
  }();
  return *made;
}

} // namespace

std::size_t configured_hub_count() noexcept {
  if (const char *text = std::getenv("EVY_HUBS")) {
    char *end = nullptr;
    const long value = std::strtol(text, &end, 10);
    if (end != text && *end == '\0' && value > 0 && value <= kMaxHubs)
      return static_cast<std::size_t>(value);
    std::fprintf(stderr, "evy: ignoring malformed EVY_HUBS=%s\n", text);
  }
  return cpus_we_may_use();
}

Hub &hub_for_new_thread() {
  Hub &caller = Hub::current();
  return group().place(caller);
}

std::size_t group_size() noexcept { return group().size(); }

Hub *group_hub(std::size_t slot) noexcept { return group().hub(slot); }

} // namespace evy::detail
