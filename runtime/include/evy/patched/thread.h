// <evy/patched/thread.h>: green threads and synchronisation (thread,
// threading and queue modules): std::thread and the std synchronisation
// types with the same interfaces, this_thread, pthreads and POSIX semaphores.
//
// Green threads are fibers on the hub of the OS thread that creates them.
// The primitives park fibers through evy::Waiter, so they stay correct when
// real OS threads (evy::tpool, unrewritten library threads) use them too.
// Layout note: every primitive is a SpinLock-guarded state plus WaitQueues
// of parked fibers; all are constant-initialisable like their std peers.
#pragma once

#include <evy/deadline.h>
#include <evy/monkey_patch.h>
#include <evy/sleep.h>
#include <evy/spawn.h>
#include <evy/spin_lock.h>
#include <evy/waiter.h>

#include <pthread.h>
#include <semaphore.h>
#include <time.h>

#include <chrono>
#include <condition_variable> // std::cv_status
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <limits>
#include <mutex> // std::unique_lock, std::lock_guard for users of these types
#include <ostream>
#include <stop_token>
#include <type_traits>
#include <utility>

namespace evy::green {

// ---------------------------------------------------------------- threads

// thread is std::thread running its function as a green thread (a fiber).
class thread {
public:
  // id is std::thread::id for green threads: unique, ordered, hashable.
  class id {
  public:
    id() noexcept = default;
    explicit id(FiberId value) noexcept : value_(value) {}
    friend bool operator==(id, id) noexcept = default;
    friend auto operator<=>(id, id) noexcept = default;
    // value() is the fiber id (0 for "no thread").
    FiberId value() const noexcept { return value_; }
    template <class CharT, class Traits>
    friend std::basic_ostream<CharT, Traits> &
    operator<<(std::basic_ostream<CharT, Traits> &out, id i) {
      if (i.value_ == 0)
        return out << "thread::id of a non-executing thread";
      return out << i.value_;
    }

  private:
    FiberId value_ = 0;
  };
  using native_handle_type = FiberId;

  thread() noexcept = default;
  // thread(f, args...) starts f(args...) as a green thread (decay-copied args).
  template <class F, class... Args>
    requires(!std::is_same_v<std::remove_cvref_t<F>, thread>)
  explicit thread(F &&f, Args &&...args)
      : fiber_(evy::spawn(std::forward<F>(f), std::forward<Args>(args)...)) {}
  // ~thread() calls std::terminate if still joinable, like std::thread.
  ~thread();
  thread(const thread &) = delete;
  thread &operator=(const thread &) = delete;
  thread(thread &&other) noexcept = default;
  // operator=(thread&&) calls std::terminate if *this is joinable.
  thread &operator=(thread &&other) noexcept;

  // joinable() tells whether the thread has not been joined or detached.
  bool joinable() const noexcept { return fiber_.joinable(); }
  // get_id() returns the green thread's id, or id() when not joinable.
  id get_id() const noexcept { return id(fiber_.id()); }
  // native_handle() returns the fiber id.
  native_handle_type native_handle() noexcept { return fiber_.id(); }
  // join() waits as a fiber for the thread to finish; throws std::system_error
  // (invalid_argument, resource_deadlock_would_occur) as std::thread::join.
  void join();
  // detach() lets the thread run on; throws std::system_error if not joinable.
  void detach();
  // swap() exchanges the threads two objects represent.
  void swap(thread &other) noexcept { std::swap(fiber_, other.fiber_); }
  // hardware_concurrency() answers as std::thread::hardware_concurrency().
  static unsigned int hardware_concurrency() noexcept;

private:
  GreenThread fiber_;
};

inline void swap(thread &a, thread &b) noexcept { a.swap(b); }

// jthread is std::jthread over green::thread: joins on destruction and
// passes a std::stop_token first when the function accepts one.
class jthread {
public:
  using id = thread::id;
  using native_handle_type = thread::native_handle_type;

