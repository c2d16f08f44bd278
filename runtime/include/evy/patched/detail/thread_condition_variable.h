// Green condition variables: condition_variable, condition_variable_any,
// and CondCore, the state they share with green pthread_cond_t.
// Part of <evy/patched/thread.h>; include that header, not this one.
#pragma once

#include <evy/deadline.h>
#include <evy/patched/detail/thread_mutex.h>
#include <evy/spin_lock.h>
#include <evy/waiter.h>

#include <chrono>
#include <condition_variable> // std::cv_status
#include <memory>
#include <mutex> // std::unique_lock
#include <utility>
#if __has_include(<version>) // the feature-test macros (C++20; libstdc++ has it earlier)
#include <version>
#endif
#if defined(__cpp_lib_jthread)
#include <stop_token>
#endif

namespace evy {
namespace green {
namespace detail {

// LockRef type-erases a BasicLockable so that the waits are not templates.
struct LockRef {
  void *lockable;
  void (*lock)(void *);
  void (*unlock)(void *);
};
template <class Lock> LockRef lock_ref(Lock &lock) {
  return {std::addressof(lock), [](void *l) { static_cast<Lock *>(l)->lock(); },
          [](void *l) { static_cast<Lock *>(l)->unlock(); }};
}

// StopRef type-erases a std::stop_token (C++20) so that the runtime's waits
// have one signature at every standard.
struct StopRef {
  const void *token;
  bool (*stop_requested)(const void *token);
};

// CondCore is the state of every green condition variable: a queue of
// parked fibers. Its layout doubles as the green reading of a
// pthread_cond_t (all-zero bytes: no waiters, CLOCK_REALTIME).
struct CondCore {
  constexpr CondCore() noexcept = default;
  CondCore(const CondCore &) = delete;
  CondCore &operator=(const CondCore &) = delete;

  // notify_one() wakes the oldest waiter whose wait has not ended yet.
  void notify_one() noexcept;
  // notify_all() wakes every waiter.
  void notify_all() noexcept;
  // wait() queues the calling fiber, then calls release.unlock (the caller's
  // mutex: queueing first means no notify after it can be missed) and parks
  // until notified, the deadline, a stop request on *stop (checked once
  // queued) or, when interruptible, an expiring evy::Timeout. It does not
  // lock again: the caller does.
  WakeReason wait(LockRef release, Deadline deadline, Interruptible interruptible,
                  const StopRef *stop = nullptr) noexcept;

