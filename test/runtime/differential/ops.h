// The two call sets a scenario runs with: Plain (the originals) and Green
// (evy::green::*). Each member is an Op: a callable that notes its rule
// function's name (the runner checks scenarios' coverage claims with it)
// and forwards to the function.
#pragma once

#include <evy/patched/os.h>
#include <evy/patched/select.h>
#include <evy/patched/socket.h>
#include <evy/patched/thread.h>
#include <evy/patched/time.h>

#include <chrono>
#include <thread>
#include <utility>

namespace evy::diff {

// note_used() records that the current run called rule function `name`.
void note_used(const char *name) noexcept;

template <auto Fn> struct Op {
  const char *name;
  template <class... Args> decltype(auto) operator()(Args &&...args) const {
    note_used(name);
    return Fn(std::forward<Args>(args)...);
  }
};

// Every C function of rules/{os,select,socket,time,thread}.json: the same
// name in the global namespace and in evy::green.
#define EVY_DIFF_C_FUNCTIONS(X)                                                                    \
  X(read) X(write) X(readv) X(writev) X(wait) X(waitpid) X(dup) X(dup2) X(dup3)                   \
  X(select) X(pselect) X(poll) X(ppoll) X(epoll_wait)                                              \
  X(socket) X(socketpair) X(accept) X(accept4) X(connect) X(recv) X(recvfrom) X(recvmsg)           \
  X(send) X(sendto) X(sendmsg) X(close) X(shutdown) X(fcntl) X(setsockopt) X(getsockopt)           \
  X(getaddrinfo) X(getnameinfo) X(gethostbyname) X(gethostbyname_r) X(gethostbyaddr)               \
  X(sleep) X(usleep) X(nanosleep) X(clock_nanosleep) X(sched_yield)                                \
  X(pthread_create) X(pthread_join) X(pthread_detach) X(pthread_self) X(pthread_equal)             \
  X(pthread_once)                                                                                  \
  X(pthread_mutex_init) X(pthread_mutex_destroy) X(pthread_mutex_lock) X(pthread_mutex_trylock)    \
  X(pthread_mutex_timedlock) X(pthread_mutex_clocklock) X(pthread_mutex_unlock)                    \
  X(pthread_cond_init) X(pthread_cond_destroy) X(pthread_cond_wait) X(pthread_cond_timedwait)      \
  X(pthread_cond_clockwait) X(pthread_cond_signal) X(pthread_cond_broadcast)                       \
  X(pthread_rwlock_init) X(pthread_rwlock_destroy) X(pthread_rwlock_rdlock)                        \
  X(pthread_rwlock_tryrdlock) X(pthread_rwlock_timedrdlock) X(pthread_rwlock_clockrdlock)          \
  X(pthread_rwlock_wrlock) X(pthread_rwlock_trywrlock) X(pthread_rwlock_timedwrlock)               \
  X(pthread_rwlock_clockwrlock) X(pthread_rwlock_unlock)                                           \
  X(sem_init) X(sem_destroy) X(sem_open) X(sem_close) X(sem_unlink) X(sem_wait) X(sem_trywait)     \
  X(sem_timedwait) X(sem_clockwait) X(sem_post) X(sem_getvalue)

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations" // pthread_yield

struct Plain {
  static constexpr bool green = false;
#define EVY_DIFF_PLAIN(name) static constexpr Op<&::name> name{#name};
  EVY_DIFF_C_FUNCTIONS(EVY_DIFF_PLAIN)
#if EVY_GREEN_CLOSE_RANGE
  EVY_DIFF_PLAIN(close_range)
#endif
#undef EVY_DIFF_PLAIN
  // Called, not named: clang drops glibc's asm label (pthread_yield is
  // sched_yield) from a function address used as a template argument.
  static constexpr Op<+[] { return ::pthread_yield(); }> pthread_yield{"pthread_yield"};
  static constexpr Op<+[] { std::this_thread::yield(); }> this_thread_yield{
      "std::this_thread::yield"};
  static constexpr Op<+[] { return std::this_thread::get_id(); }> this_thread_get_id{
      "std::this_thread::get_id"};
  static constexpr Op<+[](std::chrono::nanoseconds d) { std::this_thread::sleep_for(d); }>
      sleep_for{"std::this_thread::sleep_for"};
  static constexpr Op<+[](std::chrono::steady_clock::time_point t) {
    std::this_thread::sleep_until(t);
  }> sleep_until{"std::this_thread::sleep_until"};
};

struct Green {
  static constexpr bool green = true;
#define EVY_DIFF_GREEN(name) static constexpr Op<&evy::green::name> name{#name};
  EVY_DIFF_C_FUNCTIONS(EVY_DIFF_GREEN)
#if EVY_GREEN_CLOSE_RANGE
  EVY_DIFF_GREEN(close_range)
#endif
#undef EVY_DIFF_GREEN
  static constexpr Op<&evy::green::pthread_yield> pthread_yield{"pthread_yield"};
  static constexpr Op<+[] { evy::green::this_thread::yield(); }> this_thread_yield{
      "std::this_thread::yield"};
  static constexpr Op<+[] { return evy::green::this_thread::get_id(); }> this_thread_get_id{
      "std::this_thread::get_id"};
  static constexpr Op<+[](std::chrono::nanoseconds d) { evy::green::this_thread::sleep_for(d); }>
      sleep_for{"std::this_thread::sleep_for"};
  static constexpr Op<+[](std::chrono::steady_clock::time_point t) {
    evy::green::this_thread::sleep_until(t);
  }> sleep_until{"std::this_thread::sleep_until"};
};

#pragma GCC diagnostic pop

} // namespace evy::diff
