// recv/send and friends: data, flags, timeouts, closed peers, signals.
#include "fixtures.h"

#include <csignal>
#include <climits>
#include <cstring>

namespace evy::diff {
namespace {

std::string text_of(const char *buf, long n) { return n > 0 ? std::string(buf, n) : ""; }

EVY_SCENARIO(recv_data_peek_and_eof, "recv") {
  SocketPair<Ops> p;
  plain_write(p.b, "hello");
  char buf[16];
  long n = log.ret("recv peek", Ops::recv(p.a, buf, 3, MSG_PEEK));
  log.note("peeked", text_of(buf, n));
  n = log.ret("recv", Ops::recv(p.a, buf, 3, 0));
  log.note("read", text_of(buf, n));
  n = log.ret("recv rest", Ops::recv(p.a, buf, sizeof buf, 0));
  log.note("read", text_of(buf, n));
  p.close_b();
  log.ret("recv at eof", Ops::recv(p.a, buf, sizeof buf, 0));
}

// A zero-length recv on an empty stream waits for data like any other.
EVY_SCENARIO(recv_zero_length, "recv") {
  SocketPair<Ops> p;
  char buf[4];
  set_timeout<Ops>(p.a, SO_RCVTIMEO, 20);
  log.ret("recv zero-length, nothing there", Ops::recv(p.a, buf, 0, 0));
  log.ret("recv zero-length dontwait", Ops::recv(p.a, buf, 0, MSG_DONTWAIT));
  plain_write(p.b, "a");
  log.ret("recv zero-length, data there", Ops::recv(p.a, buf, 0, 0));
  log.ret("recv zero-length waitall", Ops::recv(p.a, buf, 0, MSG_WAITALL));
  SocketPair<Ops> d(SOCK_DGRAM);
  plain_write(d.b, "");
  log.ret("recv empty datagram", Ops::recv(d.a, buf, sizeof buf, 0));
}

EVY_SCENARIO(recv_waitall_across_writes_and_eof, "recv") {
  SocketPair<Ops> p;
  char buf[16] = {};
  {
    Peer peer([&, tid = log.tid] {
      plain_write(p.b, "ab");
      wait_blocked(tid);
      plain_write(p.b, "cd");
    });
    const long n = log.ret("recv waitall", Ops::recv(p.a, buf, 4, MSG_WAITALL));
    log.note("read", text_of(buf, n));
  }
  plain_write(p.b, "xy");
  ::shutdown(p.b, SHUT_WR);
  const long n = log.ret("recv waitall to eof", Ops::recv(p.a, buf, 8, MSG_WAITALL));
  log.note("read", text_of(buf, n));
}

EVY_SCENARIO(recv_would_block_variants, "recv fcntl") {
  SocketPair<Ops> p;
  char buf[4];
  log.ret("recv dontwait", Ops::recv(p.a, buf, sizeof buf, MSG_DONTWAIT));
  const int flags = Ops::fcntl(p.a, F_GETFL);
  log.ret("set O_NONBLOCK", Ops::fcntl(p.a, F_SETFL, flags | O_NONBLOCK));
  log.ret("recv nonblocking", Ops::recv(p.a, buf, sizeof buf, 0));
  log.ret("recv nonblocking waitall", Ops::recv(p.a, buf, sizeof buf, MSG_WAITALL));
  log.ret("clear O_NONBLOCK", Ops::fcntl(p.a, F_SETFL, flags));
  set_timeout<Ops>(p.a, SO_RCVTIMEO, 20);
  log.ret("recv with SO_RCVTIMEO", Ops::recv(p.a, buf, sizeof buf, 0));
  log.ret("recv waitall with SO_RCVTIMEO", Ops::recv(p.a, buf, sizeof buf, MSG_WAITALL));
  plain_write(p.b, "a");
  log.ret("recv waitall, partial then timeout", Ops::recv(p.a, buf, sizeof buf, MSG_WAITALL));
}

EVY_SCENARIO(recv_bad_arguments, "recv close") {
  char buf[4];
  log.ret("recv -1", Ops::recv(-1, buf, sizeof buf, 0));
  Pipe<Ops> pipe;
  log.ret("recv pipe", Ops::recv(pipe.a, buf, sizeof buf, 0));
  SocketPair<Ops> p;
  plain_write(p.b, "abc");
  log.ret("recv to a bad buffer", Ops::recv(p.a, reinterpret_cast<void *>(8), 3, 0));
  log.ret("recv bad flags", Ops::recv(p.a, buf, sizeof buf, MSG_OOB));
  const int closed = p.a;
  p.close_a();
  log.ret("recv closed fd", Ops::recv(closed, buf, sizeof buf, 0));
}

// The kernel answers a close with unread data with a reset.
template <class Ops> void connected_tcp(Listener<Ops> &l, Fds<Ops> &fds) {
  fds.a = Ops::socket(AF_INET, SOCK_STREAM, 0);
  Ops::connect(fds.a, l.addr(), sizeof l.address);
  fds.b = Ops::accept(l.fd, nullptr, nullptr);
}

EVY_SCENARIO(recv_connection_reset, "recv send socket connect accept") {
  Listener<Ops> l;
  Fds<Ops> c;
  connected_tcp(l, c);
  log.ret("send", Ops::send(c.a, "x", 1, 0));
  char buf[4];
  {
    Peer peer([&, tid = log.tid] {
      wait_blocked(tid);
      ::close(c.b); // unread data: RST
    });
    log.ret("recv after reset", Ops::recv(c.a, buf, sizeof buf, 0));
    log.ret("recv again", Ops::recv(c.a, buf, sizeof buf, 0));
  } // the peer is joined before c.b is touched again
  c.b = -1;
}

template <class Ops> void recv_interrupted(Log &log, bool restart, int timeout_ms) {
  SignalHandler handler(restart);
  SocketPair<Ops> p;
  if (timeout_ms > 0)
    set_timeout<Ops>(p.a, SO_RCVTIMEO, timeout_ms);
  Peer peer([&, tid = log.tid] {
    handler.interrupt(tid);
    plain_write(p.b, "z");
  });
  char buf[4];
  log.ret("recv interrupted", Ops::recv(p.a, buf, sizeof buf, 0));
}

EVY_SCENARIO(recv_eintr_without_sa_restart, "recv") { recv_interrupted<Ops>(log, false, 0); }
EVY_SCENARIO(recv_eintr_with_sa_restart, "recv") { recv_interrupted<Ops>(log, true, 0); }
// signal(7): with SO_RCVTIMEO set, recv is never restarted.
EVY_SCENARIO(recv_eintr_with_sa_restart_and_rcvtimeo, "recv") {
  recv_interrupted<Ops>(log, true, 60000);
}

EVY_SCENARIO(recvfrom_datagrams, "recvfrom sendto socket") {
  Listener<Ops> server(SOCK_DGRAM);
  const int client = Ops::socket(AF_INET, SOCK_DGRAM, 0);
  log.ret("sendto", Ops::sendto(client, "hello", 5, 0, server.addr(), sizeof server.address));
  log.ret("sendto", Ops::sendto(client, "world!", 6, 0, server.addr(), sizeof server.address));
  log.ret("sendto bad addrlen", Ops::sendto(client, "x", 1, 0, server.addr(), 3));
  log.ret("send unconnected", Ops::send(client, "x", 1, 0));
  char buf[16];
  sockaddr_in from{};
  socklen_t length = sizeof from;
  long n = log.ret("recvfrom truncating",
                   Ops::recvfrom(server.fd, buf, 2, 0, reinterpret_cast<sockaddr *>(&from), &length));
  log.note("read", text_of(buf, n));
  log.note("from family", from.sin_family);
  log.note("from length", length);
  n = log.ret("recvfrom MSG_TRUNC", Ops::recvfrom(server.fd, buf, 2, MSG_TRUNC, nullptr, nullptr));
  log.ret("recvfrom dontwait", Ops::recvfrom(server.fd, buf, 2, MSG_DONTWAIT, nullptr, nullptr));
  log.ret("recvfrom zero-length datagram",
          (Ops::sendto(client, "", 0, 0, server.addr(), sizeof server.address),
           Ops::recvfrom(server.fd, buf, sizeof buf, 0, nullptr, nullptr)));
  Ops::close(client);
}

// message_over() is a msghdr for one piece of data and a control buffer.
template <std::size_t N> msghdr message_over(iovec &piece, char (&control)[N]) {
  msghdr message{};
  message.msg_iov = &piece;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = N;
  return message;
}

EVY_SCENARIO(recvmsg_and_sendmsg_with_fds, "recvmsg sendmsg") {
  SocketPair<Ops> p(SOCK_DGRAM);
  char data[] = "fd!";
  iovec out{data, 3};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr message = message_over(out, control);
  cmsghdr *cmsg = CMSG_FIRSTHDR(&message);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN(sizeof(int));
  const int sent_fd = 0;
  std::memcpy(CMSG_DATA(cmsg), &sent_fd, sizeof sent_fd);
  log.ret("sendmsg", Ops::sendmsg(p.b, &message, 0));
  log.ret("sendmsg again", Ops::sendmsg(p.b, &message, 0));
  char in[8] = {};
  iovec into{in, 2};
  alignas(cmsghdr) char received[CMSG_SPACE(sizeof(int))] = {};
  msghdr reply = message_over(into, received);
  log.ret("recvmsg", Ops::recvmsg(p.a, &reply, 0));
  log.note("flags", flags_text(reply.msg_flags));
  log.note("controllen", static_cast<long>(reply.msg_controllen));
  const cmsghdr *got = CMSG_FIRSTHDR(&reply);
  log.note("cmsg type", got != nullptr ? got->cmsg_type : -1);
  int passed = -1;
  if (got != nullptr)
    std::memcpy(&passed, CMSG_DATA(got), sizeof passed);
  if (passed >= 0)
    ::close(passed);
  reply.msg_controllen = 0; // no room: the fd is dropped, MSG_CTRUNC
  log.ret("recvmsg without room", Ops::recvmsg(p.a, &reply, 0));
  log.note("flags", flags_text(reply.msg_flags));
  log.ret("recvmsg null", Ops::recvmsg(p.a, nullptr, MSG_DONTWAIT));
  log.ret("sendmsg null", Ops::sendmsg(p.b, nullptr, 0));
  message.msg_iovlen = IOV_MAX + 1; // refused before the array is read
  log.ret("sendmsg too many iovecs", Ops::sendmsg(p.b, &message, 0));
  reply.msg_iovlen = IOV_MAX + 1;
  log.ret("recvmsg waitall too many iovecs", Ops::recvmsg(p.a, &reply, MSG_WAITALL));
}

EVY_SCENARIO(recvmsg_waitall_scattered, "recvmsg") {
  SocketPair<Ops> p;
  char first[3] = {}, second[4] = {};
  iovec parts[2] = {{first, 3}, {second, 4}};
  msghdr message{};
  message.msg_iov = parts;
  message.msg_iovlen = 2;
  Peer peer([&, tid = log.tid] {
    plain_write(p.b, "abcd");
    wait_blocked(tid);
    plain_write(p.b, "efg");
  });
  log.ret("recvmsg waitall", Ops::recvmsg(p.a, &message, MSG_WAITALL));
  log.note("data", std::string(first, 3) + std::string(second, 4));
  log.note("flags", flags_text(message.msg_flags));
}

} // namespace
} // namespace evy::diff
