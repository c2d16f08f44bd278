// wait_fd(): park the calling fiber until a file descriptor is ready.
#pragma once

#include <evy/deadline.h>
#include <evy/waiter.h>

#include <cstdint>

namespace evy {

// FdWaitResult says why wait_fd() returned.
enum class FdWaitResult : std::uint8_t {
  ready,       // the fd may be ready: retry the non-blocking call (it can
               // still say EAGAIN when another fiber consumed the readiness)
  timed_out,   // the deadline passed first
  closed,      // the fd was closed through evy::green::close (report EBADF)
  interrupted, // an evy::Timeout of this fiber expired (when interruptible)
  bad_fd,      // the fd is not open (EBADF at registration)
  signalled,   // a signal handler ran (green system calls only: EINTR)
};

// FdEvents are poll(2) bits: POLLIN, POLLOUT, POLLPRI; POLLERR and POLLHUP
// always count as ready.
using FdEvents = short;

// wait_fd() parks the calling fiber until fd reports one of events (through
// this thread's hub epoll), the deadline passes, or the fd is closed by a
// green close(); fds that epoll cannot watch (regular files) are ready at once.
FdWaitResult wait_fd(int fd, FdEvents events, Deadline deadline = no_deadline,
                     Interruptible interruptible = Interruptible::no) noexcept;

} // namespace evy