  jthread() noexcept : stop_source_(std::nostopstate) {}
  template <class F, class... Args>
    requires(!std::is_same_v<std::remove_cvref_t<F>, jthread>)
  explicit jthread(F &&f, Args &&...args)
      : stop_source_(), thread_(start(std::forward<F>(f),
                                      std::forward<Args>(args)...)) {}
  // ~jthread() requests stop and joins, like std::jthread.
  ~jthread() {
    if (joinable()) {
      request_stop();
      join();
    }
  }
  jthread(const jthread &) = delete;
  jthread &operator=(const jthread &) = delete;
  jthread(jthread &&) noexcept = default;
  jthread &operator=(jthread &&other) noexcept {
    if (this != &other) {
      if (joinable()) {
        request_stop();
        join();
      }
      stop_source_ = std::move(other.stop_source_);
      thread_ = std::move(other.thread_);
    }
    return *this;
  }

  bool joinable() const noexcept { return thread_.joinable(); }
  id get_id() const noexcept { return thread_.get_id(); }
  native_handle_type native_handle() noexcept { return thread_.native_handle(); }
  void join() { thread_.join(); }
  void detach() { thread_.detach(); }
  void swap(jthread &other) noexcept {
    std::swap(stop_source_, other.stop_source_);
    thread_.swap(other.thread_);
  }
  std::stop_source get_stop_source() noexcept { return stop_source_; }
  std::stop_token get_stop_token() const noexcept {
    return stop_source_.get_token();
  }
  bool request_stop() noexcept { return stop_source_.request_stop(); }
  static unsigned int hardware_concurrency() noexcept {
    return thread::hardware_concurrency();
  }

private:
  template <class F, class... Args> thread start(F &&f, Args &&...args) {
    if constexpr (std::is_invocable_v<std::decay_t<F>, std::stop_token,
                                      std::decay_t<Args>...>) {
      return thread(std::forward<F>(f), stop_source_.get_token(),
                    std::forward<Args>(args)...);
    } else {
      return thread(std::forward<F>(f), std::forward<Args>(args)...);
    }
  }
  std::stop_source stop_source_;
  thread thread_;
};

inline void swap(jthread &a, jthread &b) noexcept { a.swap(b); }

namespace this_thread {
// yield() lets the other runnable green threads of this OS thread run.
void yield() noexcept;
// get_id() returns the calling green thread's id.
thread::id get_id() noexcept;
// sleep_for() and sleep_until() come from <evy/sleep.h>.
} // namespace this_thread

// ---------------------------------------------------------------- mutexes

// mutex is std::mutex for green threads: lock() parks the fiber.
class mutex {
public:
  constexpr mutex() noexcept = default;
  mutex(const mutex &) = delete;
  mutex &operator=(const mutex &) = delete;
  // lock() parks the calling fiber until the mutex is free.
  void lock();
  // try_lock() takes the mutex if free, without waiting.
  bool try_lock() noexcept;
  // unlock() releases the mutex and wakes the next waiter.
  void unlock();

private:
  friend class condition_variable;
  SpinLock guard_;
  bool locked_ = false;
  WaitQueue waiters_;
};

// timed_mutex is std::timed_mutex for green threads.
class timed_mutex {
public:
  constexpr timed_mutex() noexcept = default;
  timed_mutex(const timed_mutex &) = delete;
  timed_mutex &operator=(const timed_mutex &) = delete;
  void lock();
  bool try_lock() noexcept;
  // try_lock_for() waits at most d for the mutex.
  template <class Rep, class Period>
  bool try_lock_for(const std::chrono::duration<Rep, Period> &d) {
    return try_lock_until_deadline(deadline_after(d));
  }
  // try_lock_until() waits until t (of any clock) for the mutex.
  template <class Clock, class Duration>
  bool try_lock_until(const std::chrono::time_point<Clock, Duration> &t) {
    while (!try_lock_until_deadline(to_deadline(t)))
      if (Clock::now() >= t)
        return false;
    return true;
  }
  void unlock();

private:
  bool try_lock_until_deadline(Deadline deadline);
  SpinLock guard_;
  bool locked_ = false;
  WaitQueue waiters_;
};

// recursive_mutex is std::recursive_mutex for green threads (owner = fiber).
class recursive_mutex {
public:
  constexpr recursive_mutex() noexcept = default;
  recursive_mutex(const recursive_mutex &) = delete;
  recursive_mutex &operator=(const recursive_mutex &) = delete;
  void lock();
  bool try_lock() noexcept;
  void unlock();

private:
  SpinLock guard_;
  FiberId owner_ = 0;
  std::size_t depth_ = 0;
  WaitQueue waiters_;
};

// recursive_timed_mutex is std::recursive_timed_mutex for green threads.
class recursive_timed_mutex {
public:
  constexpr recursive_timed_mutex() noexcept = default;
  recursive_timed_mutex(const recursive_timed_mutex &) = delete;
  recursive_timed_mutex &operator=(const recursive_timed_mutex &) = delete;
  void lock();
  bool try_lock() noexcept;
  template <class Rep, class Period>
  bool try_lock_for(const std::chrono::duration<Rep, Period> &d) {
    return try_lock_until_deadline(deadline_after(d));
  }
  template <class Clock, class Duration>
  bool try_lock_until(const std::chrono::time_point<Clock, Duration> &t) {
    while (!try_lock_until_deadline(to_deadline(t)))
      if (Clock::now() >= t)
        return false;
    return true;
  }
  void unlock();

private:
  bool try_lock_until_deadline(Deadline deadline);
  SpinLock guard_;
  FiberId owner_ = 0;
  std::size_t depth_ = 0;
  WaitQueue waiters_;
};

// shared_mutex is std::shared_mutex for green threads.
class shared_mutex {
public:
  constexpr shared_mutex() noexcept = default;
  shared_mutex(const shared_mutex &) = delete;
  shared_mutex &operator=(const shared_mutex &) = delete;
  void lock();
  bool try_lock() noexcept;
  void unlock();
  void lock_shared();
  bool try_lock_shared() noexcept;
  void unlock_shared();

private:
  SpinLock guard_;
  std::size_t readers_ = 0;
  bool writer_ = false;
  WaitQueue waiting_writers_;
  WaitQueue waiting_readers_;
};

// shared_timed_mutex is std::shared_timed_mutex for green threads.
class shared_timed_mutex {
public:
  constexpr shared_timed_mutex() noexcept = default;
  shared_timed_mutex(const shared_timed_mutex &) = delete;
  shared_timed_mutex &operator=(const shared_timed_mutex &) = delete;
  void lock();
  bool try_lock() noexcept;
  template <class Rep, class Period>
  bool try_lock_for(const std::chrono::duration<Rep, Period> &d) {
    return try_lock_until_deadline(deadline_after(d));
  }
  template <class Clock, class Duration>
  bool try_lock_until(const std::chrono::time_point<Clock, Duration> &t) {
    while (!try_lock_until_deadline(to_deadline(t)))
      if (Clock::now() >= t)
        return false;
    return true;
  }
  void unlock();
  void lock_shared();
  bool try_lock_shared() noexcept;
  template <class Rep, class Period>
  bool try_lock_shared_for(const std::chrono::duration<Rep, Period> &d) {
    return try_lock_shared_until_deadline(deadline_after(d));
  }
  template <class Clock, class Duration>
  bool
  try_lock_shared_until(const std::chrono::time_point<Clock, Duration> &t) {
    while (!try_lock_shared_until_deadline(to_deadline(t)))
      if (Clock::now() >= t)
        return false;
    return true;
  }
  void unlock_shared();

private:
  bool try_lock_until_deadline(Deadline deadline);
  bool try_lock_shared_until_deadline(Deadline deadline);
  SpinLock guard_;
  std::size_t readers_ = 0;
  bool writer_ = false;
  WaitQueue waiting_writers_;
  WaitQueue waiting_readers_;
};

// ------------------------------------------------- condition variables

// condition_variable is std::condition_variable for green::mutex.
class condition_variable {
public:
  constexpr condition_variable() noexcept = default;
  condition_variable(const condition_variable &) = delete;
  condition_variable &operator=(const condition_variable &) = delete;

