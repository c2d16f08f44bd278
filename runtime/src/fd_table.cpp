// fd bookkeeping and the fiber side of epoll: registering interest,
// dispatching readiness, waking waiters of a closed fd.
#include "fd_table.h"

#include "hub.h"
#include "runtime_fd.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <mutex>
#include <unordered_map>

#include <fcntl.h>
#include <poll.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>

namespace evy::detail {

// The part of a plan that changes rarely (kind, the caller's O_NONBLOCK,
// timeouts, generation) changes only with this epoch: every such change,
// to any fd, bumps it under the fd's guard (after the change where others
// read without that guard: the caller's O_NONBLOCK). A plan records the
// epoch it was made at, and while the epoch has not moved it needs no
// lock to be used again: a thread keeps its last plan of a socket or
// stream for the next call on the fd (the send after a receive, the
// receive after a send), and a wait's retry keeps the plan it had. Changes
// are rare in a running server (an accept, a close, an F_SETFL); each one
// costs the threads a locked plan, as every plan was before. It starts at
// 1: a plan made by no one (epoch 0) is never current.
std::atomic<std::uint64_t> view_epoch{1};
[[gnu::tls_model("initial-exec")]] constinit thread_local PlanCache plan_cache;

namespace {

constexpr int kChunkBits = 10;
constexpr int kChunkSize = 1 << kChunkBits;
constexpr int kChunkCount = 1 << 14; // up to 16M fds
std::atomic<FdState *> chunks[kChunkCount];

void views_changed() noexcept { view_epoch.fetch_add(1, std::memory_order_release); }

FdState *existing_state(int fd) noexcept {
  if (fd < 0 || (fd >> kChunkBits) >= kChunkCount)
    return nullptr;
  FdState *chunk = chunks[fd >> kChunkBits].load(std::memory_order_acquire);
  return chunk != nullptr ? &chunk[fd & (kChunkSize - 1)] : nullptr;
}

FdKind kind_of(int fd, const struct stat &st) noexcept {
  const mode_t type = st.st_mode & S_IFMT;
  FdKind kind;
  if (type == S_IFREG || type == S_IFDIR || type == S_IFBLK)
    return FdKind::passthrough;
  if (type == S_IFSOCK)
    kind = FdKind::socket;
  else if (type == S_IFCHR)
    kind = FdKind::terminal;
  else
    kind = FdKind::stream; // FIFOs and anonymous inodes (eventfd, epoll...)
  // stdin/stdout/stderr are usually shared with the parent (a shell, a
  // pipeline): O_NONBLOCK there would leak into other processes.
  if (fd <= STDERR_FILENO)
    kind = FdKind::terminal;
  return kind;
}

// identity_of() condenses a file's identity; a collision only means a
// reused fd number goes unnoticed, as a reuse between two waits does anyway.
std::uint32_t identity_of(const struct stat &st) noexcept {
  const std::uint64_t h = std::uint64_t{st.st_ino} * 0x9e3779b97f4a7c15u ^
                          std::uint64_t{st.st_dev} * 0xc2b2ae3d27d4eb4fu;
  return static_cast<std::uint32_t>(h ^ (h >> 32));
}

// new_generation() records that fd now names another file (or none): its
// registrations and the runtime's trust in them belong to the old one.
void new_generation(int fd, FdState &state) noexcept {
  open_file_release(state.file, fd);
  state.file = nullptr;
  state.generation++;
  state.registered_in = 0;
  state.tracked = false;
  state.timeouts_known = false;
  state.identity_known = false;
  state.urgent_seen.store(false, std::memory_order_relaxed);
  state.drained.store(false, std::memory_order_relaxed);
  state.short_read = ShortRead::unknown;
  views_changed();
}

// initialise() looks at an fd the first time a green call meets it.
void initialise(int fd, FdState &state) noexcept {
  views_changed(); // the guard keeps this fd's plans out until we are done
  open_file_release(state.file, fd);
  state.file = nullptr;
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    state.initialised = false; // not open: the call itself reports EBADF
    state.kind = FdKind::passthrough;
    return;
  }
  state.identity = identity_of(st);
  state.identity_known = true;
  state.kind = kind_of(fd, st);
  state.timeouts_known = false;
  state.tracked = false;
  // Same file, same generation: fibers may already wait on it (poll on an
  // fd no green call had touched), and their registrations carry it.
  state.initialised = true;
  if (state.kind == FdKind::passthrough)
    return; // O_NONBLOCK means nothing to these; the kernel's flags are the truth
  const bool waitable = state.kind == FdKind::socket || state.kind == FdKind::stream;
  const int flags = ::fcntl(fd, F_GETFL);
  const bool nonblocking = flags >= 0 && (flags & O_NONBLOCK) != 0;
  // O_NONBLOCK set: maybe by the runtime, through another fd of this open
  // file description (a plain dup): then that fd's record has the view.
  if (waitable && nonblocking && (state.file = open_file_find(fd, st)) != nullptr)
    return;
  bool kernel_nonblocking = nonblocking;
  if (waitable && !nonblocking) {
    if (flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0)
      kernel_nonblocking = true;
    else
      state.kind = FdKind::terminal; // cannot: wait for readiness instead
  }
  const bool findable = state.kind == FdKind::socket || state.kind == FdKind::stream;
  state.file = open_file_new(fd, findable ? &st : nullptr, nonblocking, kernel_nonblocking);
}

bool same_file(int fd, const FdState &state) noexcept {
  struct stat st {};
  return fstat(fd, &st) == 0 && identity_of(st) == state.identity;
}

enum class ArmResult { armed, not_pollable, bad_fd, replaced };

// Every registration asks for everything, edge-triggered, and stays until
// the file is closed: a wait needs no epoll_ctl once its hub has the fd.
constexpr std::uint32_t kInterest = EPOLLIN | EPOLLOUT | EPOLLPRI | EPOLLRDHUP | EPOLLET;

// arm() makes sure fd is registered in hub's epoll, asking the kernel.
// Called with state.guard held. Re-registering (MOD) an fd that is ready
// already raises an edge for it, so a waiter that did not just see EAGAIN
// cannot miss readiness that an earlier event reported to nobody. A MOD
// that finds no entry tells us either that this hub never had the fd, or
// that the number now names another file (closed and reused behind our
// back): the identity check tells which.
ArmResult arm(Hub &hub, int fd, FdState &state) noexcept {
  epoll_event event{};
  event.events = kInterest;
  event.data.u64 = (std::uint64_t{state.generation} << 32) | static_cast<std::uint32_t>(fd);
  // A tracked fd nobody registered yet is new: skip the MOD that would fail.
  const bool fresh = state.tracked && state.registered_in == 0;
  if (!fresh && hub.epoll_ctl(EPOLL_CTL_MOD, fd, &event) == 0) {
    state.registered_in = hub.id();
    return ArmResult::armed;
  }
  if (fresh || errno == ENOENT) {
    if (fresh) {
      // Nothing to compare with: the runtime made this file itself.
    } else if (state.identity_known) {
      if (!same_file(fd, state)) {
        state.initialised = false;
        new_generation(fd, state);
        return errno == EBADF ? ArmResult::bad_fd : ArmResult::replaced;
      }
    } else {
      struct stat st {};
      if (fstat(fd, &st) != 0)
        return ArmResult::bad_fd;
      state.identity = identity_of(st);
      state.identity_known = true;
    }
    if (hub.epoll_ctl(EPOLL_CTL_ADD, fd, &event) == 0 ||
        (errno == EEXIST && hub.epoll_ctl(EPOLL_CTL_MOD, fd, &event) == 0)) {
      state.registered_in = hub.id();
      return ArmResult::armed;
    }
  }
  return errno == EPERM ? ArmResult::not_pollable : ArmResult::bad_fd;
}

void link(FdState &state, FdWatch &watch) noexcept {
  watch.prev = nullptr;
  watch.next = state.watches;
  if (state.watches != nullptr)
    state.watches->prev = &watch;
  state.watches = &watch;
}

void unlink(FdState &state, FdWatch &watch) noexcept {
  if (watch.prev != nullptr)
    watch.prev->next = watch.next;
  else if (state.watches == &watch)
    state.watches = watch.next;
  if (watch.next != nullptr)
    watch.next->prev = watch.prev;
  watch.next = watch.prev = nullptr;
}

std::int64_t read_timeout_ns(int fd, int option) noexcept {
  timeval tv{};
  socklen_t length = sizeof tv;
  if (::getsockopt(fd, SOL_SOCKET, option, &tv, &length) != 0)
    return 0;
  return std::int64_t{tv.tv_sec} * 1'000'000'000 + std::int64_t{tv.tv_usec} * 1000;
}

// Socket timeouts are rare: the few fds that have them keep their values
// here, out of FdState. Locked inside an FdState's guard.
struct SocketTimeouts {
  std::uint32_t generation;
  std::int64_t receive_ns;
  std::int64_t send_ns;
};
SpinLock timeouts_guard;
std::unordered_map<int, SocketTimeouts> &timeouts_table() {
  static auto *table = new std::unordered_map<int, SocketTimeouts>; // outlives every thread
  return *table;
}

FdWaitResult result_of(WakeReason reason) noexcept {
  switch (reason) {
  case WakeReason::notified:
    return FdWaitResult::ready;
  case WakeReason::timed_out:
    return FdWaitResult::timed_out;
  case WakeReason::signalled:
    return FdWaitResult::signalled;
  case WakeReason::interrupted:
    break;
  }
  return FdWaitResult::interrupted;
}

// keep_plan() makes plan the thread's kept plan of fd (PlanCache), unless
// it is a passthrough's, whose file plan_locked() checks on every call.
void keep_plan(int fd, const IoPlan &plan) noexcept {
  PlanCache &cache = plan_cache;
  if (plan.kind == FdKind::socket || plan.kind == FdKind::stream)
    cache = PlanCache{fd, plan};
  else if (cache.fd == fd)
    cache.fd = -1;
}

// plan_locked() is plan_io() for an fd whose guard the caller holds.
void plan_locked(int fd, FdState &state, IoPlan &plan) noexcept {
  if (!state.initialised) {
    initialise(fd, state);
  } else if (state.kind == FdKind::passthrough && !same_file(fd, state)) {
    new_generation(fd, state); // closed behind our back and reused: a new file
    initialise(fd, state);
  }
  // Read before the caller's O_NONBLOCK, which another fd of the file may
  // change without this guard (then bumping the epoch after it).
  const std::uint64_t epoch = view_epoch.load(std::memory_order_acquire);
  plan.state = &state;
  plan.kind = state.kind;
  plan.caller_nonblocking = state.file != nullptr && state.file->caller_nonblocking.load();
  plan.no_timeouts = state.timeouts_known && !state.has_timeouts;
  plan.short_read = state.short_read;
  plan.generation = state.generation;
  read_drained(state, plan);
  plan.epoch = epoch;
  keep_plan(fd, plan);
}

// after_event() ends a wait whose watch the waking event took (FdWatch::
// taken): the retry's plan needs the fd's guard only if a view changed.
FdWaitResult after_event(int fd, FdState &state, IoPlan *replan) noexcept {
  if (replan == nullptr)
    return FdWaitResult::ready;
  if (plan_current(*replan)) {
    read_drained(state, *replan);
    keep_plan(fd, *replan); // for the calls that follow
  } else {
    std::lock_guard lock(state.guard);
    plan_locked(fd, state, *replan);
  }
  return FdWaitResult::ready;
}
} // namespace

