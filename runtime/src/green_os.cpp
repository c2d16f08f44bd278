// Green os: read/write/readv/writev and wait/waitpid.
#include "blocking_call.h"

#include <evy/patched/os.h>
#include <evy/tpool.h>

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>

#include <sys/syscall.h>
#include <unistd.h>

namespace evy::green {

using detail::BlockingCall;
using detail::Direction;

ssize_t read(int fd, void *buf, size_t count) {
  BlockingCall call(fd, Direction::receive);
  return call.run([&] { return ::read(fd, buf, count); }, false, count);
}

ssize_t write(int fd, const void *buf, size_t count) {
  BlockingCall call(fd, Direction::send);
  const char *bytes = static_cast<const char *>(buf);
  return detail::transfer_all(call, count, false, [&](std::size_t done) {
    return ::write(fd, bytes + done, count - done);
  });
}

ssize_t readv(int fd, const struct iovec *iov, int iovcnt) {
  BlockingCall call(fd, Direction::receive);
  return call.run([&] { return ::readv(fd, iov, iovcnt); });
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt) {
  BlockingCall call(fd, Direction::send);
  // A count the kernel refuses (EINVAL) must not be walked: the array
  // may be shorter than the count says.
  if (iovcnt < 0 || iovcnt > IOV_MAX)
    return call.run([&] { return ::writev(fd, iov, iovcnt); });
  detail::IovCursor cursor(iov, iovcnt);
  if (cursor.total() == 0)
    return call.run([&] { return ::writev(fd, iov, iovcnt); });
  return detail::transfer_all(call, cursor.total(), false, [&](std::size_t done) {
    int count;
    struct iovec *rest = cursor.at(done, count);
    return ::writev(fd, rest, count);
  });
}

namespace {
// pidfd_open(2): a pollable handle on a child (Linux 5.3); -1 if unavailable.
int open_pidfd(pid_t pid) noexcept {
#if defined(SYS_pidfd_open)
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
#else
  (void)pid;
  errno = ENOSYS;
  return -1;
#endif
}


// A blocking waitpid on the thread pool, with errno carried back.
pid_t waitpid_on_pool(pid_t pid, int *wstatus, int options) {
  int error = 0;
  const pid_t result = evy::tpool::execute([&] {
    pid_t r;
    do
      r = ::waitpid(pid, wstatus, options);
    while (r < 0 && errno == EINTR);
    error = errno;
    return r;
  });
  if (result < 0)
    errno = error;
  return result;
}
} // namespace

pid_t waitpid(pid_t pid, int *wstatus, int options) {
  if (options & WNOHANG)
    return ::waitpid(pid, wstatus, options);
  // A pidfd only reports termination: stops and continues go to the pool.
  const bool exits_only = (options & (WUNTRACED | WCONTINUED)) == 0;
  // The pidfd is the runtime's: the program cannot see, close or replace it.
  detail::RuntimeFd pidfd;
  if (pid > 0 && exits_only)
    (void)pidfd.adopt(open_pidfd(pid));
  for (;;) {
    const pid_t result = ::waitpid(pid, wstatus, options | WNOHANG);
    if (result < 0 && errno == EINTR)
      continue;
    if (result != 0)
      return result;
    if (pidfd.number() < 0)
      return waitpid_on_pool(pid, wstatus, options);
    // A dup2 onto the pidfd's number (it moves) wakes us as closed: then
    // the pool finishes the wait.
    const FdWaitResult waited = detail::throw_if_interrupted(
        detail::wait_on(pidfd.number(), POLLIN, no_deadline, Interruptible::yes));
    if (waited != FdWaitResult::ready)
      return waitpid_on_pool(pid, wstatus, options);
  }
}

pid_t wait(int *wstatus) { return evy::green::waitpid(-1, wstatus, 0); }

} // namespace evy::green
