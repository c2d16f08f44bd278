// Green select/pselect/poll/ppoll/epoll_wait: check readiness at once; if
// nothing is ready, park on every fd of the set through the hub and check
// again when one of them fires or the deadline passes.
#include "fd_table.h"
#include "hub.h"
#include "runtime_fd.h"
#include "timespec.h"

#include <evy/patched/select.h>
#include <evy/sleep.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <vector>

namespace evy::green {
namespace {

using std::chrono::nanoseconds;

short poll_interest(short events) noexcept {
  short interest = 0;
  if (events & (POLLIN | POLLRDNORM | POLLRDBAND))
    interest |= POLLIN;
  if (events & (POLLOUT | POLLWRNORM | POLLWRBAND))
    interest |= POLLOUT;
  if (events & POLLPRI)
    interest |= POLLPRI;
  return interest; // 0 still reports errors and hang-ups
}

Deadline deadline_from(const struct timespec *timeout) {
  if (timeout == nullptr)
    return no_deadline;
  return deadline_after(detail::to_duration(*timeout));
}

bool zero(const struct timespec *t) noexcept {
  return t != nullptr && t->tv_sec == 0 && t->tv_nsec == 0;
}

enum class Parked : std::uint8_t { check_again, timed_out, signalled };

// park_on() waits for any of the registered fds, the deadline, or a
// signal (poll and select are never restarted: signal(7)).
Parked park_on(detail::FdWaitSet &set, Deadline deadline, bool all_registered) {
  if (!all_registered) {
    set.pass_round(); // an fd epoll cannot watch: poll it again after a round
    return std::chrono::steady_clock::now() < deadline ? Parked::check_again : Parked::timed_out;
  }
  detail::SignalWaitScope by_signal(detail::SignalWait::always);
  switch (detail::throw_if_interrupted(set.wait(deadline, Interruptible::yes))) {
  case WakeReason::timed_out:
    return Parked::timed_out;
  case WakeReason::signalled:
    return Parked::signalled;
  default: // notified (interrupted has thrown)
    return Parked::check_again;
  }
}

// after_park() is -1 (EINTR) when signalled; else it sets `immediate`
// once the deadline passed (one last look, then report the timeout).
int after_park(Parked parked, bool &immediate) noexcept {
  if (parked == Parked::signalled) {
    errno = EINTR;
    return -1;
  }
  if (parked == Parked::timed_out)
    immediate = true;
  return 0;
}

// poll_now() polls once, without waiting, with the runtime's own fds
// reported as the kernel reports fds that are not open (POLLNVAL, ready).
// The kernel looks first: it refuses a bad nfds (EINVAL) or array (EFAULT)
// before anything here reads the array.
int poll_now(struct pollfd *fds, nfds_t nfds, const sigset_t *sigmask) {
  static const struct timespec no_wait {};
  const auto kernel_poll = [&] {
    return sigmask != nullptr ? ::ppoll(fds, nfds, &no_wait, sigmask) : ::poll(fds, nfds, 0);
  };
  const int first = kernel_poll();
  if (first < 0)
    return first;
  std::vector<nfds_t> hidden;
  for (nfds_t i = 0; i < nfds; ++i)
    if (fds[i].fd >= 0 && detail::is_runtime_fd(fds[i].fd))
      hidden.push_back(i);
  if (hidden.empty())
    return first;
  std::vector<int> numbers;
  for (nfds_t i : hidden) {
    numbers.push_back(fds[i].fd);
    fds[i].fd = -1; // ignored by the kernel
  }
  const int ready = kernel_poll();
  const int error = errno;
  for (std::size_t k = 0; k < hidden.size(); ++k) {
    fds[hidden[k]].fd = numbers[k];
    fds[hidden[k]].revents = POLLNVAL;
  }
  errno = error;
  return ready < 0 ? ready : ready + static_cast<int>(hidden.size());
}

int green_poll(struct pollfd *fds, nfds_t nfds, Deadline deadline, bool immediate,
               const sigset_t *sigmask) {
  for (;;) {
    const int ready = poll_now(fds, nfds, sigmask);
    if (ready != 0 || immediate)
      return ready;
    detail::FdWaitSet set(nfds);
    bool all_registered = true;
    for (nfds_t i = 0; i < nfds; ++i)
      if (fds[i].fd >= 0 && !set.add(fds[i].fd, poll_interest(fds[i].events)))
        all_registered = false;
    if (after_park(park_on(set, deadline, all_registered), immediate) < 0)
      return -1;
  }
}

struct FdSets {
  fd_set read, write, except;
};

int green_select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, Deadline deadline,
                 bool immediate, const sigset_t *sigmask, bool use_pselect) {
  if (nfds < 0 || nfds > FD_SETSIZE) {
    errno = EINVAL;
    return -1;
  }
  FdSets wanted{};
  FD_ZERO(&wanted.read);
  FD_ZERO(&wanted.write);
  FD_ZERO(&wanted.except);
  if (readfds != nullptr)
    wanted.read = *readfds;
  if (writefds != nullptr)
    wanted.write = *writefds;
  if (exceptfds != nullptr)
    wanted.except = *exceptfds;
  for (int fd = 0; fd < nfds; ++fd)
    if ((FD_ISSET(fd, &wanted.read) || FD_ISSET(fd, &wanted.write) ||
         FD_ISSET(fd, &wanted.except)) &&
        detail::is_runtime_fd(fd)) {
      errno = EBADF; // as for any fd that is not open
      return -1;
    }
  for (;;) {
    if (readfds != nullptr)
      *readfds = wanted.read;
    if (writefds != nullptr)
      *writefds = wanted.write;
    if (exceptfds != nullptr)
      *exceptfds = wanted.except;
    struct timeval no_wait {};
    static const struct timespec no_wait_ts {};
    const int ready = use_pselect
                          ? ::pselect(nfds, readfds, writefds, exceptfds, &no_wait_ts, sigmask)
                          : ::select(nfds, readfds, writefds, exceptfds, &no_wait);
    if (ready != 0 || immediate)
      return ready;
    std::size_t count = 0;
    for (int fd = 0; fd < nfds; ++fd)
      if (FD_ISSET(fd, &wanted.read) || FD_ISSET(fd, &wanted.write) || FD_ISSET(fd, &wanted.except))
        ++count;
    detail::FdWaitSet set(count);
    bool all_registered = true;
    for (int fd = 0; fd < nfds; ++fd) {
      short events = 0;
      if (FD_ISSET(fd, &wanted.read))
        events |= POLLIN;
      if (FD_ISSET(fd, &wanted.write))
        events |= POLLOUT;
      if (FD_ISSET(fd, &wanted.except))
        events |= POLLPRI;
      if (events != 0 && !set.add(fd, events))
        all_registered = false;
    }
    if (after_park(park_on(set, deadline, all_registered), immediate) < 0)
      return -1;
  }
}
} // namespace