// A registration is persistent and edge-triggered; once the caller has
// seen EAGAIN, any readiness that follows raises an edge, so the wait needs
// no epoll_ctl (trust_registration). What it cannot see without asking the
// kernel is an fd closed and reused behind the runtime's back: its
// registration went with the old file. So the hub's RegistrationSweep
// wakes a trusted wait that nothing ended within 100 to 200 ms; it checks
// the registration once (arm(): the MOD re-raises an edge for an fd that
// is ready, and finds a reused one) and goes on waiting. An fd reused
// behind the runtime's back is a bug of the program's; this only keeps it
// from becoming a hang. Shorter bounds would cost a loaded server: with
// 1,000 connections its waits last tens of milliseconds, and must stay free.
FdWaitResult wait_on(int fd, FdEvents events, Deadline deadline, Interruptible interruptible,
                     bool trust_registration, IoPlan *replan) noexcept {
  FdState *state = fd_state(fd);
  if (state == nullptr)
    return FdWaitResult::bad_fd;
  Hub &hub = Hub::current();
  Waiter waiter;
  FdWatch watch;
  watch.waiter = &waiter;
  watch.hub = &hub;
  watch.events = static_cast<std::uint32_t>(events) & (EPOLLIN | EPOLLOUT | EPOLLPRI);
  TrustedWait trusted_wait;
  trusted_wait.waiter = &waiter;
  bool trusted = trust_registration;
  for (;;) {
    {
      std::lock_guard lock(state->guard);
      unlink(*state, watch); // linked only when a trusted wait is being checked
      if (watch.closed)
        return FdWaitResult::closed;
      trusted = trusted && state->registered_in == hub.id();
      if (!trusted) {
        switch (arm(hub, fd, *state)) {
        case ArmResult::armed:
          break;
        case ArmResult::not_pollable:
        case ArmResult::replaced: // the caller retries with a fresh view
          if (replan != nullptr)
            plan_locked(fd, *state, *replan);
          return FdWaitResult::ready;
        case ArmResult::bad_fd:
          return FdWaitResult::bad_fd;
        }
      }
      waiter.reset();
      watch.taken = false;
      link(*state, watch);
    }
    if (trusted)
      hub.registration_sweep().enter(trusted_wait);
    const WakeReason reason = waiter.wait(deadline, interruptible);
    if (trusted) {
      hub.registration_sweep().leave(trusted_wait);
      if (trusted_wait.check_due && reason == WakeReason::notified) {
        trusted = false; // nothing came: check the registration, wait on
        continue;
      }
    }
    if (watch.taken)
      return after_event(fd, *state, replan);
    std::lock_guard lock(state->guard);
    unlink(*state, watch);
    if (watch.closed)
      return FdWaitResult::closed;
    const FdWaitResult result = result_of(reason);
    if (result == FdWaitResult::ready && replan != nullptr)
      plan_locked(fd, *state, *replan);
    return result;
  }
}

