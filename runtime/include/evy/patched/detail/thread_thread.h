// Green threads: thread, jthread and this_thread::{yield,get_id}.
// Part of <evy/patched/thread.h>; include that header, not this one.
#pragma once

#include <evy/patched/detail/thread_native_handle.h>
#include <evy/spawn.h>

#include <cstddef>
#include <functional>
#include <ostream>
#include <type_traits>
#include <utility>
#if __has_include(<version>) // the feature-test macros (C++20; libstdc++ has it earlier)
#include <version>
#endif
#if defined(__cpp_lib_jthread)
#include <stop_token>
#endif
#if defined(__cpp_lib_three_way_comparison)
#include <compare>
#endif

namespace evy {
namespace green {

// thread is std::thread running its function as a green thread (a fiber).
class thread {
public:
  // id is std::thread::id for green threads: unique, ordered, hashable.
  class id {
  public:
    id() noexcept = default;
    explicit id(FiberId value) noexcept : value_(value) {}
    friend bool operator==(id a, id b) noexcept { return a.value_ == b.value_; }
    friend bool operator!=(id a, id b) noexcept { return a.value_ != b.value_; }
    friend bool operator<(id a, id b) noexcept { return a.value_ < b.value_; }
    friend bool operator<=(id a, id b) noexcept { return a.value_ <= b.value_; }
    friend bool operator>(id a, id b) noexcept { return a.value_ > b.value_; }
    friend bool operator>=(id a, id b) noexcept { return a.value_ >= b.value_; }
#if defined(__cpp_lib_three_way_comparison)
    friend std::strong_ordering operator<=>(id a, id b) noexcept { return a.value_ <=> b.value_; }
#endif
    // value() is the fiber id (0 for "no thread").
    FiberId value() const noexcept { return value_; }
    template <class CharT, class Traits>
    friend std::basic_ostream<CharT, Traits> &operator<<(std::basic_ostream<CharT, Traits> &out,
                                                         id i) {
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
  template <class F, class... Args,
            class = typename std::enable_if<
                !std::is_same<typename std::decay<F>::type, thread>::value &&
                evy::detail::IsInvocable<typename std::decay<F>::type,
                                         typename std::decay<Args>::type...>::value>::type>
  explicit thread(F &&f, Args &&...args)
      : fiber_(evy::spawn_thread(detail::HandleTracked<typename std::decay<F>::type>(detail::Binding(),
                                                                                      std::forward<F>(f)),
                                 std::forward<Args>(args)...)) {
    detail::handle_created(fiber_.id()); // native_handle() is usable at once
  }
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
  // native_handle() returns the fiber id, which the green pthread calls
  // taking a pthread_t accept (thread_native_handle.h).
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

#if defined(__cpp_lib_jthread)

// jthread is std::jthread over green::thread: joins on destruction and
// passes a std::stop_token first when the function accepts one.
class jthread {
public:
  using id = thread::id;
  using native_handle_type = thread::native_handle_type;

  jthread() noexcept : stop_source_(std::nostopstate) {}
  // jthread(f, args...) starts f([stop token,] args...) as a green thread.
  template <class F, class... Args>
    requires(!std::is_same_v<std::remove_cvref_t<F>, jthread>)
  explicit jthread(F &&f, Args &&...args)
      : stop_source_(), thread_(start(std::forward<F>(f), std::forward<Args>(args)...)) {}
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
  // operator=(jthread&&) stops and joins *this first, like std::jthread.
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

  // joinable() tells whether the thread has not been joined or detached.
  bool joinable() const noexcept { return thread_.joinable(); }
  // get_id() returns the green thread's id, or id() when not joinable.
  id get_id() const noexcept { return thread_.get_id(); }
  // native_handle() returns the fiber id.
  native_handle_type native_handle() noexcept { return thread_.native_handle(); }
  // join() waits as a fiber for the thread to finish (see thread::join).
  void join() { thread_.join(); }
  // detach() lets the thread run on (see thread::detach).
  void detach() { thread_.detach(); }
  // swap() exchanges the threads and stop states two objects represent.
  void swap(jthread &other) noexcept {
    std::swap(stop_source_, other.stop_source_);
    thread_.swap(other.thread_);
  }
  // get_stop_source() returns the stop source shared with the thread.
  std::stop_source get_stop_source() noexcept { return stop_source_; }
  // get_stop_token() returns a token of that stop source.
  std::stop_token get_stop_token() const noexcept { return stop_source_.get_token(); }
  // request_stop() asks the thread to stop; true if this call made the request.
  bool request_stop() noexcept { return stop_source_.request_stop(); }
  // hardware_concurrency() answers as std::jthread::hardware_concurrency().
  static unsigned int hardware_concurrency() noexcept { return thread::hardware_concurrency(); }

private:
  template <class F, class... Args> thread start(F &&f, Args &&...args) {
    if constexpr (std::is_invocable_v<std::decay_t<F>, std::stop_token, std::decay_t<Args>...>) {
      return thread(std::forward<F>(f), stop_source_.get_token(), std::forward<Args>(args)...);
    } else {
      return thread(std::forward<F>(f), std::forward<Args>(args)...);
    }
  }
  std::stop_source stop_source_;
  thread thread_;
};

inline void swap(jthread &a, jthread &b) noexcept { a.swap(b); }
#endif // __cpp_lib_jthread: green jthread exactly where std::jthread exists

namespace this_thread {
// yield() lets the other runnable green threads of this OS thread run.
void yield() noexcept;
// get_id() returns the calling green thread's id.
thread::id get_id() noexcept;
// sleep_for() and sleep_until() come from <evy/sleep.h>.
} // namespace this_thread

} // namespace green
} // namespace evy

namespace std {
template <> struct hash<evy::green::thread::id> {
  std::size_t operator()(evy::green::thread::id id) const noexcept {
    return std::hash<evy::FiberId>()(id.value());
  }
};
} // namespace std
