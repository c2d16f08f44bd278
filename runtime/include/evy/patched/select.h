// <evy/patched/select.h>: green select/pselect/poll/ppoll/epoll_wait.
//
// Readiness is checked at once; if nothing is ready the calling fiber waits
// on the hub's epoll (with the timeout on the hub's timer heap) while other
// fibers run. Results, revents, fd_set contents and errno are the originals'.
#pragma once

#include <evy/monkey_patch.h>

#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/time.h>
#include <time.h>

namespace evy {
namespace green {

// select() is ::select; *timeout is updated with the time left, as on Linux.
int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, struct timeval *timeout);
// pselect() is ::pselect; sigmask is applied only around the readiness checks.
int pselect(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
            const struct timespec *timeout, const sigset_t *sigmask);
// poll() is ::poll; timeout in milliseconds, negative means forever.
int poll(struct pollfd *fds, nfds_t nfds, int timeout);
// ppoll() is ::ppoll; sigmask is applied only around the readiness checks.
int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *tmo_p, const sigset_t *sigmask);
// epoll_wait() is ::epoll_wait; the fiber waits for the epoll fd to be ready.
int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout);

} // namespace green
} // namespace evy

EVY_REGISTER_PATCHED_MODULE("select", select)