namespace {
// new_chunk_state() is fd_state() for an fd whose chunk does not exist yet.
[[gnu::noinline]] FdState *new_chunk_state(int fd) noexcept {
  if (fd < 0 || (fd >> kChunkBits) >= kChunkCount)
    return nullptr;
  std::atomic<FdState *> &slot = chunks[fd >> kChunkBits];
  FdState *chunk = slot.load(std::memory_order_acquire);
  if (chunk == nullptr) {
    FdState *fresh = new (std::nothrow) FdState[kChunkSize];
    if (fresh == nullptr)
      return nullptr;
    if (slot.compare_exchange_strong(chunk, fresh, std::memory_order_acq_rel))
      chunk = fresh;
    else
      delete[] fresh; // another thread won; `chunk` holds its array
  }
  return &chunk[fd & (kChunkSize - 1)];
}
} // namespace

FdState *fd_state(int fd) noexcept {
  FdState *state = existing_state(fd); // inlined here: every green call asks
  return state != nullptr ? state : new_chunk_state(fd);
}

IoPlan plan_io_locked(int fd) noexcept {
  IoPlan plan;
  if (FdState *state = fd_state(fd)) {
    std::lock_guard lock(state->guard);
    plan_locked(fd, *state, plan);
  }
  return plan;
}

