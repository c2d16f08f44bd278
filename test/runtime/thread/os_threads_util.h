// What the tests of primitives shared by several OS threads have in common:
// the layout (fibers of several hubs, plain OS threads, evy::tpool jobs, all
// started at once) and the counters that show a lapse in exclusion.
#pragma once

#include "thread_test_util.h"

#include <evy/evy.h>
#include <evy/patched/thread.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <mutex>
#include <numeric>
#include <thread>
#include <vector>

namespace evy_test {

inline constexpr int hubs = 2;           // OS threads that each run several fibers
inline constexpr int fibers_per_hub = 4; // evy::spawn'ed fibers on each of them

// spawn_and_join() runs body(i), i in [0, n), as evy::spawn'ed fibers of
// the calling OS thread's hub, and waits for all of them.
template <class Body> void spawn_and_join(int n, Body body) {
  std::vector<evy::GreenThread> fibers;
  for (int i = 0; i < n; ++i)
    fibers.push_back(evy::spawn(body, i));
  for (auto &f : fibers)
    f.join();
}

// on_os_threads_at_once() is on_os_threads(), each body starting only once
// every OS thread is up, so that they contend from the start.
inline void on_os_threads_at_once(std::vector<std::function<void()>> bodies) {
  evy::green::latch up(static_cast<std::ptrdiff_t>(bodies.size()));
  for (auto &body : bodies)
    body = [&up, run = std::move(body)] {
      up.arrive_and_wait();
      run();
    };
  on_os_threads(std::move(bodies));
}

// in_pool() runs f on an evy::tpool thread while the calling fiber waits.
template <class F> void in_pool(F f) {
  evy::tpool::execute([&] { f(); });
}

// raise_max() makes max at least value.
inline void raise_max(std::atomic<int> &max, int value) {
  int seen = max.load();
  while (seen < value && !max.compare_exchange_weak(seen, value)) {
  }
}

// let_os_threads_catch_up() blocks the calling OS thread for a moment, one
// call in 64, inside a critical section: on a loaded machine one OS thread
// could otherwise run all its rounds before the others are even scheduled,
// and nobody would contend across OS threads.
inline void let_os_threads_catch_up(long calls) {
  if (calls % 64 == 0)
    std::this_thread::sleep_for(20us);
}

// Exclusive counts a critical section that yields halfway: an overlap or a
// lost update of counter shows a lapse in mutual exclusion.
struct Exclusive {
  std::atomic<int> inside{0};
  std::atomic<int> overlaps{0};
  long counter = 0; // only ever touched under the lock under test

  void critical_section() {
    if (++inside != 1)
      ++overlaps;
    const long seen = counter;
    let_os_threads_catch_up(seen);
    evy::green::this_thread::yield();
    counter = seen + 1;
    --inside;
  }
};

// Room records who was inside a reader-writer critical section at once.
struct Room {
  std::atomic<int> readers{0}, writers{0};
  std::atomic<int> violations{0}; // a writer with company, a reader with a writer
  std::atomic<long> reads{0}, writes{0};

  void read() {
    ++readers;
    if (writers.load() != 0)
      ++violations;
    let_os_threads_catch_up(reads.load());
    evy::green::this_thread::yield(); // writers elsewhere try to get in meanwhile
    if (writers.load() != 0)
      ++violations;
    --readers;
    ++reads;
  }
  void write() {
    if (++writers != 1 || readers.load() != 0)
      ++violations;
    let_os_threads_catch_up(writes.load());
    evy::green::this_thread::yield();
    if (writers.load() != 1 || readers.load() != 0)
      ++violations;
    --writers;
    ++writes;
  }
};

// produce_and_consume_everywhere() runs produce(who), who in [0, hubs + 2),
// and consume() on every kind of OS thread at once: on each hub a producer
// fiber and consumer fibers, a plain producer and a plain consumer thread,
// and a producer pool job. consume() returns what it took; the result is
// everything the consumers took, sorted.
template <class Produce, class Consume>
std::vector<int> produce_and_consume_everywhere(Produce produce, Consume consume) {
  std::mutex results_guard; // std's: only to merge the consumers' results
  std::vector<int> consumed;
  auto take = [&] {
    const std::vector<int> mine = consume();
    std::lock_guard lock(results_guard);
    consumed.insert(consumed.end(), mine.begin(), mine.end());
  };
  auto hub_body = [&](int who) {
    return [&, who] {
      spawn_and_join(fibers_per_hub, [&](int i) { i == 0 ? produce(who) : take(); });
    };
  };
  auto plain_producer = [&] { produce(hubs); };
  auto pool_body = [&] { spawn_and_join(1, [&](int) { in_pool([&] { produce(hubs + 1); }); }); };
  on_os_threads_at_once({hub_body(0), hub_body(1), plain_producer, take, pool_body});
  std::sort(consumed.begin(), consumed.end());
  return consumed;
}

// one_to() is 1, 2, ..., n.
inline std::vector<int> one_to(int n) {
  std::vector<int> numbers(static_cast<std::size_t>(n));
  std::iota(numbers.begin(), numbers.end(), 1);
  return numbers;
}

// readers_and_writers() runs share() once in every sharer, then `rounds`
// rounds of write(j) / read(j): on each of two hubs one writer fiber and
// fibers_per_hub - 1 reader fibers, a writer on a plain OS thread (it blocks
// that thread) and a reader in a pool job. In the first half the writers
// take turns, so that no queued writer holds the readers back and hides one
// slipping in beside the writer inside; in the second half they contend
// among themselves too. Both sides pause between rounds, so that the others
// find gaps to get in.
template <class Share, class Write, class Read>
void readers_and_writers(int rounds, Share share, Write write, Read read) {
  evy::green::mutex writer_turn;
  auto writer = [&] {
    for (int j = 0; j < rounds; ++j) {
      std::unique_lock turn(writer_turn, std::defer_lock);
      if (j < rounds / 2)
        turn.lock();
      write(j);
      turn = {};
      evy::green::this_thread::yield();
    }
  };
  auto reader = [&] {
    for (int j = 0; j < rounds; ++j) {
      read(j);
      evy::green::this_thread::yield();
    }
  };
  auto hub_body = [&] {
    spawn_and_join(fibers_per_hub, [&](int i) {
      share();
      i == 0 ? writer() : reader(); // one writer per hub
    });
  };
  auto plain_body = [&] {
    share();
    writer();
  };
  auto pool_body = [&] {
    spawn_and_join(1, [&](int) {
      in_pool([&] {
        share();
        reader();
      });
    });
  };
  on_os_threads_at_once({hub_body, hub_body, plain_body, pool_body});
}

} // namespace evy_test
