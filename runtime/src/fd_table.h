// The process-wide table of what the runtime knows about each fd: the
// caller's view of O_NONBLOCK, socket timeouts, how to do I/O on it, and
// the fibers waiting for it. Indexed by fd number, grown in chunks.
#pragma once

#include "open_file.h"

#include <evy/fd_wait.h>
#include <evy/detail/green_io.h>
#include <evy/spin_lock.h>
#include <evy/waiter.h>

#include <atomic>
#include <cstdint>
#include <memory>

#include <sys/stat.h>
#include <sys/types.h>

namespace evy::detail {

class Hub;

// FdKind decides how green calls do I/O on an fd.
enum class FdKind : std::uint8_t {
  unknown,     // not looked at yet
  passthrough, // regular files, directories, block devices: call directly
  socket,      // non-blocking inside; wait on EAGAIN
  stream,      // pipes, FIFOs, eventfds...: non-blocking inside; wait on EAGAIN
  terminal,    // ttys and stdio: left blocking (shared with other
               // processes); wait for readiness, then make the call
};

// ShortRead says what a receive shorter than asked proves about an fd.
// On TCP it took everything queued (tcp_recvmsg copies until the queue is
// empty or the buffer full, stopping early only at an urgent mark), so the
// next receive may wait at once instead of trying first, until an event
// says more came. Not so elsewhere: a UNIX socket read stops at a message
// carrying credentials or fds, with data left and no edge to come.
enum class ShortRead : std::uint8_t {
  unknown,     // not asked yet (SO_PROTOCOL, on the first short read)
  empties,     // TCP
  says_nothing // anything else, or TCP with an upper layer (kTLS)
};

// FdWatch is one fiber's interest in one fd; it lives in that fiber's frame.
struct FdWatch {
  Waiter *waiter = nullptr;
  Hub *hub = nullptr;
  std::uint32_t events = 0; // EPOLLIN/EPOLLOUT/EPOLLPRI
  bool closed = false;      // set by a green close() while waiting
  // Set by the event that woke the waiter (dispatch_fd_event(), on the
  // waiter's own thread), which unlinked the watch: no other thread can
  // reach it any more, so the woken fiber needs no lock to leave.
  bool taken = false;
  FdWatch *next = nullptr;
  FdWatch *prev = nullptr;
};

// One entry per fd number, kept small: a connection costs one of these.
struct FdState {
  SpinLock guard;
  FdKind kind = FdKind::unknown;
  // Whole bytes, not bit-fields: every green call reads these (56 bytes
  // an entry either way, after the padding).
  bool initialised = false;
  bool timeouts_known = false;
  bool has_timeouts = false; // SO_*TIMEO set: values in a side table
  bool identity_known = false;
  // The runtime created this fd (green socket/accept/socketpair/F_DUPFD)
  // and has not seen it closed: its first registration is a plain ADD.
  bool tracked = false;
  // urgent_seen, events_seen, drain_key and drained_mark are atomic:
  // plan_io() reads them, and note_short_read() stores the mark, without
  // `guard` while a plan of the fd is current (plan_current()).
  std::atomic<bool> urgent_seen{false}; // EPOLLPRI came: reads may stop at the mark
  ShortRead short_read = ShortRead::unknown;
  std::uint32_t generation = 0; // new file behind the number: new generation
  // The hub (Hub::id) whose epoll last registered this generation of the
  // fd; registrations are persistent and edge-triggered. 0: none known.
  std::uint32_t registered_in = 0;
  std::uint32_t identity = 0; // hash of st_dev and st_ino
  // Events dispatched for the fd, by any hub.
  std::atomic<std::uint32_t> events_seen{0};
  // A short read emptied the fd at (drain_key, events_seen) = drained_mark
  // (key high, count low): while both still are what the mark says,
  // nothing came since and a receive would only say EAGAIN. A new
  // generation or TCP_ULP moves the key (under `guard`), which voids the
  // mark, also one stored late by a receive that planned before it.
  std::atomic<std::uint32_t> drain_key{0};
  std::atomic<std::uint64_t> drained_mark{~std::uint64_t{0}}; // matches no key yet
  FdWatch *watches = nullptr;
  // O_NONBLOCK, the caller's and the kernel's, shared with every fd of the
  // same open file description; null: not initialised, or passthrough.
  OpenFile *file = nullptr;
};

// fd_state() returns the fd's entry (creating its chunk), nullptr if fd is
// negative or beyond the table.
FdState *fd_state(int fd) noexcept;

// IoPlan is how a green call should treat fd right now.
struct IoPlan {
  FdState *state = nullptr; // the fd's entry (entries are never freed)
  FdKind kind = FdKind::passthrough;
  bool caller_nonblocking = false;
  bool drained = false; // emptied by a short read, nothing came since
  bool no_timeouts = false; // SO_RCVTIMEO and SO_SNDTIMEO known to be unset
  ShortRead short_read = ShortRead::unknown;
  std::uint32_t generation = 0;
  std::uint32_t events_seen = 0; // FdState::events_seen when planned
  std::uint32_t drain_key = 0;   // FdState::drain_key when planned
  std::uint64_t epoch = 0;       // view_epoch when planned: see plan_current()
};
// drain_mark_of() is the FdState::drained_mark that says "drained" to plan.
inline std::uint64_t drain_mark_of(const IoPlan &plan) noexcept {
  return std::uint64_t{plan.drain_key} << 32 | plan.events_seen;
}
// read_drained() fills in the part of a plan that changes with every event.
inline void read_drained(const FdState &state, IoPlan &plan) noexcept {
  plan.events_seen = state.events_seen.load(std::memory_order_relaxed);
  plan.drain_key = state.drain_key.load(std::memory_order_relaxed);
  plan.drained = state.drained_mark.load(std::memory_order_relaxed) == drain_mark_of(plan);
}

// view_epoch moves with every change of any fd's view but the per-event
// part (fd_table.cpp): a plan made at the epoch that still stands is right
// but for that part.
extern std::atomic<std::uint64_t> view_epoch;
inline bool plan_current(const IoPlan &plan) noexcept {
  return plan.epoch == view_epoch.load(std::memory_order_acquire);
}

// A thread's last plan of a socket or stream (fd -1: none).
struct PlanCache {
  int fd = -1;
  IoPlan plan;
};
[[gnu::tls_model("initial-exec")]] extern constinit thread_local PlanCache plan_cache;
// plan_io_locked() is plan_io() from the fd's record, under its guard.
IoPlan plan_io_locked(int fd) noexcept;

// plan_io() adopts fd (first use: look at it, make it non-blocking inside)
// and says how to do I/O on it. Inline: every green call asks, and most
// ask about the fd the thread's previous call planned.
inline IoPlan plan_io(int fd) noexcept {
  const PlanCache &cache = plan_cache;
  if (cache.fd == fd && fd >= 0 && plan_current(cache.plan)) [[likely]] {
    IoPlan plan = cache.plan;
    read_drained(*plan.state, plan);
    return plan;
  }
  return plan_io_locked(fd);
}
// socket_timeout() is SO_RCVTIMEO (receive) or SO_SNDTIMEO, 0 for none.
std::chrono::nanoseconds socket_timeout(int fd, bool receive) noexcept;

// note_new_fd() records an fd the runtime just created non-blocking.
void note_new_fd(int fd, FdKind kind, bool caller_nonblocking,
                 ShortRead short_read = ShortRead::unknown) noexcept;
// short_read_of() is what the fd's entry knows of its short reads
// (an accepted socket's are its listener's).
ShortRead short_read_of(int fd) noexcept;
// note_short_read() records that a receive planned as `plan` returned less
// than asked: on TCP the fd is empty until its next event.
void note_short_read(int fd, const IoPlan &plan) noexcept;
// note_upper_layer() says a short read on fd proves nothing any more
// (setsockopt TCP_ULP: kernel TLS reads a record at a time).
void note_upper_layer(int fd) noexcept;
// copy_fd_view() gives a dup'ed fd the caller's view of the original.
void copy_fd_view(int from, int to) noexcept;
// note_closing() wakes every fiber waiting on fd (they see EBADF) and
// forgets the fd; call it right before ::close.
void note_closing(int fd) noexcept;
// note_closing_range() is note_closing() for every fd in [first, last]
// the runtime knows, but its own.
void note_closing_range(unsigned first, unsigned last) noexcept;
// wait_on() is wait_fd() without hiding the runtime's own fds.
// trust_registration: the caller just saw EAGAIN on fd for these events,
// so a registration this hub made before needs no epoll_ctl (fd_table.cpp).
// replan: when the result is ready, set to what plan_io(fd) would say now,
// taken under the lock the wait ends with (the retry needs no other).
FdWaitResult wait_on(int fd, FdEvents events, Deadline deadline, Interruptible interruptible,
                     bool trust_registration = false, IoPlan *replan = nullptr) noexcept;
// caller_view_of_flags() rewrites F_GETFL's result to the caller's view.
int caller_view_of_flags(int fd, int kernel_flags) noexcept;
// set_caller_flags() applies F_SETFL keeping the kernel fd non-blocking
// when the runtime needs it so; returns ::fcntl's result.
int set_caller_flags(int fd, int flags) noexcept;
// forget_socket_timeouts() makes the next wait re-read SO_*TIMEO.
void forget_socket_timeouts(int fd) noexcept;

// dispatch_fd_event() wakes the fibers of `hub` waiting on fd for events.
void dispatch_fd_event(Hub &hub, int fd, std::uint32_t generation, std::uint32_t events) noexcept;
// rearm_fd_watches() registers every fd watched in hub again (after fork).
void rearm_fd_watches(Hub &hub) noexcept;

// FdWaitSet waits for any of several fds at once (poll, select).
class FdWaitSet {
public:
  explicit FdWaitSet(std::size_t capacity);
  FdWaitSet(const FdWaitSet &) = delete;
  FdWaitSet &operator=(const FdWaitSet &) = delete;
  ~FdWaitSet();
  // add() registers interest in events (poll bits) on fd; false when the
  // fd cannot be watched (not pollable, not open): report it ready.
  bool add(int fd, short events) noexcept;
  // wait() parks until one registered fd is ready, the deadline or an interrupt.
  WakeReason wait(Deadline deadline, Interruptible interruptible) noexcept;
  // clear() stops watching every fd (as the destructor does).
  void clear() noexcept;
  // pass_round() is what a caller that will not wait on the set does
  // instead (an fd epoll cannot watch: look again after a round). It
  // clears the set and lets the other fibers run a round, as evy::yield()
  // would, and takes back the wake of a notify that came before clear():
  // left over, it would end the fiber's next wait at once.
  void pass_round() noexcept;

private:
  Waiter waiter_;
  std::unique_ptr<FdWatch[]> watches_;
  std::unique_ptr<int[]> fds_;
  std::size_t capacity_;
  std::size_t count_ = 0;
};

// ---------------------------------------------------------------------
// Shared by fd_table.cpp (the records and plans) and fd_wait.cpp (the
// fiber side of epoll). Those taking an FdState want its guard held.

// The table: chunks of entries, made on first use, never freed.
inline constexpr int kFdChunkBits = 10;
inline constexpr int kFdChunkSize = 1 << kFdChunkBits;
inline constexpr int kFdChunkCount = 1 << 14; // up to 16M fds
extern std::atomic<FdState *> fd_chunks[kFdChunkCount];

// existing_state() is fd's entry if its chunk exists, else nullptr.
inline FdState *existing_state(int fd) noexcept {
  if (fd < 0 || (fd >> kFdChunkBits) >= kFdChunkCount)
    return nullptr;
  FdState *chunk = fd_chunks[fd >> kFdChunkBits].load(std::memory_order_acquire);
  return chunk != nullptr ? &chunk[fd & (kFdChunkSize - 1)] : nullptr;
}
// identity_of() condenses a file's identity (st_dev, st_ino).
std::uint32_t identity_of(const struct stat &st) noexcept;
// same_file() tells whether fd still names the file of state.identity.
bool same_file(int fd, const FdState &state) noexcept;
// new_generation() records that fd now names another file (or none): its
// registrations and the runtime's trust in them belong to the old one.
void new_generation(int fd, FdState &state) noexcept;
// plan_locked() is plan_io() for an fd whose guard the caller holds.
void plan_locked(int fd, FdState &state, IoPlan &plan) noexcept;
// keep_plan() makes plan the thread's kept plan of fd (PlanCache), unless
// it is a passthrough's, whose file plan_locked() checks on every call.
void keep_plan(int fd, const IoPlan &plan) noexcept;

} // namespace evy::detail
