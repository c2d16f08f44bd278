// Green sockets: what the caller sees is the blocking original's behaviour.
#include "bounded_read.h"
#include "green_socket_pair.h"
#include "runtime_test.h"

#include <evy/patched/os.h>
#include <evy/patched/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

namespace evy::test {
namespace {

using namespace std::chrono_literals;
using SocketTest = RuntimeTest;
using Clock = std::chrono::steady_clock;

// A listening TCP socket on 127.0.0.1 and an ephemeral port.
struct Listener {
  int fd = -1;
  sockaddr_in address{};
  Listener() {
    fd = evy::green::socket(AF_INET, SOCK_STREAM, 0);
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 ||
        ::listen(fd, 128) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) != 0)
      ADD_FAILURE() << "cannot listen on 127.0.0.1: " << std::strerror(errno);
  }
  ~Listener() { evy::green::close(fd); }
  const sockaddr *addr() const { return reinterpret_cast<const sockaddr *>(&address); }
};

TEST_F(SocketTest, TcpEchoOverLoopbackInOneThread) {
  Listener listener;
  constexpr std::size_t kSize = 512 * 1024; // several socket buffers
  std::vector<char> message(kSize);
  for (std::size_t i = 0; i < kSize; ++i)
    message[i] = static_cast<char>(i % 251);
  GreenThread server = evy::spawn([&] {
    const int client = evy::green::accept(listener.fd, nullptr, nullptr);
    ASSERT_GE(client, 0);
    std::vector<char> buffer(65536);
    ssize_t n;
    while ((n = evy::green::recv(client, buffer.data(), buffer.size(), 0)) > 0)
      ASSERT_EQ(evy::green::send(client, buffer.data(), static_cast<size_t>(n), 0), n);
    evy::green::close(client);
  });
  const int fd = evy::green::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_EQ(evy::green::connect(fd, listener.addr(), sizeof listener.address), 0);
  std::vector<char> echoed(kSize);
  GreenThread reader = evy::spawn([&] {
    EXPECT_EQ(evy::green::recv(fd, echoed.data(), kSize, MSG_WAITALL), static_cast<ssize_t>(kSize));
  });
  EXPECT_EQ(evy::green::send(fd, message.data(), kSize, 0), static_cast<ssize_t>(kSize));
  reader.join();
  EXPECT_EQ(echoed, message);
  evy::green::shutdown(fd, SHUT_WR);
  server.join();
  evy::green::close(fd);
}

