// BlockingCall: the retry loop shared by every green I/O call. It tries
// the operation without blocking and, where the original would have
// blocked, parks the calling fiber on the fd (with SO_RCVTIMEO/SO_SNDTIMEO
// as the deadline) and tries again.
#pragma once

#include "fd_table.h"
#include "hub.h"
#include "runtime_fd.h"

#include <evy/fd_wait.h>
#include <evy/detail/green_io.h>

#include <cerrno>
#include <cstddef>
#include <sys/types.h>
#include <sys/uio.h>

#include <poll.h>

namespace evy::detail {

enum class Direction : bool { receive, send };

// hidden_runtime_fd() is true (errno EBADF) when fd is one of the
// runtime's own: to the program it is not open.
inline bool hidden_runtime_fd(int fd) noexcept {
  if (!is_runtime_fd(fd))
    return false;
  errno = EBADF;
  return true;
}

class BlockingCall {
public:
  BlockingCall(int fd, Direction direction) noexcept : fd_(fd), direction_(direction) {}

  // run() performs op (which returns a count or -1/errno) as the original
  // blocking call would behave; dont_wait is MSG_DONTWAIT. receive_size:
  // op is a plain receive of that many bytes (no MSG_PEEK, MSG_OOB...), so
  // a shorter result may prove the fd empty (ShortRead, fd_table.h); then
  // the next such call waits before it tries, as a hand-written epoll loop
  // reads only when told to, instead of trying to hear EAGAIN.
  template <class Op> ssize_t run(Op op, bool dont_wait = false, std::size_t receive_size = 0) {
    if (hidden_runtime_fd(fd_))
      return -1;
    bool waited_first = false;
    bool planned = false; // a wait that ended ready left a fresh plan_
    for (;;) {
      if (!planned)
        plan_ = plan_io(fd_);
      planned = false;
      switch (plan_.kind) {
      case FdKind::unknown:
      case FdKind::passthrough:
        return op();
      case FdKind::terminal:
        // Left blocking in the kernel: wait for readiness, then call.
        if (!plan_.caller_nonblocking && !dont_wait && !ready_now() && !wait())
          return -1;
        return op();
      case FdKind::socket:
      case FdKind::stream:
        break;
      }
      // Once per call: a wait that ended without an event (the fd is not
      // pollable, or was replaced) leads to a real attempt.
      if (plan_.drained && receive_size > 0 && !waited_first && !plan_.caller_nonblocking &&
          !dont_wait) {
        waited_first = true;
        if (!wait(/*after_eagain=*/true))
          return -1;
        planned = true;
        continue;
      }
      const ssize_t result = op();
      if (result >= 0) {
        if (result > 0 && static_cast<std::size_t>(result) < receive_size &&
            plan_.kind == FdKind::socket)
          note_short_read(fd_, plan_);
        return result;
      }
      if (errno == EINTR)
        continue; // no EINTR the blocking original would not have reported
      if (errno != EAGAIN && errno != EWOULDBLOCK)
        return result;
      if (plan_.caller_nonblocking || dont_wait)
        return result; // the caller asked for EAGAIN
      if (!wait(/*after_eagain=*/true))
        return -1;
      planned = true;
    }
  }

  // prepare() looks the fd up (as run() does) for callers that drive the
  // operation themselves, like connect().
  IoPlan prepare() noexcept {
    plan_ = plan_io(fd_);
    return plan_;
  }

  // may_block() tells whether the last run() behaved as a blocking call
  // (then partial transfers continue, as the kernel would).
  bool may_block(bool dont_wait) const noexcept {
    return !dont_wait && !plan_.caller_nonblocking &&
           (plan_.kind == FdKind::socket || plan_.kind == FdKind::stream);
  }

  // wait() parks until the fd is ready (then plan_ is the fd's view as the
  // wait ended); false (errno set) if it must not retry. after_eagain: the
  // call just said EAGAIN, so the hub's earlier registration of the fd is
  // trusted without an epoll_ctl (wait_on()). Inline in run(): a parked
  // call then has one frame fewer on its stack, which the hub's other
  // fibers push out of the cache before it resumes (for 17 KB of code).
  [[gnu::always_inline]] bool wait(bool after_eagain = false) {
    if (!deadline_known_) {
      deadline_ = plan_.kind == FdKind::socket && !plan_.no_timeouts
                      ? timeout_deadline(socket_timeout(fd_, direction_ == Direction::receive))
                      : no_deadline;
      deadline_known_ = true;
    }
    const FdEvents events = direction_ == Direction::receive ? POLLIN : POLLOUT;
    // signal(7): restarted under SA_RESTART, unless a socket timeout is set.
    SignalWaitScope by_signal(deadline_ != no_deadline ? SignalWait::always
                                                       : SignalWait::restartable);
    switch (throw_if_interrupted(
        wait_on(fd_, events, deadline_, Interruptible::yes, after_eagain, &plan_))) {
    case FdWaitResult::ready:
      return true;
    case FdWaitResult::timed_out:
      errno = EAGAIN; // what SO_RCVTIMEO/SO_SNDTIMEO make the kernel say
      return false;
    case FdWaitResult::signalled:
      errno = EINTR;
      return false;
    default: // closed, bad_fd (interrupted has thrown)
      errno = EBADF;
      return false;
    }
  }

private:
  bool ready_now() const noexcept {
    pollfd p{fd_, static_cast<short>(direction_ == Direction::receive ? POLLIN : POLLOUT), 0};
    return ::poll(&p, 1, 0) != 0;
  }

  int fd_;
  Direction direction_;
  IoPlan plan_;
  Deadline deadline_{};
  bool deadline_known_ = false;
};

// transfer_all() repeats a partial send/receive the way a blocking stream
// call does: until `total` bytes moved, end of file, or an error/timeout
// after some progress (then the progress is returned). attempt(done)
// moves bytes starting at offset `done`.
template <class Attempt>
ssize_t transfer_all(BlockingCall &call, std::size_t total, bool dont_wait, Attempt attempt) {
  std::size_t done = 0;
  for (;;) {
    const ssize_t n = call.run([&] { return attempt(done); }, dont_wait);
    if (n < 0)
      return done > 0 ? static_cast<ssize_t>(done) : n;
    done += static_cast<std::size_t>(n);
    if (n == 0 || done >= total || !call.may_block(dont_wait))
      return static_cast<ssize_t>(done);
  }
}

// IovCursor walks an iovec array by bytes, on a private copy.
class IovCursor {
public:
  IovCursor(const struct iovec *iov, int count);
  IovCursor(const IovCursor &) = delete;
  IovCursor &operator=(const IovCursor &) = delete;
  ~IovCursor();
  std::size_t total() const noexcept { return total_; }
  // at() returns the iovecs from byte offset `done` on, and their count.
  struct iovec *at(std::size_t done, int &count) noexcept;

private:
  struct iovec inline_[8];
  struct iovec *copy_;
  const struct iovec *original_;
  int count_;
  std::size_t total_ = 0;
};

} // namespace evy::detail
