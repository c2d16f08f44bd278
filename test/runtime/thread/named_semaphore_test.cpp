// Named semaphores through the green sem_ functions. sem_open gives glibc's
// semaphore, shared with other processes; a rewritten file then calls the
// green sem_wait/post/... on it. Those must act on glibc's semaphore (so
// that glibc's own calls, and other processes, see the same value), and a
// wait must park only the calling fiber.
#include "thread_test_util.h"

#include <evy/evy.h>
#include <evy/patched/thread.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <ctime>
#include <string>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace green = evy::green;
using namespace evy_test;

namespace {

// NamedSemaphore opens a fresh named semaphore with green sem_open and
// closes and unlinks it at the end.
class NamedSemaphore {
public:
  explicit NamedSemaphore(unsigned value)
      : name_("/evy-test-" + std::to_string(::getpid()) + "-" + std::to_string(next_++)) {
    sem_ = green::sem_open(name_.c_str(), O_CREAT | O_EXCL, 0600, value);
  }
  ~NamedSemaphore() {
    if (sem_ != SEM_FAILED) {
      EXPECT_EQ(green::sem_close(sem_), 0);
      EXPECT_EQ(green::sem_unlink(name_.c_str()), 0);
    }
  }
  sem_t *get() const { return sem_; }
  const std::string &name() const { return name_; }

private:
  static inline int next_ = 0;
  std::string name_;
  sem_t *sem_;
};

// glibc_value() is the value glibc itself reads.
int glibc_value(sem_t *sem) {
  int value = -1;
  EXPECT_EQ(::sem_getvalue(sem, &value), 0);
  return value;
}

TEST(GreenNamedSem, PostTrywaitWaitAndGetvalueActOnGlibcsSemaphore) {
  NamedSemaphore named(1);
  sem_t *sem = named.get();
  ASSERT_NE(sem, SEM_FAILED) << "errno " << errno;
  int value = -1;
  EXPECT_EQ(green::sem_getvalue(sem, &value), 0);
  EXPECT_EQ(value, 1);
  EXPECT_EQ(green::sem_trywait(sem), 0);
  EXPECT_EQ(glibc_value(sem), 0);
  errno = 0;
  EXPECT_EQ(green::sem_trywait(sem), -1);
  EXPECT_EQ(errno, EAGAIN);
  EXPECT_EQ(green::sem_post(sem), 0);
  EXPECT_EQ(green::sem_post(sem), 0);
  EXPECT_EQ(glibc_value(sem), 2);
  EXPECT_EQ(green::sem_wait(sem), 0);
  EXPECT_EQ(glibc_value(sem), 1);
  EXPECT_EQ(::sem_post(sem), 0); // glibc's post is seen by the green calls
  EXPECT_EQ(green::sem_getvalue(sem, &value), 0);
  EXPECT_EQ(value, 2);
  EXPECT_EQ(green::sem_wait(sem), 0);
  EXPECT_EQ(green::sem_wait(sem), 0);
  EXPECT_EQ(glibc_value(sem), 0);
}

TEST(GreenNamedSem, WaitParksOnlyTheFiberUntilAGreenPost) {
  NamedSemaphore named(0);
  sem_t *sem = named.get();
  ASSERT_NE(sem, SEM_FAILED) << "errno " << errno;
  green::binary_semaphore woken(0); // the waiter's answer to each post
  int got = 0;
  green::thread waiter([&] {
    for (int i = 0; i < 3; ++i) {
      got += green::sem_wait(sem) == 0;
      woken.release();
    }
  });
  for (int i = 0; i < 3; ++i) {
    green::pthread_yield(); // the waiter runs and parks: this fiber goes on
    EXPECT_EQ(got, i);
    EXPECT_EQ(glibc_value(sem), 0);
    EXPECT_EQ(green::sem_post(sem), 0);
    woken.acquire();
  }
  waiter.join();
  EXPECT_EQ(got, 3);
  EXPECT_EQ(glibc_value(sem), 0);
}

TEST(GreenNamedSem, AnotherProcessPostsWithGlibcAndWakesAGreenWait) {
  NamedSemaphore named(0);
  sem_t *sem = named.get();
  ASSERT_NE(sem, SEM_FAILED) << "errno " << errno;
  std::atomic<int> result{-1};
  green::thread waiter([&] { result = green::sem_wait(sem); });
  green::pthread_yield(); // the waiter parks: this fiber still runs
  EXPECT_EQ(result, -1);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Another program that knows the name, not evy: glibc's calls only.
    sem_t *other = ::sem_open(named.name().c_str(), 0);
    _exit(other != SEM_FAILED && ::sem_post(other) == 0 ? 0 : 1);
  }
  int status = -1;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  waiter.join();
  EXPECT_EQ(result, 0);
  EXPECT_EQ(glibc_value(sem), 0);
}

