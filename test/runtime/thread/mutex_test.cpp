// green::mutex, timed_mutex, recursive_mutex, recursive_timed_mutex.
#include "thread_test_util.h"

#include <evy/evy.h>
#include <evy/patched/thread.h>

#include <gtest/gtest.h>

#include <mutex>
#include <system_error>
#include <vector>

namespace green = evy::green;
using namespace evy_test;

namespace {

// Contended counts a critical section that yields halfway, so that any
// lapse in mutual exclusion shows up as a lost update or an overlap.
struct Contended {
  int inside = 0;
  int overlaps = 0;
  long counter = 0;

  // critical_section(): a thread pool job (a plain OS thread, with no
  // fiber of ours to yield to) passes yield_inside = false.
  void critical_section(bool yield_inside = true) {
    if (++inside != 1)
      ++overlaps;
    const long seen = counter;
    if (yield_inside)
      green::this_thread::yield();
    counter = seen + 1;
    --inside;
  }
  // enter() runs the critical section `rounds` times, each under a Lock of m.
  template <class Lock, class Mutex> void enter(Mutex &m, int rounds) {
    for (int j = 0; j < rounds; ++j) {
      Lock lock(m);
      critical_section();
    }
  }
};

TEST(GreenMutex, ExcludesManyFibers) {
  green::mutex m;
  Contended shared;
  on_green_threads(50, [&] { shared.enter<std::lock_guard<green::mutex>>(m, 40); });
  EXPECT_EQ(shared.counter, 50 * 40);
  EXPECT_EQ(shared.overlaps, 0);
}

TEST(GreenMutex, ExcludesFibersOnTwoOsThreads) {
  green::mutex m;
  Contended shared;
  auto os_thread_body = [&] {
    on_green_threads(20, [&] { shared.enter<std::unique_lock<green::mutex>>(m, 50); });
  };
  on_os_threads({os_thread_body, os_thread_body});
  EXPECT_EQ(shared.counter, 2 * 20 * 50);
  EXPECT_EQ(shared.overlaps, 0);
}

TEST(GreenMutex, ExcludesFibersAndThreadPoolJobs) {
  green::mutex m;
  Contended shared;
  // A pool thread is a plain OS thread: it waits for the mutex in its own
  // hub while the fibers here keep running.
  auto pool_job = [&] {
    return evy::tpool::execute([&] {
      for (int i = 0; i < 200; ++i) {
        std::lock_guard lock(m);
        shared.critical_section(false);
      }
      return 0;
    });
  };
  std::vector<green::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back(pool_job);
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] { shared.enter<std::lock_guard<green::mutex>>(m, 200); });
  for (auto &t : threads)
    t.join();
  EXPECT_EQ(shared.counter, 8 * 200);
  EXPECT_EQ(shared.overlaps, 0);
}

TEST(GreenMutex, TryLockFailsWhileHeldAndRelockThrows) {
  green::mutex m;
  m.lock();
  bool other_got_it = true;
  green::thread t([&] { other_got_it = m.try_lock(); });
  t.join();
  EXPECT_FALSE(other_got_it);
  try {
    m.lock();
    FAIL() << "relocking by the owner did not throw";
  } catch (const std::system_error &e) {
    EXPECT_EQ(e.code(), std::errc::resource_deadlock_would_occur);
  }
  m.unlock();
  EXPECT_TRUE(m.try_lock());
  m.unlock();
}

TEST(GreenMutex, ScopedLockTakesSeveralWithoutDeadlock) {
  green::mutex a, b;
  int done = 0;
  green::thread t1([&] {
    for (int i = 0; i < 20; ++i) {
      std::scoped_lock both(a, b);
      green::this_thread::yield();
      ++done;
    }
  });
  green::thread t2([&] {
    for (int i = 0; i < 20; ++i) {
      std::scoped_lock both(b, a);
      green::this_thread::yield();
      ++done;
    }
  });
  t1.join();
  t2.join();
  EXPECT_EQ(done, 40);
}

