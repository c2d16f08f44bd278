// Green select/poll/epoll_wait: readiness and timeouts across fibers.
#include "fd_table.h" // runtime/src: FdWaitSet, what poll and select wait with
#include "green_socket_pair.h"
#include "runtime_test.h"

#include <evy/patched/select.h>
#include <evy/patched/socket.h>

#include <cerrno>
#include <chrono>
#include <thread>

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace evy::test {
namespace {

using namespace std::chrono_literals;
using SelectTest = RuntimeTest;

GreenThread send_later(int fd, std::chrono::milliseconds delay) {
  return evy::spawn([fd, delay] {
    evy::sleep(delay);
    EXPECT_EQ(evy::green::send(fd, "!", 1, 0), 1);
  });
}

TEST_F(SelectTest, PollWakesWhenAnotherFiberWrites) {
  GreenSocketPair pair;
  Ticker ticker(1ms);
  GreenThread sender = send_later(pair.sv[1], 30ms);
  pollfd fds[2] = {{pair.sv[0], POLLIN, 0}, {-1, POLLIN, 0}};
  EXPECT_EQ(evy::green::poll(fds, 2, 5000), 1);
  EXPECT_TRUE(fds[0].revents & POLLIN);
  EXPECT_EQ(fds[1].revents, 0);
  sender.join();
  EXPECT_GE(ticker.stop(), 2); // it woke from a sleep while this fiber waited
}

TEST_F(SelectTest, PollTimesOutAndReportsNothing) {
  GreenSocketPair pair;
  Ticker ticker(1ms);
  const auto start = std::chrono::steady_clock::now();
  pollfd fd{pair.sv[0], POLLIN, 0};
  EXPECT_EQ(evy::green::poll(&fd, 1, 40), 0);
  EXPECT_EQ(fd.revents, 0);
  EXPECT_GE(elapsed_since(start), 40ms);
  EXPECT_GE(ticker.stop(), 2); // it woke from a sleep while this fiber waited
  // Writable at once: no wait at all.
  pollfd writable{pair.sv[0], POLLOUT, 0};
  EXPECT_EQ(evy::green::poll(&writable, 1, 0), 1);
  EXPECT_TRUE(writable.revents & POLLOUT);
}

TEST_F(SelectTest, PollReportsHangUpOfThePeer) {
  GreenSocketPair pair;
  GreenThread closer = evy::spawn([&] {
    evy::sleep(10ms);
    evy::green::close(pair.sv[1]);
    pair.sv[1] = -1;
  });
  pollfd fd{pair.sv[0], POLLIN, 0};
  EXPECT_EQ(evy::green::poll(&fd, 1, 5000), 1);
  EXPECT_TRUE(fd.revents & (POLLIN | POLLHUP));
  closer.join();
}

TEST_F(SelectTest, SelectWakesWhenAnotherFiberWrites) {
  GreenSocketPair pair;
  Ticker ticker(1ms);
  GreenThread sender = send_later(pair.sv[1], 30ms);
  fd_set readable;
  FD_ZERO(&readable);
  FD_SET(pair.sv[0], &readable);
  timeval timeout{5, 0};
  EXPECT_EQ(evy::green::select(pair.sv[0] + 1, &readable, nullptr, nullptr, &timeout), 1);
  EXPECT_TRUE(FD_ISSET(pair.sv[0], &readable));
  EXPECT_LT(timeout.tv_sec, 5); // Linux-style: the time left
  sender.join();
  EXPECT_GE(ticker.stop(), 2); // it woke from a sleep while this fiber waited
}

TEST_F(SelectTest, SelectTimesOutWithEmptySets) {
  GreenSocketPair pair;
  Ticker ticker(1ms);
  fd_set readable;
  FD_ZERO(&readable);
  FD_SET(pair.sv[0], &readable);
  timeval timeout{0, 40000};
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(evy::green::select(pair.sv[0] + 1, &readable, nullptr, nullptr, &timeout), 0);
  EXPECT_FALSE(FD_ISSET(pair.sv[0], &readable));
  EXPECT_EQ(timeout.tv_sec, 0);
  EXPECT_EQ(timeout.tv_usec, 0);
  EXPECT_GE(elapsed_since(start), 40ms);
  EXPECT_GE(ticker.stop(), 2); // it woke from a sleep while this fiber waited
}

TEST_F(SelectTest, PselectAndPpollWaitAsFibers) {
  GreenSocketPair pair;
  GreenThread sender = send_later(pair.sv[1], 20ms);
  fd_set readable;
  FD_ZERO(&readable);
  FD_SET(pair.sv[0], &readable);
  const timespec five_seconds{5, 0};
  EXPECT_EQ(
      evy::green::pselect(pair.sv[0] + 1, &readable, nullptr, nullptr, &five_seconds, nullptr), 1);
  sender.join();
  char c;
  EXPECT_EQ(evy::green::recv(pair.sv[0], &c, 1, 0), 1);
  const timespec short_wait{0, 20'000'000};
  pollfd fd{pair.sv[0], POLLIN, 0};
  EXPECT_EQ(evy::green::ppoll(&fd, 1, &short_wait, nullptr), 0);
}

TEST_F(SelectTest, PollWakesEvenIfAnotherFiberAdoptsTheFdMeanwhile) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0); // no green call has seen these fds yet
  GreenThread adopter = evy::spawn([&] {
    evy::sleep(10ms);
    // A green fcntl makes the runtime look at the fd while poll waits on it.
    EXPECT_EQ(evy::green::fcntl(fds[0], F_SETFL, 0), 0);
    evy::sleep(10ms);
    EXPECT_EQ(::write(fds[1], "x", 1), 1);
  });
  pollfd fd{fds[0], POLLIN, 0};
  EXPECT_EQ(evy::green::poll(&fd, 1, 5000), 1);
  EXPECT_TRUE(fd.revents & POLLIN);
  adopter.join();
  evy::green::close(fds[0]);
  evy::green::close(fds[1]);
}

