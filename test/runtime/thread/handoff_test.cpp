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

// expect_lock_passes_a_timed_out_waiter() holds a TimedMutex while a late
// waiter (late_try: its timed attempt) and then a patient writer queue, lets
// the late one's deadline pass, and unlocks: the lock must go to the patient
// one, and nobody may keep it afterwards.
template <class TimedMutex, class LateTry>
void expect_lock_passes_a_timed_out_waiter(LateTry late_try) {
  TimedMutex m;
  m.lock();
  bool late_got = true, patient_got = false;
  green::thread late([&] { late_got = late_try(m); });
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

TEST(GreenHandoff, SemaphoreUnitForATimedOutWaiterReturnsToTheCount) {
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
  expect_lock_passes_a_timed_out_waiter<green::timed_mutex>(
      [](green::timed_mutex &m) { return m.try_lock_for(short_wait); });
}

TEST(GreenHandoff, PthreadMutexForATimedOutWaiterIsUnlocked) {
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  ASSERT_EQ(green::pthread_mutex_lock(&m), 0);
  int result = -1;
  green::thread waiter([&] {
    const timespec soon = abstime_in(CLOCK_REALTIME, short_wait);
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
  expect_lock_passes_a_timed_out_waiter<green::shared_timed_mutex>(
      [](green::shared_timed_mutex &m) { return m.try_lock_for(short_wait); });
}

// unlock() admits the queued reader first, who is gone.
TEST(GreenHandoff, SharedMutexForATimedOutReaderGoesToTheWriter) {
  expect_lock_passes_a_timed_out_waiter<green::shared_timed_mutex>(
      [](green::shared_timed_mutex &m) { return m.try_lock_shared_for(short_wait); });
}

} // namespace