TEST(GreenMutex, CallOnceRunsOnceAmongGreenThreads) {
  std::once_flag flag;
  int calls = 0;
  on_green_threads(10, [&] { std::call_once(flag, [&] { ++calls; }); });
  EXPECT_EQ(calls, 1);
}

TEST(GreenTimedMutex, TryLockForTimesOutThenSucceeds) {
  green::timed_mutex m;
  green::binary_semaphore held(0), release(0);
  green::thread holder([&] {
    std::lock_guard lock(m);
    held.release();
    release.acquire();
  });
  held.acquire();
  const auto start = Clock::now();
  EXPECT_FALSE(m.try_lock_for(30ms));
  const auto waited = elapsed_since(start);
  EXPECT_GE(waited, 30ms);
  EXPECT_LT(waited, 1s);
  EXPECT_FALSE(m.try_lock_until(std::chrono::system_clock::now() + 10ms));
  release.release();
  EXPECT_TRUE(m.try_lock_for(1s));
  m.unlock();
  holder.join();
}

TEST(GreenTimedMutex, WaiterGetsTheMutexWhenReleasedBeforeTheDeadline) {
  green::timed_mutex m;
  m.lock();
  bool got = false;
  green::thread waiter([&] {
    got = m.try_lock_for(5s);
    if (got)
      m.unlock();
  });
  evy::sleep(10ms);
  const auto start = Clock::now();
  m.unlock();
  waiter.join();
  EXPECT_TRUE(got);
  EXPECT_LT(elapsed_since(start), 1s);
}

TEST(GreenRecursiveMutex, CountsDepthPerOwner) {
  green::recursive_mutex m;
  m.lock();
  m.lock();
  EXPECT_TRUE(m.try_lock()); // depth 3
  auto other_can_lock = [&] {
    bool got = false;
    green::thread t([&] {
      got = m.try_lock();
      if (got)
        m.unlock();
    });
    t.join();
    return got;
  };
  EXPECT_FALSE(other_can_lock());
  m.unlock();
  m.unlock();
  EXPECT_FALSE(other_can_lock()); // depth 1 is still held
  m.unlock();
  EXPECT_TRUE(other_can_lock());
}

TEST(GreenRecursiveMutex, WaiterGetsItAfterTheLastUnlock) {
  green::recursive_mutex m;
  std::vector<int> order;
  m.lock();
  m.lock();
  green::thread waiter([&] {
    std::lock_guard outer(m);
    std::lock_guard inner(m);
    order.push_back(2);
  });
  green::this_thread::yield(); // the waiter parks
  order.push_back(1);
  m.unlock();
  green::this_thread::yield();
  EXPECT_EQ(order, (std::vector<int>{1})); // one level is still ours
  m.unlock();
  waiter.join();
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
}

TEST(GreenRecursiveTimedMutex, TimesOutWhileAnotherOwnsIt) {
  green::recursive_timed_mutex m;
  std::lock_guard outer(m);
  EXPECT_TRUE(m.try_lock_for(1ms)); // the owner relocks at once
  m.unlock();
  bool got = true;
  green::thread other([&] { got = m.try_lock_for(20ms); });
  other.join();
  EXPECT_FALSE(got);
}

TEST(GreenTimedMutex, TimeoutsRacingUnlocksAcrossOsThreadsKeepExclusion) {
  // Many short timed waits on two OS threads: some time out while an
  // unlock is handing the mutex to them, which must hand it on instead.
  green::timed_mutex m;
  Contended shared;
  long acquired = 0;
  auto body = [&] {
    on_green_threads(8, [&] {
      for (int j = 0; j < 60; ++j) {
        if (m.try_lock_for(std::chrono::microseconds(50 + 10 * j))) {
          shared.critical_section();
          ++acquired;
          m.unlock();
        }
      }
    });
  };
  on_os_threads({body, body});
  EXPECT_EQ(shared.overlaps, 0);
  EXPECT_EQ(shared.counter, acquired);
  EXPECT_GT(acquired, 0);
  EXPECT_TRUE(m.try_lock()); // nobody was left owning it
  m.unlock();
}

} // namespace