TEST_F(SocketTest, FcntlShowsTheCallersViewOfONonblock) {
  const int fd = evy::green::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(evy::green::fcntl(fd, F_GETFL) & O_NONBLOCK, 0); // as created
  EXPECT_NE(::fcntl(fd, F_GETFL) & O_NONBLOCK, 0);           // inside: non-blocking
  ASSERT_EQ(evy::green::fcntl(fd, F_SETFL, evy::green::fcntl(fd, F_GETFL) | O_NONBLOCK), 0);
  EXPECT_NE(evy::green::fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
  ASSERT_EQ(evy::green::fcntl(fd, F_SETFL, evy::green::fcntl(fd, F_GETFL) & ~O_NONBLOCK), 0);
  EXPECT_EQ(evy::green::fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
  EXPECT_NE(::fcntl(fd, F_GETFL) & O_NONBLOCK, 0); // still non-blocking inside
  const int copy = evy::green::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  ASSERT_GE(copy, 0);
  EXPECT_EQ(evy::green::fcntl(copy, F_GETFL) & O_NONBLOCK, 0);
  EXPECT_NE(evy::green::fcntl(copy, F_GETFD) & FD_CLOEXEC, 0); // other commands pass through
  evy::green::close(copy);
  evy::green::close(fd);
  const int nonblocking = evy::green::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  EXPECT_NE(evy::green::fcntl(nonblocking, F_GETFL) & O_NONBLOCK, 0);
  evy::green::close(nonblocking);
}

TEST_F(SocketTest, CallerNonblockingGivesEagainAtOnce) {
  GreenSocketPair pair;
  ASSERT_EQ(evy::green::fcntl(pair.sv[0], F_SETFL, O_NONBLOCK), 0);
  bool other_ran = false;
  GreenThread other = evy::spawn([&] { other_ran = true; });
  char c;
  errno = 0;
  EXPECT_EQ(evy::green::recv(pair.sv[0], &c, 1, 0), -1);
  EXPECT_EQ(errno, EAGAIN);
  errno = 0;
  EXPECT_EQ(evy::green::accept(pair.sv[0], nullptr, nullptr), -1); // not listening
  EXPECT_EQ(errno, EINVAL);
  EXPECT_FALSE(other_ran); // no wait happened
  other.join();
  // MSG_DONTWAIT on a blocking socket: the same, for that call only.
  errno = 0;
  EXPECT_EQ(evy::green::recv(pair.sv[1], &c, 1, MSG_DONTWAIT), -1);
  EXPECT_EQ(errno, EAGAIN);
}

TEST_F(SocketTest, SoRcvtimeoGivesEagainAfterTheTimeout) {
  GreenSocketPair pair;
  const timeval timeout{0, 50000};
  ASSERT_EQ(evy::green::setsockopt(pair.sv[0], SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout),
            0);
  timeval read_back{};
  socklen_t length = sizeof read_back;
  ASSERT_EQ(evy::green::getsockopt(pair.sv[0], SOL_SOCKET, SO_RCVTIMEO, &read_back, &length), 0);
  EXPECT_GE(read_back.tv_usec, 50000); // the kernel may round up to its tick
  Ticker ticker(1ms);
  const auto start = Clock::now();
  char c;
  errno = 0;
  EXPECT_EQ(evy::green::recv(pair.sv[0], &c, 1, 0), -1);
  EXPECT_EQ(errno, EAGAIN);
  EXPECT_GE(elapsed_since(start), 50ms);
  EXPECT_GE(ticker.stop(), 2); // it woke from a sleep while the other fiber waited
}

TEST_F(SocketTest, SoRcvtimeoBoundsAcceptAndSoSndtimeoBoundsSend) {
  Listener listener;
  const timeval timeout{0, 30000};
  ASSERT_EQ(evy::green::setsockopt(listener.fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout),
            0);
  errno = 0;
  EXPECT_EQ(evy::green::accept(listener.fd, nullptr, nullptr), -1);
  EXPECT_EQ(errno, EAGAIN);

  GreenSocketPair pair;
  ASSERT_EQ(evy::green::setsockopt(pair.sv[0], SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout),
            0);
  std::vector<char> big(8 << 20); // far beyond the socket buffer; nobody reads
  const ssize_t sent = evy::green::send(pair.sv[0], big.data(), big.size(), 0);
  // Like the kernel's: a partial count once some bytes went, else EAGAIN.
  EXPECT_GT(sent, 0);
  EXPECT_LT(sent, static_cast<ssize_t>(big.size()));
  errno = 0;
  EXPECT_EQ(evy::green::send(pair.sv[0], big.data(), big.size(), 0), -1);
  EXPECT_EQ(errno, EAGAIN);
}

TEST_F(SocketTest, CloseWakesAWaitingFiberWithEbadf) {
  GreenSocketPair pair;
  ssize_t result = 0;
  int error = 0;
  GreenThread reader = evy::spawn([&] {
    char c;
    result = evy::green::recv(pair.sv[0], &c, 1, 0);
    error = errno;
  });
  GreenThread closer = evy::spawn([&] {
    evy::sleep(20ms);
    EXPECT_EQ(evy::green::close(pair.sv[0]), 0);
    pair.sv[0] = -1;
  });
  reader.join();
  closer.join();
  EXPECT_EQ(result, -1);
  EXPECT_EQ(error, EBADF);
}

TEST_F(SocketTest, BlockingConnectReportsRefusalAndNonblockingConnectInProgress) {
  int refused_port;
  {
    Listener closed; // bound then closed: nobody listens there any more
    refused_port = closed.address.sin_port;
  }
  sockaddr_in nowhere{};
  nowhere.sin_family = AF_INET;
  nowhere.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  nowhere.sin_port = static_cast<in_port_t>(refused_port);
  const int blocking = evy::green::socket(AF_INET, SOCK_STREAM, 0);
  errno = 0;
  EXPECT_EQ(evy::green::connect(blocking, reinterpret_cast<sockaddr *>(&nowhere), sizeof nowhere),
            -1);
  EXPECT_EQ(errno, ECONNREFUSED);
  evy::green::close(blocking);

  Listener listener;
  const int fd = evy::green::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  const int rc = evy::green::connect(fd, listener.addr(), sizeof listener.address);
  if (rc != 0) {
    EXPECT_EQ(errno, EINPROGRESS);
    pollfd writable{fd, POLLOUT, 0};
    EXPECT_EQ(::poll(&writable, 1, 5000), 1);
  }
  int error = -1;
  socklen_t length = sizeof error;
  EXPECT_EQ(evy::green::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length), 0);
  EXPECT_EQ(error, 0);
  const int accepted = evy::green::accept4(listener.fd, nullptr, nullptr, SOCK_CLOEXEC);
  EXPECT_GE(accepted, 0);
  EXPECT_EQ(evy::green::fcntl(accepted, F_GETFL) & O_NONBLOCK, 0);
  evy::green::close(accepted);
  evy::green::close(fd);
}

TEST_F(SocketTest, DatagramsKeepTheirBoundaries) {
  GreenSocketPair pair(SOCK_DGRAM);
  GreenThread sender = evy::spawn([&] {
    evy::sleep(5ms);
    EXPECT_EQ(evy::green::sendto(pair.sv[1], "one", 3, 0, nullptr, 0), 3);
    msghdr message{};
    char two[] = "two";
    iovec piece{two, 3};
    message.msg_iov = &piece;
    message.msg_iovlen = 1;
    EXPECT_EQ(evy::green::sendmsg(pair.sv[1], &message, 0), 3);
  });
  char buffer[16];
  EXPECT_EQ(evy::green::recvfrom(pair.sv[0], buffer, sizeof buffer, 0, nullptr, nullptr), 3);
  iovec into{buffer, sizeof buffer};
  msghdr message{};
  message.msg_iov = &into;
  message.msg_iovlen = 1;
  EXPECT_EQ(evy::green::recvmsg(pair.sv[0], &message, 0), 3);
  EXPECT_EQ(std::string(buffer, 3), "two");
  sender.join();
}

// 10,000 fibers in one OS thread, each with its own end of a socketpair:
// pingers and pongers in pairs (10,000 fds; the test host allows 20,000).
// Every fiber checks, before and after each of its waits, that it runs on
// this test's OS thread, and no hub may appear while they run.
TEST_F(SocketTest, TenThousandFibersPingPongInOneThread) {
  constexpr int kFibers = kManyFibers;
  constexpr int kPairs = kFibers / 2;
  constexpr int kRounds = 3;
  std::vector<GreenSocketPair> pairs(kPairs);
  int completed = 0, bad = 0;
  const std::thread::id this_thread = std::this_thread::get_id();
  std::atomic<int> elsewhere{0};
  std::atomic<std::size_t> most_hubs{0};
  // on_this_thread() counts a fiber found on another OS thread, and notes
  // how many hubs exist while the fibers run.
  auto on_this_thread = [&] {
    if (std::this_thread::get_id() != this_thread)
      ++elsewhere;
    const std::size_t hubs = evy::runtime_stats().hubs;
    std::size_t seen = most_hubs.load();
    while (hubs > seen && !most_hubs.compare_exchange_weak(seen, hubs)) {
    }
  };
  std::vector<GreenThread> fibers;
  fibers.reserve(kFibers);
  for (int i = 0; i < kPairs; ++i) {
    const int ping_fd = pairs[i].sv[0], pong_fd = pairs[i].sv[1];
    ASSERT_GE(ping_fd, 0) << "out of fds at pair " << i;
    fibers.push_back(evy::spawn([&, ping_fd, i] {
      on_this_thread();
      for (int round = 0; round < kRounds; ++round) {
        const int sent = i * kRounds + round;
        int answer = -1;
        if (evy::green::send(ping_fd, &sent, sizeof sent, 0) != sizeof sent ||
            evy::green::recv(ping_fd, &answer, sizeof answer, MSG_WAITALL) != sizeof answer ||
            answer != sent + 1)
          ++bad;
        on_this_thread();
      }
      ++completed;
    }));
    fibers.push_back(evy::spawn([&, pong_fd] {
      on_this_thread();
      for (int round = 0; round < kRounds; ++round) {
        int value = 0;
        if (evy::green::recv(pong_fd, &value, sizeof value, MSG_WAITALL) != sizeof value) {
          ++bad;
          return;
        }
        on_this_thread();
        ++value;
        evy::green::send(pong_fd, &value, sizeof value, 0);
      }
      ++completed;
    }));
  }
  // The fibers have not run yet (spawn only queues them); this thread's hub
  // exists (spawn made it). Running them must not make another one.
  const std::size_t hubs_before = evy::runtime_stats().hubs;
  EXPECT_EQ(completed, 0);
  for (GreenThread &fiber : fibers)
    fiber.join();
  EXPECT_EQ(completed, kFibers);
  EXPECT_EQ(bad, 0);
  EXPECT_EQ(elsewhere, 0) << "fibers ran on another OS thread";
  EXPECT_GE(most_hubs, 1u);
  EXPECT_LE(most_hubs, hubs_before) << "a hub was made while the fibers ran";
}

// A reader and a writer fiber parked on one socket at once: each wakes for
// its own direction (fds are registered once, edge-triggered, for both).
// A green socket closed behind the runtime's back (unrewritten ::close), its
// number reused by a pipe the runtime did not create: a green read that
// waits must register the new fd with epoll again (the old registration went
// with the old socket), so data arriving later wakes it. Trusting the old
// registration would wait for ever (a wait after EAGAIN trusts it for
// 100 to 200 ms only: registration_sweep.h). (Until the runtime looks at the new fd,
// it keeps the old one's caller view, blocking: docs/runtime.md.)
TEST_F(SocketTest, AWaitOnAnFdReusedBehindTheRuntimesBackStillWakes) {
  int sv[2];
  ASSERT_EQ(evy::green::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  GreenThread writer = evy::spawn([&] {
    evy::sleep(10ms);
    EXPECT_EQ(evy::green::send(sv[1], "x", 1, 0), 1);
  });
  char c = 0;
  ASSERT_EQ(evy::green::recv(sv[0], &c, 1, 0), 1); // sv[0] waited: registered in epoll
  writer.join();
  const int reused = sv[0];
  ::close(sv[0]); // behind the runtime's back
  ::close(sv[1]);
  int pipe_fds[2];
  ASSERT_EQ(::pipe2(pipe_fds, O_NONBLOCK), 0);
  int read_end = pipe_fds[0];
  if (read_end != reused) { // make the reuse certain
    ASSERT_EQ(::dup3(read_end, reused, 0), reused);
    ::close(read_end);
    read_end = reused;
  }
  GreenThread feeder = evy::spawn([&] {
    evy::sleep(20ms);
    EXPECT_EQ(::write(pipe_fds[1], "y", 1), 1);
  });
  const ssize_t got = read_one_byte_or_fail(read_end, c, "the read waited on a stale registration");
  feeder.join();
  EXPECT_EQ(got, 1);
  EXPECT_EQ(c, 'y');
  ::close(read_end);
  ::close(pipe_fds[1]);
}

// A wait after EAGAIN on a socket its hub registered before makes no
// epoll_ctl; one that lasts past the runtime's check of that registration
// (after 100 to 200 ms: registration_sweep.h) must go on waiting: for data
// that comes later, and for its SO_RCVTIMEO, which still ends it with
// EAGAIN no sooner.
TEST_F(SocketTest, AWaitOnARegisteredSocketOutlastsItsRegistrationCheck) {
  GreenSocketPair pair;
  char c = 0;
  for (char sent : {'a', 'b'}) { // the first wait registers, the second trusts
    GreenThread writer = evy::spawn([&] {
      evy::sleep(250ms); // past the check, whatever the sweep's phase
      EXPECT_EQ(evy::green::send(pair.sv[1], &sent, 1, 0), 1);
    });
    EXPECT_EQ(evy::green::recv(pair.sv[0], &c, 1, 0), 1);
    EXPECT_EQ(c, sent);
    writer.join();
  }
  const timeval timeout{0, 250000};
  ASSERT_EQ(evy::green::setsockopt(pair.sv[0], SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout),
            0);
  const auto start = Clock::now();
  errno = 0;
  EXPECT_EQ(evy::green::recv(pair.sv[0], &c, 1, 0), -1);
  EXPECT_EQ(errno, EAGAIN);
  EXPECT_GE(elapsed_since(start), 250ms);
}

TEST_F(SocketTest, AReaderAndAWriterWaitOnOneSocketAtOnce) {
  GreenSocketPair pair;
  int small = 4096;
  ASSERT_EQ(::setsockopt(pair.sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof small), 0);
  std::vector<char> filler(64 * 1024, 'f');
  std::size_t queued = 0;
  for (ssize_t n; (n = evy::green::send(pair.sv[0], filler.data(), filler.size(), MSG_DONTWAIT)) > 0;)
    queued += static_cast<std::size_t>(n);
  ASSERT_GT(queued, 0u);
  ssize_t got = 0, sent = 0;
  char c = 0;
  GreenThread reader = evy::spawn([&] { got = evy::green::recv(pair.sv[0], &c, 1, 0); });
  GreenThread writer = evy::spawn(
      [&] { sent = evy::green::send(pair.sv[0], filler.data(), filler.size(), 0); });
  evy::sleep(20ms); // both park
  EXPECT_EQ(evy::green::send(pair.sv[1], "r", 1, 0), 1);
  reader.join();
  EXPECT_EQ(got, 1);
  EXPECT_EQ(c, 'r');
  // Drain everything: the writer wakes as room appears and completes.
  std::vector<char> sink(queued + filler.size());
  EXPECT_EQ(evy::green::recv(pair.sv[1], sink.data(), sink.size(), MSG_WAITALL),
            static_cast<ssize_t>(sink.size()));
  writer.join();
  EXPECT_EQ(sent, static_cast<ssize_t>(filler.size()));
}

// Readiness reported while no fiber waits (the hub saw the edge and had no
// one to wake) still ends a later wait_fd on the fd at once.
TEST_F(SocketTest, ReadinessSeenWhileNobodyWaitedIsNotLost) {
  GreenSocketPair pair;
  char c = 0;
  GreenThread first = evy::spawn([&] { EXPECT_EQ(evy::green::recv(pair.sv[0], &c, 1, 0), 1); });
  evy::yield(); // the reader registers the fd and parks
  EXPECT_EQ(evy::green::send(pair.sv[1], "a", 1, 0), 1);
  first.join();
  EXPECT_EQ(evy::green::send(pair.sv[1], "b", 1, 0), 1);
  for (int i = 0; i < 32; ++i)
    evy::yield(); // the hub polls epoll and finds the edge for nobody
  EXPECT_EQ(evy::wait_fd(pair.sv[0], POLLIN, evy::deadline_after(std::chrono::seconds(30))),
            evy::FdWaitResult::ready);
  EXPECT_EQ(evy::green::recv(pair.sv[0], &c, 1, MSG_DONTWAIT), 1);
  EXPECT_EQ(c, 'b');
}

// Two OS threads (two hubs) ping-pong over a socket pair: each side's
// readiness arrives at any moment, also between its EAGAIN and its wait.
TEST_F(SocketTest, PingPongBetweenTwoThreadsLosesNoWakeUp) {
  GreenSocketPair pair;
  constexpr int kRounds = 20000;
  int bad = 0;
  std::thread other([&] {
    for (int i = 0; i < kRounds; ++i) {
      int value = 0;
      if (evy::green::recv(pair.sv[1], &value, sizeof value, MSG_WAITALL) != sizeof value ||
          value != i || evy::green::send(pair.sv[1], &value, sizeof value, 0) != sizeof value) {
        ++bad;
        return;
      }
    }
  });
  for (int i = 0; i < kRounds; ++i) {
    int value = -1;
    ASSERT_EQ(evy::green::send(pair.sv[0], &i, sizeof i, 0), static_cast<ssize_t>(sizeof i));
    ASSERT_EQ(evy::green::recv(pair.sv[0], &value, sizeof value, MSG_WAITALL),
              static_cast<ssize_t>(sizeof value));
    ASSERT_EQ(value, i);
  }
  other.join();
  EXPECT_EQ(bad, 0);
}

// One fd waited on from several hubs in turn, including a hub that is gone
// (its thread exited) by the time the fd is waited on again.
TEST_F(SocketTest, OneFdWaitedOnFromSeveralHubsInTurn) {
  GreenSocketPair pair;
  const auto wait_in_thread = [&](char expected) {
    char got = 0;
    std::thread reader([&] { evy::green::recv(pair.sv[0], &got, 1, 0); });
    evy::sleep(20ms); // the reader's hub registers the fd and parks
    EXPECT_EQ(evy::green::send(pair.sv[1], &expected, 1, 0), 1);
    reader.join();
    EXPECT_EQ(got, expected);
  };
  const auto wait_here = [&](char expected) {
    char got = 0;
    GreenThread sender = evy::spawn([&] {
      evy::sleep(20ms);
      EXPECT_EQ(evy::green::send(pair.sv[1], &expected, 1, 0), 1);
    });
    EXPECT_EQ(evy::green::recv(pair.sv[0], &got, 1, 0), 1);
    sender.join();
    EXPECT_EQ(got, expected);
  };
  wait_here('a');
  wait_in_thread('b');
  wait_here('c');
  wait_here('d');
  wait_in_thread('e');
  wait_in_thread('f');
  wait_here('g');
}

} // namespace
} // namespace evy::test
