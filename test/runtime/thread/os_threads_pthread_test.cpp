// The pthread objects and unnamed semaphores, through the green functions,
// shared at once by fibers of several OS threads' hubs, plain OS threads
// and evy::tpool jobs (the layout of os_threads_util.h).
//
// What the users of one object count lives in atomics (they run on several
// OS threads at once); a lapse in exclusion shows as a violation or a lost
// update, a lost wake-up as a hang (the ctest timeout).
#include "os_threads_util.h"

#include <evy/evy.h>
#include <evy/patched/thread.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <ctime>
#include <deque>
#include <vector>

#include <pthread.h>
#include <semaphore.h>

namespace green = evy::green;
using namespace evy_test;

namespace {

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
