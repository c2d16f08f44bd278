// send/sendto: full buffers, timeouts, closed peers, SIGPIPE, signals.
#include "fixtures.h"

#include <csignal>
#include <cstring>
#include <vector>

namespace evy::diff {
namespace {

std::atomic<int> sigpipes{0};

// SigpipeCounter counts SIGPIPEs instead of dying of them.
class SigpipeCounter {
public:
  SigpipeCounter() {
    struct sigaction action {};
    action.sa_handler = [](int) { sigpipes.fetch_add(1); };
    sigemptyset(&action.sa_mask);
    sigaction(SIGPIPE, &action, &previous_);
  }
  ~SigpipeCounter() { sigaction(SIGPIPE, &previous_, nullptr); }
  int taken() { return sigpipes.exchange(0); }

private:
  struct sigaction previous_ {};
};

EVY_SCENARIO(send_to_closed_peer, "send write") {
  SigpipeCounter counter;
  SocketPair<Ops> p;
  p.close_b();
  log.ret("send", Ops::send(p.a, "x", 1, 0));
  log.note("SIGPIPE", counter.taken());
  log.ret("send MSG_NOSIGNAL", Ops::send(p.a, "x", 1, MSG_NOSIGNAL));
  log.note("SIGPIPE", counter.taken());
  log.ret("send zero-length", Ops::send(p.a, "", 0, MSG_NOSIGNAL));
  log.note("SIGPIPE", counter.taken());
  Pipe<Ops> pipe;
  pipe.close_a();
  log.ret("write to a pipe without reader", Ops::write(pipe.b, "x", 1));
  log.note("SIGPIPE", counter.taken());
}

EVY_SCENARIO(send_on_full_buffers, "send sendto fcntl setsockopt") {
  SocketPair<Ops> p;
  fill(p.a);
  log.ret("send dontwait", Ops::send(p.a, "x", 1, MSG_DONTWAIT));
  log.ret("sendto dontwait", Ops::sendto(p.a, "x", 1, MSG_DONTWAIT, nullptr, 0));
  const int flags = Ops::fcntl(p.a, F_GETFL);
  Ops::fcntl(p.a, F_SETFL, flags | O_NONBLOCK);
  log.ret("send nonblocking", Ops::send(p.a, "x", 1, 0));
  Ops::fcntl(p.a, F_SETFL, flags);
  log.ret("SO_SNDTIMEO", set_timeout<Ops>(p.a, SO_SNDTIMEO, 20));
  log.ret("send with SO_SNDTIMEO", Ops::send(p.a, "x", 1, 0));
  log.ret("send zero-length", Ops::send(p.a, "", 0, 0));
}

EVY_SCENARIO(send_large_to_a_draining_peer, "send") {
  SocketPair<Ops> p;
  std::vector<char> data(1 << 20);
  for (std::size_t i = 0; i < data.size(); ++i)
    data[i] = static_cast<char>(i * 7);
  std::size_t received = 0;
  unsigned checksum = 0;
  {
    Peer peer([&] {
      char buf[65536];
      for (ssize_t n; (n = peer_read(p.b, buf, sizeof buf)) > 0;) {
        for (ssize_t i = 0; i < n; ++i)
          checksum = checksum * 31 + static_cast<unsigned char>(buf[i]);
        received += static_cast<std::size_t>(n);
      }
    });
    log.ret("send 1 MiB", Ops::send(p.a, data.data(), data.size(), 0));
    ::shutdown(p.a, SHUT_WR);
  }
  log.note("peer received", static_cast<long>(received));
  log.note("checksum", checksum);
}

EVY_SCENARIO(send_bad_arguments, "send socket close") {
  log.ret("send -1", Ops::send(-1, "x", 1, 0));
  Pipe<Ops> pipe;
  log.ret("send pipe", Ops::send(pipe.b, "x", 1, 0));
  SocketPair<Ops> p;
  log.ret("send bad buffer", Ops::send(p.a, reinterpret_cast<const void *>(8), 4, 0));
  const int tcp = Ops::socket(AF_INET, SOCK_STREAM, 0);
  log.ret("send unconnected tcp", Ops::send(tcp, "x", 1, MSG_NOSIGNAL));
  Ops::close(tcp);
  log.ret("send closed fd", Ops::send(tcp, "x", 1, 0));
}

template <class Ops> void send_interrupted(Log &log, bool restart, int timeout_ms) {
  SignalHandler handler(restart);
  SocketPair<Ops> p;
  fill(p.a);
  if (timeout_ms > 0)
    set_timeout<Ops>(p.a, SO_SNDTIMEO, timeout_ms);
  Peer peer([&, tid = log.tid] {
    handler.interrupt(tid);
    char buf[65536];
    while (::recv(p.b, buf, sizeof buf, MSG_DONTWAIT) > 0) {
    }
  });
  log.ret("send interrupted", Ops::send(p.a, "x", 1, 0));
}

EVY_SCENARIO(send_eintr_without_sa_restart, "send") { send_interrupted<Ops>(log, false, 0); }
EVY_SCENARIO(send_eintr_with_sa_restart, "send") { send_interrupted<Ops>(log, true, 0); }
EVY_SCENARIO(send_eintr_with_sa_restart_and_sndtimeo, "send") {
  send_interrupted<Ops>(log, true, 60000);
}

} // namespace
} // namespace evy::diff
