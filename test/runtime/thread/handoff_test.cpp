// Releases that race a waiter's own timeout: the releaser hands the lock or
// unit to a waiter whose deadline has just passed, notify() fails, and the
// handoff must go to the next waiter (or back to the primitive).
//
// The race is made deterministic on one OS thread: the waiters park with a
// short deadline, the releasing fiber really blocks the OS thread past it
// (so the timer fires late), yields once so the scheduler fires the timers,
// and releases before the timed-out waiters have run to withdraw.
#include "thread_test_util.h"

#include <evy/evy.h>
#include <evy/patched/thread.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <ctime>
#include <mutex>
#include <shared_mutex>
#include <thread>

namespace green = evy::green;
using namespace evy_test;

namespace {

constexpr auto short_wait = 5ms;
constexpr auto long_wait = 2s;

// miss_the_deadlines() lets the parked waiters' short deadlines pass while
// none of them can run, then lets the hub fire their timers.
void miss_the_deadlines() {
  green::this_thread::yield();                 // everyone parks
  std::this_thread::sleep_for(3 * short_wait); // the real, blocking sleep
  green::this_thread::yield();
}

TEST(GreenHandoff, SemaphoreUnitForATimedOutWaiterReturnsToTheCount) {
  EVY_TEST_NEEDS_ONE_HUB(); // the waiters' hub must be blocked
  green::counting_semaphore<> sem(0);
  bool got = true;
  green::thread late([&] { got = sem.try_acquire_for(short_wait); });
  miss_the_deadlines();
  sem.release();
  late.join();
  EXPECT_FALSE(got);
  EXPECT_TRUE(sem.try_acquire()); // the unit was not lost
}

TEST(GreenHandoff, SemaphoreUnitForATimedOutWaiterGoesToTheNext) {
  EVY_TEST_NEEDS_ONE_HUB(); // the waiters' hub must be blocked
  green::counting_semaphore<> sem(0);
  bool late_got = true, patient_got = false;
  green::thread late([&] { late_got = sem.try_acquire_for(short_wait); });
  green::thread patient([&] { patient_got = sem.try_acquire_for(long_wait); });
  miss_the_deadlines();
  sem.release();
  late.join();
  patient.join();
  EXPECT_FALSE(late_got);
  EXPECT_TRUE(patient_got);
  EXPECT_FALSE(sem.try_acquire());
}

TEST(GreenHandoff, MutexForATimedOutWaiterGoesToTheNext) {
  EVY_TEST_NEEDS_ONE_HUB(); // the waiters' hub must be blocked
  green::timed_mutex m;
  m.lock();
  bool late_got = true, patient_got = false;
  green::thread late([&] { late_got = m.try_lock_for(short_wait); });
  green::thread patient([&] {
    patient_got = m.try_lock_for(long_wait);
    if (patient_got)
      m.unlock();
  });
  miss_the_deadlines();
  m.unlock();
  late.join();
  patient.join();
  EXPECT_FALSE(late_got);
  EXPECT_TRUE(patient_got);
  EXPECT_TRUE(m.try_lock()); // and nobody kept it
  m.unlock();
}

TEST(GreenHandoff, PthreadMutexForATimedOutWaiterIsUnlocked) {
  EVY_TEST_NEEDS_ONE_HUB(); // the waiters' hub must be blocked
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  ASSERT_EQ(green::pthread_mutex_lock(&m), 0);
  int result = -1;
  green::thread waiter([&] {
    timespec soon{};
    clock_gettime(CLOCK_REALTIME, &soon);
    soon.tv_nsec += 5'000'000;
    if (soon.tv_nsec >= 1'000'000'000) {
      soon.tv_nsec -= 1'000'000'000;
      ++soon.tv_sec;
    }
    result = green::pthread_mutex_timedlock(&m, &soon);
  });
  miss_the_deadlines();
  ASSERT_EQ(green::pthread_mutex_unlock(&m), 0);
  waiter.join();
  EXPECT_EQ(result, ETIMEDOUT);
  EXPECT_EQ(green::pthread_mutex_trylock(&m), 0);
  EXPECT_EQ(green::pthread_mutex_unlock(&m), 0);
}

TEST(GreenHandoff, NotifyOneSkipsATimedOutWaiter) {
  EVY_TEST_NEEDS_ONE_HUB(); // the waiters' hub must be blocked
  green::mutex m;
  green::condition_variable cv;
  bool ready = false;
  std::cv_status late_status = std::cv_status::no_timeout;
  bool patient_woke = false;
  green::thread late([&] {
    std::unique_lock lock(m);
    late_status = cv.wait_for(lock, short_wait);
  });
  green::thread patient([&] {
    std::unique_lock lock(m);
    patient_woke = cv.wait_for(lock, long_wait, [&] { return ready; });
  });
  miss_the_deadlines();
  {
    std::lock_guard lock(m);
    ready = true;
  }
  const auto start = Clock::now();
  cv.notify_one(); // the late waiter is first in line, but gone
  late.join();
  patient.join();
  EXPECT_EQ(late_status, std::cv_status::timeout);
  EXPECT_TRUE(patient_woke);
  EXPECT_LT(elapsed_since(start), long_wait / 2); // woken, not timed out
}

TEST(GreenHandoff, SharedMutexForATimedOutWriterGoesToTheNextWriter) {
  EVY_TEST_NEEDS_ONE_HUB(); // the waiters' hub must be blocked
  green::shared_timed_mutex m;
  m.lock();
  bool late_got = true, patient_got = false;
  green::thread late([&] { late_got = m.try_lock_for(short_wait); });
  green::thread patient([&] {
    patient_got = m.try_lock_for(long_wait);
    if (patient_got)
      m.unlock();
  });
  miss_the_deadlines();
  m.unlock();
  late.join();
  patient.join();
  EXPECT_FALSE(late_got);
  EXPECT_TRUE(patient_got);
  EXPECT_TRUE(m.try_lock());
  m.unlock();
}

TEST(GreenHandoff, SharedMutexForATimedOutReaderGoesToTheWriter) {
  EVY_TEST_NEEDS_ONE_HUB(); // the waiters' hub must be blocked
  green::shared_timed_mutex m;
  m.lock();
  bool reader_got = true, writer_got = false;
  green::thread reader([&] { reader_got = m.try_lock_shared_for(short_wait); });
  green::thread writer([&] {
    writer_got = m.try_lock_for(long_wait);
    if (writer_got)
      m.unlock();
  });
  miss_the_deadlines();
  m.unlock(); // admits the queued reader first, who is gone
  reader.join();
  writer.join();
  EXPECT_FALSE(reader_got);
  EXPECT_TRUE(writer_got);
  EXPECT_TRUE(m.try_lock());
  m.unlock();
}

} // namespace
