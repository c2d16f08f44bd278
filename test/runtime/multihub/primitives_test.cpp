// The primitives across hubs: green threads of several hubs contend on
// mutexes, condition variables and semaphores, wait on one socket, sleep
// and time out, and wake fibers of other hubs. Run under TSan too: a lapse
// in the primitives' exclusion shows as a data race on the plain counters.
#include "multihub_util.h"

#include <evy/evy.h>
#include <evy/patched/socket.h>
#include <evy/patched/thread.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <optional>

#include <sys/socket.h>

namespace green = evy::green;
using namespace evy_multihub;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

TEST(MultihubPrimitives, MutexExcludesAcrossHubs) {
  constexpr int kRounds = 2000;
  green::mutex m;
  long counter = 0; // plain: only the mutex protects it
  const int n = green_threads_per_test();
  run_green_threads(n, [&](int) {
    for (int i = 0; i < kRounds; ++i) {
      std::lock_guard<green::mutex> lock(m);
      ++counter;
    }
  });
  EXPECT_EQ(counter, static_cast<long>(n) * kRounds);
}

// A bounded queue over a mutex and two condition variables, producers
// and consumers spread over the hubs: every item arrives exactly once.
TEST(MultihubPrimitives, ConditionVariableQueueAcrossHubs) {
  constexpr int kItemsPerProducer = 500;
  green::mutex m;
  green::condition_variable not_empty, not_full;
  std::deque<int> items;
  int producers_left = green_threads_per_test() / 2 + 1;
  const int producers = producers_left;
  long sum = 0, received = 0;
  run_green_threads(producers * 2, [&](int i) {
    if (i < producers) {
      for (int k = 1; k <= kItemsPerProducer; ++k) {
        std::unique_lock<green::mutex> lock(m);
        not_full.wait(lock, [&] { return items.size() < 8; });
        items.push_back(k);
        not_empty.notify_one();
      }
      std::lock_guard<green::mutex> lock(m);
      if (--producers_left == 0)
        not_empty.notify_all();
      return;
    }
    for (;;) {
      std::unique_lock<green::mutex> lock(m);
      not_empty.wait(lock, [&] { return !items.empty() || producers_left == 0; });
      if (items.empty())
        return;
      sum += items.front();
      ++received;
      items.pop_front();
      not_full.notify_one();
    }
  });
  EXPECT_EQ(received, static_cast<long>(producers) * kItemsPerProducer);
  EXPECT_EQ(sum, static_cast<long>(producers) * kItemsPerProducer * (kItemsPerProducer + 1) / 2);
}

// A semaphore of 2 admits at most 2 holders, whichever hubs they run on.
TEST(MultihubPrimitives, SemaphoreBoundsHoldersAcrossHubs) {
  green::counting_semaphore<2> slots(2);
  std::atomic<int> inside{0}, most{0};
  run_green_threads(green_threads_per_test(), [&](int) {
    for (int i = 0; i < 50; ++i) {
      slots.acquire();
      const int now = ++inside;
      int seen = most.load();
      while (now > seen && !most.compare_exchange_weak(seen, now))
        ;
      evy::yield();
      --inside;
      slots.release();
    }
  });
  EXPECT_LE(most.load(), 2);
  EXPECT_GE(most.load(), 1);
}

// Fibers of every hub recv on one socket at once (each hub's epoll
// watches it): every byte sent is received exactly once, none hangs.
TEST(MultihubPrimitives, FibersOfSeveralHubsWaitOnOneSocket) {
  int sv[2];
  ASSERT_EQ(green::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  constexpr int kBytes = 400;
  const int readers = green_threads_per_test();
  std::atomic<int> received{0};
  std::atomic<long> sum{0};
  green::latch waiting(readers);
  green::thread writer([&] {
    waiting.wait(); // every reader is about to block in recv
    for (int i = 1; i <= kBytes; ++i) {
      const unsigned char byte = static_cast<unsigned char>(i % 251);
      ASSERT_EQ(green::send(sv[1], &byte, 1, 0), 1);
      if (i % 16 == 0)
        evy::sleep(100us); // let the readers drain: they race for each batch
    }
    green::shutdown(sv[1], SHUT_WR); // then every reader sees end of stream
  });
  run_green_threads(readers, [&](int) {
    waiting.count_down();
    unsigned char buf[8];
    for (;;) {
      const ssize_t n = green::recv(sv[0], buf, sizeof buf, 0);
      ASSERT_GE(n, 0) << errno;
      if (n == 0)
        return;
      for (ssize_t k = 0; k < n; ++k)
        sum += buf[k];
      received += static_cast<int>(n);
    }
  });
  writer.join();
  long expected = 0;
  for (int i = 1; i <= kBytes; ++i)
    expected += i % 251;
  EXPECT_EQ(received.load(), kBytes);
  EXPECT_EQ(sum.load(), expected);
  green::close(sv[0]);
  green::close(sv[1]);
}

// Timers of every hub: sleeps never end early, and a fiber of another hub
// wakes a sleeper's neighbours meanwhile.
TEST(MultihubPrimitives, SleepsOnEveryHubNeverEndEarly) {
  std::atomic<int> early{0};
  run_green_threads(green_threads_per_test(), [&](int i) {
    for (int round = 0; round < 5; ++round) {
      const auto d = std::chrono::milliseconds(1 + (i + round) % 4);
      const auto start = Clock::now();
      evy::sleep(d);
      if (Clock::now() - start < d)
        ++early;
    }
  });
  EXPECT_EQ(early.load(), 0);
}

// evy::Timeout interrupts a recv of a fiber on another hub; a socket
// nobody writes to makes the wait last until the Timeout.
TEST(MultihubPrimitives, TimeoutInterruptsWaitsOnEveryHub) {
  int sv[2];
  ASSERT_EQ(green::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  std::atomic<int> timed_out{0};
  const int n = green_threads_per_test();
  run_green_threads(n, [&](int) {
    try {
      evy::Timeout timeout(5ms);
      char c;
      (void)green::recv(sv[0], &c, 1, 0);
    } catch (const evy::TimeoutError &) {
      ++timed_out;
    }
  });
  EXPECT_EQ(timed_out.load(), n);
  green::close(sv[0]);
  green::close(sv[1]);
}

// Ping-pong between a fiber of main's hub and green threads of the
// others: each wake crosses OS threads through the remote queue.
TEST(MultihubPrimitives, WakesCrossHubsBothWays) {
  constexpr int kRounds = 300;
  const int n = green_threads_per_test();
  std::vector<std::optional<green::binary_semaphore>> pings(n), pongs(n);
  for (int i = 0; i < n; ++i) {
    pings[i].emplace(0);
    pongs[i].emplace(0);
  }
  std::vector<green::thread> players;
  for (int i = 0; i < n; ++i)
    players.emplace_back([&, i] {
      for (int r = 0; r < kRounds; ++r) {
        pings[i]->acquire();
        pongs[i]->release();
      }
    });
  for (int r = 0; r < kRounds; ++r)
    for (int i = 0; i < n; ++i) {
      pings[i]->release();
      pongs[i]->acquire();
    }
  for (auto &p : players)
    p.join();
}

// join_until from main on a green thread of another hub: times out while
// it runs, succeeds once it is done.
TEST(MultihubPrimitives, JoinUntilAcrossHubs) {
  green::binary_semaphore go(0);
  evy::GreenThread t = evy::spawn_thread([&] { go.acquire(); });
  EXPECT_FALSE(t.join_until(Clock::now() + 5ms));
  go.release();
  EXPECT_TRUE(t.join_until(Clock::now() + 10s));
}

} // namespace
