// green::condition_variable and condition_variable_any.
#include "thread_test_util.h"

#include <evy/evy.h>
#include <evy/patched/thread.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <mutex>
#include <numeric>
#include <optional>
#include <vector>

namespace green = evy::green;
using namespace evy_test;

namespace {

using BoundedQueue = evy_test::BoundedQueue<green::mutex, green::condition_variable>;

TEST(GreenConditionVariable, ProducerConsumerQueueDeliversEverythingOnce) {
  BoundedQueue queue(4);
  constexpr int per_producer = 500;
  std::vector<int> consumed;
  green::mutex consumed_mutex; // consumers may run in parallel (EVY_HUBS)
  std::vector<green::thread> consumers, producers;
  for (int c = 0; c < 3; ++c)
    consumers.emplace_back([&] {
      while (auto v = queue.pop()) {
        std::lock_guard lock(consumed_mutex);
        consumed.push_back(*v);
      }
    });
  for (int p = 0; p < 2; ++p)
    producers.emplace_back([&, p] {
      for (int i = 1; i <= per_producer; ++i)
        queue.push(p * per_producer + i);
    });
  for (auto &t : producers)
    t.join();
  queue.close();
  for (auto &t : consumers)
    t.join();
  std::sort(consumed.begin(), consumed.end());
  std::vector<int> expected(2 * per_producer);
  std::iota(expected.begin(), expected.end(), 1);
  EXPECT_EQ(consumed, expected);
}

TEST(GreenConditionVariable, ProducerConsumerAcrossOsThreads) {
  BoundedQueue queue(8);
  long sum = 0;
  auto consumer = [&] {
    std::vector<green::thread> fibers;
    long local[2] = {0, 0};
    for (int i = 0; i < 2; ++i)
      fibers.emplace_back([&, i] {
        while (auto v = queue.pop())
          local[i] += *v;
      });
    for (auto &f : fibers)
      f.join();
    sum = local[0] + local[1];
  };
  auto producer = [&] {
    for (int i = 1; i <= 2000; ++i)
      queue.push(i);
    queue.close();
  };
  on_os_threads({consumer, producer});
  EXPECT_EQ(sum, 2000L * 2001 / 2);
}

TEST(GreenConditionVariable, NotifyOneWakesOneNotifyAllWakesTheRest) {
  EVY_TEST_NEEDS_ONE_HUB();
  green::mutex m;
  green::condition_variable cv;
  int tickets = 0, woken = 0;
  std::vector<green::thread> waiters;
  for (int i = 0; i < 5; ++i)
    waiters.emplace_back([&] {
      std::unique_lock lock(m);
      cv.wait(lock, [&] { return tickets > 0; });
      --tickets;
      ++woken;
    });
  green::this_thread::yield(); // all five park
  {
    std::lock_guard lock(m);
    tickets = 1;
  }
  cv.notify_one();
  for (int i = 0; i < 5; ++i)
    green::this_thread::yield();
  EXPECT_EQ(woken, 1);
  {
    std::lock_guard lock(m);
    tickets = 4;
  }
  cv.notify_all();
  for (auto &t : waiters)
    t.join();
  EXPECT_EQ(woken, 5);
}

TEST(GreenConditionVariable, WaitForTimesOut) {
  green::mutex m;
  green::condition_variable cv;
  std::unique_lock lock(m);
  auto start = Clock::now();
  EXPECT_EQ(cv.wait_for(lock, 30ms), std::cv_status::timeout);
  EXPECT_GE(elapsed_since(start), 30ms);
  EXPECT_TRUE(lock.owns_lock());
  start = Clock::now();
  EXPECT_FALSE(cv.wait_for(lock, 20ms, [] { return false; }));
  EXPECT_GE(elapsed_since(start), 20ms);
  EXPECT_FALSE(cv.wait_until(lock, std::chrono::system_clock::now() + 10ms, [] { return false; }));
  EXPECT_TRUE(lock.owns_lock());
}

TEST(GreenConditionVariable, WaitForReturnsEarlyWhenNotified) {
  green::mutex m;
  green::condition_variable cv;
  bool ready = false;
  green::thread notifier([&] {
    evy::sleep(10ms);
    std::lock_guard lock(m);
    ready = true;
    cv.notify_one();
  });
  std::unique_lock lock(m);
  const auto start = Clock::now();
  EXPECT_TRUE(cv.wait_for(lock, 5s, [&] { return ready; }));
  EXPECT_LT(elapsed_since(start), 1s);
  lock.unlock();
  notifier.join();
}

TEST(GreenConditionVariable, TimeoutInterruptsAWaitWithTheMutexHeld) {
  green::mutex m;
  green::condition_variable cv;
  std::unique_lock lock(m);
  bool interrupted = false;
  try {
    evy::Timeout timeout(20ms);
    cv.wait(lock);
  } catch (const evy::TimeoutError &) {
    interrupted = true;
  }
  EXPECT_TRUE(interrupted);
  EXPECT_TRUE(lock.owns_lock());
  bool other_got_it = true;
  green::thread t([&] { other_got_it = m.try_lock(); });
  t.join();
  EXPECT_FALSE(other_got_it); // relocked for real
}

TEST(GreenConditionVariableAny, WorksWithAnyLockable) {
  green::recursive_mutex m;
  green::condition_variable_any cv;
  int stage = 0;
  green::thread t([&] {
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return stage == 1; });
    stage = 2;
    cv.notify_all();
  });
  {
    std::unique_lock lock(m);
    stage = 1;
    cv.notify_one();
    EXPECT_TRUE(cv.wait_for(lock, 5s, [&] { return stage == 2; }));
  }
  t.join();
  std::unique_lock lock(m);
  EXPECT_EQ(cv.wait_for(lock, 10ms), std::cv_status::timeout);
}

TEST(GreenConditionVariableAny, StopTokenWaitHonoursAnEarlierRequest) {
  green::mutex m;
  green::condition_variable_any cv;
  std::stop_source source;
  source.request_stop();
  std::unique_lock lock(m);
  EXPECT_FALSE(cv.wait(lock, source.get_token(), [] { return false; }));
  EXPECT_TRUE(cv.wait(lock, source.get_token(), [] { return true; }));
  EXPECT_FALSE(cv.wait_for(lock, source.get_token(), 1s, [] { return false; }));
}

TEST(GreenConditionVariable, NotifyFromAPlainOsThreadWakesAFiber) {
  green::mutex m;
  green::condition_variable cv;
  bool ready = false;
  std::thread plain([&] {
    std::this_thread::sleep_for(10ms); // a real thread, really sleeping
    std::lock_guard lock(m);
    ready = true;
    cv.notify_all();
  });
  std::unique_lock lock(m);
  EXPECT_TRUE(cv.wait_for(lock, 5s, [&] { return ready; }));
  lock.unlock();
  plain.join();
}

} // namespace
