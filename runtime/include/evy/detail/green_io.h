// Core helpers for green I/O, shared by libevy and the header-only green
// wrappers (ssl, psycopg). Not a public API: names and semantics may change.
#pragma once

#include <evy/deadline.h>
#include <evy/fd_wait.h>
#include <evy/waiter.h>

#include <chrono>

namespace evy {
namespace detail {

// FdView is what a green wrapper must know about an fd before waiting on it.
struct FdView {
  bool waitable = false;                       // false: call straight through (files)
  bool caller_nonblocking = false;             // the caller's own O_NONBLOCK
  std::chrono::nanoseconds receive_timeout{0}; // SO_RCVTIMEO, 0: none
  std::chrono::nanoseconds send_timeout{0};    // SO_SNDTIMEO, 0: none
};

// adopt_fd() puts fd in non-blocking mode inside the runtime (once; the
// caller's O_NONBLOCK is remembered for fcntl) and returns its view.
FdView adopt_fd(int fd) noexcept;

// timeout_deadline() is now + timeout, or no_deadline for a zero timeout.
inline Deadline timeout_deadline(std::chrono::nanoseconds timeout) {
  return timeout.count() > 0 ? deadline_after(timeout) : no_deadline;
}

// throw_timeout_error() throws evy::TimeoutError for the calling fiber's
// expired evy::Timeout (after an interrupted wait) and disarms it.
[[noreturn]] void throw_timeout_error();

// throw_if_interrupted() passes a wait's outcome through, but throws
// evy::TimeoutError (throw_timeout_error) for an interrupted wait.
inline FdWaitResult throw_if_interrupted(FdWaitResult result) {
  if (result == FdWaitResult::interrupted)
    throw_timeout_error();
  return result;
}
inline WakeReason throw_if_interrupted(WakeReason reason) {
  if (reason == WakeReason::interrupted)
    throw_timeout_error();
  return reason;
}

// wait_fd_or_throw() is an interruptible wait_fd() that throws
// evy::TimeoutError where wait_fd() would return interrupted.
inline FdWaitResult wait_fd_or_throw(int fd, FdEvents events, Deadline deadline = no_deadline) {
  return throw_if_interrupted(wait_fd(fd, events, deadline, Interruptible::yes));
}

// wait_fd_after_eagain() is wait_fd() (not interruptible) for a caller
// whose non-blocking call on fd just said EAGAIN for these events: the
// hub's registration of fd is trusted without an epoll_ctl, as the
// runtime's own green calls do (docs/runtime.md, "Waiting on an fd").
FdWaitResult wait_fd_after_eagain(int fd, FdEvents events, Deadline deadline,
                                  Interruptible interruptible) noexcept;

} // namespace detail
} // namespace evy
