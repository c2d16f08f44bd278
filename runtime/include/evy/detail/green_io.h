// Core helpers for green I/O, shared by libevy and the header-only green
// wrappers (ssl, psycopg). Not a public API: names and semantics may change.
#pragma once

#include <evy/deadline.h>
#include <evy/fd_wait.h>

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

} // namespace detail
} // namespace evy
