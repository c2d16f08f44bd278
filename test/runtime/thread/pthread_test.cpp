// Green pthreads and POSIX semaphores: results and error numbers as POSIX says.
#include "thread_test_util.h"

#include <evy/evy.h>
#include <evy/patched/thread.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>
#include <ctime>
#include <vector>

namespace green = evy::green;
using namespace evy_test;

namespace {


// run_green() runs f(arg) as a green pthread and returns its result.
void *run_green(void *(*f)(void *), void *arg) {
  pthread_t t;
  EXPECT_EQ(green::pthread_create(&t, nullptr, f, arg), 0);
  void *result = nullptr;
  EXPECT_EQ(green::pthread_join(t, &result), 0);
  return result;
}

TEST(GreenPthread, CreateJoinCarriesTheResult) {
  int value = 20;
  void *result = run_green(
      [](void *arg) -> void * {
        *static_cast<int *>(arg) += 1;
        return static_cast<int *>(arg) + 1;
      },
      &value);
  EXPECT_EQ(value, 21);
  EXPECT_EQ(result, &value + 1);
}

TEST(GreenPthread, SelfEqualsTheCreatedHandle) {
  pthread_t inside{};
  pthread_t t;
  ASSERT_EQ(green::pthread_create(
                &t, nullptr,
                [](void *out) -> void * {
                  *static_cast<pthread_t *>(out) = green::pthread_self();
                  green::pthread_yield();
                  return nullptr;
                },
                &inside),
            0);
  ASSERT_EQ(green::pthread_join(t, nullptr), 0);
  EXPECT_TRUE(green::pthread_equal(inside, t));
  EXPECT_FALSE(green::pthread_equal(green::pthread_self(), t));
}

TEST(GreenPthread, JoinErrors) {
  EXPECT_EQ(green::pthread_join(green::pthread_self(), nullptr), EDEADLK);
  pthread_t t;
  ASSERT_EQ(green::pthread_create(
                &t, nullptr, [](void *) -> void * { return nullptr; }, nullptr),
            0);
  ASSERT_EQ(green::pthread_join(t, nullptr), 0);
  EXPECT_EQ(green::pthread_join(t, nullptr), ESRCH); // already joined
  EXPECT_EQ(green::pthread_detach(t), ESRCH);
}

TEST(GreenPthread, SecondJoinOfAThreadBeingJoinedIsEinval) {
  EVY_TEST_NEEDS_ONE_HUB();
  // POSIX: EINVAL, the thread is not joinable (glibc: another thread is
  // already waiting to join it); the first join is not disturbed.
  static green::binary_semaphore finish(0);
  static int marker;
  pthread_t t;
  ASSERT_EQ(green::pthread_create(
                &t, nullptr,
                [](void *arg) -> void * {
                  finish.acquire();
                  return arg;
                },
                &marker),
            0);
  int first = -1, second = -1;
  void *first_result = nullptr;
  green::thread joiner([&] { first = green::pthread_join(t, &first_result); });
  green::thread second_joiner([&] { second = green::pthread_join(t, nullptr); });
  // t parks on finish, joiner in pthread_join, second_joiner returns at once.
  green::this_thread::yield();
  EXPECT_EQ(second, EINVAL); // -1: it waits for t as well
  int from_os_thread = -1;
  if (second == EINVAL) // else this one could wait too
    std::thread([&] { from_os_thread = green::pthread_join(t, nullptr); }).join();
  EXPECT_EQ(from_os_thread, EINVAL);
  EXPECT_EQ(first, -1); // still waiting
  finish.release();
  joiner.join();
  second_joiner.join();
  EXPECT_EQ(first, 0);
  EXPECT_EQ(first_result, &marker);
  EXPECT_EQ(green::pthread_join(t, nullptr), ESRCH); // joined and gone
}

TEST(GreenPthread, DetachedThreadsRunAndCannotBeJoined) {
  // The thread ends only after the join was tried: with several hubs it
  // runs in parallel, and joining a detached thread that has ended is
  // undefined (the green handle is gone: ESRCH).
  static green::binary_semaphore go(0), done(0);
  auto body = [](void *) -> void * {
    go.acquire();
    done.release();
    return nullptr;
  };
  pthread_t t;
  ASSERT_EQ(green::pthread_create(&t, nullptr, body, nullptr), 0);
  EXPECT_EQ(green::pthread_detach(t), 0);
  EXPECT_EQ(green::pthread_join(t, nullptr), EINVAL);
  go.release();
  EXPECT_TRUE(done.try_acquire_for(1s));

  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  ASSERT_EQ(green::pthread_create(&t, &attr, body, nullptr), 0);
  pthread_attr_destroy(&attr);
  EXPECT_EQ(green::pthread_join(t, nullptr), EINVAL);
  go.release();
  EXPECT_TRUE(done.try_acquire_for(1s));
}

// ---------------------------------------------------------------- mutexes

pthread_mutex_t static_mutex = PTHREAD_MUTEX_INITIALIZER;

TEST(GreenPthreadMutex, StaticInitializerExcludesFibers) {
  static long counter;
  static int overlaps, inside;
  counter = overlaps = inside = 0; // statics: captureless start routines see them
  std::vector<pthread_t> threads(20);
  for (auto &t : threads)
    ASSERT_EQ(green::pthread_create(
                  &t, nullptr,
                  [](void *) -> void * {
                    for (int i = 0; i < 25; ++i) {
                      green::pthread_mutex_lock(&static_mutex);
                      if (++inside != 1)
                        ++overlaps;
                      const long seen = counter;
                      green::pthread_yield();
                      counter = seen + 1;
                      --inside;
                      green::pthread_mutex_unlock(&static_mutex);
                    }
                    return nullptr;
                  },
                  nullptr),
              0);
  for (auto t : threads)
    ASSERT_EQ(green::pthread_join(t, nullptr), 0);
  EXPECT_EQ(counter, 20 * 25);
  EXPECT_EQ(overlaps, 0);
  EXPECT_EQ(green::pthread_mutex_destroy(&static_mutex), 0);
}

TEST(GreenPthreadMutex, TrylockAndDestroyOfALockedMutexAreBusy) {
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  ASSERT_EQ(green::pthread_mutex_lock(&m), 0);
  EXPECT_EQ(green::pthread_mutex_trylock(&m), EBUSY);
  EXPECT_EQ(green::pthread_mutex_destroy(&m), EBUSY);
  ASSERT_EQ(green::pthread_mutex_unlock(&m), 0);
  EXPECT_EQ(green::pthread_mutex_destroy(&m), 0);
}

TEST(GreenPthreadMutex, RecursiveTypeCountsDepth) {
  pthread_mutex_t m;
  ASSERT_EQ(init_mutex_of_type(m, PTHREAD_MUTEX_RECURSIVE), 0);
  ASSERT_EQ(green::pthread_mutex_lock(&m), 0);
  ASSERT_EQ(green::pthread_mutex_lock(&m), 0);
  ASSERT_EQ(green::pthread_mutex_trylock(&m), 0);
  int other = -1;
  green::thread t([&] { other = green::pthread_mutex_trylock(&m); });
  t.join();
  EXPECT_EQ(other, EBUSY);
  green::thread stranger([&] { other = green::pthread_mutex_unlock(&m); });
  stranger.join();
  EXPECT_EQ(other, EPERM);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(green::pthread_mutex_unlock(&m), 0);
  EXPECT_EQ(green::pthread_mutex_unlock(&m), EPERM);
  EXPECT_EQ(green::pthread_mutex_destroy(&m), 0);
}

TEST(GreenPthreadMutex, RecursiveStaticInitializerIsRecursive) {
  pthread_mutex_t m = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
  ASSERT_EQ(green::pthread_mutex_lock(&m), 0);
  EXPECT_EQ(green::pthread_mutex_lock(&m), 0);
  EXPECT_EQ(green::pthread_mutex_unlock(&m), 0);
  EXPECT_EQ(green::pthread_mutex_unlock(&m), 0);
}

TEST(GreenPthreadMutex, ErrorcheckTypeReportsDeadlockAndForeignUnlock) {
  pthread_mutex_t m;
  ASSERT_EQ(init_mutex_of_type(m, PTHREAD_MUTEX_ERRORCHECK), 0);
  EXPECT_EQ(green::pthread_mutex_unlock(&m), EPERM); // not locked
  ASSERT_EQ(green::pthread_mutex_lock(&m), 0);
  EXPECT_EQ(green::pthread_mutex_lock(&m), EDEADLK);
  const timespec later = abstime_in(CLOCK_REALTIME, 1s);
  EXPECT_EQ(green::pthread_mutex_timedlock(&m, &later), EDEADLK);
  int other = -1;
  green::thread t([&] { other = green::pthread_mutex_unlock(&m); });
  t.join();
  EXPECT_EQ(other, EPERM);
  EXPECT_EQ(green::pthread_mutex_unlock(&m), 0);
  EXPECT_EQ(green::pthread_mutex_destroy(&m), 0);
}

TEST(GreenPthreadMutex, TimedlockTimesOutAndValidatesAbstime) {
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  ASSERT_EQ(green::pthread_mutex_lock(&m), 0);
  int result = -1;
  std::chrono::steady_clock::duration waited{};
  green::thread t([&] {
    const timespec soon = abstime_in(CLOCK_REALTIME, 20ms);
    const auto start = Clock::now();
    result = green::pthread_mutex_timedlock(&m, &soon);
    waited = elapsed_since(start);
  });
  t.join();
  EXPECT_EQ(result, ETIMEDOUT);
  EXPECT_GE(waited, 15ms); // CLOCK_REALTIME and the steady clock differ slightly
  green::thread bad([&] {
    const timespec invalid{0, 2'000'000'000};
    result = green::pthread_mutex_timedlock(&m, &invalid);
  });
  bad.join();
  EXPECT_EQ(result, EINVAL);
  ASSERT_EQ(green::pthread_mutex_unlock(&m), 0);
  const timespec past{0, 0};
  EXPECT_EQ(green::pthread_mutex_timedlock(&m, &past), 0); // free: no wait, no check
  EXPECT_EQ(green::pthread_mutex_unlock(&m), 0);
}

// ------------------------------------------------------------ conditions

TEST(GreenPthreadCond, TimedwaitWithMonotonicClockTimesOut) {
  pthread_cond_t cond;
  ASSERT_EQ(init_cond_on_clock(cond, CLOCK_MONOTONIC), 0);
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  ASSERT_EQ(green::pthread_mutex_lock(&m), 0);
  const timespec soon = abstime_in(CLOCK_MONOTONIC, 30ms);
  const auto start = Clock::now();
  EXPECT_EQ(green::pthread_cond_timedwait(&cond, &m, &soon), ETIMEDOUT);
  EXPECT_GE(elapsed_since(start), 30ms);
  // The mutex is held again: another fiber cannot take it.
  int other = -1;
  green::thread t([&] { other = green::pthread_mutex_trylock(&m); });
  t.join();
  EXPECT_EQ(other, EBUSY);
  const timespec invalid{0, -1};
  EXPECT_EQ(green::pthread_cond_timedwait(&cond, &m, &invalid), EINVAL);
  EXPECT_EQ(green::pthread_mutex_unlock(&m), 0);
  EXPECT_EQ(green::pthread_cond_destroy(&cond), 0);
}

TEST(GreenPthreadCond, SignalAndBroadcastWakeWaiters) {
  EVY_TEST_NEEDS_ONE_HUB();
  static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
  static int tickets, woken;
  tickets = woken = 0;
  std::vector<pthread_t> waiters(4);
  for (auto &t : waiters)
    ASSERT_EQ(green::pthread_create(
                  &t, nullptr,
                  [](void *) -> void * {
                    green::pthread_mutex_lock(&m);
                    while (tickets == 0)
                      green::pthread_cond_wait(&cond, &m);
                    --tickets;
                    ++woken;
                    green::pthread_mutex_unlock(&m);
                    return nullptr;
                  },
                  nullptr),
              0);
  green::pthread_yield();
  EXPECT_EQ(green::pthread_cond_destroy(&cond), EBUSY); // fibers wait on it
  green::pthread_mutex_lock(&m);
  tickets = 1;
  green::pthread_cond_signal(&cond);
  green::pthread_mutex_unlock(&m);
  for (int i = 0; i < 4; ++i)
    green::pthread_yield();
  EXPECT_EQ(woken, 1);
  green::pthread_mutex_lock(&m);
  tickets = 3;
  green::pthread_cond_broadcast(&cond);
  green::pthread_mutex_unlock(&m);
  for (auto t : waiters)
    ASSERT_EQ(green::pthread_join(t, nullptr), 0);
  EXPECT_EQ(woken, 4);
}

TEST(GreenPthreadCond, WaitWithoutOwningTheMutexIsEperm) {
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
  EXPECT_EQ(green::pthread_cond_wait(&cond, &m), EPERM);
}

TEST(GreenPthreadCond, WaitOnARecursiveMutexReleasesEveryLevel) {
  pthread_mutex_t m = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
  pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
  bool flag = false;
  green::thread setter([&] {
    green::pthread_mutex_lock(&m); // only possible if the wait let go entirely
    flag = true;
    green::pthread_cond_signal(&cond);
    green::pthread_mutex_unlock(&m);
  });
  green::pthread_mutex_lock(&m);
  green::pthread_mutex_lock(&m);
  while (!flag)
    ASSERT_EQ(green::pthread_cond_wait(&cond, &m), 0);
  EXPECT_EQ(green::pthread_mutex_unlock(&m), 0);
  EXPECT_EQ(green::pthread_mutex_unlock(&m), 0); // both levels came back
  EXPECT_EQ(green::pthread_mutex_unlock(&m), EPERM);
  setter.join();
}

// ---------------------------------------------------------------- rwlock

TEST(GreenPthreadRwlock, ReadersShareWriterExcludes) {
  pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
  ASSERT_EQ(green::pthread_rwlock_rdlock(&rw), 0);
  ASSERT_EQ(green::pthread_rwlock_tryrdlock(&rw), 0); // readers share (recursively too)
  EXPECT_EQ(green::pthread_rwlock_trywrlock(&rw), EBUSY);
  int writer_result = -1;
  bool writer_done = false;
  green::thread writer([&] {
    writer_result = green::pthread_rwlock_wrlock(&rw);
    writer_done = true;
    green::pthread_rwlock_unlock(&rw);
  });
  green::pthread_yield();
  EXPECT_FALSE(writer_done);
  // glibc 2.36: destroy does nothing and returns 0, even while held and waited for.
  EXPECT_EQ(green::pthread_rwlock_destroy(&rw), 0);
  EXPECT_EQ(green::pthread_rwlock_unlock(&rw), 0);
  green::pthread_yield();
  EXPECT_FALSE(writer_done); // one read hold is left
  EXPECT_EQ(green::pthread_rwlock_unlock(&rw), 0);
  writer.join();
  EXPECT_EQ(writer_result, 0);
  EXPECT_TRUE(writer_done);
  EXPECT_EQ(green::pthread_rwlock_unlock(&rw), EPERM); // nothing held
  EXPECT_EQ(green::pthread_rwlock_destroy(&rw), 0);
}

TEST(GreenPthreadRwlock, WriterErrorsAndTimeouts) {
  pthread_rwlock_t rw;
  ASSERT_EQ(green::pthread_rwlock_init(&rw, nullptr), 0);
  ASSERT_EQ(green::pthread_rwlock_wrlock(&rw), 0);
  EXPECT_EQ(green::pthread_rwlock_wrlock(&rw), EDEADLK);
  EXPECT_EQ(green::pthread_rwlock_rdlock(&rw), EDEADLK);
  EXPECT_EQ(green::pthread_rwlock_tryrdlock(&rw), EBUSY);
  int rd = -1, wr = -1, unlock = -1;
  green::thread t([&] {
    const timespec soon = abstime_in(CLOCK_REALTIME, 10ms);
    rd = green::pthread_rwlock_timedrdlock(&rw, &soon);
    wr = green::pthread_rwlock_timedwrlock(&rw, &soon);
    unlock = green::pthread_rwlock_unlock(&rw); // the writer is not us
  });
  t.join();
  EXPECT_EQ(rd, ETIMEDOUT);
  EXPECT_EQ(wr, ETIMEDOUT);
  EXPECT_EQ(unlock, EPERM);
  EXPECT_EQ(green::pthread_rwlock_unlock(&rw), 0);
  EXPECT_EQ(green::pthread_rwlock_destroy(&rw), 0);
}

TEST(GreenPthreadRwlock, WriterPreferringKindHoldsBackReaders) {
  EVY_TEST_NEEDS_ONE_HUB();
  pthread_rwlockattr_t attr;
  pthread_rwlockattr_init(&attr);
  pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
  pthread_rwlock_t rw;
  ASSERT_EQ(green::pthread_rwlock_init(&rw, &attr), 0);
  pthread_rwlockattr_destroy(&attr);
  ASSERT_EQ(green::pthread_rwlock_rdlock(&rw), 0);
  green::thread writer([&] {
    green::pthread_rwlock_wrlock(&rw);
    green::pthread_rwlock_unlock(&rw);
  });
  green::pthread_yield(); // a writer waits now
  EXPECT_EQ(green::pthread_rwlock_tryrdlock(&rw), EBUSY);
  EXPECT_EQ(green::pthread_rwlock_unlock(&rw), 0);
  writer.join();
  EXPECT_EQ(green::pthread_rwlock_tryrdlock(&rw), 0);
  EXPECT_EQ(green::pthread_rwlock_unlock(&rw), 0);
}

// ------------------------------------------------------------------ once

TEST(GreenPthreadOnce, RunsOnceWhileOthersWaitAsFibers) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  static int runs = 0;
  static bool initialised = false;
  static int saw_uninitialised = 0;
  std::vector<green::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([] {
      EXPECT_EQ(green::pthread_once(&once,
                                    [] {
                                      ++runs;
                                      evy::sleep(10ms); // the others arrive meanwhile and must wait
                                      initialised = true;
                                    }),
                0);
      if (!initialised)
        ++saw_uninitialised;
    });
  for (auto &t : threads)
    t.join();
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(saw_uninitialised, 0);
}

// ------------------------------------------------------------- semaphores

TEST(GreenSem, PostWaitBetweenFibersAndGetvalue) {
  sem_t sem;
  ASSERT_EQ(green::sem_init(&sem, 0, 2), 0);
  int value = -1;
  EXPECT_EQ(green::sem_getvalue(&sem, &value), 0);
  EXPECT_EQ(value, 2);
  EXPECT_EQ(green::sem_wait(&sem), 0);
  EXPECT_EQ(green::sem_trywait(&sem), 0);
  errno = 0;
  EXPECT_EQ(green::sem_trywait(&sem), -1);
  EXPECT_EQ(errno, EAGAIN);
  int got = 0;
  green::thread waiter([&] {
    for (int i = 0; i < 3; ++i)
      got += green::sem_wait(&sem) == 0;
  });
  for (int i = 0; i < 3; ++i) {
    green::pthread_yield();
    EXPECT_EQ(green::sem_post(&sem), 0);
  }
  waiter.join();
  EXPECT_EQ(got, 3);
  EXPECT_EQ(green::sem_getvalue(&sem, &value), 0);
  EXPECT_EQ(value, 0);
  EXPECT_EQ(green::sem_destroy(&sem), 0);
}

TEST(GreenSem, TimedwaitTimesOutAndValidates) {
  sem_t sem;
  ASSERT_EQ(green::sem_init(&sem, 0, 0), 0);
  const timespec soon = abstime_in(CLOCK_REALTIME, 25ms);
  const auto start = Clock::now();
  errno = 0;
  EXPECT_EQ(green::sem_timedwait(&sem, &soon), -1);
  EXPECT_EQ(errno, ETIMEDOUT);
  EXPECT_GE(elapsed_since(start), 20ms);
  const timespec invalid{0, 1'000'000'000};
  errno = 0;
  EXPECT_EQ(green::sem_timedwait(&sem, &invalid), -1);
  EXPECT_EQ(errno, EINVAL);
  ASSERT_EQ(green::sem_post(&sem), 0);
  errno = 0; // glibc checks tv_nsec first, even when it could take the semaphore
  EXPECT_EQ(green::sem_timedwait(&sem, &invalid), -1);
  EXPECT_EQ(errno, EINVAL);
  errno = 0;
  EXPECT_EQ(green::sem_init(&sem, 1, 0), -1);
  EXPECT_EQ(errno, ENOSYS);
}

TEST(GreenSem, PostOverflowIsEoverflow) {
  sem_t sem;
  ASSERT_EQ(green::sem_init(&sem, 0, SEM_VALUE_MAX), 0);
  errno = 0;
  EXPECT_EQ(green::sem_post(&sem), -1);
  EXPECT_EQ(errno, EOVERFLOW);
}

} // namespace
