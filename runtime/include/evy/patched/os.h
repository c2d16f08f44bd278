// <evy/patched/os.h>: green read/write/readv/writev/wait/waitpid.
//
// Same signatures, results and errno as the originals. On pipes, sockets
// and ttys only the calling fiber waits; regular files go straight through.
#pragma once

#include <evy/monkey_patch.h>

#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

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

} // namespace green
} // namespace evy

EVY_REGISTER_PATCHED_MODULE("os", os)
