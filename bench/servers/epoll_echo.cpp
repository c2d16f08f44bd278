// The hand-written anchor: an echo server as one would write it directly on
// epoll, one thread, non-blocking sockets, level-triggered. Same arguments
// and summary line as examples/echo_server.
//
// Built a second time as epoll_echo_buffers (EPOLL_ECHO_BUFFER_PER_CONNECTION):
// each connection receives into a 4,096-byte buffer of its own, as the
// thread-per-connection original (and so its greened version) does on each
// thread's stack. Then the two differ in the event loop alone, not in where
// the kernel copies the bytes: one buffer kept hot, or a thousand cold ones.
//
// usage: epoll_echo PORT [CONNECTIONS]
#include "listen_loopback.h" // examples/common: the servers' listening socket

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

#if defined(EPOLL_ECHO_BUFFER_PER_CONNECTION)
constexpr bool kBufferPerConnection = true;
#else
constexpr bool kBufferPerConnection = false;
#endif
constexpr std::size_t kConnectionBufferSize = 4096; // examples/echo_server's

struct Conn {
  std::string pending; // bytes read but not yet written back
  std::unique_ptr<char[]> buffer; // kBufferPerConnection only
};

void set_events(int epoll_fd, int fd, uint32_t events) {
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  epoll_ctl(epoll_fd, EPOLL_CTL_MOD, fd, &ev);
}

} // namespace

int main(int argc, char **argv) {
  int listener = listen_from_args("epoll_echo", argc, argv, "PORT [CONNECTIONS]", SOCK_NONBLOCK);
  long wanted = argc > 2 ? std::atol(argv[2]) : 0;

  int epoll_fd = epoll_create1(0);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = listener;
  epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listener, &ev);
  std::unordered_map<int, Conn> conns;
  long accepted = 0, closed = 0;
  long long bytes = 0;
  std::vector<epoll_event> events(1024);
  char buf[65536];
  while (wanted == 0 || closed < wanted) {
    int n = epoll_wait(epoll_fd, events.data(), static_cast<int>(events.size()), -1);
    for (int i = 0; i < n; ++i) {
      int fd = events[i].data.fd;
      if (fd == listener) {
        while (wanted == 0 || accepted < wanted) {
          int c = accept4(listener, nullptr, nullptr, SOCK_NONBLOCK);
          if (c < 0)
            break;
          ++accepted;
          conns[c];
          epoll_event cev{};
          cev.events = EPOLLIN;
          cev.data.fd = c;
          epoll_ctl(epoll_fd, EPOLL_CTL_ADD, c, &cev);
        }
        continue;
      }
      Conn &conn = conns[fd];
      bool dead = false;
      if (events[i].events & EPOLLOUT) {
        ssize_t w = send(fd, conn.pending.data(), conn.pending.size(), MSG_NOSIGNAL);
        if (w > 0)
          conn.pending.erase(0, w);
        else if (errno != EAGAIN)
          dead = true;
        if (!dead && conn.pending.empty())
          set_events(epoll_fd, fd, EPOLLIN);
      } else if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
        if (kBufferPerConnection && !conn.buffer)
          conn.buffer.reset(new char[kConnectionBufferSize]);
        char *into = kBufferPerConnection ? conn.buffer.get() : buf;
        ssize_t r = recv(fd, into, kBufferPerConnection ? kConnectionBufferSize : sizeof buf, 0);
        if (r <= 0) {
          dead = r == 0 || errno != EAGAIN;
        } else {
          bytes += r;
          ssize_t w = send(fd, into, r, MSG_NOSIGNAL);
          if (w < 0 && errno != EAGAIN) {
            dead = true;
          } else if (w < r) {
            conn.pending.assign(into + (w > 0 ? w : 0), r - (w > 0 ? w : 0));
            set_events(epoll_fd, fd, EPOLLOUT);
          }
        }
      }
      if (dead) {
        epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, nullptr);
        close(fd);
        conns.erase(fd);
        ++closed;
      }
    }
  }
  close(listener);
  std::printf("epoll_echo: %ld connections, %lld bytes echoed\n", closed, bytes);
  return 0;
}