TEST(GreenNamedSem, TimedAndClockWaitsTimeOutAndValidate) {
  NamedSemaphore named(0);
  sem_t *sem = named.get();
  ASSERT_NE(sem, SEM_FAILED) << "errno " << errno;
  for (const clockid_t clock : {CLOCK_REALTIME, CLOCK_MONOTONIC}) {
    timespec soon{}; // now: reached by the time the wait looks
    clock_gettime(clock, &soon);
    errno = 0;
    if (clock == CLOCK_REALTIME) {
      EXPECT_EQ(green::sem_timedwait(sem, &soon), -1);
      EXPECT_EQ(errno, ETIMEDOUT);
      errno = 0;
    }
    EXPECT_EQ(green::sem_clockwait(sem, clock, &soon), -1) << "clock " << clock;
    EXPECT_EQ(errno, ETIMEDOUT);
  }
  const timespec invalid{0, 1'000'000'000};
  errno = 0;
  EXPECT_EQ(green::sem_timedwait(sem, &invalid), -1);
  EXPECT_EQ(errno, EINVAL);
  errno = 0;
  const timespec far{::time(nullptr) + 3600, 0};
  EXPECT_EQ(green::sem_clockwait(sem, CLOCK_BOOTTIME, &far), -1);
  EXPECT_EQ(errno, EINVAL);
  // A post ends a timed wait that has far to go.
  std::atomic<int> result{-1};
  green::thread waiter([&] { result = green::sem_timedwait(sem, &far); });
  green::pthread_yield();
  EXPECT_EQ(result, -1);
  EXPECT_EQ(green::sem_post(sem), 0);
  waiter.join();
  EXPECT_EQ(result, 0);
}

TEST(GreenNamedSem, ReopenedNameIsOneSemaphoreUntilTheLastClose) {
  NamedSemaphore named(0);
  sem_t *sem = named.get();
  ASSERT_NE(sem, SEM_FAILED) << "errno " << errno;
  sem_t *again = green::sem_open(named.name().c_str(), 0);
  ASSERT_EQ(again, sem) << "glibc maps a name once per process";
  EXPECT_EQ(green::sem_close(again), 0);
  // Still open once: still glibc's.
  EXPECT_EQ(green::sem_post(sem), 0);
  EXPECT_EQ(glibc_value(sem), 1);
  // Unnamed green semaphores are unaffected meanwhile.
  sem_t plain;
  ASSERT_EQ(green::sem_init(&plain, 0, 0), 0);
  EXPECT_EQ(green::sem_post(&plain), 0);
  int value = -1;
  EXPECT_EQ(green::sem_getvalue(&plain, &value), 0);
  EXPECT_EQ(value, 1);
  EXPECT_EQ(green::sem_wait(&plain), 0);
  EXPECT_EQ(green::sem_destroy(&plain), 0);
}

TEST(GreenNamedSem, OpenAndUnlinkErrorsAreGlibcs) {
  errno = 0;
  EXPECT_EQ(green::sem_open("/evy-test-does-not-exist", 0), SEM_FAILED);
  EXPECT_EQ(errno, ENOENT);
  errno = 0;
  EXPECT_EQ(green::sem_unlink("/evy-test-does-not-exist"), -1);
  EXPECT_EQ(errno, ENOENT);
  NamedSemaphore named(0);
  ASSERT_NE(named.get(), SEM_FAILED);
  errno = 0;
  EXPECT_EQ(green::sem_open(named.name().c_str(), O_CREAT | O_EXCL, 0600, 0u), SEM_FAILED);
  EXPECT_EQ(errno, EEXIST);
}

} // namespace
