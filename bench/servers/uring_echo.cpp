// The io_uring prototype (issue 13): the echo server of epoll_echo.cpp, one
// thread, written on io_uring completions instead of readiness: every
// connection always has one recv or one send in flight, the way a fiber
// runtime with an io_uring backend would submit a parked fiber's call. It
// measures whether submitting through io_uring beats epoll on this kernel
// before anyone builds a backend (docs/results-servers.md). Same arguments
// and summary line as epoll_echo.
//
// usage: uring_echo PORT [CONNECTIONS]
#include "listen_loopback.h" // examples/common: the servers' listening socket

#include <liburing.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <unordered_map>

namespace {

constexpr unsigned kQueueDepth = 4096;
constexpr std::size_t kBufferSize = 65536;
constexpr std::uint64_t kAcceptTag = 0; // user_data of the accept

struct Conn {
  int fd;
  bool sending = false;
  std::size_t filled = 0, sent = 0;
  char buf[kBufferSize];
};

io_uring ring;

io_uring_sqe *next_sqe() {
  io_uring_sqe *sqe = io_uring_get_sqe(&ring);
  if (sqe == nullptr) { // full: hand what is queued to the kernel
    io_uring_submit(&ring);
    sqe = io_uring_get_sqe(&ring);
  }
  return sqe;
}

void submit_recv(Conn &c) {
  io_uring_sqe *sqe = next_sqe();
  io_uring_prep_recv(sqe, c.fd, c.buf, kBufferSize, 0);
  io_uring_sqe_set_data(sqe, &c);
}

void submit_send(Conn &c) {
  io_uring_sqe *sqe = next_sqe();
  io_uring_prep_send(sqe, c.fd, c.buf + c.sent, c.filled - c.sent, MSG_NOSIGNAL);
  io_uring_sqe_set_data(sqe, &c);
}

void submit_accept(int listener) {
  io_uring_sqe *sqe = next_sqe();
  io_uring_prep_accept(sqe, listener, nullptr, nullptr, 0);
  io_uring_sqe_set_data64(sqe, kAcceptTag);
}

// completed() advances one connection; false when it ended.
bool completed(Conn &c, int result) {
  if (result <= 0)
    return false;
  if (!c.sending) {
    c.filled = static_cast<std::size_t>(result);
    c.sent = 0;
    c.sending = true;
    submit_send(c);
    return true;
  }
  c.sent += static_cast<std::size_t>(result);
  if (c.sent < c.filled) {
    submit_send(c);
    return true;
  }
  c.sending = false;
  submit_recv(c);
  return true;
}

} // namespace

int main(int argc, char **argv) {
  // The ring is set up first, so that "listening" is printed only once it is.
  io_uring_params params{};
  params.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
  if (const int err = io_uring_queue_init_params(kQueueDepth, &ring, &params); err < 0) {
    std::fprintf(stderr, "uring_echo: io_uring_queue_init: %s\n", std::strerror(-err));
    return 1;
  }
  const int listener = listen_from_args("uring_echo", argc, argv, "PORT [CONNECTIONS]");
  const long wanted = argc > 2 ? std::atol(argv[2]) : 0;

  std::unordered_map<int, std::unique_ptr<Conn>> conns;
  long accepted = 0, closed = 0;
  submit_accept(listener);
  while (wanted == 0 || closed < wanted) {
    io_uring_submit_and_wait(&ring, 1);
    io_uring_cqe *cqe;
    unsigned head, seen = 0;
    io_uring_for_each_cqe(&ring, head, cqe) {
      ++seen;
      if (io_uring_cqe_get_data64(cqe) == kAcceptTag) {
        if (cqe->res >= 0) {
          auto c = std::make_unique<Conn>();
          c->fd = cqe->res;
          submit_recv(*c);
          conns.emplace(c->fd, std::move(c));
          ++accepted;
        }
        if (wanted == 0 || accepted < wanted)
          submit_accept(listener);
        continue;
      }
      Conn &c = *static_cast<Conn *>(io_uring_cqe_get_data(cqe));
      if (!completed(c, cqe->res)) {
        close(c.fd);
        conns.erase(c.fd);
        ++closed;
      }
    }
    io_uring_cq_advance(&ring, seen);
  }
  io_uring_queue_exit(&ring);
  close(listener);
  std::printf("uring_echo: %ld connections\n", closed);
  return 0;
}