int poll(struct pollfd *fds, nfds_t nfds, int timeout) {
  const Deadline deadline =
      timeout < 0 ? no_deadline : deadline_after(std::chrono::milliseconds(timeout));
  return green_poll(fds, nfds, deadline, timeout == 0, nullptr);
}

int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *tmo_p, const sigset_t *sigmask) {
  if (tmo_p != nullptr && !detail::valid_interval(*tmo_p)) {
    errno = EINVAL;
    return -1;
  }
  return green_poll(fds, nfds, deadline_from(tmo_p), zero(tmo_p), sigmask);
}

int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
           struct timeval *timeout) {
  if (timeout != nullptr && (timeout->tv_sec < 0 || timeout->tv_usec < 0)) {
    errno = EINVAL;
    return -1;
  }
  Deadline deadline = no_deadline;
  bool immediate = false;
  if (timeout != nullptr) {
    const auto wanted =
        std::chrono::seconds(timeout->tv_sec) + std::chrono::microseconds(timeout->tv_usec);
    deadline = deadline_after(wanted);
    immediate = wanted.count() == 0;
  }
  const int ready =
      green_select(nfds, readfds, writefds, exceptfds, deadline, immediate, nullptr, false);
  if (timeout != nullptr && ready >= 0) {
    // Linux reports the time not slept, and so do we.
    auto left = std::chrono::duration_cast<std::chrono::microseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() < 0)
      left = left.zero();
    timeout->tv_sec = static_cast<time_t>(left.count() / 1'000'000);
    timeout->tv_usec = static_cast<suseconds_t>(left.count() % 1'000'000);
  }
  return ready;
}

int pselect(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
            const struct timespec *timeout, const sigset_t *sigmask) {
  if (timeout != nullptr && !detail::valid_interval(*timeout)) {
    errno = EINVAL;
    return -1;
  }
  return green_select(nfds, readfds, writefds, exceptfds, deadline_from(timeout), zero(timeout),
                      sigmask, true);
}

int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout) {
  if (detail::is_runtime_fd(epfd)) {
    errno = EBADF;
    return -1;
  }
  const Deadline deadline =
      timeout < 0 ? no_deadline : deadline_after(std::chrono::milliseconds(timeout));
  for (;;) {
    const int ready = ::epoll_wait(epfd, events, maxevents, 0);
    if (ready != 0 || timeout == 0)
      return ready;
    // An epoll fd is itself readable while it has events to report.
    detail::SignalWaitScope by_signal(detail::SignalWait::always);
    switch (detail::wait_fd_or_throw(epfd, POLLIN, deadline)) {
    case FdWaitResult::ready:
      continue;
    case FdWaitResult::timed_out:
      return ::epoll_wait(epfd, events, maxevents, 0);
    case FdWaitResult::signalled:
      errno = EINTR;
      return -1;
    default: // closed, bad_fd (interrupted has thrown)
      errno = EBADF;
      return -1;
    }
  }
}

} // namespace evy::green
