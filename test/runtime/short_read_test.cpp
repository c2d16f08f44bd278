// A short TCP receive proves the socket empty (ShortRead, fd_table.h): the
// next receive waits for the fd's event before it tries. These tests check
// the runtime's record of that (plan_io().drained) and that every receive
// still returns exactly what the original would, where a short read proves
// nothing (a peek, a UNIX socket, urgent data) and where the fd was closed
// and reused behind the runtime's back.
#include "fd_table.h" // runtime/src: the internal record
#include "bounded_read.h"
#include "runtime_test.h"
#include "test_support.h"

#include <evy/patched/os.h>
#include <evy/patched/socket.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace evy::test {
namespace {

using namespace std::chrono_literals;
using ShortReadTest = RuntimeTest;

// A connected TCP pair over loopback, both ends made by green calls.
struct TcpPair {
  int client = -1;
  int server = -1;
  TcpPair() {
    const int listener = evy::green::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(test_support::listen_on_loopback(listener, 1)));
    client = evy::green::socket(AF_INET, SOCK_STREAM, 0);
    EXPECT_EQ(evy::green::connect(client, reinterpret_cast<sockaddr *>(&address), sizeof address), 0);
    server = evy::green::accept(listener, nullptr, nullptr);
    EXPECT_GE(server, 0);
    evy::green::close(listener);
  }
  ~TcpPair() {
    evy::green::close(client);
    evy::green::close(server);
  }
};

bool drained(int fd) { return detail::plan_io(fd).drained; }

std::string receive(int fd, std::size_t size, int flags = 0) {
  std::string buffer(size, '\0');
  const ssize_t n = evy::green::recv(fd, &buffer[0], size, flags);
  buffer.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  return buffer;
}

GreenThread send_later(int fd, const char *text, std::chrono::milliseconds delay) {
  return evy::spawn([=] {
    evy::sleep(delay);
    const auto size = std::strlen(text);
    EXPECT_EQ(evy::green::send(fd, text, size, 0), static_cast<ssize_t>(size));
  });
}

TEST_F(ShortReadTest, AShortTcpReceiveMarksTheSocketEmptyUntilItsNextEvent) {
  TcpPair tcp;
  ASSERT_EQ(evy::green::send(tcp.client, "abc", 3, 0), 3);
  evy::sleep(10ms); // arrived
  EXPECT_EQ(receive(tcp.server, 100), "abc");
  EXPECT_TRUE(drained(tcp.server));
  // The next receive waits before trying, and gets what comes later.
  GreenThread sender = send_later(tcp.client, "de", 20ms);
  EXPECT_EQ(receive(tcp.server, 100), "de");
  sender.join();
  EXPECT_TRUE(drained(tcp.server));
  // Data that comes raises an event: the record no longer claims empty.
  ASSERT_EQ(evy::green::send(tcp.client, "f", 1, 0), 1);
  evy::sleep(10ms); // the hub polls and dispatches the event
  EXPECT_FALSE(drained(tcp.server));
  EXPECT_EQ(receive(tcp.server, 100), "f");
}

TEST_F(ShortReadTest, APeekOrAFullReceiveProvesNothing) {
  TcpPair tcp;
  ASSERT_EQ(evy::green::send(tcp.client, "abcdef", 6, 0), 6);
  evy::sleep(10ms);
  EXPECT_EQ(receive(tcp.server, 100, MSG_PEEK), "abcdef");
  EXPECT_FALSE(drained(tcp.server)); // the bytes are still there
  EXPECT_EQ(receive(tcp.server, 4), "abcd");
  EXPECT_FALSE(drained(tcp.server)); // it filled the buffer: more may wait
  EXPECT_EQ(receive(tcp.server, 4), "ef");
  EXPECT_TRUE(drained(tcp.server));
}