  SpinLock guard;
  int clock = 0; // pthread_cond_t only: the clockid_t of timedwait's abstime
  WaitQueue waiters;
};

// BasicConditionVariable is what both std-shaped condition variables
// share: a CondCore and the notifications, callable from any OS thread.
class BasicConditionVariable {
public:
  constexpr BasicConditionVariable() noexcept = default;
  BasicConditionVariable(const BasicConditionVariable &) = delete;
  BasicConditionVariable &operator=(const BasicConditionVariable &) = delete;
  // notify_one() wakes one waiting fiber (from any OS thread).
  void notify_one() noexcept { core_.notify_one(); }
  // notify_all() wakes every waiting fiber.
  void notify_all() noexcept { core_.notify_all(); }

protected:
  CondCore core_;
};

} // namespace detail

// condition_variable is std::condition_variable for green::mutex. Waits end
// early with evy::TimeoutError when the fiber's evy::Timeout expires (the
// mutex is locked again first, as std requires).
class condition_variable : public detail::BasicConditionVariable {
public:
  // wait() unlocks, parks until notified, then locks again.
  void wait(std::unique_lock<mutex> &lock);
  // wait(lock, pred) waits until pred() holds.
  template <class Predicate> void wait(std::unique_lock<mutex> &lock, Predicate pred) {
    while (!pred())
      wait(lock);
  }
  // wait_until() waits until notified or t (of any clock) has passed.
  template <class Clock, class Duration>
  std::cv_status wait_until(std::unique_lock<mutex> &lock,
                            const std::chrono::time_point<Clock, Duration> &t) {
    wait_until_deadline(lock, to_deadline(t));
    return Clock::now() < t ? std::cv_status::no_timeout : std::cv_status::timeout;
  }
  // wait_until(lock, t, pred) waits until pred() holds or t has passed.
  template <class Clock, class Duration, class Predicate>
  bool wait_until(std::unique_lock<mutex> &lock, const std::chrono::time_point<Clock, Duration> &t,
                  Predicate pred) {
    while (!pred())
      if (wait_until(lock, t) == std::cv_status::timeout)
        return pred();
    return true;
  }
  // wait_for() waits until notified or d has passed.
  template <class Rep, class Period>
  std::cv_status wait_for(std::unique_lock<mutex> &lock,
                          const std::chrono::duration<Rep, Period> &d) {
    return wait_until_deadline(lock, deadline_after(d));
  }
  // wait_for(lock, d, pred) waits until pred() holds or d has passed.
  template <class Rep, class Period, class Predicate>
  bool wait_for(std::unique_lock<mutex> &lock, const std::chrono::duration<Rep, Period> &d,
                Predicate pred) {
    return wait_until(lock, deadline_after(d), std::move(pred));
  }

private:
  std::cv_status wait_until_deadline(std::unique_lock<mutex> &lock, Deadline deadline);
};

// condition_variable_any is std::condition_variable_any for green threads:
// any BasicLockable, and the stop_token overloads where std has them.
class condition_variable_any : public detail::BasicConditionVariable {
public:
  // wait() unlocks lock, parks until notified, then locks it again.
  template <class Lock> void wait(Lock &lock) {
    wait_until_deadline(detail::lock_ref(lock), no_deadline, nullptr);
  }
  // wait(lock, pred) waits until pred() holds.
  template <class Lock, class Predicate> void wait(Lock &lock, Predicate pred) {
    while (!pred())
      wait(lock);
  }
  // wait_until() waits until notified or t (of any clock) has passed.
  template <class Lock, class Clock, class Duration>
  std::cv_status wait_until(Lock &lock, const std::chrono::time_point<Clock, Duration> &t) {
    wait_until_deadline(detail::lock_ref(lock), to_deadline(t), nullptr);
    return Clock::now() < t ? std::cv_status::no_timeout : std::cv_status::timeout;
  }
  // wait_until(lock, t, pred) waits until pred() holds or t has passed.
  template <class Lock, class Clock, class Duration, class Predicate>
  bool wait_until(Lock &lock, const std::chrono::time_point<Clock, Duration> &t, Predicate pred) {
    while (!pred())
      if (wait_until(lock, t) == std::cv_status::timeout)
        return pred();
    return true;
  }
  // wait_for() waits until notified or d has passed.
  template <class Lock, class Rep, class Period>
  std::cv_status wait_for(Lock &lock, const std::chrono::duration<Rep, Period> &d) {
    return wait_until(lock, deadline_after(d));
  }
  // wait_for(lock, d, pred) waits until pred() holds or d has passed.
  template <class Lock, class Rep, class Period, class Predicate>
  bool wait_for(Lock &lock, const std::chrono::duration<Rep, Period> &d, Predicate pred) {
    return wait_until(lock, deadline_after(d), std::move(pred));
  }
#if defined(__cpp_lib_jthread)
  // wait(lock, stoken, pred) waits until pred() holds or a stop is requested.
  template <class Lock, class Predicate>
  bool wait(Lock &lock, std::stop_token stoken, Predicate pred) {
    return wait_until(lock, std::move(stoken), no_deadline, std::move(pred));
  }
  // wait_until(lock, stoken, t, pred) adds a deadline to the stoppable wait.
  template <class Lock, class Clock, class Duration, class Predicate>
  bool wait_until(Lock &lock, std::stop_token stoken,
                  const std::chrono::time_point<Clock, Duration> &t, Predicate pred) {
    if (stoken.stop_requested())
      return pred();
    // A stop request wakes every waiter; each re-checks its own token.
    std::stop_callback on_stop(stoken, [this] { notify_all(); });
    while (!pred()) {
      if (stoken.stop_requested())
        return false;
      const detail::StopRef stop{
          &stoken, [](const void *token) {
            return static_cast<const std::stop_token *>(token)->stop_requested();
          }};
      wait_until_deadline(detail::lock_ref(lock), to_deadline(t), &stop);
      if (Clock::now() >= t)
        return pred();
    }
    return true;
  }
  // wait_for(lock, stoken, d, pred) is the stoppable wait with a timeout.
  template <class Lock, class Rep, class Period, class Predicate>
  bool wait_for(Lock &lock, std::stop_token stoken, const std::chrono::duration<Rep, Period> &d,
                Predicate pred) {
    return wait_until(lock, std::move(stoken), deadline_after(d), std::move(pred));
  }
#endif // __cpp_lib_jthread: std::stop_token exists

private:
  // wait_until_deadline() unlocks, parks until notified, the deadline, or a
  // stop request on *stop, then locks again.
  void wait_until_deadline(detail::LockRef lock, Deadline deadline, const detail::StopRef *stop);
};

} // namespace green
} // namespace evy
