// green::shared_mutex and shared_timed_mutex.
#include "thread_test_util.h"

#include <evy/evy.h>
#include <evy/patched/thread.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <shared_mutex>
#include <vector>

namespace green = evy::green;
using namespace evy_test;

namespace {

// Occupancy records how many readers and writers were inside at once
// (atomics: readers of green threads on several hubs are inside together).
struct Occupancy {
  std::atomic<int> readers{0}, writers{0};
  std::atomic<int> max_readers{0};
  std::atomic<int> violations{0}; // a writer with company, or a reader with a writer

  void read() {
    raise_to(max_readers, ++readers);
    if (writers != 0)
      ++violations;
    evy::sleep(1ms);
    --readers;
  }
  void write() {
    if (++writers != 1 || readers != 0)
      ++violations;
    evy::sleep(1ms); // readers arrive meanwhile and must wait
    if (readers != 0)
      ++violations;
    --writers;
  }
};

template <class SharedMutex> void readers_share_writers_exclude() {
  SharedMutex m;
  Occupancy room;
  std::vector<green::thread> threads;
  for (int i = 0; i < 6; ++i)
    threads.emplace_back([&] {
      for (int j = 0; j < 10; ++j) {
        std::shared_lock lock(m);
        room.read();
      }
    });
  // One writer: with more, the queued ones would hold readers back anyway
  // and hide a reader slipping in beside the writer that holds the lock.
  threads.emplace_back([&] {
    for (int j = 0; j < 10; ++j) {
      std::unique_lock lock(m);
      room.write();
    }
  });
  for (auto &t : threads)
    t.join();
  EXPECT_EQ(room.violations.load(), 0);
  EXPECT_GT(room.max_readers.load(), 1) << "readers did not overlap";
}

TEST(GreenSharedMutex, ReadersShareWritersExclude) {
  readers_share_writers_exclude<green::shared_mutex>();
}

TEST(GreenSharedTimedMutex, ReadersShareWritersExclude) {
  readers_share_writers_exclude<green::shared_timed_mutex>();
}

TEST(GreenSharedMutex, AllReadersAreInsideTogether) {
  green::shared_mutex m;
  green::latch all_inside(5);
  std::vector<green::thread> readers;
  for (int i = 0; i < 5; ++i)
    readers.emplace_back([&] {
      std::shared_lock lock(m);
      all_inside.arrive_and_wait(); // only returns if all five hold it at once
    });
  for (auto &t : readers)
    t.join();
  EXPECT_TRUE(all_inside.try_wait());
}

TEST(GreenSharedMutex, WaitingWriterHoldsBackNewReaders) {
  EVY_TEST_NEEDS_ONE_HUB();
  green::shared_mutex m;
  std::vector<char> order;
  m.lock_shared();
  green::thread writer([&] {
    std::unique_lock lock(m);
    order.push_back('W');
  });
  green::this_thread::yield(); // the writer queues behind our read lock
  EXPECT_FALSE(m.try_lock_shared());
  green::thread reader([&] {
    std::shared_lock lock(m);
    order.push_back('R');
  });
  green::this_thread::yield();
  m.unlock_shared();
  writer.join();
  reader.join();
  EXPECT_EQ(order, (std::vector<char>{'W', 'R'}));
}

TEST(GreenSharedTimedMutex, TimedLocksTimeOut) {
  green::shared_timed_mutex m;
  m.lock_shared();
  bool got_write = true, got_read = false;
  green::thread t([&] {
    got_write = m.try_lock_for(20ms);
    got_read = m.try_lock_shared_for(20ms);
    if (got_read)
      m.unlock_shared();
  });
  t.join();
  EXPECT_FALSE(got_write);
  EXPECT_TRUE(got_read); // the timed-out writer no longer holds readers back
  m.unlock_shared();
  m.lock();
  bool got = true;
  green::thread u([&] { got = m.try_lock_shared_until(Clock::now() + 10ms); });
  u.join();
  EXPECT_FALSE(got);
  m.unlock();
}

} // namespace