ShortRead short_read_of(int fd) noexcept {
  FdState *state = existing_state(fd);
  if (state == nullptr)
    return ShortRead::unknown;
  std::lock_guard lock(state->guard);
  return state->short_read;
}

namespace {
// mark_drained() records that a receive planned as `plan` emptied the fd;
// an event since the plan undoes it (see FdState::drained_at).
void mark_drained(FdState &state, const IoPlan &plan) noexcept {
  if (state.urgent_seen.load(std::memory_order_relaxed))
    return; // the read may have stopped at the urgent mark
  state.drained_at.store(plan.events_seen, std::memory_order_relaxed);
  state.drained.store(true, std::memory_order_release);
}

// note_short_read_locked() is note_short_read() from the fd's record.
[[gnu::noinline]] void note_short_read_locked(int fd, FdState &state, const IoPlan &plan) noexcept {
  ShortRead known = plan.short_read;
  if (known == ShortRead::unknown) { // asked once per file, outside the guard
    int protocol = 0;
    socklen_t length = sizeof protocol;
    known = ::getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &protocol, &length) == 0 &&
                    protocol == IPPROTO_TCP
                ? ShortRead::empties
                : ShortRead::says_nothing;
  }
  std::lock_guard lock(state.guard);
  if (state.generation != plan.generation)
    return; // closed meanwhile: about a file that is gone
  if (state.short_read == ShortRead::unknown) {
    state.short_read = known;
    views_changed();
  }
  if (state.short_read == ShortRead::empties)
    mark_drained(state, plan);
}
} // namespace