  // notify_one() wakes one waiting fiber (from any OS thread).
  void notify_one() noexcept;
  // notify_all() wakes every waiting fiber.
  void notify_all() noexcept;
  // wait() unlocks, parks until notified (spurious wake-ups allowed), relocks.
  void wait(std::unique_lock<mutex> &lock);
  template <class Predicate>
  void wait(std::unique_lock<mutex> &lock, Predicate pred) {
    while (!pred())
      wait(lock);
  }
  template <class Clock, class Duration>
  std::cv_status wait_until(std::unique_lock<mutex> &lock,
                            const std::chrono::time_point<Clock, Duration> &t) {
    wait_until_deadline(lock, to_deadline(t));
    return Clock::now() < t ? std::cv_status::no_timeout
                            : std::cv_status::timeout;
  }
  template <class Clock, class Duration, class Predicate>
  bool wait_until(std::unique_lock<mutex> &lock,
                  const std::chrono::time_point<Clock, Duration> &t,
                  Predicate pred) {
    while (!pred())
      if (wait_until(lock, t) == std::cv_status::timeout)
        return pred();
    return true;
  }
  template <class Rep, class Period>
  std::cv_status wait_for(std::unique_lock<mutex> &lock,
                          const std::chrono::duration<Rep, Period> &d) {
    return wait_until_deadline(lock, deadline_after(d));
  }
  template <class Rep, class Period, class Predicate>
  bool wait_for(std::unique_lock<mutex> &lock,
                const std::chrono::duration<Rep, Period> &d, Predicate pred) {
    return wait_until(lock, deadline_after(d), std::move(pred));
  }

private:
  std::cv_status wait_until_deadline(std::unique_lock<mutex> &lock,
                                     Deadline deadline);
  SpinLock guard_;
  WaitQueue waiters_;
};

namespace detail {
// LockRef type-erases a BasicLockable for condition_variable_any.
struct LockRef {
  void *lockable;
  void (*lock)(void *);
  void (*unlock)(void *);
};
template <class Lock> LockRef lock_ref(Lock &lock) {
  return {std::addressof(lock),
          [](void *l) { static_cast<Lock *>(l)->lock(); },
          [](void *l) { static_cast<Lock *>(l)->unlock(); }};
}
} // namespace detail

// condition_variable_any is std::condition_variable_any for green threads:
// any BasicLockable, and the stop_token overloads of C++20.
class condition_variable_any {
public:
  constexpr condition_variable_any() noexcept = default;
  condition_variable_any(const condition_variable_any &) = delete;
  condition_variable_any &operator=(const condition_variable_any &) = delete;

