// std's primitives shared at once by fibers of several OS threads' hubs,
// plain OS threads (which block in their own hub) and evy::tpool jobs:
// shared mutexes, barrier, condition_variable_any.
//
// What the users of one object count lives in atomics (they run on several
// OS threads at once); a lapse in exclusion shows as a violation or a lost
// update, a lost wake-up as a hang (the ctest timeout).
#include "os_threads_util.h"

#include <evy/evy.h>
#include <evy/patched/thread.h>

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <shared_mutex>
#include <stop_token>
#include <vector>

namespace green = evy::green;
using namespace evy_test;

namespace {

// ------------------------------------------------------- shared mutexes

// Readers on two hubs, a plain OS thread and a pool thread first hold the
// lock all at once (the latch only opens then), then readers and writers of
// every kind contend.
template <class SharedMutex> void shared_mutex_across_os_threads() {
  SharedMutex m;
  constexpr int sharers = hubs * fibers_per_hub + 2; // + plain + pool
  green::latch all_inside(sharers);
  std::atomic<int> together{0}, max_together{0};
  auto share = [&] {
    std::shared_lock lock(m);
    raise_max(max_together, ++together);
    all_inside.arrive_and_wait(); // opens only when every sharer holds it
    --together;
  };
  Room room;
  std::atomic<long> timed_out{0};
  constexpr int rounds = 300;
  // A writer locks for real or, on a timed mutex, also by short timed
  // waits that race the unlocks (a timed-out writer must not keep it).
  auto write = [&](int j) {
    if constexpr (requires(SharedMutex & x) { x.try_lock_for(std::chrono::microseconds(1)); }) {
      if (j % 2 == 1) {
        if (m.try_lock_for(std::chrono::microseconds(20 + j))) {
          room.write();
          m.unlock();
        } else {
          ++timed_out;
        }
        return;
      }
    }
    std::unique_lock lock(m);
    room.write();
  };
  auto read = [&](int j) {
    if constexpr (requires(SharedMutex & x) {
                    x.try_lock_shared_for(std::chrono::microseconds(1));
                  }) {
      if (j % 2 == 1) {
        if (m.try_lock_shared_for(std::chrono::microseconds(20 + j))) {
          room.read();
          m.unlock_shared();
        } else {
          ++timed_out;
        }
        return;
      }
    }
    std::shared_lock lock(m);
    room.read();
  };
  readers_and_writers(rounds, share, write, read);
  EXPECT_TRUE(all_inside.try_wait());
  EXPECT_EQ(max_together.load(), sharers) << "readers did not share across OS threads";
  EXPECT_EQ(room.violations.load(), 0);
  EXPECT_EQ(room.reads.load() + room.writes.load() + timed_out.load(),
            static_cast<long>(sharers) * rounds);
  EXPECT_EQ(room.readers.load(), 0);
  EXPECT_EQ(room.writers.load(), 0);
  EXPECT_TRUE(m.try_lock()); // nobody was left holding it
  m.unlock();
  EXPECT_TRUE(m.try_lock_shared());
  m.unlock_shared();
}

TEST(GreenSharedMutex, ReadersShareWritersExcludeAcrossOsThreads) {
  shared_mutex_across_os_threads<green::shared_mutex>();
}

TEST(GreenSharedTimedMutex, ReadersShareWritersExcludeAcrossOsThreads) {
  shared_mutex_across_os_threads<green::shared_timed_mutex>();
}

// -------------------------------------------------------------- barrier

TEST(GreenBarrier, PhasesCompleteAcrossOsThreadsWithOneCompletionEach) {
  constexpr int parties = hubs * fibers_per_hub + 2; // + plain + pool
  constexpr int phases = 30;
  std::atomic<int> arrivals{0}, completions{0};
  std::atomic<int> in_completion{0};
  std::atomic<int> bad_completions{0}, wrong_phase{0};
  green::barrier sync(parties, [&]() noexcept {
    if (++in_completion != 1)
      ++bad_completions;
    // Everyone arrived in this phase, and nobody yet in the next.
    if (arrivals.load() != parties * (completions.load() + 1))
      ++bad_completions;
    ++completions;
    --in_completion;
  });
  auto take_part = [&](bool split) {
    for (int phase = 0; phase < phases; ++phase) {
      ++arrivals;
      if (split) {
        auto token = sync.arrive();
        sync.wait(std::move(token));
      } else {
        sync.arrive_and_wait();
      }
      // The completion ran before any waiter of the phase resumed.
      if (completions.load() != phase + 1)
        ++wrong_phase;
    }
  };
  auto hub_body = [&] { spawn_and_join(fibers_per_hub, [&](int i) { take_part(i % 2 == 1); }); };
  auto plain_body = [&] { take_part(true); };
  auto pool_body = [&] { spawn_and_join(1, [&](int) { in_pool([&] { take_part(false); }); }); };
  on_os_threads_at_once({hub_body, hub_body, plain_body, pool_body});
  EXPECT_EQ(completions.load(), phases);
  EXPECT_EQ(arrivals.load(), parties * phases);
  EXPECT_EQ(bad_completions.load(), 0);
  EXPECT_EQ(wrong_phase.load(), 0);
}

// ------------------------------------------------ condition_variable_any

// AnyQueue: condition_variable_any over a lockable that is not green::mutex.
using AnyQueue = evy_test::BoundedQueue<green::timed_mutex, green::condition_variable_any>;

TEST(GreenConditionVariableAny, ProducerConsumerAcrossOsThreads) {
  AnyQueue queue(4);
  constexpr int per_producer = 400;
  constexpr int producers = hubs + 2; // a fiber per hub, a plain thread, a pool job
  std::atomic<int> producing{producers};
  auto produce = [&](int who) {
    for (int i = 1; i <= per_producer; ++i)
      queue.push(who * per_producer + i);
    if (--producing == 0)
      queue.close();
  };
  auto consume = [&] {
    std::vector<int> mine;
    while (auto v = queue.pop())
      mine.push_back(*v);
    return mine;
  };
  EXPECT_EQ(produce_and_consume_everywhere(produce, consume),
            one_to(producers * per_producer)); // everything, once
}

TEST(GreenConditionVariableAny, StopRequestFromAnotherOsThreadWakesWaitersAcrossOsThreads) {
  green::mutex m;
  green::condition_variable_any cv;
  std::stop_source source;
  constexpr int waiters = hubs * fibers_per_hub + 1; // + a plain thread
  int parked = 0;                                    // under m
  std::atomic<int> woke_by_stop{0};
  auto wait_for_stop = [&] {
    std::unique_lock lock(m);
    ++parked;
    cv.notify_all(); // tells the stopper; the other waiters re-check and wait on
    const bool ready = cv.wait(lock, source.get_token(), [] { return false; });
    if (!ready && source.stop_requested() && lock.owns_lock())
      ++woke_by_stop;
  };
  auto hub_body = [&] { spawn_and_join(fibers_per_hub, [&](int) { wait_for_stop(); }); };
  auto stopper = [&] {
    {
      std::unique_lock lock(m);
      cv.wait(lock, [&] { return parked == waiters; }); // all are in their wait now
    }
    source.request_stop(); // from this OS thread, no fiber of it waits
  };
  on_os_threads_at_once({hub_body, hub_body, wait_for_stop, stopper});
  EXPECT_EQ(woke_by_stop.load(), waiters);
}

} // namespace
