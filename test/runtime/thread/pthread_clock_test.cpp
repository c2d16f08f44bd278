// glibc's clock-taking waits, green: pthread_mutex_clocklock,
// pthread_cond_clockwait, pthread_rwlock_clock{rd,wr}lock, sem_clockwait.
// They wait on CLOCK_REALTIME or CLOCK_MONOTONIC (EINVAL for other clocks,
// as glibc) and return POSIX's codes. A timeout is checked by the clock
// itself: ETIMEDOUT must come only once the named clock reached abstime.
#include "thread_test_util.h"

#include <evy/evy.h>
#include <evy/patched/thread.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <ctime>

namespace green = evy::green;
using namespace evy_test;

namespace {

constexpr clockid_t kClocks[] = {CLOCK_REALTIME, CLOCK_MONOTONIC};


// reached() tells whether clock now shows abstime or later.
bool reached(clockid_t clock, const timespec &abstime) {
  timespec now{};
  clock_gettime(clock, &now);
  return now.tv_sec > abstime.tv_sec ||
         (now.tv_sec == abstime.tv_sec && now.tv_nsec >= abstime.tv_nsec);
}

// A monotonic abstime read as CLOCK_REALTIME lies decades in the past, and
// a realtime one read as CLOCK_MONOTONIC decades ahead: a wait on the wrong
// clock either returns ETIMEDOUT before `reached` or never returns.

TEST(GreenClockWait, MutexClocklockTimesOutOnTheNamedClock) {
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  ASSERT_EQ(green::pthread_mutex_lock(&m), 0);
  for (const clockid_t clock : kClocks) {
    int result = -1;
    bool was_reached = false;
    green::thread t([&] {
      const timespec soon = abstime_in(clock, 20ms);
      result = green::pthread_mutex_clocklock(&m, clock, &soon);
      was_reached = reached(clock, soon);
    });
    t.join();
    EXPECT_EQ(result, ETIMEDOUT) << "clock " << clock;
    EXPECT_TRUE(was_reached) << "clock " << clock;
  }
  // A bad tv_nsec is EINVAL when the call must wait.
  int bad = -1;
  green::thread t([&] {
    const timespec invalid{0, 1'000'000'000};
    bad = green::pthread_mutex_clocklock(&m, CLOCK_MONOTONIC, &invalid);
  });
  t.join();
  EXPECT_EQ(bad, EINVAL);
  ASSERT_EQ(green::pthread_mutex_unlock(&m), 0);
}

TEST(GreenClockWait, MutexClocklockGetsAMutexUnlockedBeforeTheDeadline) {
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  for (const clockid_t clock : kClocks) {
    ASSERT_EQ(green::pthread_mutex_lock(&m), 0);
    int result = -1;
    bool owned = false;
    green::thread t([&] {
      const timespec far = abstime_in(clock, std::chrono::hours(1));
      result = green::pthread_mutex_clocklock(&m, clock, &far);
      owned = result == 0;
      if (owned)
        EXPECT_EQ(green::pthread_mutex_unlock(&m), 0);
    });
    green::pthread_yield(); // t parks on the mutex
    EXPECT_EQ(result, -1) << "clock " << clock;
    ASSERT_EQ(green::pthread_mutex_unlock(&m), 0);
    t.join();
    EXPECT_EQ(result, 0) << "clock " << clock;
    EXPECT_TRUE(owned);
  }
  // A free mutex is taken at once: no abstime check.
  const timespec past{0, 0};
  EXPECT_EQ(green::pthread_mutex_clocklock(&m, CLOCK_MONOTONIC, &past), 0);
  EXPECT_EQ(green::pthread_mutex_unlock(&m), 0);
}

TEST(GreenClockWait, OtherClocksAreEinvalEvenWhenNoWaitIsNeeded) {
  const timespec soon = abstime_in(CLOCK_MONOTONIC, 1ms);
  for (const clockid_t clock : {CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID,
                                CLOCK_BOOTTIME, CLOCK_MONOTONIC_RAW, clockid_t{-7}}) {
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    EXPECT_EQ(green::pthread_mutex_clocklock(&m, clock, &soon), EINVAL) << clock;
    EXPECT_EQ(green::pthread_mutex_trylock(&m), 0) << "EINVAL must not lock";
    EXPECT_EQ(green::pthread_mutex_unlock(&m), 0);

    pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
    EXPECT_EQ(green::pthread_rwlock_clockrdlock(&rw, clock, &soon), EINVAL) << clock;
    EXPECT_EQ(green::pthread_rwlock_clockwrlock(&rw, clock, &soon), EINVAL) << clock;
    EXPECT_EQ(green::pthread_rwlock_trywrlock(&rw), 0) << "EINVAL must not lock";
    EXPECT_EQ(green::pthread_rwlock_unlock(&rw), 0);

    pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
    ASSERT_EQ(green::pthread_mutex_lock(&m), 0);
    EXPECT_EQ(green::pthread_cond_clockwait(&cond, &m, clock, &soon), EINVAL) << clock;
    EXPECT_EQ(green::pthread_mutex_unlock(&m), 0) << "the mutex is still held";

    sem_t sem;
    ASSERT_EQ(green::sem_init(&sem, 0, 1), 0);
    errno = 0;
    EXPECT_EQ(green::sem_clockwait(&sem, clock, &soon), -1) << clock;
    EXPECT_EQ(errno, EINVAL);
    int value = -1;
    EXPECT_EQ(green::sem_getvalue(&sem, &value), 0);
    EXPECT_EQ(value, 1) << "EINVAL must not take a unit";
    EXPECT_EQ(green::sem_destroy(&sem), 0);
  }
}

TEST(GreenClockWait, CondClockwaitUsesItsClockNotTheCondattrs) {
  // The condition's own clock is CLOCK_REALTIME (the default); clockwait's
  // argument decides.
  pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  ASSERT_EQ(green::pthread_mutex_lock(&m), 0);
  for (const clockid_t clock : kClocks) {
    const timespec soon = abstime_in(clock, 20ms);
    int result;
    // A spurious wake-up (0) is allowed; a timeout must be real.
    while ((result = green::pthread_cond_clockwait(&cond, &m, clock, &soon)) == 0) {
    }
    EXPECT_EQ(result, ETIMEDOUT) << "clock " << clock;
    EXPECT_TRUE(reached(clock, soon)) << "clock " << clock;
    // The mutex is held again: another fiber cannot take it.
    int other = -1;
    green::thread t([&] { other = green::pthread_mutex_trylock(&m); });
    t.join();
    EXPECT_EQ(other, EBUSY);
  }
  const timespec invalid{0, -1};
  EXPECT_EQ(green::pthread_cond_clockwait(&cond, &m, CLOCK_MONOTONIC, &invalid), EINVAL);
  EXPECT_EQ(green::pthread_mutex_unlock(&m), 0);
  // Waiting without owning the mutex.
  const timespec soon = abstime_in(CLOCK_MONOTONIC, 1ms);
  EXPECT_EQ(green::pthread_cond_clockwait(&cond, &m, CLOCK_MONOTONIC, &soon), EPERM);
}

TEST(GreenClockWait, CondClockwaitIsWokenBySignal) {
  pthread_cond_t cond;
  ASSERT_EQ(init_cond_on_clock(cond, CLOCK_MONOTONIC), 0); // the other way round
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  for (const clockid_t clock : kClocks) {
    bool ready = false;
    int result = -1;
    green::thread waiter([&] {
      const timespec far = abstime_in(clock, std::chrono::hours(1));
      EXPECT_EQ(green::pthread_mutex_lock(&m), 0);
      while (!ready && (result = green::pthread_cond_clockwait(&cond, &m, clock, &far)) == 0) {
      }
      EXPECT_EQ(green::pthread_mutex_unlock(&m), 0);
    });
    green::pthread_yield(); // the waiter parks on cond
    EXPECT_EQ(result, -1);
    EXPECT_EQ(green::pthread_mutex_lock(&m), 0);
    ready = true;
    EXPECT_EQ(green::pthread_cond_signal(&cond), 0);
    EXPECT_EQ(green::pthread_mutex_unlock(&m), 0);
    waiter.join();
    EXPECT_EQ(result, 0) << "clock " << clock;
  }
  EXPECT_EQ(green::pthread_cond_destroy(&cond), 0);
}

TEST(GreenClockWait, RwlockClockLocksTimeOutOnTheNamedClock) {
  pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
  ASSERT_EQ(green::pthread_rwlock_wrlock(&rw), 0);
  for (const clockid_t clock : kClocks) {
    int rd = -1, wr = -1;
    bool rd_reached = false, wr_reached = false;
    green::thread t([&] {
      const timespec soon = abstime_in(clock, 10ms);
      rd = green::pthread_rwlock_clockrdlock(&rw, clock, &soon);
      rd_reached = reached(clock, soon);
      const timespec later = abstime_in(clock, 10ms);
      wr = green::pthread_rwlock_clockwrlock(&rw, clock, &later);
      wr_reached = reached(clock, later);
    });
    t.join();
    EXPECT_EQ(rd, ETIMEDOUT) << "clock " << clock;
    EXPECT_EQ(wr, ETIMEDOUT) << "clock " << clock;
    EXPECT_TRUE(rd_reached) << "clock " << clock;
    EXPECT_TRUE(wr_reached) << "clock " << clock;
  }
  // The writer itself: EDEADLK, as wrlock says.
  const timespec soon = abstime_in(CLOCK_MONOTONIC, 1ms);
  EXPECT_EQ(green::pthread_rwlock_clockwrlock(&rw, CLOCK_MONOTONIC, &soon), EDEADLK);
  EXPECT_EQ(green::pthread_rwlock_unlock(&rw), 0);

  // Free: readers share at once; a writer waits for them until unlocked.
  for (const clockid_t clock : kClocks) {
    const timespec far = abstime_in(clock, std::chrono::hours(1));
    EXPECT_EQ(green::pthread_rwlock_clockrdlock(&rw, clock, &far), 0);
    int wr = -1;
    green::thread writer([&] {
      wr = green::pthread_rwlock_clockwrlock(&rw, clock, &far);
      if (wr == 0)
        EXPECT_EQ(green::pthread_rwlock_unlock(&rw), 0);
    });
    green::pthread_yield(); // the writer parks behind our read hold
    EXPECT_EQ(wr, -1);
    EXPECT_EQ(green::pthread_rwlock_unlock(&rw), 0);
    writer.join();
    EXPECT_EQ(wr, 0) << "clock " << clock;
  }
  EXPECT_EQ(green::pthread_rwlock_destroy(&rw), 0);
}

TEST(GreenClockWait, SemClockwaitTimesOutAndIsPosted) {
  sem_t sem;
  ASSERT_EQ(green::sem_init(&sem, 0, 0), 0);
  for (const clockid_t clock : kClocks) {
    const timespec soon = abstime_in(clock, 20ms);
    errno = 0;
    EXPECT_EQ(green::sem_clockwait(&sem, clock, &soon), -1) << "clock " << clock;
    EXPECT_EQ(errno, ETIMEDOUT);
    EXPECT_TRUE(reached(clock, soon)) << "clock " << clock;

    int result = -1;
    green::thread waiter([&] {
      const timespec far = abstime_in(clock, std::chrono::hours(1));
      result = green::sem_clockwait(&sem, clock, &far);
    });
    green::pthread_yield(); // the waiter parks
    EXPECT_EQ(result, -1);
    EXPECT_EQ(green::sem_post(&sem), 0);
    waiter.join();
    EXPECT_EQ(result, 0) << "clock " << clock;
  }
  const timespec invalid{0, 1'000'000'000};
  errno = 0;
  EXPECT_EQ(green::sem_clockwait(&sem, CLOCK_MONOTONIC, &invalid), -1);
  EXPECT_EQ(errno, EINVAL);
  ASSERT_EQ(green::sem_post(&sem), 0);
  errno = 0; // glibc checks tv_nsec first, even when it could take the semaphore
  EXPECT_EQ(green::sem_clockwait(&sem, CLOCK_MONOTONIC, &invalid), -1);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(green::sem_destroy(&sem), 0);
}

} // namespace
