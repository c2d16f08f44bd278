// A thread keeps its last plan of a socket (fd_table.cpp, PlanCache) and
// reuses it while no fd's view changed. These tests change the view of
// the fd right after a call planned it (so the plan is the kept one) and
// check that the next call sees the change, as the original would: the
// caller's O_NONBLOCK set from another thread, SO_RCVTIMEO set, the number
// closed and reused. A call that wrongly waits is ended by an evy::Timeout.
#include "fd_table.h" // runtime/src: the internal record
#include "green_socket_pair.h"
#include "runtime_test.h"

#include <evy/patched/socket.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <thread>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/time.h>

namespace evy::test {
namespace {

using namespace std::chrono_literals;
using PlanCacheTest = RuntimeTest;

// receive_within() is a green recv of one byte that a 5 s evy::Timeout
// ends (-1, errno ETIMEDOUT) if it waits that long.
ssize_t receive_within(int fd, char &c) {
  try {
    evy::Timeout bound(5s);
    return evy::green::recv(fd, &c, 1, 0);
  } catch (const evy::TimeoutError &) {
    errno = ETIMEDOUT;
    return -1;
  }
}

// planned_by_a_receive() makes fd's plan this thread's kept one: a byte
// goes in and is read back.
void planned_by_a_receive(const GreenSocketPair &pair) {
  char c = 'x';
  ASSERT_EQ(evy::green::send(pair.sv[1], &c, 1, 0), 1);
  ASSERT_EQ(evy::green::recv(pair.sv[0], &c, 1, 0), 1);
}

TEST_F(PlanCacheTest, ONonblockSetByAnotherThreadIsSeenByTheNextReceive) {
  GreenSocketPair pair;
  planned_by_a_receive(pair);
  std::thread other([&] { EXPECT_EQ(evy::green::fcntl(pair.sv[0], F_SETFL, O_NONBLOCK), 0); });
  other.join();
  char c;
  errno = 0;
  EXPECT_EQ(receive_within(pair.sv[0], c), -1);
  EXPECT_EQ(errno, EAGAIN) << "the receive did not see the caller's O_NONBLOCK";
}

TEST_F(PlanCacheTest, ONonblockClearedByAnotherThreadMakesTheNextReceiveWait) {
  GreenSocketPair pair(SOCK_STREAM | SOCK_NONBLOCK);
  planned_by_a_receive(pair);
  std::thread other([&] { EXPECT_EQ(evy::green::fcntl(pair.sv[0], F_SETFL, 0), 0); });
  other.join();
  GreenThread writer = evy::spawn([&] {
    evy::sleep(50ms);
    char c = 'y';
    EXPECT_EQ(evy::green::send(pair.sv[1], &c, 1, 0), 1);
  });
  char c = 0;
  EXPECT_EQ(receive_within(pair.sv[0], c), 1) << "errno " << errno;
  EXPECT_EQ(c, 'y');
  writer.join();
}

TEST_F(PlanCacheTest, SoRcvtimeoSetAfterAPlanWithoutTimeoutsEndsTheNextWait) {
  GreenSocketPair pair;
  // A wait reads the socket's timeouts (none): the plan after it says so.
  GreenThread writer = evy::spawn([&] {
    char c = 'x';
    EXPECT_EQ(evy::green::send(pair.sv[1], &c, 1, 0), 1);
  });
  char c;
  ASSERT_EQ(evy::green::recv(pair.sv[0], &c, 1, 0), 1);
  writer.join();
  planned_by_a_receive(pair);
  const timeval timeout{0, 100'000};
  ASSERT_EQ(evy::green::setsockopt(pair.sv[0], SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout),
            0);
  errno = 0;
  EXPECT_EQ(receive_within(pair.sv[0], c), -1);
  EXPECT_EQ(errno, EAGAIN) << "the wait did not end at SO_RCVTIMEO";
}

TEST_F(PlanCacheTest, ANumberClosedAndReusedIsPlannedAnew) {
  int number;
  {
    GreenSocketPair blocking;
    planned_by_a_receive(blocking);
    number = blocking.sv[0];
  } // both closed: the next pair gets the same two numbers
  GreenSocketPair nonblocking(SOCK_STREAM | SOCK_NONBLOCK);
  ASSERT_TRUE(nonblocking.sv[0] == number || nonblocking.sv[1] == number);
  const int reused = nonblocking.sv[0] == number ? nonblocking.sv[0] : nonblocking.sv[1];
  char c;
  errno = 0;
  EXPECT_EQ(receive_within(reused, c), -1);
  EXPECT_EQ(errno, EAGAIN) << "the receive used the closed socket's plan";
}

// The reader's event came (it is runnable, not run yet) when another fiber
// closes the fd and a new socket takes the number: the receive fails with
// EBADF, as it would had the close come first, and never reads the new one.
TEST_F(PlanCacheTest, ACloseAfterTheWakingEventStillEndsTheReceiveWithEbadf) {
  int sv[2];
  ASSERT_EQ(evy::green::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  const int number = sv[0];
  ssize_t got = -2;
  int error = 0;
  char c = 0;
  GreenThread reader = evy::spawn([&] {
    got = evy::green::recv(number, &c, 1, 0);
    error = errno;
  });
  evy::yield(); // the reader hears EAGAIN and parks
  const detail::FdState *state = detail::existing_state(number);
  ASSERT_NE(state, nullptr);
  const std::uint32_t seen = state->events_seen.load();
  char x = 'o';
  ASSERT_EQ(evy::green::send(sv[1], &x, 1, 0), 1);
  for (int i = 0; i < 100000 && state->events_seen.load() == seen; ++i)
    evy::yield(); // until the hub dispatched the event: the reader is runnable
  ASSERT_NE(state->events_seen.load(), seen);
  ASSERT_EQ(evy::green::close(number), 0);
  GreenSocketPair other;
  ASSERT_TRUE(other.sv[0] == number || other.sv[1] == number);
  const int peer = other.sv[0] == number ? other.sv[1] : other.sv[0];
  char z = 'Z';
  ASSERT_EQ(evy::green::send(peer, &z, 1, 0), 1);
  reader.join();
  EXPECT_EQ(got, -1) << "the receive read the socket that took the number";
  EXPECT_EQ(error, EBADF);
  evy::green::close(sv[1]);
}

} // namespace
} // namespace evy::test
