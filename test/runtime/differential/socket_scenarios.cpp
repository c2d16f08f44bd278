// socket/socketpair/accept/connect/close/shutdown/fcntl/sockopts.
#include "fixtures.h"

#include <sys/un.h>

namespace evy::diff {
namespace {

template <class Ops> void log_fd_flags(Log &log, const char *what, int fd) {
  const int fl = Ops::fcntl(fd, F_GETFL);
  log.note(std::string(what) + " O_NONBLOCK", fl < 0 ? -1 : (fl & O_NONBLOCK) != 0);
  log.note(std::string(what) + " FD_CLOEXEC", Ops::fcntl(fd, F_GETFD));
}

EVY_SCENARIO(socket_creation, "socket socketpair fcntl close") {
  log.ret("socket bad type", Ops::socket(AF_INET, 9999, 0));
  log.ret("socket bad domain", Ops::socket(12345, SOCK_STREAM, 0));
  log.ret("socket bad protocol", Ops::socket(AF_INET, SOCK_STREAM, 99));
  const int plain = Ops::socket(AF_INET, SOCK_STREAM, 0);
  log_fd_flags<Ops>(log, "socket", plain);
  const int flagged = Ops::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  log_fd_flags<Ops>(log, "socket nonblock cloexec", flagged);
  log.ret("close", Ops::close(plain));
  log.ret("close", Ops::close(flagged));
  log.ret("close again", Ops::close(flagged));
  log.ret("close -1", Ops::close(-1));
  int sv[2];
  log.ret("socketpair AF_INET", Ops::socketpair(AF_INET, SOCK_STREAM, 0, sv));
  log.ret("socketpair null", Ops::socketpair(AF_UNIX, SOCK_STREAM, 0, nullptr));
  for (int type : {int(SOCK_STREAM), int(SOCK_DGRAM), SOCK_SEQPACKET | SOCK_NONBLOCK}) {
    log.ret("socketpair", Ops::socketpair(AF_UNIX, type, 0, sv));
    log_fd_flags<Ops>(log, "pair", sv[0]);
    Ops::close(sv[0]);
    Ops::close(sv[1]);
  }
}

EVY_SCENARIO(accept_errors, "accept accept4 socket") {
  log.ret("accept -1", Ops::accept(-1, nullptr, nullptr));
  Pipe<Ops> pipe;
  log.ret("accept pipe", Ops::accept(pipe.a, nullptr, nullptr));
  const int unbound = Ops::socket(AF_INET, SOCK_STREAM, 0);
  log.ret("accept not listening", Ops::accept(unbound, nullptr, nullptr));
  Ops::close(unbound);
  log.ret("accept closed fd", Ops::accept(unbound, nullptr, nullptr));
  Listener<Ops> l;
  log.ret("accept4 bad flags", Ops::accept4(l.fd, nullptr, nullptr, 0x40000000));
  const int flags = Ops::fcntl(l.fd, F_GETFL);
  Ops::fcntl(l.fd, F_SETFL, flags | O_NONBLOCK);
  log.ret("accept nonblocking", Ops::accept(l.fd, nullptr, nullptr));
  Ops::fcntl(l.fd, F_SETFL, flags);
  set_timeout<Ops>(l.fd, SO_RCVTIMEO, 20);
  log.ret("accept with SO_RCVTIMEO", Ops::accept(l.fd, nullptr, nullptr));
  const int client = Ops::socket(AF_INET, SOCK_STREAM, 0);
  Ops::connect(client, l.addr(), sizeof l.address);
  socklen_t length = sizeof(sockaddr_in);
  log.ret("accept4 bad address", Ops::accept4(l.fd, reinterpret_cast<sockaddr *>(8), &length, 0));
  Ops::close(client);
}

EVY_SCENARIO(accept_and_connect, "accept accept4 connect socket fcntl") {
  Listener<Ops> l;
  const int c1 = Ops::socket(AF_INET, SOCK_STREAM, 0);
  log.ret("connect", Ops::connect(c1, l.addr(), sizeof l.address));
  log.ret("connect again", Ops::connect(c1, l.addr(), sizeof l.address));
  sockaddr_in from{};
  socklen_t length = 2; // too short: truncated, the real length reported
  const int a1 = Ops::accept(l.fd, reinterpret_cast<sockaddr *>(&from), &length);
  log.note("accepted", a1 >= 0);
  log.note("address length", length);
  log_fd_flags<Ops>(log, "accepted", a1);
  const int c2 = Ops::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  log.ret("connect nonblocking", Ops::connect(c2, l.addr(), sizeof l.address));
  length = sizeof from;
  const int a2 = Ops::accept4(l.fd, reinterpret_cast<sockaddr *>(&from), &length,
                              SOCK_NONBLOCK | SOCK_CLOEXEC);
  log.note("family", from.sin_family);
  log_fd_flags<Ops>(log, "accept4ed", a2);
  for (int fd : {c1, a1, c2, a2})
    Ops::close(fd);
}

EVY_SCENARIO(connect_errors, "connect socket close") {
  sockaddr_in nowhere{};
  nowhere.sin_family = AF_INET;
  nowhere.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  {
    Listener<Ops> l; // a port that was just free: nothing listens there now
    nowhere.sin_port = l.address.sin_port;
  }
  const auto *to = reinterpret_cast<const sockaddr *>(&nowhere);
  log.ret("connect -1", Ops::connect(-1, to, sizeof nowhere));
  int s = Ops::socket(AF_INET, SOCK_STREAM, 0);
  log.ret("connect refused", Ops::connect(s, to, sizeof nowhere));
  log.ret("connect short address", Ops::connect(s, to, 2));
  log.ret("connect bad address", Ops::connect(s, reinterpret_cast<const sockaddr *>(8), 16));
  Ops::close(s);
  log.ret("connect closed fd", Ops::connect(s, to, sizeof nowhere));
  s = Ops::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un path{};
  path.sun_family = AF_UNIX;
  std::snprintf(path.sun_path, sizeof path.sun_path, "/nonexistent/evy.sock");
  log.ret("connect missing path",
          Ops::connect(s, reinterpret_cast<const sockaddr *>(&path), sizeof path));
  Ops::close(s);
  Pipe<Ops> pipe;
  log.ret("connect pipe", Ops::connect(pipe.a, to, sizeof nowhere));
}

EVY_SCENARIO(shutdown_cases, "shutdown recv socket") {
  log.ret("shutdown -1", Ops::shutdown(-1, SHUT_RDWR));
  const int tcp = Ops::socket(AF_INET, SOCK_STREAM, 0);
  log.ret("shutdown unconnected", Ops::shutdown(tcp, SHUT_RDWR));
  Ops::close(tcp);
  SocketPair<Ops> p;
  log.ret("shutdown bad how", Ops::shutdown(p.a, 7));
  log.ret("shutdown write", Ops::shutdown(p.a, SHUT_WR));
  char buf[4];
  log.ret("peer reads eof", peer_read(p.b, buf, sizeof buf));
  Peer peer([&, tid = log.tid] {
    wait_blocked(tid);
    ::shutdown(p.a, SHUT_RD);
  });
  log.ret("recv woken by shutdown", Ops::recv(p.a, buf, sizeof buf, 0));
}

EVY_SCENARIO(fcntl_cases, "fcntl close") {
  SocketPair<Ops> p;
  log.ret("F_GETFL", Ops::fcntl(p.a, F_GETFL) & (O_NONBLOCK | O_RDWR | O_APPEND));
  log.ret("F_SETFL O_NONBLOCK", Ops::fcntl(p.a, F_SETFL, O_NONBLOCK));
  log.ret("F_GETFL", Ops::fcntl(p.a, F_GETFL) & (O_NONBLOCK | O_RDWR));
  const int copy = Ops::fcntl(p.a, F_DUPFD_CLOEXEC, 100);
  log.note("dup at least 100", copy >= 100);
  log.ret("dup F_GETFL", Ops::fcntl(copy, F_GETFL) & O_NONBLOCK);
  log.ret("dup F_GETFD", Ops::fcntl(copy, F_GETFD));
  log.ret("F_SETFL 0 on dup", Ops::fcntl(copy, F_SETFL, 0));
  log.ret("original F_GETFL", Ops::fcntl(p.a, F_GETFL) & O_NONBLOCK);
  Ops::close(copy);
  log.ret("F_SETFD", Ops::fcntl(p.a, F_SETFD, FD_CLOEXEC));
  log.ret("F_GETFD", Ops::fcntl(p.a, F_GETFD));
  log.ret("F_GETFL -1", Ops::fcntl(-1, F_GETFL));
  log.ret("F_SETFL closed", Ops::fcntl(copy, F_SETFL, O_NONBLOCK));
  log.ret("bad command", Ops::fcntl(p.a, 12345));
  log.ret("F_DUPFD negative", Ops::fcntl(p.a, F_DUPFD, -1));
  Pipe<Ops> pipe;
  log.ret("pipe F_GETFL", Ops::fcntl(pipe.a, F_GETFL) & (O_NONBLOCK | O_ACCMODE));
  log.ret("pipe F_SETFL", Ops::fcntl(pipe.a, F_SETFL, O_NONBLOCK));
  char c;
  log.ret("read nonblocking pipe", ::read(pipe.a, &c, 1));
}

EVY_SCENARIO(socket_options, "setsockopt getsockopt") {
  SocketPair<Ops> p;
  timeval tv{};
  socklen_t length = sizeof tv;
  log.ret("get SO_RCVTIMEO", Ops::getsockopt(p.a, SOL_SOCKET, SO_RCVTIMEO, &tv, &length));
  log.note("timeout", std::to_string(tv.tv_sec) + "." + std::to_string(tv.tv_usec));
  tv = {1, 500000};
  log.ret("set SO_RCVTIMEO", Ops::setsockopt(p.a, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
  log.ret("set short", Ops::setsockopt(p.a, SOL_SOCKET, SO_RCVTIMEO, &tv, 2));
  tv = {0, 2000000};
  log.ret("set bad usec", Ops::setsockopt(p.a, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv));
  tv = {};
  log.ret("get SO_RCVTIMEO", Ops::getsockopt(p.a, SOL_SOCKET, SO_RCVTIMEO, &tv, &length));
  log.note("timeout", std::to_string(tv.tv_sec) + "." + std::to_string(tv.tv_usec));
  int value = 0;
  length = sizeof value;
  log.ret("get SO_TYPE", Ops::getsockopt(p.a, SOL_SOCKET, SO_TYPE, &value, &length));
  log.note("type", value);
  log.ret("get SO_ERROR", Ops::getsockopt(p.a, SOL_SOCKET, SO_ERROR, &value, &length));
  log.ret("get bad level", Ops::getsockopt(p.a, 9999, SO_TYPE, &value, &length));
  log.ret("get bad length", Ops::getsockopt(p.a, SOL_SOCKET, SO_TYPE, &value, nullptr));
  log.ret("set -1", Ops::setsockopt(-1, SOL_SOCKET, SO_REUSEADDR, &value, sizeof value));
  Pipe<Ops> pipe;
  log.ret("get pipe", Ops::getsockopt(pipe.a, SOL_SOCKET, SO_TYPE, &value, &length));
  log.ret("set pipe", Ops::setsockopt(pipe.a, SOL_SOCKET, SO_REUSEADDR, &value, sizeof value));
}

} // namespace
} // namespace evy::diff
