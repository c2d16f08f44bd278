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