  void notify_one() noexcept;
  void notify_all() noexcept;
  template <class Lock> void wait(Lock &lock) {
    wait_until_deadline(detail::lock_ref(lock), no_deadline, nullptr);
  }
  template <class Lock, class Predicate> void wait(Lock &lock, Predicate pred) {
    while (!pred())
      wait(lock);
  }
  template <class Lock, class Clock, class Duration>
  std::cv_status wait_until(Lock &lock,
                            const std::chrono::time_point<Clock, Duration> &t) {
    wait_until_deadline(detail::lock_ref(lock), to_deadline(t), nullptr);
    return Clock::now() < t ? std::cv_status::no_timeout
                            : std::cv_status::timeout;
  }
  template <class Lock, class Clock, class Duration, class Predicate>
  bool wait_until(Lock &lock, const std::chrono::time_point<Clock, Duration> &t,
                  Predicate pred) {
    while (!pred())
      if (wait_until(lock, t) == std::cv_status::timeout)
        return pred();
    return true;
  }
  template <class Lock, class Rep, class Period>
  std::cv_status wait_for(Lock &lock,
                          const std::chrono::duration<Rep, Period> &d) {
    return wait_until(lock, deadline_after(d));
  }
  template <class Lock, class Rep, class Period, class Predicate>
  bool wait_for(Lock &lock, const std::chrono::duration<Rep, Period> &d,
                Predicate pred) {
    return wait_until(lock, deadline_after(d), std::move(pred));
  }
  // The interruptible waits: a stop request wakes the waiter.
  template <class Lock, class Predicate>
  bool wait(Lock &lock, std::stop_token stoken, Predicate pred) {
    return wait_until(lock, std::move(stoken), Deadline::max(),
                      std::move(pred));
  }
  template <class Lock, class Clock, class Duration, class Predicate>
  bool wait_until(Lock &lock, std::stop_token stoken,
                  const std::chrono::time_point<Clock, Duration> &t,
                  Predicate pred) {
    if (stoken.stop_requested())
      return pred();
    std::stop_callback on_stop(stoken, [this] { notify_all(); });
    while (!pred()) {
      if (stoken.stop_requested())
        return false;
      wait_until_deadline(detail::lock_ref(lock), to_deadline(t), &stoken);
      if (Clock::now() >= t)
        return pred();
    }
    return true;
  }
  template <class Lock, class Rep, class Period, class Predicate>
  bool wait_for(Lock &lock, std::stop_token stoken,
                const std::chrono::duration<Rep, Period> &d, Predicate pred) {
    return wait_until(lock, std::move(stoken), deadline_after(d),
                      std::move(pred));
  }

private:
  // wait_until_deadline() unlocks, parks until notified, the deadline, or a
  // stop request on *stop (checked under guard_ before parking), relocks.
  void wait_until_deadline(detail::LockRef lock, Deadline deadline,
                           const std::stop_token *stop);
  SpinLock guard_;
  WaitQueue waiters_;
};

// ---------------------------------------------- semaphores, latch, barrier

namespace detail {
// SemaphoreCore is the non-template body of counting_semaphore.
class SemaphoreCore {
public:
  constexpr explicit SemaphoreCore(std::ptrdiff_t count) noexcept
      : count_(count) {}
  SemaphoreCore(const SemaphoreCore &) = delete;
  SemaphoreCore &operator=(const SemaphoreCore &) = delete;
  void release(std::ptrdiff_t update);
  void acquire();
  bool try_acquire() noexcept;
  bool try_acquire_until(Deadline deadline);

private:
  SpinLock guard_;
  std::ptrdiff_t count_;
  WaitQueue waiters_;
};
} // namespace detail

// counting_semaphore is std::counting_semaphore for green threads.
template <std::ptrdiff_t LeastMaxValue =
              std::numeric_limits<std::ptrdiff_t>::max()>
class counting_semaphore {
  static_assert(LeastMaxValue >= 0);

public:
  static constexpr std::ptrdiff_t max() noexcept { return LeastMaxValue; }
  constexpr explicit counting_semaphore(std::ptrdiff_t desired) noexcept
      : core_(desired) {}
  counting_semaphore(const counting_semaphore &) = delete;
  counting_semaphore &operator=(const counting_semaphore &) = delete;

