// A thread keeps its last plan of a socket (fd_table.cpp, PlanCache) and
// reuses it while no fd's view changed. These tests change the view of
// the fd right after a call planned it (so the plan is the kept one) and
// check that the next call sees the change, as the original would: the
// caller's O_NONBLOCK set from another thread, SO_RCVTIMEO set, the number
// closed and reused. A call that wrongly waits is ended by an evy::Timeout.
#include "runtime_test.h"

#include <evy/patched/socket.h>

#include <cerrno>
#include <chrono>
#include <thread>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/time.h>

namespace evy::test {
namespace {

using namespace std::chrono_literals;
using PlanCacheTest = RuntimeTest;

struct GreenPair {
  int sv[2] = {-1, -1};
  explicit GreenPair(int flags = 0) {
    EXPECT_EQ(evy::green::socketpair(AF_UNIX, SOCK_STREAM | flags, 0, sv), 0);
  }
  ~GreenPair() {
    evy::green::close(sv[0]);
    evy::green::close(sv[1]);
  }
};

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
void planned_by_a_receive(const GreenPair &pair) {
  char c = 'x';
  ASSERT_EQ(evy::green::send(pair.sv[1], &c, 1, 0), 1);
  ASSERT_EQ(evy::green::recv(pair.sv[0], &c, 1, 0), 1);
}

TEST_F(PlanCacheTest, ONonblockSetByAnotherThreadIsSeenByTheNextReceive) {
  GreenPair pair;
  planned_by_a_receive(pair);
  std::thread other([&] { EXPECT_EQ(evy::green::fcntl(pair.sv[0], F_SETFL, O_NONBLOCK), 0); });
  other.join();
  char c;
  errno = 0;
  EXPECT_EQ(receive_within(pair.sv[0], c), -1);
  EXPECT_EQ(errno, EAGAIN) << "the receive did not see the caller's O_NONBLOCK";
}

TEST_F(PlanCacheTest, ONonblockClearedByAnotherThreadMakesTheNextReceiveWait) {
  GreenPair pair(SOCK_NONBLOCK);
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
  GreenPair pair;
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
    GreenPair blocking;
    planned_by_a_receive(blocking);
    number = blocking.sv[0];
  } // both closed: the next pair gets the same two numbers
  GreenPair nonblocking(SOCK_NONBLOCK);
  ASSERT_TRUE(nonblocking.sv[0] == number || nonblocking.sv[1] == number);
  const int reused = nonblocking.sv[0] == number ? nonblocking.sv[0] : nonblocking.sv[1];
  char c;
  errno = 0;
  EXPECT_EQ(receive_within(reused, c), -1);
  EXPECT_EQ(errno, EAGAIN) << "the receive used the closed socket's plan";
}

} // namespace
} // namespace evy::test
