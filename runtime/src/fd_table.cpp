// The fd table's records and plans: what the runtime knows of each fd,
// and every change to it (new fds, dups, closes, F_SETFL, socket options).
// The fiber side of epoll is fd_wait.cpp.
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

std::atomic<FdState *> fd_chunks[kFdChunkCount];

namespace {

void views_changed() noexcept { view_epoch.fetch_add(1, std::memory_order_release); }

// void_drained_mark() ends the fd's drained mark, and any a receive that
// planned before stores late (under the guard).
void void_drained_mark(FdState &state) noexcept {
  state.drain_key.store(state.drain_key.load(std::memory_order_relaxed) + 1,
                        std::memory_order_relaxed);
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

} // namespace

// A collision only means a reused fd number goes unnoticed, as a reuse
// between two waits does anyway.
std::uint32_t identity_of(const struct stat &st) noexcept {
  const std::uint64_t h = std::uint64_t{st.st_ino} * 0x9e3779b97f4a7c15u ^
                          std::uint64_t{st.st_dev} * 0xc2b2ae3d27d4eb4fu;
  return static_cast<std::uint32_t>(h ^ (h >> 32));
}

void new_generation(int fd, FdState &state) noexcept {
  open_file_release(state.file, fd);
  state.file = nullptr;
  state.generation++;
  state.registered_in = 0;
  state.tracked = false;
  state.timeouts_known = false;
  state.identity_known = false;
  state.urgent_seen.store(false, std::memory_order_relaxed);
  void_drained_mark(state);
  state.short_read = ShortRead::unknown;
  views_changed();
}

namespace {
// initialise() looks at an fd the first time a green call meets it.
// No epoch bump: a record is uninitialised only new, after its fstat
// failed (a passthrough plan, never kept) or after a change that bumped.
void initialise(int fd, FdState &state) noexcept {
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

} // namespace

bool same_file(int fd, const FdState &state) noexcept {
  struct stat st {};
  return fstat(fd, &st) == 0 && identity_of(st) == state.identity;
}

namespace {
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

} // namespace

void keep_plan(int fd, const IoPlan &plan) noexcept {
  PlanCache &cache = plan_cache;
  if (plan.kind == FdKind::socket || plan.kind == FdKind::stream)
    cache = PlanCache{fd, plan};
  else if (cache.fd == fd)
    cache.fd = -1;
}

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

namespace {
// new_chunk_state() is fd_state() for an fd whose chunk does not exist yet.
[[gnu::noinline]] FdState *new_chunk_state(int fd) noexcept {
  if (fd < 0 || (fd >> kFdChunkBits) >= kFdChunkCount)
    return nullptr;
  std::atomic<FdState *> &slot = fd_chunks[fd >> kFdChunkBits];
  FdState *chunk = slot.load(std::memory_order_acquire);
  if (chunk == nullptr) {
    FdState *fresh = new (std::nothrow) FdState[kFdChunkSize];
    if (fresh == nullptr)
      return nullptr;
    if (slot.compare_exchange_strong(chunk, fresh, std::memory_order_acq_rel))
      chunk = fresh;
    else
      delete[] fresh; // another thread won; `chunk` holds its array
  }
  return &chunk[fd & (kFdChunkSize - 1)];
}
} // namespace

FdState *fd_state(int fd) noexcept {
  FdState *state = existing_state(fd); // inline: every green call asks
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
// an event since the plan, a new generation or TCP_ULP undoes it (see
// FdState::drained_mark).
void mark_drained(FdState &state, const IoPlan &plan) noexcept {
  if (state.urgent_seen.load(std::memory_order_relaxed))
    return; // the read may have stopped at the urgent mark
  state.drained_mark.store(drain_mark_of(plan), std::memory_order_relaxed);
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
    void_drained_mark(*state);
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
  for (unsigned c = first >> kFdChunkBits; c < unsigned{kFdChunkCount} && (c << kFdChunkBits) <= last;
       ++c) {
    if (fd_chunks[c].load(std::memory_order_acquire) == nullptr)
      continue; // no state: nobody waits there
    for (unsigned i = 0; i < unsigned{kFdChunkSize}; ++i) {
      const unsigned fd = (c << kFdChunkBits) | i;
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

} // namespace evy::detail
