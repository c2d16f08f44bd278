// Helpers shared by the thread module's tests.
#pragma once

#include "../test_support.h"

#include <evy/patched/thread.h>

#include <chrono>
#include <cstddef>
#include <ctime>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <pthread.h>
#include <thread>
#include <utility>
#include <vector>

namespace evy_test {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// elapsed_since() is the time from start to now.
inline Clock::duration elapsed_since(Clock::time_point start) { return Clock::now() - start; }

// on_os_threads() runs each function on its own real OS thread (each gets
// its own hub on first green use) and waits for all of them.
inline void on_os_threads(std::vector<std::function<void()>> bodies) {
  std::vector<std::thread> threads;
  threads.reserve(bodies.size());
  for (auto &body : bodies)
    threads.emplace_back(std::move(body));
  for (auto &t : threads)
    t.join();
}

// on_green_threads() runs body() on n green::threads of the calling OS
// thread and waits for all of them.
template <class Body> void on_green_threads(int n, Body body) {
  std::vector<evy::green::thread> threads;
  threads.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i)
    threads.emplace_back(body);
  for (auto &t : threads)
    t.join();
}

// abstime_in() is now + d on clock, as a timespec.
using evy::test_support::abstime_in;

// init_mutex_of_type() initialises m as a green pthread mutex of a
// PTHREAD_MUTEX_* type and returns what pthread_mutex_init returned.
inline int init_mutex_of_type(pthread_mutex_t &m, int type) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, type);
  const int result = evy::green::pthread_mutex_init(&m, &attr);
  pthread_mutexattr_destroy(&attr);
  return result;
}

// init_cond_on_clock() initialises cond as a green pthread condition
// variable whose timed waits use clock; returns pthread_cond_init's result.
inline int init_cond_on_clock(pthread_cond_t &cond, clockid_t clock) {
  pthread_condattr_t attr;
  pthread_condattr_init(&attr);
  pthread_condattr_setclock(&attr, clock);
  const int result = evy::green::pthread_cond_init(&cond, &attr);
  pthread_condattr_destroy(&attr);
  return result;
}

// BoundedQueue is the blocking queue users write with a mutex and two
// condition variables (any lockable with condition_variable_any).
template <class Mutex, class ConditionVariable> class BoundedQueue {
public:
  explicit BoundedQueue(std::size_t capacity) : capacity_(capacity) {}

  void push(int value) {
    std::unique_lock lock(m_);
    not_full_.wait(lock, [&] { return items_.size() < capacity_; });
    items_.push_back(value);
    not_empty_.notify_one();
  }
  // pop() returns nullopt once closed and drained.
  std::optional<int> pop() {
    std::unique_lock lock(m_);
    not_empty_.wait(lock, [&] { return !items_.empty() || closed_; });
    if (items_.empty())
      return std::nullopt;
    const int value = items_.front();
    items_.pop_front();
    not_full_.notify_one();
    return value;
  }
  void close() {
    std::lock_guard lock(m_);
    closed_ = true;
    not_empty_.notify_all();
  }

private:
  Mutex m_;
  ConditionVariable not_empty_, not_full_;
  std::deque<int> items_;
  std::size_t capacity_;
  bool closed_ = false;
};

} // namespace evy_test
