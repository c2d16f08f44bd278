// The primitives shared at once by fibers of several OS threads' hubs,
// plain OS threads (which block in their own hub) and evy::tpool jobs:
// shared mutexes, barrier, condition_variable_any, and the pthread objects
// and unnamed semaphores through the green functions.
//
// What the users of one object count lives in atomics (they run on several
// OS threads at once); a lapse in exclusion shows as a violation or a lost
// update, a lost wake-up as a hang (the ctest timeout).
#include "thread_test_util.h"

#include <evy/evy.h>
#include <evy/patched/thread.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <ctime>
#include <deque>
#include <functional>
#include <mutex>
#include <numeric>
#include <optional>
#include <shared_mutex>
#include <thread>
#include <vector>

namespace green = evy::green;
using namespace evy_test;

namespace {

constexpr int hubs = 2;           // OS threads that each run several fibers
constexpr int fibers_per_hub = 4; // evy::spawn'ed fibers on each of them

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
void on_os_threads_at_once(std::vector<std::function<void()>> bodies) {
  green::latch up(static_cast<std::ptrdiff_t>(bodies.size()));
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
void raise_max(std::atomic<int> &max, int value) {
  int seen = max.load();
  while (seen < value && !max.compare_exchange_weak(seen, value)) {
  }
}


// let_os_threads_catch_up() blocks the calling OS thread for a moment, one
// call in 64, inside a critical section: on a loaded machine one OS thread
// could otherwise run all its rounds before the others are even scheduled,
// and nobody would contend across OS threads.
void let_os_threads_catch_up(long calls) {
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
    green::this_thread::yield();
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
    green::this_thread::yield(); // writers elsewhere try to get in meanwhile
    if (writers.load() != 0)
      ++violations;
    --readers;
    ++reads;
  }
  void write() {
    if (++writers != 1 || readers.load() != 0)
      ++violations;
    let_os_threads_catch_up(writes.load());
    green::this_thread::yield();
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
std::vector<int> one_to(int n) {
  std::vector<int> numbers(static_cast<std::size_t>(n));
  std::iota(numbers.begin(), numbers.end(), 1);
  return numbers;
}

// ------------------------------------------------------- shared mutexes

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
  green::mutex writer_turn;
  auto writer = [&] {
    for (int j = 0; j < rounds; ++j) {
      std::unique_lock turn(writer_turn, std::defer_lock);
      if (j < rounds / 2)
        turn.lock();
      write(j);
      turn = {};
      green::this_thread::yield();
    }
  };
  auto reader = [&] {
    for (int j = 0; j < rounds; ++j) {
      read(j);
      green::this_thread::yield();
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
using AnyQueue = BoundedQueue<green::timed_mutex, green::condition_variable_any>;

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

// --------------------------------------------------------- pthread mutex

pthread_mutex_t static_mutex_across = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t errorcheck_mutex_across = PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP;

TEST(GreenPthreadMutex, StaticInitializerExcludesAcrossOsThreads) {
  Exclusive shared;
  std::atomic<int> bad_results{0};
  constexpr int rounds = 500;
  auto locked_section = [&] {
    for (int j = 0; j < rounds; ++j) {
      if (green::pthread_mutex_lock(&static_mutex_across) != 0)
        ++bad_results;
      shared.critical_section();
      if (green::pthread_mutex_unlock(&static_mutex_across) != 0)
        ++bad_results;
    }
  };
  auto hub_body = [&] { spawn_and_join(fibers_per_hub, [&](int) { locked_section(); }); };
  auto pool_body = [&] { spawn_and_join(2, [&](int) { in_pool(locked_section); }); };
  on_os_threads_at_once({hub_body, hub_body, locked_section, pool_body});
  EXPECT_EQ(shared.counter, (hubs * fibers_per_hub + 1 + 2) * rounds);
  EXPECT_EQ(shared.overlaps.load(), 0);
  EXPECT_EQ(bad_results.load(), 0);
  EXPECT_EQ(green::pthread_mutex_trylock(&static_mutex_across), 0);
  EXPECT_EQ(green::pthread_mutex_unlock(&static_mutex_across), 0);
}

TEST(GreenPthreadMutex, ErrorcheckStaticInitializerAcrossOsThreads) {
  pthread_mutex_t *m = &errorcheck_mutex_across;
  // Owned here: relocking is EDEADLK; other OS threads, fibers or not, can
  // neither unlock it (EPERM) nor take it (EBUSY).
  ASSERT_EQ(green::pthread_mutex_lock(m), 0);
  EXPECT_EQ(green::pthread_mutex_lock(m), EDEADLK);
  EXPECT_EQ(green::pthread_mutex_trylock(m), EBUSY);
  int plain_unlock = -1, plain_trylock = -1, fiber_unlock = -1, pool_unlock = -1;
  on_os_threads_at_once({[&] {
                           plain_unlock = green::pthread_mutex_unlock(m);
                           plain_trylock = green::pthread_mutex_trylock(m);
                         },
                         [&] {
                           spawn_and_join(1, [&](int) {
                             fiber_unlock = green::pthread_mutex_unlock(m);
                             in_pool([&] { pool_unlock = green::pthread_mutex_unlock(m); });
                           });
                         }});
  EXPECT_EQ(plain_unlock, EPERM);
  EXPECT_EQ(plain_trylock, EBUSY);
  EXPECT_EQ(fiber_unlock, EPERM);
  EXPECT_EQ(pool_unlock, EPERM);
  ASSERT_EQ(green::pthread_mutex_unlock(m), 0);     // still ours after all that
  EXPECT_EQ(green::pthread_mutex_unlock(m), EPERM); // not locked

  // Contended: a caller's own relock is EDEADLK and an unlock by anyone who
  // does not hold it (whoever else does, or nobody) is EPERM, every time.
  Exclusive shared;
  std::atomic<int> bad_results{0};
  constexpr int rounds = 300;
  auto locked_section = [&] {
    for (int j = 0; j < rounds; ++j) {
      if (green::pthread_mutex_unlock(m) != EPERM)
        ++bad_results;
      if (green::pthread_mutex_lock(m) != 0)
        ++bad_results;
      if (green::pthread_mutex_lock(m) != EDEADLK)
        ++bad_results;
      shared.critical_section();
      if (green::pthread_mutex_unlock(m) != 0)
        ++bad_results;
    }
  };
  auto hub_body = [&] { spawn_and_join(fibers_per_hub, [&](int) { locked_section(); }); };
  auto pool_body = [&] { spawn_and_join(1, [&](int) { in_pool(locked_section); }); };
  on_os_threads_at_once({hub_body, hub_body, locked_section, pool_body});
  EXPECT_EQ(shared.counter, (hubs * fibers_per_hub + 2) * rounds);
  EXPECT_EQ(shared.overlaps.load(), 0);
  EXPECT_EQ(bad_results.load(), 0);
  EXPECT_EQ(green::pthread_mutex_destroy(m), 0); // unlocked, nobody waits
}

// ---------------------------------------------------------- pthread cond

TEST(GreenPthreadCond, ProducerConsumerAcrossOsThreads) {
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER, not_full = PTHREAD_COND_INITIALIZER;
  std::deque<int> items; // under m
  bool closed = false;   // under m
  constexpr std::size_t capacity = 4;
  constexpr int per_producer = 400;
  constexpr int producers = hubs + 2; // a fiber per hub, a plain thread, a pool job
  std::atomic<int> producing{producers};
  std::atomic<int> bad_results{0};
  auto check = [&](int r) {
    if (r != 0)
      ++bad_results;
  };
  auto produce = [&](int who) {
    for (int i = 1; i <= per_producer; ++i) {
      check(green::pthread_mutex_lock(&m));
      while (items.size() == capacity)
        check(green::pthread_cond_wait(&not_full, &m));
      items.push_back(who * per_producer + i);
      check(green::pthread_cond_signal(&not_empty));
      check(green::pthread_mutex_unlock(&m));
    }
    if (--producing == 0) {
      check(green::pthread_mutex_lock(&m));
      closed = true;
      check(green::pthread_cond_broadcast(&not_empty));
      check(green::pthread_mutex_unlock(&m));
    }
  };
  auto consume = [&] {
    std::vector<int> mine;
    for (;;) {
      check(green::pthread_mutex_lock(&m));
      while (items.empty() && !closed)
        check(green::pthread_cond_wait(&not_empty, &m));
      if (items.empty()) {
        check(green::pthread_mutex_unlock(&m));
        break;
      }
      mine.push_back(items.front());
      items.pop_front();
      check(green::pthread_cond_signal(&not_full));
      check(green::pthread_mutex_unlock(&m));
    }
    return mine;
  };
  EXPECT_EQ(produce_and_consume_everywhere(produce, consume),
            one_to(producers * per_producer)); // everything, once
  EXPECT_EQ(bad_results.load(), 0);
  EXPECT_EQ(green::pthread_cond_destroy(&not_empty), 0); // nobody waits any more
  EXPECT_EQ(green::pthread_cond_destroy(&not_full), 0);
  EXPECT_EQ(green::pthread_mutex_destroy(&m), 0);
}

// -------------------------------------------------------- pthread rwlock

pthread_rwlock_t rwlock_across = PTHREAD_RWLOCK_INITIALIZER;
pthread_rwlock_t writer_rwlock_across = PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP;

// rwlock_across_os_threads() is shared_mutex_across_os_threads() for a
// pthread_rwlock_t, with its return codes checked: a writer's own rdlock
// and wrlock are EDEADLK.
void rwlock_across_os_threads(pthread_rwlock_t *rw) {
  constexpr int sharers = hubs * fibers_per_hub + 2; // + plain + pool
  green::latch all_inside(sharers);
  std::atomic<int> bad_results{0};
  auto expect = [&](int r, int expected) {
    if (r != expected)
      ++bad_results;
  };
  std::atomic<int> together{0}, max_together{0};
  auto share = [&] {
    expect(green::pthread_rwlock_rdlock(rw), 0);
    raise_max(max_together, ++together);
    all_inside.arrive_and_wait(); // opens only when every sharer holds it
    --together;
    expect(green::pthread_rwlock_unlock(rw), 0);
  };
  Room room;
  constexpr int rounds = 300;
  auto write = [&] {
    expect(green::pthread_rwlock_wrlock(rw), 0);
    expect(green::pthread_rwlock_wrlock(rw), EDEADLK);
    expect(green::pthread_rwlock_rdlock(rw), EDEADLK);
    room.write();
    expect(green::pthread_rwlock_unlock(rw), 0);
  };
  auto read = [&] {
    expect(green::pthread_rwlock_rdlock(rw), 0);
    room.read();
    expect(green::pthread_rwlock_unlock(rw), 0);
  };
  readers_and_writers(rounds, share, [&](int) { write(); }, [&](int) { read(); });
  EXPECT_TRUE(all_inside.try_wait());
  EXPECT_EQ(bad_results.load(), 0);
  EXPECT_EQ(max_together.load(), sharers) << "readers did not share across OS threads";
  EXPECT_EQ(room.violations.load(), 0);
  EXPECT_EQ(room.writes.load(), (hubs + 1) * rounds);
  EXPECT_EQ(room.reads.load(), (hubs * (fibers_per_hub - 1) + 1) * rounds);
  EXPECT_EQ(green::pthread_rwlock_trywrlock(rw), 0); // nobody was left holding it
  EXPECT_EQ(green::pthread_rwlock_unlock(rw), 0);
  EXPECT_EQ(green::pthread_rwlock_unlock(rw), EPERM);
}

TEST(GreenPthreadRwlock, ReadersShareWritersExcludeAcrossOsThreads) {
  rwlock_across_os_threads(&rwlock_across);
}

TEST(GreenPthreadRwlock, WriterPreferringInitializerExcludesAcrossOsThreads) {
  rwlock_across_os_threads(&writer_rwlock_across);
}

// ---------------------------------------------------------- pthread once

// The once routine has no argument: what it sees and counts is static.
std::atomic<int> once_runs{0}, once_inside{0}, once_overlaps{0};

void once_routine() {
  if (++once_inside != 1)
    ++once_overlaps;
  evy::sleep(1ms); // the other callers arrive meanwhile and must wait
  ++once_runs;
  --once_inside;
}

TEST(GreenPthreadOnce, RunsOnceWhileFibersOnTwoOsThreadsCallIt) {
  constexpr int rounds = 10;
  constexpr int callers = hubs * fibers_per_hub + 1; // + a plain thread
  std::vector<pthread_once_t> controls(rounds, PTHREAD_ONCE_INIT);
  once_runs = once_inside = once_overlaps = 0;
  std::atomic<int> bad_results{0}, early_returns{0};
  // Each round starts every caller at once on a fresh control.
  green::barrier<> start(callers);
  auto call = [&] {
    for (int r = 0; r < rounds; ++r) {
      start.arrive_and_wait();
      if (green::pthread_once(&controls[r], once_routine) != 0)
        ++bad_results;
      // This round's routine has finished, and the next round's has not
      // started: it needs this caller at the barrier.
      if (once_runs.load() != r + 1)
        ++early_returns;
    }
  };
  auto hub_body = [&] { spawn_and_join(fibers_per_hub, [&](int) { call(); }); };
  on_os_threads_at_once({hub_body, hub_body, call});
  EXPECT_EQ(once_runs.load(), rounds);
  EXPECT_EQ(once_overlaps.load(), 0);
  EXPECT_EQ(bad_results.load(), 0);
  EXPECT_EQ(early_returns.load(), 0);
}

// ------------------------------------------------------------ semaphores

TEST(GreenSem, PostFromOneOsThreadWakesAFiberWaitingOnAnother) {
  // Strict alternation: each side's wait is ended by a post from the other
  // OS thread, and the waiter has mostly parked by then (the poster had to
  // be woken first itself).
  sem_t ping, pong;
  ASSERT_EQ(green::sem_init(&ping, 0, 0), 0);
  ASSERT_EQ(green::sem_init(&pong, 0, 0), 0);
  constexpr int rounds = 300;
  long turn = 0; // passed back and forth by the semaphores
  std::atomic<int> bad_results{0}, out_of_turn{0};
  auto fiber_side = [&] {
    spawn_and_join(1, [&](int) {
      for (int i = 0; i < rounds; ++i) {
        if (green::sem_wait(&ping) != 0)
          ++bad_results;
        if (turn++ != 2 * i + 1)
          ++out_of_turn;
        if (green::sem_post(&pong) != 0)
          ++bad_results;
      }
    });
  };
  auto plain_side = [&] { // waits in its OS thread's hub, no fiber of its own
    for (int i = 0; i < rounds; ++i) {
      if (turn++ != 2 * i)
        ++out_of_turn;
      if (green::sem_post(&ping) != 0)
        ++bad_results;
      if (green::sem_wait(&pong) != 0)
        ++bad_results;
    }
  };
  on_os_threads_at_once({fiber_side, plain_side});
  EXPECT_EQ(turn, 2 * rounds);
  EXPECT_EQ(out_of_turn.load(), 0);
  EXPECT_EQ(bad_results.load(), 0);
  int value = -1;
  EXPECT_EQ(green::sem_getvalue(&ping, &value), 0);
  EXPECT_EQ(value, 0);
  EXPECT_EQ(green::sem_getvalue(&pong, &value), 0);
  EXPECT_EQ(value, 0);
  EXPECT_EQ(green::sem_destroy(&ping), 0);
  EXPECT_EQ(green::sem_destroy(&pong), 0);
}

TEST(GreenSem, UnitsPostedAcrossOsThreadsAreEachTakenOnce) {
  sem_t sem;
  ASSERT_EQ(green::sem_init(&sem, 0, 0), 0);
  constexpr int waits_per_fiber = 100;
  constexpr int waiting_fibers = hubs * (fibers_per_hub - 1);
  constexpr int units = waiting_fibers * waits_per_fiber;
  std::atomic<int> taken{0}, bad_results{0};
  auto post = [&](int n) {
    for (int i = 0; i < n; ++i) {
      if (i % 16 == 0) // the waiters drain the value and park meanwhile
        std::this_thread::sleep_for(20us);
      if (green::sem_post(&sem) != 0)
        ++bad_results;
    }
  };
  auto take = [&] {
    for (int i = 0; i < waits_per_fiber; ++i) {
      int r;
      if (i % 2 == 0) {
        r = green::sem_wait(&sem);
      } else { // far deadline: it is there only for the other code path
        const timespec later = abstime_in(CLOCK_REALTIME, 10s);
        r = green::sem_timedwait(&sem, &later);
      }
      if (r == 0)
        ++taken;
      else
        ++bad_results;
    }
  };
  // Waiters on two hubs; units from a fiber of each hub, a plain OS
  // thread and a pool job.
  constexpr int per_hub_poster = units / 8, per_plain = units / 4;
  constexpr int per_pool = units - hubs * per_hub_poster - per_plain;
  auto hub_body = [&] {
    spawn_and_join(fibers_per_hub, [&](int i) { i == 0 ? post(per_hub_poster) : take(); });
  };
  auto plain_body = [&] { post(per_plain); };
  auto pool_body = [&] { spawn_and_join(1, [&](int) { in_pool([&] { post(per_pool); }); }); };
  on_os_threads_at_once({hub_body, hub_body, plain_body, pool_body});
  EXPECT_EQ(taken.load(), units);
  EXPECT_EQ(bad_results.load(), 0);
  int value = -1;
  EXPECT_EQ(green::sem_getvalue(&sem, &value), 0);
  EXPECT_EQ(value, 0); // no unit lost, none doubled
  errno = 0;
  EXPECT_EQ(green::sem_trywait(&sem), -1);
  EXPECT_EQ(errno, EAGAIN);
  EXPECT_EQ(green::sem_destroy(&sem), 0);
}

} // namespace