  // release() adds update to the count and wakes that many waiters.
  void release(std::ptrdiff_t update = 1) { core_.release(update); }
  // acquire() parks the calling fiber until the count is positive, then decrements it.
  void acquire() { core_.acquire(); }
  bool try_acquire() noexcept { return core_.try_acquire(); }
  template <class Rep, class Period>
  bool try_acquire_for(const std::chrono::duration<Rep, Period> &d) {
    return core_.try_acquire_until(deadline_after(d));
  }
  template <class Clock, class Duration>
  bool try_acquire_until(const std::chrono::time_point<Clock, Duration> &t) {
    while (!core_.try_acquire_until(to_deadline(t)))
      if (Clock::now() >= t)
        return false;
    return true;
  }

private:
  detail::SemaphoreCore core_;
};

// binary_semaphore is std::binary_semaphore for green threads.
using binary_semaphore = counting_semaphore<1>;

// latch is std::latch for green threads.
class latch {
public:
  static constexpr std::ptrdiff_t max() noexcept {
    return std::numeric_limits<std::ptrdiff_t>::max();
  }
  constexpr explicit latch(std::ptrdiff_t expected) : count_(expected) {}
  latch(const latch &) = delete;
  latch &operator=(const latch &) = delete;
  // count_down() decrements the counter; at zero every waiter wakes.
  void count_down(std::ptrdiff_t update = 1);
  // try_wait() tells whether the counter reached zero.
  bool try_wait() const noexcept;
  // wait() parks the calling fiber until the counter is zero.
  void wait() const;
  // arrive_and_wait() is count_down(update) then wait().
  void arrive_and_wait(std::ptrdiff_t update = 1);

private:
  mutable SpinLock guard_;
  std::ptrdiff_t count_;
  mutable WaitQueue waiters_;
};

namespace detail {
// BarrierCore is the non-template body of barrier: phases and waiters.
class BarrierCore {
public:
  constexpr explicit BarrierCore(std::ptrdiff_t expected) noexcept
      : expected_(expected), remaining_(expected) {}
  BarrierCore(const BarrierCore &) = delete;
  BarrierCore &operator=(const BarrierCore &) = delete;
  // arrive() counts n arrivals (drop: also leave for later phases); returns
  // the current phase and sets completes when the phase is now complete,
  // in which case the caller runs the completion and then complete_phase().
  std::uint64_t arrive(std::ptrdiff_t n, bool drop, bool &completes);
  // complete_phase() starts the next phase and wakes the current one's waiters.
  void complete_phase();
  // wait() parks the calling fiber until phase has completed.
  void wait(std::uint64_t phase) const;

private:
  mutable SpinLock guard_;
  std::ptrdiff_t expected_;
  std::ptrdiff_t remaining_;
  std::uint64_t phase_ = 0;
  mutable WaitQueue waiters_;
};

struct EmptyCompletion {
  void operator()() noexcept {}
};
} // namespace detail

// barrier is std::barrier for green threads; the completion runs in the
// fiber whose arrival completes the phase, before any waiter resumes.
template <class CompletionFunction = detail::EmptyCompletion> class barrier {
public:
  class arrival_token {
  public:
    arrival_token(arrival_token &&) noexcept = default;
    arrival_token &operator=(arrival_token &&) noexcept = default;

  private:
    friend class barrier;
    explicit arrival_token(std::uint64_t phase) noexcept : phase_(phase) {}
    std::uint64_t phase_;
  };

  static constexpr std::ptrdiff_t max() noexcept {
    return std::numeric_limits<std::ptrdiff_t>::max();
  }
  constexpr explicit barrier(std::ptrdiff_t expected,
                             CompletionFunction f = CompletionFunction())
      : core_(expected), completion_(std::move(f)) {}
  barrier(const barrier &) = delete;
  barrier &operator=(const barrier &) = delete;

  [[nodiscard]] arrival_token arrive(std::ptrdiff_t update = 1) {
    return arrival_token(arrive_counted(update, false));
  }
  void wait(arrival_token &&token) const { core_.wait(token.phase_); }
  void arrive_and_wait() { core_.wait(arrive_counted(1, false)); }
  void arrive_and_drop() { (void)arrive_counted(1, true); }

private:
  std::uint64_t arrive_counted(std::ptrdiff_t n, bool drop) {
    bool completes = false;
    const std::uint64_t phase = core_.arrive(n, drop, completes);
    if (completes) {
      completion_();
      core_.complete_phase();
    }
    return phase;
  }
  detail::BarrierCore core_;
  [[no_unique_address]] CompletionFunction completion_;
};

// ------------------------------------------------------------- pthreads

// pthread_create() starts start_routine(arg) as a green thread.
int pthread_create(pthread_t *thread, const pthread_attr_t *attr,
                   void *(*start_routine)(void *), void *arg) noexcept;
// pthread_join() waits as a fiber for a green thread and collects its result.
int pthread_join(pthread_t thread, void **retval);
// pthread_detach() detaches a green thread.
int pthread_detach(pthread_t thread) noexcept;
// pthread_self() identifies the calling green thread.
pthread_t pthread_self() noexcept;
// pthread_equal() compares two green thread identifiers.
int pthread_equal(pthread_t t1, pthread_t t2) noexcept;
// pthread_yield() lets the other green threads run (declared although glibc
// deprecates the original: rewritten code may still call it).
int pthread_yield() noexcept;
// pthread_once() runs init_routine once; concurrent callers wait as fibers.
int pthread_once(pthread_once_t *once_control, void (*init_routine)());

// pthread_mutex_*() are the originals on the same pthread_mutex_t storage
// (PTHREAD_MUTEX_INITIALIZER works); waiting parks the fiber.
int pthread_mutex_init(pthread_mutex_t *mutex,
                       const pthread_mutexattr_t *attr) noexcept;
int pthread_mutex_destroy(pthread_mutex_t *mutex) noexcept;
int pthread_mutex_lock(pthread_mutex_t *mutex) noexcept;
int pthread_mutex_trylock(pthread_mutex_t *mutex) noexcept;
int pthread_mutex_timedlock(pthread_mutex_t *mutex,
                            const struct timespec *abstime) noexcept;
int pthread_mutex_unlock(pthread_mutex_t *mutex) noexcept;

// pthread_cond_*() are the originals for green threads.
int pthread_cond_init(pthread_cond_t *cond,
                      const pthread_condattr_t *attr) noexcept;
int pthread_cond_destroy(pthread_cond_t *cond) noexcept;
int pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex);
int pthread_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mutex,
                           const struct timespec *abstime);