TEST_F(ShortReadTest, AShortReadOnAUnixSocketProvesNothing) {
  int sv[2];
  ASSERT_EQ(evy::green::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  ASSERT_EQ(evy::green::send(sv[1], "abc", 3, 0), 3);
  EXPECT_EQ(receive(sv[0], 100), "abc");
  EXPECT_FALSE(drained(sv[0]));
  evy::green::close(sv[0]);
  evy::green::close(sv[1]);
}

// A TCP read stops at the urgent mark with data behind it and no edge to
// come: once urgent data was seen, short reads prove nothing.
TEST_F(ShortReadTest, UrgentDataEndsTheShortcut) {
  TcpPair tcp;
  GreenThread sender = send_later(tcp.client, "x", 10ms);
  EXPECT_EQ(receive(tcp.server, 100), "x"); // waited: the fd is registered
  sender.join();
  EXPECT_TRUE(drained(tcp.server));
  ASSERT_EQ(evy::green::send(tcp.client, "ab", 2, 0), 2);
  ASSERT_EQ(evy::green::send(tcp.client, "c", 1, MSG_OOB), 1);
  ASSERT_EQ(evy::green::send(tcp.client, "de", 2, 0), 2);
  evy::sleep(20ms); // the hub sees EPOLLPRI
  EXPECT_EQ(receive(tcp.server, 100), "ab"); // stops at the mark
  EXPECT_FALSE(drained(tcp.server));
  EXPECT_EQ(receive(tcp.server, 100), "de"); // at once: no wait for an edge
}

// The record belongs to the file: an fd closed behind the runtime's back
// and reused must not keep a receive from the new file's data for ever.
TEST_F(ShortReadTest, AnFdReusedBehindTheRuntimesBackAfterAShortReadStillReads) {
  TcpPair tcp;
  GreenThread sender = send_later(tcp.client, "x", 10ms);
  EXPECT_EQ(receive(tcp.server, 100), "x");
  sender.join();
  ASSERT_TRUE(drained(tcp.server));
  const int reused = tcp.server;
  int pipe_fds[2];
  ASSERT_EQ(::pipe2(pipe_fds, O_NONBLOCK), 0);
  ::close(tcp.server); // behind the runtime's back; then the number is reused
  ASSERT_EQ(::dup3(pipe_fds[0], reused, 0), reused);
  ::close(pipe_fds[0]);
  ASSERT_EQ(::write(pipe_fds[1], "y", 1), 1);
  char c = 0;
  const ssize_t got =
      read_one_byte_or_fail(reused, c, "the read waited for an edge of the closed socket");
  EXPECT_EQ(got, 1);
  EXPECT_EQ(c, 'y');
  tcp.server = ::socket(AF_INET, SOCK_STREAM, 0); // for the destructor to close
  ::close(reused);
  ::close(pipe_fds[1]);
}

// Many rounds of ping-pong with messages of every size up to the buffer:
// short reads of every length, and never a byte lost or a round hung.
TEST_F(ShortReadTest, PingPongOfEverySizeLosesNothing) {
  TcpPair tcp;
  constexpr std::size_t kBuffer = 256;
  GreenThread echo = evy::spawn([&] {
    char buffer[kBuffer];
    ssize_t n;
    while ((n = evy::green::recv(tcp.server, buffer, sizeof buffer, 0)) > 0)
      ASSERT_EQ(evy::green::send(tcp.server, buffer, static_cast<size_t>(n), 0), n);
  });
  for (std::size_t size = 1; size <= kBuffer; ++size) {
    const std::string message(size, static_cast<char>('a' + size % 26));
    ASSERT_EQ(evy::green::send(tcp.client, message.data(), size, 0), static_cast<ssize_t>(size));
    std::string back(size, '\0');
    ASSERT_EQ(evy::green::recv(tcp.client, &back[0], size, MSG_WAITALL), static_cast<ssize_t>(size));
    ASSERT_EQ(back, message);
  }
  ::shutdown(tcp.client, SHUT_WR);
  echo.join();
}

// Two OS threads (two hubs) take turns receiving on one TCP socket: what a
// short read on one hub recorded must not make the other wait for an edge
// its own epoll never registered.
TEST_F(ShortReadTest, TwoHubsTakingTurnsOnOneSocketLoseNothing) {
  TcpPair tcp;
  constexpr int kRounds = 200;
  std::atomic<int> turn{0}; // round number; even: thread 0 echoes it
  auto echo = [&](int parity) {
    for (int round = parity; round < kRounds; round += 2) {
      while (turn.load() != round)
        std::this_thread::yield();
      char buffer[64];
      const ssize_t n = evy::green::recv(tcp.server, buffer, sizeof buffer, 0);
      ASSERT_GT(n, 0);
      ASSERT_EQ(evy::green::send(tcp.server, buffer, static_cast<size_t>(n), 0), n);
      turn.store(round + 1);
    }
  };
  std::thread even(echo, 0), odd(echo, 1);
  for (int round = 0; round < kRounds; ++round) {
    const std::string message = "round " + std::to_string(round);
    // Sent before or after the echoing thread starts its receive, at random.
    if (round % 3 == 0)
      evy::sleep(1ms);
    ASSERT_EQ(evy::green::send(tcp.client, message.data(), message.size(), 0),
              static_cast<ssize_t>(message.size()));
    std::string back(message.size(), '\0');
    ASSERT_EQ(evy::green::recv(tcp.client, &back[0], back.size(), MSG_WAITALL),
              static_cast<ssize_t>(back.size()));
    ASSERT_EQ(back, message);
  }
  even.join();
  odd.join();
}

} // namespace
} // namespace evy::test
