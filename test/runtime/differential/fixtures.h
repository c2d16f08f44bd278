// Building blocks of scenarios: fds closed through the run's own close,
// peers on helper OS threads, and signals delivered to a blocked call.
#pragma once

#include "../test_support.h"
#include "harness.h"

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace evy::diff {

// Fds owns a pair of fds and closes them with the run's close.
template <class Ops> struct Fds {
  int a = -1, b = -1;
  Fds() = default;
  Fds(int x, int y) : a(x), b(y) {}
  Fds(const Fds &) = delete;
  Fds &operator=(const Fds &) = delete;
  ~Fds() {
    close_a();
    close_b();
  }
  void close_a() {
    if (a >= 0)
      Ops::close(a);
    a = -1;
  }
  void close_b() {
    if (b >= 0)
      Ops::close(b);
    b = -1;
  }
};

// A connected AF_UNIX pair of `type`, made with the run's socketpair.
template <class Ops> struct SocketPair : Fds<Ops> {
  explicit SocketPair(int type = SOCK_STREAM) {
    int sv[2] = {-1, -1};
    if (Ops::socketpair(AF_UNIX, type, 0, sv) == 0) {
      this->a = sv[0];
      this->b = sv[1];
    }
  }
};

// A pipe (read end a, write end b): pipe() is no rule function.
template <class Ops> struct Pipe : Fds<Ops> {
  Pipe() {
    int p[2] = {-1, -1};
    if (::pipe(p) == 0) {
      this->a = p[0];
      this->b = p[1];
    }
  }
};

// A TCP listener on 127.0.0.1 and an ephemeral port.
template <class Ops> struct Listener {
  int fd = -1;
  sockaddr_in address{};
  explicit Listener(int type = SOCK_STREAM) : fd(Ops::socket(AF_INET, type, 0)) {
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) != 0 ||
        (type == SOCK_STREAM && ::listen(fd, 16) != 0))
      ADD_FAILURE() << "cannot set up a listener";
  }
  const sockaddr *addr() const { return reinterpret_cast<const sockaddr *>(&address); }
  ~Listener() {
    if (fd >= 0)
      Ops::close(fd);
  }
};

// Peer runs `body` on a helper OS thread (the other side of a scenario,
// with plain calls) and joins it when the scenario ends.
class Peer {
public:
  explicit Peer(std::function<void()> body) : thread_(std::move(body)) {}
  ~Peer() { thread_.join(); }

private:
  std::thread thread_;
};

// wait_blocked() returns once OS thread `tid` sleeps in the kernel: the
// call under test (or the hub that runs it) is waiting.
void wait_blocked(pid_t tid);

// SignalHandler installs a SIGUSR1 handler, with or without SA_RESTART,
// for the scenario's lifetime.
class SignalHandler {
public:
  explicit SignalHandler(bool restart);
  ~SignalHandler();
  // interrupt() waits until `tid` blocks, signals it and returns once the
  // handler has run.
  void interrupt(pid_t tid);

private:
  struct sigaction previous_ {};
};

// set_timeout() sets SO_RCVTIMEO or SO_SNDTIMEO (through the run's
// setsockopt) to `ms` milliseconds.
template <class Ops> int set_timeout(int fd, int option, int ms) {
  timeval tv{ms / 1000, (ms % 1000) * 1000};
  return Ops::setsockopt(fd, SOL_SOCKET, option, &tv, sizeof tv);
}

// fill() writes into fd (plain, non-blocking) until its buffers are full.
void fill(int fd);
// peer_read() reads like a blocking read, also from an fd the green run
// made non-blocking in the kernel (the peer is not green).
ssize_t peer_read(int fd, void *buf, size_t count);
// plain_write() writes text with the plain call, from any thread.
void plain_write(int fd, const std::string &text);
// flags_text() names the MSG_* flags a recvmsg reported.
std::string flags_text(int flags);

} // namespace evy::diff
