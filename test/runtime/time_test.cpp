// Green time and evy::sleep/Timeout: sleeping suspends only the fiber.
#include "runtime_test.h"

#include <evy/patched/socket.h>
#include <evy/patched/time.h>

#include <cerrno>
#include <string>
#include <thread>

namespace evy::test {
namespace {

using namespace std::chrono_literals;
using TimeTest = RuntimeTest;
using Clock = std::chrono::steady_clock;

TEST_F(TimeTest, SleepBeforeAndAfterOtherGreenCalls) {
  int sv[2];
  ASSERT_EQ(evy::green::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  Ticker ticker(1ms);
  std::string got;
  const auto start = Clock::now();
  GreenThread sleeper = evy::spawn([&] {
    EXPECT_EQ(evy::green::usleep(20000), 0); // before
    char buffer[8] = {};
    const ssize_t n = evy::green::recv(sv[0], buffer, sizeof buffer, 0);
    got.assign(buffer, n > 0 ? static_cast<std::size_t>(n) : 0);
    evy::green::this_thread::sleep_for(20ms); // after
  });
  GreenThread sender = evy::spawn([&] {
    evy::sleep(30ms);
    EXPECT_EQ(evy::green::send(sv[1], "ping", 4, 0), 4);
  });
  sleeper.join();
  sender.join();
  EXPECT_EQ(got, "ping");
  EXPECT_GE(elapsed_since(start), 50ms); // 30 ms to the send, then 20 ms
  EXPECT_GT(ticker.stop(), 0);
  evy::green::close(sv[0]);
  evy::green::close(sv[1]);
}

TEST_F(TimeTest, SleepZeroYieldsToOthers) {
  std::string order;
  GreenThread a = evy::spawn([&] {
    for (int i = 0; i < 3; ++i) {
      order += 'a';
      EXPECT_EQ(evy::green::sleep(0), 0u);
    }
  });
  GreenThread b = evy::spawn([&] {
    for (int i = 0; i < 3; ++i) {
      order += 'b';
      evy::sleep(0);
    }
  });
  a.join();
  b.join();
  EXPECT_EQ(order, "ababab");
}

TEST_F(TimeTest, SchedYieldAndUsleepZeroYield) {
  std::string order;
  GreenThread a = evy::spawn([&] {
    order += 'a';
    EXPECT_EQ(evy::green::sched_yield(), 0);
    order += 'a';
  });
  GreenThread b = evy::spawn([&] {
    order += 'b';
    EXPECT_EQ(evy::green::usleep(0), 0);
    order += 'b';
  });
  a.join();
  b.join();
  EXPECT_EQ(order, "abab");
}

TEST_F(TimeTest, SleepsLastAtLeastTheirDurationWhileOthersRun) {
  Ticker ticker(1ms);
  auto start = Clock::now();
  EXPECT_EQ(evy::green::sleep(0u), 0u);
  const timespec request{0, 30'000'000};
  EXPECT_EQ(evy::green::nanosleep(&request, nullptr), 0);
  EXPECT_GE(elapsed_since(start), 30ms);

  start = Clock::now();
  EXPECT_EQ(evy::green::clock_nanosleep(CLOCK_MONOTONIC, 0, &request, nullptr), 0);
  EXPECT_GE(elapsed_since(start), 30ms);

  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  timespec until = now;
  until.tv_nsec += 30'000'000;
  if (until.tv_nsec >= 1'000'000'000) {
    until.tv_nsec -= 1'000'000'000;
    until.tv_sec += 1;
  }
  EXPECT_EQ(evy::green::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, nullptr), 0);
  timespec after{};
  clock_gettime(CLOCK_MONOTONIC, &after);
  EXPECT_TRUE(after.tv_sec > until.tv_sec ||
              (after.tv_sec == until.tv_sec && after.tv_nsec >= until.tv_nsec));

  start = Clock::now();
  evy::green::this_thread::sleep_until(std::chrono::system_clock::now() + 20ms);
  EXPECT_GE(elapsed_since(start), 19ms); // system_clock may step a little
  EXPECT_GE(ticker.stop(), 2); // it woke from a sleep while the other fiber waited
}

TEST_F(TimeTest, BadArgumentsFailLikeTheOriginals) {
  const timespec bad{0, 1'000'000'000};
  errno = 0;
  EXPECT_EQ(evy::green::nanosleep(&bad, nullptr), -1);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(evy::green::clock_nanosleep(CLOCK_MONOTONIC, 0, &bad, nullptr), EINVAL);
  const timespec negative{-1, 0};
  EXPECT_EQ(evy::green::nanosleep(&negative, nullptr), -1);
  EXPECT_EQ(errno, EINVAL);
}

TEST_F(TimeTest, TimeoutInterruptsAGreenWaitWithTimeoutError) {
  const auto start = Clock::now();
  bool thrown = false;
  {
    Timeout timeout(30ms);
    try {
      evy::sleep(10s);
    } catch (const TimeoutError &error) {
      thrown = true;
      EXPECT_EQ(error.source(), &timeout);
      EXPECT_TRUE(timeout.expired());
    }
  }
  EXPECT_TRUE(thrown);
  EXPECT_GE(elapsed_since(start), 30ms);
}

TEST_F(TimeTest, TimeoutInterruptsABlockedRecv) {
  int sv[2];
  ASSERT_EQ(evy::green::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  bool thrown = false;
  evy::spawn([&] {
    Timeout timeout(20ms);
    char c;
    try {
      (void)evy::green::recv(sv[0], &c, 1, 0);
    } catch (const TimeoutError &) {
      thrown = true;
    }
  }).join();
  EXPECT_TRUE(thrown);
  // The fd is still usable afterwards.
  EXPECT_EQ(evy::green::send(sv[1], "x", 1, 0), 1);
  char c = 0;
  EXPECT_EQ(evy::green::recv(sv[0], &c, 1, 0), 1);
  EXPECT_EQ(c, 'x');
  evy::green::close(sv[0]);
  evy::green::close(sv[1]);
}

TEST_F(TimeTest, TimeoutThatDoesNotExpireChangesNothing) {
  Timeout timeout(10s);
  evy::sleep(1ms);
  EXPECT_TRUE(timeout.pending());
  EXPECT_FALSE(timeout.expired());
  timeout.cancel();
  EXPECT_FALSE(timeout.pending());
}

TEST_F(TimeTest, NestedTimeoutsReportTheOneThatExpired) {
  const Timeout *expired = nullptr;
  Timeout outer(20ms);
  try {
    Timeout inner(10s);
    evy::sleep(10s);
  } catch (const TimeoutError &error) {
    expired = error.source();
  }
  EXPECT_EQ(expired, &outer);
}

TEST_F(TimeTest, ExpiredTimeoutIsRaisedAtTheNextSwitch) {
  bool thrown = false;
  {
    Timeout timeout(5ms);
    const auto until = Clock::now() + 20ms;
    while (Clock::now() < until) {
    } // busy: nothing can interrupt this
    try {
      evy::sleep(0);
    } catch (const TimeoutError &) {
      thrown = true;
    }
  }
  EXPECT_TRUE(thrown);
}

} // namespace
} // namespace evy::test