void note_short_read(int fd, const IoPlan &plan) noexcept {
  FdState *state = plan.state;
  if (state == nullptr)
    return;
  // No generation or short-read change since the plan: the rest is atomics.
  if (plan.short_read == ShortRead::empties && plan_current(plan))
    mark_drained(*state, plan);
  else
    note_short_read_locked(fd, *state, plan);
}

void note_upper_layer(int fd) noexcept {
  if (FdState *state = existing_state(fd)) {
    std::lock_guard lock(state->guard);
    state->short_read = ShortRead::says_nothing;
    state->drained.store(false, std::memory_order_relaxed);
    views_changed();
  }
}

FdView adopt_fd(int fd) noexcept {
  const IoPlan plan = plan_io(fd);
  FdView view;
  view.waitable = plan.kind == FdKind::socket || plan.kind == FdKind::stream;
  view.caller_nonblocking = plan.caller_nonblocking;
  if (plan.kind == FdKind::socket) {
    view.receive_timeout = socket_timeout(fd, true);
    view.send_timeout = socket_timeout(fd, false);
  }
  return view;
}

std::chrono::nanoseconds socket_timeout(int fd, bool receive) noexcept {
  FdState *state = fd_state(fd);
  if (state == nullptr)
    return std::chrono::nanoseconds(0);
  std::lock_guard lock(state->guard);
  if (state->timeouts_known && !state->has_timeouts)
    return std::chrono::nanoseconds(0);
  std::lock_guard table_lock(timeouts_guard);
  auto &table = timeouts_table();
  auto found = table.find(fd);
  if (!state->timeouts_known || found == table.end() ||
      found->second.generation != state->generation) {
    const SocketTimeouts read{state->generation, read_timeout_ns(fd, SO_RCVTIMEO),
                              read_timeout_ns(fd, SO_SNDTIMEO)};
    state->timeouts_known = true;
    state->has_timeouts = read.receive_ns != 0 || read.send_ns != 0;
    views_changed(); // a plan may now say no_timeouts
    if (!state->has_timeouts) {
      if (found != table.end())
        table.erase(found);
      return std::chrono::nanoseconds(0);
    }
    found = table.insert_or_assign(fd, read).first;
  }
  return std::chrono::nanoseconds(receive ? found->second.receive_ns : found->second.send_ns);
}

void forget_socket_timeouts(int fd) noexcept {
  if (FdState *state = existing_state(fd)) {
    std::lock_guard lock(state->guard);
    state->timeouts_known = false;
    views_changed();
  }
}