int pthread_cond_signal(pthread_cond_t *cond) noexcept;
int pthread_cond_broadcast(pthread_cond_t *cond) noexcept;

// pthread_rwlock_*() are the originals for green threads.
int pthread_rwlock_init(pthread_rwlock_t *rwlock,
                        const pthread_rwlockattr_t *attr) noexcept;
int pthread_rwlock_destroy(pthread_rwlock_t *rwlock) noexcept;
int pthread_rwlock_rdlock(pthread_rwlock_t *rwlock) noexcept;
int pthread_rwlock_tryrdlock(pthread_rwlock_t *rwlock) noexcept;
int pthread_rwlock_timedrdlock(pthread_rwlock_t *rwlock,
                               const struct timespec *abstime) noexcept;
int pthread_rwlock_wrlock(pthread_rwlock_t *rwlock) noexcept;
int pthread_rwlock_trywrlock(pthread_rwlock_t *rwlock) noexcept;
int pthread_rwlock_timedwrlock(pthread_rwlock_t *rwlock,
                               const struct timespec *abstime) noexcept;
int pthread_rwlock_unlock(pthread_rwlock_t *rwlock) noexcept;

// sem_*() are the POSIX semaphore calls for green threads (sem_t storage).
int sem_init(sem_t *sem, int pshared, unsigned int value) noexcept;
int sem_destroy(sem_t *sem) noexcept;
int sem_wait(sem_t *sem);
int sem_trywait(sem_t *sem) noexcept;
int sem_timedwait(sem_t *sem, const struct timespec *abstime);
int sem_post(sem_t *sem) noexcept;
int sem_getvalue(sem_t *sem, int *sval) noexcept;

} // namespace evy::green

template <> struct std::hash<evy::green::thread::id> {
  std::size_t operator()(evy::green::thread::id id) const noexcept {
    return std::hash<evy::FiberId>()(id.value());
  }
};

EVY_REGISTER_PATCHED_MODULE("thread", thread)
