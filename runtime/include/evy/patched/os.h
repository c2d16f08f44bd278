// <evy/patched/os.h>: green read/write/readv/writev/wait/waitpid and the
// fd-number calls dup/dup2/dup3/close_range/closefrom, and the stdio reads
// from stdin (detail/os_stdin.h).
//
// Same signatures, results and errno as the originals. On pipes, sockets
// and ttys only the calling fiber waits; regular files go straight through.
// The runtime's own fds (epoll, eventfd, pidfd) are not open as far as
// these calls see: dup2/dup3 onto one's number gives the program that
// number, and close_range/closefrom close everything but them.
#pragma once

#include <evy/monkey_patch.h>
#include <evy/patched/detail/os_stdin.h>

#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

// glibc declares close_range and closefrom from 2.34 on, with _GNU_SOURCE
// (g++ and clang++ define it for C++).
#if defined(__GLIBC__) && defined(__USE_GNU) &&                                                     \
    (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
#define EVY_GREEN_CLOSE_RANGE 1
#else
#define EVY_GREEN_CLOSE_RANGE 0
#endif

namespace evy {
namespace green {

// read() is ::read that waits for readiness as a fiber, not as the thread.
ssize_t read(int fd, void *buf, size_t count);
// write() is ::write that waits for room as a fiber, not as the thread.
ssize_t write(int fd, const void *buf, size_t count);
// readv() is ::readv that waits for readiness as a fiber.
ssize_t readv(int fd, const struct iovec *iov, int iovcnt);
// writev() is ::writev that waits for room as a fiber.
ssize_t writev(int fd, const struct iovec *iov, int iovcnt);
// wait() is ::wait; other fibers run while no child has changed state.
pid_t wait(int *wstatus);
// waitpid() is ::waitpid; other fibers run while the child is alive.
pid_t waitpid(pid_t pid, int *wstatus, int options);
// dup() is ::dup; the copy shares the caller's view of O_NONBLOCK.
int dup(int oldfd) noexcept;
// dup2() is ::dup2; fibers waiting on the replaced fd wake with EBADF.
int dup2(int oldfd, int newfd) noexcept;
// dup3() is ::dup3, like dup2().
int dup3(int oldfd, int newfd, int flags) noexcept;
#if EVY_GREEN_CLOSE_RANGE
// close_range() is ::close_range; the runtime's own fds stay open.
int close_range(unsigned int fd, unsigned int max_fd, int flags) noexcept;
// closefrom() is ::closefrom; the runtime's own fds stay open.
void closefrom(int lowfd) noexcept;
#endif

} // namespace green
} // namespace evy

EVY_REGISTER_PATCHED_MODULE("os", os)
