// Green dup/dup2/dup3/close_range/closefrom: fd-number calls that must
// treat the runtime's own fds as not open, and keep the runtime's view of
// each fd (its O_NONBLOCK, its waiting fibers) in step.
#include "blocking_call.h"
#include "runtime_fd.h"

#include <evy/patched/os.h>

#include <cerrno>
#include <climits>

#include <fcntl.h>
#include <unistd.h>

namespace evy::green {
namespace {

// replace_fd() makes newfd a copy of oldfd through dup (dup2 or dup3). If
// newfd is the runtime's, the runtime's file moves elsewhere first: to the
// program that number was free.
template <class Dup> int replace_fd(int oldfd, int newfd, Dup dup) {
  detail::RuntimeFdGuard guard(newfd);
  bool moved = false;
  if (detail::is_runtime_fd(newfd)) {
    if (::fcntl(oldfd, F_GETFD) < 0)
      return -1; // EBADF, and the number stays as it was
    if (!detail::move_runtime_fd_locked(newfd))
      return -1;
    moved = true;
  }
  detail::note_closing(newfd); // fibers waiting on the replaced file wake
  const int result = dup();
  if (result < 0) {
    const int error = errno;
    if (moved)
      ::close(newfd); // the runtime's leftover copy: the number is free again
    errno = error;
    return -1;
  }
  detail::copy_fd_view(oldfd, newfd);
  return result;
}
} // namespace

int dup(int oldfd) noexcept {
  if (detail::hidden_runtime_fd(oldfd))
    return -1;
  const int copy = ::dup(oldfd); // the lowest free number: never a runtime fd
  if (copy >= 0)
    detail::copy_fd_view(oldfd, copy);
  return copy;
}

int dup2(int oldfd, int newfd) noexcept {
  if (detail::hidden_runtime_fd(oldfd))
    return -1;
  if (oldfd == newfd)
    return ::dup2(oldfd, newfd);
  return replace_fd(oldfd, newfd, [&] { return ::dup2(oldfd, newfd); });
}

int dup3(int oldfd, int newfd, int flags) noexcept {
  if ((flags & ~O_CLOEXEC) != 0 || oldfd == newfd)
    return ::dup3(oldfd, newfd, flags); // EINVAL, checked first as the kernel does
  if (detail::hidden_runtime_fd(oldfd))
    return -1;
  return replace_fd(oldfd, newfd, [&] { return ::dup3(oldfd, newfd, flags); });
}

#if EVY_GREEN_CLOSE_RANGE
int close_range(unsigned int first, unsigned int last, int flags) noexcept {
  if (first > last || (flags & ~(CLOSE_RANGE_CLOEXEC | CLOSE_RANGE_UNSHARE)) != 0)
    return ::close_range(first, last, flags); // EINVAL, as the original
  detail::RuntimeFdGuard guard; // no runtime fd appears in the range meanwhile
  if ((flags & CLOSE_RANGE_CLOEXEC) == 0)
    detail::note_closing_range(first, last);
  // Close the gaps between the runtime's fds.
  unsigned int from = first;
  for (const int fd : detail::runtime_fds_between_locked(first, last)) {
    const auto hidden = static_cast<unsigned int>(fd);
    if (hidden > from && ::close_range(from, hidden - 1, flags) != 0)
      return -1;
    from = hidden + 1;
  }
  if (from <= last)
    return ::close_range(from, last, flags);
  return 0;
}

void closefrom(int lowfd) noexcept {
  (void)evy::green::close_range(lowfd < 0 ? 0u : static_cast<unsigned int>(lowfd), UINT_MAX, 0);
}
#endif

} // namespace evy::green
