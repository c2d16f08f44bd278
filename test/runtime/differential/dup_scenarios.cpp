// dup/dup2/dup3/F_DUPFD and close_range: O_NONBLOCK belongs to the open
// file description, which every copy shares, so F_SETFL through one copy
// decides whether a call through another returns EAGAIN or waits.
#include "fixtures.h"

#include <fcntl.h>

namespace evy::diff {
namespace {

// nonblocking() logs whether F_GETFL shows O_NONBLOCK on fd.
template <class Ops> void nonblocking(Log &log, const char *what, int fd) {
  const int flags = Ops::fcntl(fd, F_GETFL);
  log.ret(what, flags < 0 ? flags : flags & O_NONBLOCK);
}

// recv_blocking() receives on fd while a peer writes to `writer` only
// once the call waits: the call must block, then get the byte.
template <class Ops> void recv_blocking(Log &log, const char *what, int fd, int writer) {
  Peer peer([&, tid = log.tid] {
    wait_blocked(tid);
    plain_write(writer, "x");
  });
  char c;
  log.ret(what, Ops::recv(fd, &c, 1, 0));
}

template <class Ops> void read_blocking(Log &log, const char *what, int fd, int writer) {
  Peer peer([&, tid = log.tid] {
    wait_blocked(tid);
    plain_write(writer, "x");
  });
  char c;
  log.ret(what, Ops::read(fd, &c, 1));
}

EVY_SCENARIO(dup_shares_nonblocking, "dup fcntl recv close") {
  SocketPair<Ops> p;
  char c;
  const int copy = Ops::dup(p.a);
  log.note("dup made a new fd", copy >= 0 && copy != p.a);
  log.ret("F_SETFL O_NONBLOCK on the dup", Ops::fcntl(copy, F_SETFL, O_NONBLOCK));
  nonblocking<Ops>(log, "original F_GETFL", p.a);
  log.ret("recv on the original", Ops::recv(p.a, &c, 1, 0));
  log.ret("F_SETFL 0 on the original", Ops::fcntl(p.a, F_SETFL, 0));
  nonblocking<Ops>(log, "dup F_GETFL", copy);
  recv_blocking<Ops>(log, "recv on the dup waits", copy, p.b);
  Ops::close(copy);
  nonblocking<Ops>(log, "original after the dup closed", p.a);
  log.ret("dup of a closed fd", Ops::dup(copy));
}

EVY_SCENARIO(dup2_dup3_dupfd_share_nonblocking, "dup2 dup3 fcntl recv close") {
  SocketPair<Ops> p, q;
  char c;
  const int high = Ops::fcntl(p.a, F_DUPFD_CLOEXEC, 300);
  log.note("F_DUPFD_CLOEXEC at least 300", high >= 300);
  log.ret("F_SETFL O_NONBLOCK on the original", Ops::fcntl(p.a, F_SETFL, O_NONBLOCK));
  log.ret("recv on the F_DUPFD copy", Ops::recv(high, &c, 1, 0));
  // q.a, non-blocking, is replaced by a copy of p.a: it takes p.a's state.
  Ops::fcntl(q.a, F_SETFL, O_NONBLOCK);
  log.ret("recv on q.a before", Ops::recv(q.a, &c, 1, 0));
  log.note("dup2 onto q.a", Ops::dup2(p.a, q.a) == q.a);
  log.ret("F_SETFL 0 on the F_DUPFD copy", Ops::fcntl(high, F_SETFL, 0));
  nonblocking<Ops>(log, "q.a F_GETFL", q.a);
  recv_blocking<Ops>(log, "recv on q.a waits", q.a, p.b);
  const int third = Ops::fcntl(p.a, F_DUPFD, 320);
  log.note("dup3 onto it", Ops::dup3(q.a, third, O_CLOEXEC) == third);
  log.ret("dup3 F_GETFD", Ops::fcntl(third, F_GETFD));
  log.ret("F_SETFL O_NONBLOCK on the dup3 copy", Ops::fcntl(third, F_SETFL, O_NONBLOCK));
  log.ret("recv on the original", Ops::recv(p.a, &c, 1, 0));
  nonblocking<Ops>(log, "F_DUPFD copy F_GETFL", high);
  log.ret("dup2 onto itself", Ops::dup2(third, third));
  log.ret("dup3 onto itself", Ops::dup3(third, third, 0));
  log.ret("dup3 bad flags", Ops::dup3(third, high, 12345));
  Ops::close(third);
  Ops::close(high);
  log.ret("dup2 of a closed fd", Ops::dup2(high, third));
}

// A copy the runtime did not make (a plain ::dup, as uninstrumented code
// does) shares the open file description all the same.
EVY_SCENARIO(plain_dup_shares_nonblocking, "read recv fcntl close") {
  Pipe<Ops> pipe;
  SocketPair<Ops> p;
  read_blocking<Ops>(log, "read on the pipe waits", pipe.a, pipe.b);
  recv_blocking<Ops>(log, "recv on the socket waits", p.a, p.b);
  const int pipe_copy = ::dup(pipe.a), socket_copy = ::dup(p.a);
  nonblocking<Ops>(log, "pipe copy F_GETFL", pipe_copy);
  nonblocking<Ops>(log, "socket copy F_GETFL", socket_copy);
  read_blocking<Ops>(log, "read on the pipe copy waits", pipe_copy, pipe.b);
  recv_blocking<Ops>(log, "recv on the socket copy waits", socket_copy, p.b);
  log.ret("F_SETFL O_NONBLOCK on the pipe copy", Ops::fcntl(pipe_copy, F_SETFL, O_NONBLOCK));
  char c;
  log.ret("read on the pipe", Ops::read(pipe.a, &c, 1));
  Ops::close(pipe_copy);
  Ops::close(socket_copy);
}

#if EVY_GREEN_CLOSE_RANGE
EVY_SCENARIO(close_range_cases, "close_range dup2 fcntl") {
  SocketPair<Ops> p;
  // Numbers well above what the test has open, and below the runtime's.
  log.note("dup2 to 400", Ops::dup2(p.a, 400) == 400);
  log.note("dup2 to 402", Ops::dup2(p.a, 402) == 402);
  log.ret("close_range 400-402", Ops::close_range(400, 402, 0));
  log.ret("F_GETFD 400", Ops::fcntl(400, F_GETFD));
  log.ret("F_GETFD 402", Ops::fcntl(402, F_GETFD));
  log.ret("close_range bad flags", Ops::close_range(400, 402, 12345));
  log.ret("close_range first > last", Ops::close_range(402, 400, 0));
  log.note("dup2 to 404", Ops::dup2(p.a, 404) == 404);
  log.ret("close_range CLOEXEC", Ops::close_range(404, 404, CLOSE_RANGE_CLOEXEC));
  log.ret("F_GETFD 404", Ops::fcntl(404, F_GETFD));
  log.ret("close_range 404", Ops::close_range(404, 404, 0));
  nonblocking<Ops>(log, "original F_GETFL", p.a);
}
#endif

} // namespace
} // namespace evy::diff
