// Green thread handles: what native_handle() and green pthread_t values
// mean to the pthread calls that take a thread (pthread_kill, the name,
// affinity and scheduling calls, pthread_cancel).
// Part of <evy/patched/thread.h>; include that header, not this one.
//
// A green thread's handle is its fiber id. The calls below accept it (and
// a real pthread_t, which they pass to the originals): the same result
// where a green thread has the property (it exists, it has a name, it runs
// on its hub's OS thread, with that thread's affinity and scheduling), and
// ENOTSUP where it cannot (pinning or re-prioritising one green thread,
// cancelling it). docs/thread.md has the table.
#pragma once

#include <evy/invoke.h>
#include <evy/spawn.h>

#include <pthread.h>
#include <sched.h>
#include <signal.h>

#include <utility>

namespace evy {
namespace green {
namespace detail {

// handle_created() registers a green thread's handle, from its creator.
void handle_created(FiberId id) noexcept;
// handle_started() and handle_ended() run on the green thread itself: it
// now runs on this OS thread; its handle is no longer in use.
void handle_started() noexcept;
void handle_ended() noexcept;
// handle_released() ends the handle's life once the thread has ended too
// (join, detach).
void handle_released(FiberId id) noexcept;

typedef evy::detail::Binding Binding;

// HandleTracked runs a green thread's function between handle_started()
// and handle_ended().
template <class Fn> struct HandleTracked {
  template <class F> explicit HandleTracked(Binding, F &&f) : fn(std::forward<F>(f)) {}
  struct EndScope {
    ~EndScope() { handle_ended(); }
  };
  template <class... A> void operator()(A &&...a) {
    handle_started();
    EndScope end;
    evy::detail::invoke(std::move(fn), std::forward<A>(a)...);
  }
  Fn fn;
};
} // namespace detail

// pthread_kill() with signal 0 tells whether the green thread exists (0 or
// ESRCH); another signal goes to the OS thread it runs on (EINVAL for an
// invalid number), as nothing narrower can receive one.
int pthread_kill(pthread_t thread, int sig) noexcept;
// pthread_cancel() of a green thread: ENOTSUP (cancellation would unwind
// the OS thread); ESRCH for an unknown one.
int pthread_cancel(pthread_t thread);
// pthread_getschedparam() reports the policy of the green thread's OS thread.
int pthread_getschedparam(pthread_t thread, int *policy, struct sched_param *param) noexcept;
// pthread_setschedparam() of a green thread: ENOTSUP (it shares its OS thread).
int pthread_setschedparam(pthread_t thread, int policy, const struct sched_param *param) noexcept;
#if defined(__USE_GNU)
// pthread_setname_np() names the green thread (ERANGE past 15 bytes, as
// glibc); the OS thread's name is left alone.
int pthread_setname_np(pthread_t thread, const char *name) noexcept;
// pthread_getname_np() returns that name, else its OS thread's (ERANGE
// for a buffer under 16 bytes, as glibc).
int pthread_getname_np(pthread_t thread, char *buf, size_t len) noexcept;
// pthread_setaffinity_np() of a green thread: ENOTSUP (it shares its OS thread).
int pthread_setaffinity_np(pthread_t thread, size_t cpusetsize, const cpu_set_t *cpuset) noexcept;
// pthread_getaffinity_np() reports the affinity of the green thread's OS thread.
int pthread_getaffinity_np(pthread_t thread, size_t cpusetsize, cpu_set_t *cpuset) noexcept;
#endif

} // namespace green
} // namespace evy
