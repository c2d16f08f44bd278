// Green thread handles: the registry of live green threads (by fiber id)
// and the pthread calls that take a thread.
//
// An entry lives as long as POSIX says the handle does: until the thread
// is joined, or, once detached, until its function returns. The creator
// registers it, since the thread may not have run before the handle is
// used; on a multi-hub runtime the thread may end first, and the entry
// it leaves then waits for the registration.
#include <evy/patched/detail/thread_native_handle.h>
#include <evy/spin_lock.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <new>
#include <unordered_map>

#include <pthread.h>

namespace evy::green {
namespace {

struct Entry {
  pthread_t host = pthread_t(); // the OS thread that runs (or will run) it
  bool registered = false;      // by its creator (or a name given to a root fiber)
  bool started = false;         // host is where it runs (it may start before it is registered)
  bool finished = false;        // its function returned
  bool released = false;        // joined or detached
  bool named = false;
  char name[16] = {};
};

class Registry {
public:
  std::unique_lock<SpinLock> lock() noexcept { return std::unique_lock(guard_); }
  std::unordered_map<FiberId, Entry> entries; // lock held

  // fork() holds the lock across: a green thread of another hub (another
  // OS thread, absent from the child) may hold it at that instant, maybe
  // in the middle of changing `entries`; the child would spin forever.
  static void before_fork() noexcept;
  static void after_fork() noexcept;

private:
  SpinLock guard_;
};

Registry &registry() noexcept {
  static Registry *instance = [] {
    auto *made = new Registry; // never destroyed: threads may outlive statics
    pthread_atfork(&Registry::before_fork, &Registry::after_fork, &Registry::after_fork);
    return made;
  }();
  return *instance;
}

void Registry::before_fork() noexcept { registry().guard_.lock(); }
void Registry::after_fork() noexcept { registry().guard_.unlock(); }

// Ids below this are fiber ids; above, real pthread_t values (addresses),
// which are handed to the originals. See docs/thread.md.
constexpr unsigned long long first_real_handle = 1ull << 32;

// Target is what a pthread_t argument names.
struct Target {
  enum Kind { green, real, unknown } kind;
  pthread_t host;        // green: its OS thread; real: the handle itself
  bool finished = false; // green: its function returned (not joined yet)
};

Target resolve(pthread_t thread) noexcept {
  const auto id = static_cast<FiberId>(thread);
  if (id == current_fiber_id())
    return {Target::green, ::pthread_self()}; // pthread_self() of any fiber, main included
  {
    auto locked = registry().lock();
    auto it = registry().entries.find(id);
    if (it != registry().entries.end() && it->second.registered)
      return {Target::green, it->second.host, it->second.finished};
  }
  if (static_cast<unsigned long long>(thread) >= first_real_handle)
    return {Target::real, thread};
  return {Target::unknown, 0};
}

} // namespace

namespace detail {

void handle_created(FiberId id) noexcept {
  auto locked = registry().lock();
  try {
    Entry &entry = registry().entries[id];
    entry.registered = true;
    if (!entry.started) // until then, its creator's OS thread stands in for its hub's
      entry.host = ::pthread_self();
  } catch (const std::bad_alloc &) {
    // Unregistered: the calls below answer ESRCH for it.
  }
}

void handle_started() noexcept {
  auto locked = registry().lock();
  try {
    Entry &entry = registry().entries[current_fiber_id()]; // placed on another hub, it may start first
    entry.host = ::pthread_self();
    entry.started = true;
  } catch (const std::bad_alloc &) {
  }
}

void handle_ended() noexcept {
  auto locked = registry().lock();
  auto &entries = registry().entries;
  try {
    auto it = entries.try_emplace(current_fiber_id()).first;
    it->second.finished = true;
    if (it->second.released)
      entries.erase(it);
  } catch (const std::bad_alloc &) {
  }
}

void handle_released(FiberId id) noexcept {
  auto locked = registry().lock();
  auto it = registry().entries.find(id);
  if (it == registry().entries.end())
    return;
  it->second.released = true;
  if (it->second.finished)
    registry().entries.erase(it);
}

} // namespace detail

int pthread_kill(pthread_t thread, int sig) noexcept {
  const Target t = resolve(thread);
  if (t.kind == Target::unknown)
    return ESRCH;
  // glibc answers 0 for a thread that ended but was not joined yet.
  if (t.kind == Target::green && (sig == 0 || t.finished))
    return 0;
  return ::pthread_kill(t.host, sig); // checks sig: EINVAL
}

int pthread_cancel(pthread_t thread) {
  const Target t = resolve(thread);
  if (t.kind == Target::real)
    return ::pthread_cancel(thread);
  return t.kind == Target::green ? ENOTSUP : ESRCH;
}

int pthread_getschedparam(pthread_t thread, int *policy, struct sched_param *param) noexcept {
  const Target t = resolve(thread);
  return t.kind == Target::unknown ? ESRCH : ::pthread_getschedparam(t.host, policy, param);
}

int pthread_setschedparam(pthread_t thread, int policy, const struct sched_param *param) noexcept {
  const Target t = resolve(thread);
  if (t.kind == Target::real)
    return ::pthread_setschedparam(thread, policy, param);
  return t.kind == Target::green ? ENOTSUP : ESRCH;
}

int pthread_setname_np(pthread_t thread, const char *name) noexcept {
  const Target t = resolve(thread);
  if (t.kind == Target::real)
    return ::pthread_setname_np(thread, name);
  if (t.kind == Target::unknown)
    return ESRCH;
  const std::size_t length = std::strlen(name);
  if (length >= sizeof(Entry::name))
    return ERANGE;
  auto locked = registry().lock();
  try {
    Entry &entry = registry().entries[static_cast<FiberId>(thread)]; // a root fiber: added here
    if (!entry.registered) {
      entry.registered = true;
      entry.host = t.host;
    }
    std::memcpy(entry.name, name, length + 1);
    entry.named = true;
  } catch (const std::bad_alloc &) {
    return ENOMEM;
  }
  return 0;
}

int pthread_getname_np(pthread_t thread, char *buf, size_t len) noexcept {
  const Target t = resolve(thread);
  if (t.kind == Target::unknown)
    return ESRCH;
  if (t.kind == Target::green) {
    if (len < sizeof(Entry::name))
      return ERANGE;
    auto locked = registry().lock();
    auto it = registry().entries.find(static_cast<FiberId>(thread));
    if (it != registry().entries.end() && it->second.named) {
      std::memcpy(buf, it->second.name, sizeof(Entry::name));
      return 0;
    }
  }
  return ::pthread_getname_np(t.host, buf, len);
}

int pthread_setaffinity_np(pthread_t thread, size_t cpusetsize, const cpu_set_t *cpuset) noexcept {
  const Target t = resolve(thread);
  if (t.kind == Target::real)
    return ::pthread_setaffinity_np(thread, cpusetsize, cpuset);
  return t.kind == Target::green ? ENOTSUP : ESRCH;
}

int pthread_getaffinity_np(pthread_t thread, size_t cpusetsize, cpu_set_t *cpuset) noexcept {
  const Target t = resolve(thread);
  return t.kind == Target::unknown ? ESRCH : ::pthread_getaffinity_np(t.host, cpusetsize, cpuset);
}

} // namespace evy::green