void note_new_fd(int fd, FdKind kind, bool caller_nonblocking, ShortRead short_read) noexcept {
  FdState *state = fd_state(fd);
  if (state == nullptr)
    return;
  struct stat st {};
  const bool stated = fstat(fd, &st) == 0;
  std::lock_guard lock(state->guard);
  new_generation(fd, *state);
  state->tracked = true;
  state->kind = kind;
  state->short_read = short_read;
  state->file = open_file_new(fd, stated ? &st : nullptr, caller_nonblocking, true);
  state->initialised = true;
  views_changed();
}

void copy_fd_view(int from, int to) noexcept {
  (void)plan_io(from); // adopted first: the copy shares its record at once
  FdState *source = existing_state(from);
  FdState *target = fd_state(to);
  if (source == nullptr || target == nullptr || source == target)
    return;
  bool initialised;
  FdKind kind;
  OpenFile *file;
  {
    std::lock_guard lock(source->guard);
    initialised = source->initialised;
    kind = source->kind;
    file = source->file;
    if (file != nullptr)
      open_file_share(file, to); // one open file description: one view
  }
  std::lock_guard lock(target->guard);
  new_generation(to, *target);
  target->tracked = true; // made by a green dup
  target->initialised = initialised;
  target->kind = kind;
  target->file = file;
  views_changed();
  // A short read through the copy empties the same queue; drained stays
  // per fd number (cleared by new_generation), which is only conservative.
}

void note_closing(int fd) noexcept {
  FdState *state = existing_state(fd);
  if (state == nullptr)
    return;
  std::lock_guard lock(state->guard);
  for (FdWatch *w = state->watches; w != nullptr; w = w->next) {
    w->closed = true;
    w->waiter->notify(); // under the guard: the watch is still alive
  }
  new_generation(fd, *state);
  state->initialised = false;
  views_changed();
}

void note_closing_range(unsigned first, unsigned last) noexcept {
  for (unsigned c = first >> kChunkBits; c < unsigned{kChunkCount} && (c << kChunkBits) <= last;
       ++c) {
    if (chunks[c].load(std::memory_order_acquire) == nullptr)
      continue; // no state: nobody waits there
    for (unsigned i = 0; i < unsigned{kChunkSize}; ++i) {
      const unsigned fd = (c << kChunkBits) | i;
      if (fd >= first && fd <= last && !is_runtime_fd(static_cast<int>(fd)))
        note_closing(static_cast<int>(fd));
    }
  }
}

int caller_view_of_flags(int fd, int kernel_flags) noexcept {
  if (kernel_flags < 0)
    return kernel_flags;
  // Adopted first: a copy no green call made yet may share a description
  // whose O_NONBLOCK the runtime forced through another fd.
  (void)plan_io(fd);
  FdState *state = existing_state(fd);
  if (state == nullptr)
    return kernel_flags;
  std::lock_guard lock(state->guard);
  if (!state->initialised || state->file == nullptr)
    return kernel_flags;
  const bool nonblocking = state->file->caller_nonblocking.load();
  return (kernel_flags & ~O_NONBLOCK) | (nonblocking ? O_NONBLOCK : 0);
}

int set_caller_flags(int fd, int flags) noexcept {
  (void)plan_io(fd); // adopt first, so that the view below is known
  FdState *state = fd_state(fd);
  if (state == nullptr)
    return ::fcntl(fd, F_SETFL, flags);
  std::lock_guard lock(state->guard);
  OpenFile *file = state->initialised ? state->file : nullptr;
  if (file == nullptr)
    return ::fcntl(fd, F_SETFL, flags);
  // The description's guard: an F_SETFL through another of its fds waits.
  std::lock_guard file_lock(file->guard);
  const bool keep_nonblocking = file->kernel_nonblocking.load() &&
                                (state->kind == FdKind::socket || state->kind == FdKind::stream);
  const int result = ::fcntl(fd, F_SETFL, keep_nonblocking ? (flags | O_NONBLOCK) : flags);
  if (result == 0) {
    file->caller_nonblocking.store((flags & O_NONBLOCK) != 0);
    if (!keep_nonblocking)
      file->kernel_nonblocking.store((flags & O_NONBLOCK) != 0);
    views_changed(); // after the store: see plan_locked()
  }
  return result;
}