TEST_F(SelectTest, PollWithNoDescriptorsSleeps) {
  Ticker ticker(1ms);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(evy::green::poll(nullptr, 0, 30), 0);
  EXPECT_GE(elapsed_since(start), 30ms);
  EXPECT_GE(ticker.stop(), 2); // it woke from a sleep while this fiber waited
}

// A set with an fd epoll cannot watch (a regular file) is polled again
// after a round instead of waited on. The set's other fds must not wake
// the fiber meanwhile: that wake would be left over for its next wait,
// which then ended at once (a sleep that does not sleep, or throws as if
// interrupted). The byte comes from another thread during the round.
TEST_F(SelectTest, PollOverAFileLeavesNoWakeBehindForTheNextWait) {
  const int file = ::open("/proc/self/exe", O_RDONLY);
  ASSERT_GE(file, 0);
  for (int trial = 0; trial < 200; ++trial) {
    GreenSocketPair pair;
    std::thread sender([&] {
      ::usleep(200 + trial % 7 * 50);
      EXPECT_EQ(::send(pair.sv[1], "!", 1, 0), 1);
    });
    pollfd fds[2] = {{file, 0, 0}, {pair.sv[0], POLLIN, 0}};
    EXPECT_EQ(evy::green::poll(fds, 2, 5000), 1);
    sender.join();
    const auto start = std::chrono::steady_clock::now();
    EXPECT_NO_THROW(evy::sleep(1ms));
    ASSERT_GE(std::chrono::steady_clock::now() - start, 1ms) << "trial " << trial;
  }
  ::close(file);
}

// The narrow case of the test above: another thread's close notifies the
// set's waiter while poll is still building the set, before a regular file
// in it makes poll pass a round instead. That wake must not outlive it.
TEST_F(SelectTest, ACloseWhileASetIsBuiltLeavesNoWakeBehind) {
  GreenSocketPair pair;
  {
    detail::FdWaitSet set(1);
    ASSERT_TRUE(set.add(pair.sv[0], POLLIN));
    std::thread([&] { EXPECT_EQ(evy::green::close(pair.sv[0]), 0); }).join();
    pair.sv[0] = ::open("/dev/null", O_RDONLY); // for the pair's own close
    set.pass_round();
  }
  const auto start = std::chrono::steady_clock::now();
  EXPECT_NO_THROW(evy::sleep(1ms));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 1ms);
}

TEST_F(SelectTest, EpollWaitOfTheProgramWaitsAsAFiber) {
  GreenSocketPair pair;
  const int epfd = ::epoll_create1(EPOLL_CLOEXEC);
  ASSERT_GE(epfd, 0);
  epoll_event watch{};
  watch.events = EPOLLIN;
  watch.data.u32 = 77;
  ASSERT_EQ(::epoll_ctl(epfd, EPOLL_CTL_ADD, pair.sv[0], &watch), 0);
  Ticker ticker(1ms);
  GreenThread sender = send_later(pair.sv[1], 30ms);
  epoll_event events[4];
  EXPECT_EQ(evy::green::epoll_wait(epfd, events, 4, 5000), 1);
  EXPECT_EQ(events[0].data.u32, 77u);
  sender.join();
  EXPECT_GE(ticker.stop(), 2); // it woke from a sleep while this fiber waited
  char c;
  EXPECT_EQ(evy::green::recv(pair.sv[0], &c, 1, 0), 1);
  EXPECT_EQ(evy::green::epoll_wait(epfd, events, 4, 20), 0); // timeout
  evy::green::close(epfd);
}

} // namespace
} // namespace evy::test
