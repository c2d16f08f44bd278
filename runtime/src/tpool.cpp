// evy::tpool: a lazily grown pool of real threads for blocking calls.
#include "environment.h"

#include <evy/detail/intrusive_list.h>
#include <evy/tpool.h>

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <new>
#include <thread>

#include <pthread.h>

namespace evy::tpool {
namespace {
constexpr std::size_t kDefaultSize = 20;

std::size_t size_from_environment() noexcept {
  if (const auto value = evy::detail::positive_from_environment("EVY_THREADPOOL_SIZE"))
    return static_cast<std::size_t>(*value);
  return kDefaultSize;
}

// Threads start on demand: a job that finds no idle thread starts one,
// up to size(). They then live as long as the process.
class Pool {
public:
  void submit(detail::Job &job) {
    std::unique_lock lock(mutex_);
    jobs_.push_back(job);
    ++queued_;
    // Idle threads that were notified but have not woken yet still count
    // as idle until they pop a job, so this starts exactly what is missing.
    const bool start_thread = queued_ > idle_ && started_ < size();
    if (start_thread)
      ++started_;
    lock.unlock();
    if (start_thread)
      std::thread(&Pool::work, this).detach();
    else
      ready_.notify_one();
  }

  // After fork() only the forking thread exists: start over, empty.
  void forget_threads() noexcept {
    new (&mutex_) std::mutex();
    new (&ready_) std::condition_variable();
    new (&jobs_) JobQueue();
    started_ = idle_ = queued_ = 0;
  }

private:
  void work() {
    // Named so that tools (top -H, gdb, the end-to-end tests) can tell the
    // pool's threads from the program's own.
    pthread_setname_np(pthread_self(), "evy-tpool");
    std::unique_lock lock(mutex_);
    for (;;) {
      while (jobs_.empty()) {
        ++idle_;
        ready_.wait(lock);
        --idle_;
      }
      detail::Job *job = jobs_.pop_front();
      --queued_;
      lock.unlock();
      job->run(job);
      lock.lock();
    }
  }

  using JobQueue = evy::detail::IntrusiveList<detail::Job, &detail::Job::next>;
  std::mutex mutex_;
  std::condition_variable ready_;
  JobQueue jobs_;
  std::size_t started_ = 0;
  std::size_t idle_ = 0;
  std::size_t queued_ = 0;
};

Pool &pool() {
  static Pool *instance = [] {
    pthread_atfork(nullptr, nullptr, [] { pool().forget_threads(); });
    return new Pool(); // never destroyed: threads may outlive static destructors
  }();
  return *instance;
}
} // namespace

std::size_t size() noexcept {
  static const std::size_t configured = size_from_environment();
  return configured;
}

namespace detail {
void submit(Job &job) noexcept {
  try {
    pool().submit(job);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "evy: cannot start a thread-pool thread: %s\n", e.what());
    std::abort();
  }
}
} // namespace detail

} // namespace evy::tpool