void dispatch_fd_event(Hub &hub, int fd, std::uint32_t generation, std::uint32_t events) noexcept {
  FdState *state = existing_state(fd);
  if (state == nullptr)
    return;
  std::lock_guard lock(state->guard);
  if (state->generation != generation)
    return; // about a file that is gone
  // Whatever it says: a drained fd may have data again. (Written under the
  // guard: a plain increment of the atomic is enough.)
  state->events_seen.store(state->events_seen.load(std::memory_order_relaxed) + 1,
                           std::memory_order_relaxed);
  if (events & EPOLLPRI)
    state->urgent_seen.store(true, std::memory_order_relaxed);
  // Other hubs that registered the fd get their own event.
  for (FdWatch *w = state->watches, *next; w != nullptr; w = next) {
    next = w->next;
    if (w->hub == &hub && (events & (w->events | EPOLLERR | EPOLLHUP)) && w->waiter->notify()) {
      unlink(*state, *w); // for the woken fiber, which runs on this thread later
      w->taken = true;
    }
  }
}

void rearm_fd_watches(Hub &hub) noexcept {
  for (int c = 0; c < kChunkCount; ++c) {
    FdState *chunk = chunks[c].load(std::memory_order_acquire);
    if (chunk == nullptr)
      continue;
    for (int i = 0; i < kChunkSize; ++i) {
      FdState &state = chunk[i];
      // A guard held at fork() time belongs to a thread the child does not
      // have: it will never be released, and neither will its fd's waits.
      if (!state.guard.try_lock())
        continue;
      for (const FdWatch *w = state.watches; w != nullptr; w = w->next)
        if (w->hub == &hub) {
          (void)arm(hub, (c << kChunkBits) | i, state);
          break;
        }
      state.guard.unlock();
    }
  }
}

// ------------------------------------------------------------ FdWaitSet

FdWaitSet::FdWaitSet(std::size_t capacity)
    : watches_(new FdWatch[capacity]), fds_(new int[capacity]), capacity_(capacity) {}

bool FdWaitSet::add(int fd, short events) noexcept {
  FdState *state = fd_state(fd);
  if (state == nullptr || count_ == capacity_)
    return false;
  Hub &hub = Hub::current();
  FdWatch &watch = watches_[count_];
  watch = FdWatch{};
  watch.waiter = &waiter_;
  watch.hub = &hub;
  watch.events = static_cast<std::uint32_t>(events) & (EPOLLIN | EPOLLOUT | EPOLLPRI);
  std::lock_guard lock(state->guard);
  if (arm(hub, fd, *state) != ArmResult::armed)
    return false;
  link(*state, watch);
  fds_[count_++] = fd;
  return true;
}

WakeReason FdWaitSet::wait(Deadline deadline, Interruptible interruptible) noexcept {
  return waiter_.wait(deadline, interruptible);
}

FdWaitSet::~FdWaitSet() {
  for (std::size_t i = 0; i < count_; ++i) {
    FdState *state = existing_state(fds_[i]);
    std::lock_guard lock(state->guard);
    unlink(*state, watches_[i]);
  }
}

} // namespace evy::detail

namespace evy {

// wait_fd() is public API; it lives here beside the watches it manages.
FdWaitResult wait_fd(int fd, FdEvents events, Deadline deadline,
                     Interruptible interruptible) noexcept {
  if (detail::is_runtime_fd(fd))
    return FdWaitResult::bad_fd; // not open, as far as the program knows
  return detail::wait_on(fd, events, deadline, interruptible);
}

namespace detail {
FdWaitResult wait_fd_after_eagain(int fd, FdEvents events, Deadline deadline,
                                  Interruptible interruptible) noexcept {
  if (is_runtime_fd(fd))
    return FdWaitResult::bad_fd;
  return wait_on(fd, events, deadline, interruptible, /*trust_registration=*/true);
}
} // namespace detail

} // namespace evy
