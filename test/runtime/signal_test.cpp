// Signals: a handler run on the thread ends "the thread's" green call (the
// root fiber's, else the one that parked last), and no other wait.
#include "runtime_test.h"

#include "blocked_thread.h"

#include <evy/patched/select.h>
#include <evy/patched/socket.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

namespace evy::test {
namespace {

using namespace std::chrono_literals;
using SignalTest = RuntimeTest;

// Signaller sends SIGUSR1 (handler without SA_RESTART) to this thread
// once `ready` is set and the thread sleeps (the hub in epoll_wait).
class Signaller {
public:
  explicit Signaller(std::atomic<bool> &ready) {
    struct sigaction action {};
    action.sa_handler = test_support::count_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGUSR1, &action, &previous_);
    thread_ = std::thread([&ready, tid = static_cast<pid_t>(::syscall(SYS_gettid))] {
      while (!ready.load())
        std::this_thread::sleep_for(1ms);
      test_support::wait_until_asleep(tid);
      test_support::signal_counted(tid, SIGUSR1);
    });
  }
  ~Signaller() {
    thread_.join();
    sigaction(SIGUSR1, &previous_, nullptr);
  }

private:
  struct sigaction previous_ {};
  std::thread thread_;
};

// Each waiter, once woken, wakes the other: a wrong pick fails, not hangs.
TEST_F(SignalTest, TheFiberThatParkedLastIsInterrupted) {
  if (EVY_TEST_UNDER_TSAN)
    GTEST_SKIP() << "TSan defers signals";
  int first[2], last[2];
  ASSERT_EQ(evy::green::socketpair(AF_UNIX, SOCK_STREAM, 0, first), 0);
  ASSERT_EQ(evy::green::socketpair(AF_UNIX, SOCK_STREAM, 0, last), 0);
  std::atomic<bool> ready{false};
  int poll_result = 0;
  GreenThread poller = evy::spawn([&] {
    pollfd p{first[0], POLLIN, 0};
    poll_result = evy::green::poll(&p, 1, -1); // parks first: not interrupted
    evy::green::send(last[1], "y", 1, 0);
  });
  GreenThread receiver = evy::spawn([&] {
    ready = true;
    char buffer[4];
    EXPECT_EQ(evy::green::recv(last[0], buffer, sizeof buffer, 0), -1);
    EXPECT_EQ(errno, EINTR);
    evy::green::send(first[1], "z", 1, 0);
  });
  {
    Signaller signaller(ready);
    receiver.join();
  }
  poller.join();
  EXPECT_EQ(poll_result, 1); // woken by the data, not by the signal
  for (int fd : {first[0], first[1], last[0], last[1]})
    evy::green::close(fd);
}

// A fiber's second wait is newer than another fiber's wait that began
// between its first and second: the hub goes by when a wait began, not by
// which fiber waited first. Again a wrong pick fails instead of hanging.
TEST_F(SignalTest, AFiberWaitingAgainHasTheLatestWait) {
  if (EVY_TEST_UNDER_TSAN)
    GTEST_SKIP() << "TSan defers signals";
  int again[2], between[2];
  ASSERT_EQ(evy::green::socketpair(AF_UNIX, SOCK_STREAM, 0, again), 0);
  ASSERT_EQ(evy::green::socketpair(AF_UNIX, SOCK_STREAM, 0, between), 0);
  std::atomic<bool> ready{false};
  ssize_t second_wait = 0;
  int second_errno = 0;
  int poll_result = 0;
  GreenThread waits_twice = evy::spawn([&] {
    char buffer[4];
    EXPECT_EQ(evy::green::recv(again[0], buffer, sizeof buffer, 0), 1); // first wait
    ready = true;
    second_wait = evy::green::recv(again[0], buffer, sizeof buffer, 0);
    second_errno = errno;
    evy::green::send(between[1], "y", 1, 0);
  });
  GreenThread waits_between = evy::spawn([&] {
    pollfd p{between[0], POLLIN, 0};
    poll_result = evy::green::poll(&p, 1, -1);
    evy::green::send(again[1], "w", 1, 0); // a wrong pick: data ends the other wait
  });
  evy::sleep(0s); // both park, in spawn order
  ASSERT_EQ(evy::green::send(again[1], "a", 1, 0), 1);
  {
    Signaller signaller(ready);
    waits_twice.join();
  }
  waits_between.join();
  EXPECT_EQ(second_wait, -1);
  EXPECT_EQ(second_errno, EINTR);
  EXPECT_EQ(poll_result, 1); // woken by the data, not by the signal
  for (int fd : {again[0], again[1], between[0], between[1]})
    evy::green::close(fd);
}

// The latest signal-interruptible wait ended (its fiber now waits in a
// join, which signals do not end): the signal goes to the latest of the
// waits still going. A wrong pick leaves the receive to its SO_RCVTIMEO
// (EAGAIN after 2 s): it fails instead of hanging.
TEST_F(SignalTest, TheLatestWaitStillGoingIsInterrupted) {
  if (EVY_TEST_UNDER_TSAN)
    GTEST_SKIP() << "TSan defers signals";
  int still[2], ended[2];
  ASSERT_EQ(evy::green::socketpair(AF_UNIX, SOCK_STREAM, 0, still), 0);
  ASSERT_EQ(evy::green::socketpair(AF_UNIX, SOCK_STREAM, 0, ended), 0);
  const timeval backstop{2, 0};
  ASSERT_EQ(evy::green::setsockopt(still[0], SOL_SOCKET, SO_RCVTIMEO, &backstop, sizeof backstop),
            0);
  std::atomic<bool> ready{false};
  ssize_t received = 0;
  int receive_errno = 0;
  GreenThread receiver = evy::spawn([&] {
    char buffer[4];
    received = evy::green::recv(still[0], buffer, sizeof buffer, 0);
    receive_errno = errno;
  });
  GreenThread poller = evy::spawn([&] {
    pollfd p{ended[0], POLLIN, 0};
    EXPECT_EQ(evy::green::poll(&p, 1, -1), 1); // the latest wait: ends with data
    ready = true;
    receiver.join(); // not interruptible by a signal
  });
  evy::sleep(0s); // both park, in spawn order
  ASSERT_EQ(evy::green::send(ended[1], "a", 1, 0), 1);
  {
    Signaller signaller(ready);
    poller.join();
  }
  EXPECT_EQ(received, -1);
  EXPECT_EQ(receive_errno, EINTR);
  for (int fd : {still[0], still[1], ended[0], ended[1]})
    evy::green::close(fd);
}

TEST_F(SignalTest, TheRootFiberIsInterruptedFirst) {
  if (EVY_TEST_UNDER_TSAN)
    GTEST_SKIP() << "TSan defers signals";
  int sv[2];
  ASSERT_EQ(evy::green::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  std::atomic<bool> ready{false};
  int poll_result = 0;
  GreenThread poller = evy::spawn([&] {
    ready = true;
    pollfd p{sv[0], POLLIN, 0};
    poll_result = evy::green::poll(&p, 1, -1); // parks after the root
    evy::green::send(sv[0], "y", 1, 0); // a wrong pick: ends the root's recv
  });
  {
    Signaller signaller(ready);
    char buffer[4];
    EXPECT_EQ(evy::green::recv(sv[1], buffer, sizeof buffer, 0), -1);
    EXPECT_EQ(errno, EINTR);
  }
  EXPECT_EQ(evy::green::send(sv[1], "z", 1, 0), 1);
  poller.join();
  EXPECT_EQ(poll_result, 1);
  evy::green::close(sv[0]);
  evy::green::close(sv[1]);
}

} // namespace
} // namespace evy::test
