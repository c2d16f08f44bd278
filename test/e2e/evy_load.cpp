// evy_load: the load generator of the end-to-end tests and the server
// benchmarks. One OS thread, epoll, every connection a small state machine,
// every byte and message checked.
//
//   evy_load echo PORT CONNS BYTES ROUNDS   each connection sends BYTES and
//                                           expects them back, ROUNDS times
//   evy_load echo PORT CONNS BYTES 0 SECS   ping-pong for SECS seconds (rps)
//   evy_load chat PORT CONNS ROOM MESSAGES  rooms of ROOM clients; each says
//                                           MESSAGES lines and must hear every
//                                           line of its room exactly once
//   evy_load work PORT CONNS                sends "N", expects 1+...+N
//   evy_load idle PORT CONNS SECS           one 1-byte round trip each, then
//                                           prints "ready" and holds every
//                                           connection open for SECS seconds
//
// Prints one summary line; exit status 0 only if everything checked out.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

enum class Mode { echo, chat, work, idle };

struct Conn {
  int fd = -1;
  long id = 0;
  std::string out;
  size_t out_off = 0;
  std::string in;
  long round = 0;
  bool joined = false, said = false, done = false;
  bool out_waiting = false; // registered for EPOLLOUT (connecting, or out has bytes left)
  std::set<std::string> heard;
};

struct Run {
  Mode mode;
  long conns = 0, bytes = 0, rounds = 0, room = 0, messages = 0;
  double seconds = 0;
  int epoll_fd = -1;
  std::vector<Conn> c;
  long done = 0, joined = 0, failures = 0;
  long long round_trips = 0;
  Clock::time_point stop_at;
  std::string first_failure;
};

void fail(Run &run, Conn &conn, const std::string &why) {
  if (run.first_failure.empty())
    run.first_failure = "connection " + std::to_string(conn.id) + ": " + why;
  ++run.failures;
  conn.done = true;
  ++run.done;
  epoll_ctl(run.epoll_fd, EPOLL_CTL_DEL, conn.fd, nullptr);
  close(conn.fd);
}

void finish(Run &run, Conn &conn) {
  conn.done = true;
  ++run.done;
  epoll_ctl(run.epoll_fd, EPOLL_CTL_DEL, conn.fd, nullptr);
  close(conn.fd);
}

std::string echo_payload(const Conn &conn, long bytes) {
  std::string s(bytes, '\0');
  for (long j = 0; j < bytes; ++j)
    s[j] = static_cast<char>((conn.id * 31 + conn.round * 7 + j) & 0xff);
  return s;
}

long room_size(const Run &run, long room) {
  long first = room * run.room;
  return std::min(run.room, run.conns - first);
}

void want_write(Run &run, Conn &conn, bool on) {
  epoll_event ev{};
  ev.events = EPOLLIN | (on ? static_cast<uint32_t>(EPOLLOUT) : 0u);
  ev.data.u64 = static_cast<uint64_t>(conn.id);
  epoll_ctl(run.epoll_fd, EPOLL_CTL_MOD, conn.fd, &ev);
}

// flush_out() sends what is queued until done or EAGAIN, and asks epoll
// for EPOLLOUT only while something is left: a message that fits the
// socket's buffer costs one send, as in a hand-written client (on
// loopback the load generator still costs about what a server does per
// request: each side's send does the other's TCP receive).
void flush_out(Run &run, Conn &conn) {
  const bool was_waiting = conn.out_waiting;
  while (conn.out_off < conn.out.size()) {
    ssize_t w = send(conn.fd, conn.out.data() + conn.out_off, conn.out.size() - conn.out_off,
                     MSG_NOSIGNAL);
    if (w < 0 && errno == EAGAIN)
      break;
    if (w <= 0)
      return fail(run, conn, std::string("send: ") + std::strerror(errno));
    conn.out_off += w;
  }
  conn.out_waiting = conn.out_off < conn.out.size();
  if (conn.out_waiting != was_waiting)
    want_write(run, conn, conn.out_waiting);
}

void queue_out(Run &run, Conn &conn, const std::string &data) {
  conn.out.erase(0, conn.out_off);
  conn.out_off = 0;
  conn.out += data;
  if (!conn.out_waiting) // else the EPOLLOUT that comes sends it
    flush_out(run, conn);
}

void start_conn(Run &run, Conn &conn) {
  switch (run.mode) {
  case Mode::echo:
  case Mode::idle:
    queue_out(run, conn, echo_payload(conn, run.bytes));
    break;
  case Mode::chat:
    queue_out(run, conn, "JOIN room" + std::to_string(conn.id / run.room) + "\n");
    break;
  case Mode::work:
    queue_out(run, conn, std::to_string(conn.id + 1) + "\n");
    break;
  }
}

void on_line(Run &run, Conn &conn, const std::string &line) {
  if (!conn.joined) {
    if (line != "JOINED")
      return fail(run, conn, "expected JOINED, got '" + line + "'");
    conn.joined = true;
    if (++run.joined == run.conns) // everyone is in: start talking
      for (Conn &other : run.c)
        if (!other.done) {
          std::string says;
          for (long k = 0; k < run.messages; ++k)
            says += "SAY c" + std::to_string(other.id) + "m" + std::to_string(k) + "\n";
          other.said = true;
          queue_out(run, other, says);
        }
    return;
  }
  long room = conn.id / run.room;
  long speaker = -1, k = -1;
  if (std::sscanf(line.c_str(), "c%ldm%ld", &speaker, &k) != 2 || speaker / run.room != room ||
      k < 0 || k >= run.messages)
    return fail(run, conn, "unexpected line '" + line + "'");
  if (!conn.heard.insert(line).second)
    return fail(run, conn, "heard '" + line + "' twice");
  if (static_cast<long>(conn.heard.size()) == room_size(run, room) * run.messages)
    finish(run, conn);
}

void on_input(Run &run, Conn &conn, bool eof) {
  switch (run.mode) {
  case Mode::idle:
    if (eof)
      return fail(run, conn, "closed early");
    if (conn.in.size() == 1) { // answered: now it is an idle connection
      ++run.round_trips;
      conn.done = true;
      ++run.done;
    }
    return;
  case Mode::echo: {
    if (eof)
      return fail(run, conn, "closed early");
    if (static_cast<long>(conn.in.size()) < run.bytes)
      return;
    if (conn.in != echo_payload(conn, run.bytes))
      return fail(run, conn, "echoed bytes differ in round " + std::to_string(conn.round));
    conn.in.clear();
    ++run.round_trips;
    ++conn.round;
    bool timed = run.rounds == 0;
    if ((timed && Clock::now() >= run.stop_at) || (!timed && conn.round == run.rounds))
      return finish(run, conn);
    queue_out(run, conn, echo_payload(conn, run.bytes));
    return;
  }
  case Mode::work: {
    if (!eof)
      return;
    long long n = conn.id + 1;
    if (conn.in != std::to_string(n * (n + 1) / 2) + "\n")
      return fail(run, conn, "answer '" + conn.in + "' for " + std::to_string(n));
    ++run.round_trips;
    return finish(run, conn);
  }
  case Mode::chat: {
    size_t eol;
    while (!conn.done && (eol = conn.in.find('\n')) != std::string::npos) {
      std::string line = conn.in.substr(0, eol);
      conn.in.erase(0, eol + 1);
      on_line(run, conn, line);
      if (run.mode == Mode::chat && conn.joined && line != "JOINED")
        ++run.round_trips;
    }
    if (eof && !conn.done)
      fail(run, conn, "closed early");
    return;
  }
  }
}

int usage() {
  std::fprintf(stderr, "usage: evy_load echo PORT CONNS BYTES ROUNDS [SECONDS]\n"
                       "       evy_load chat PORT CONNS ROOM MESSAGES\n"
                       "       evy_load work PORT CONNS\n"
                       "       evy_load idle PORT CONNS SECONDS\n");
  return 2;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 4)
    return usage();
  Run run;
  std::string mode = argv[1];
  int port = std::atoi(argv[2]);
  run.conns = std::atol(argv[3]);
  if (mode == "echo" && argc >= 6) {
    run.mode = Mode::echo;
    run.bytes = std::atol(argv[4]);
    run.rounds = std::atol(argv[5]);
    run.seconds = argc > 6 ? std::atof(argv[6]) : 0;
    if (run.rounds == 0 && run.seconds <= 0)
      return usage();
  } else if (mode == "chat" && argc >= 6) {
    run.mode = Mode::chat;
    run.room = std::atol(argv[4]);
    run.messages = std::atol(argv[5]);
  } else if (mode == "work") {
    run.mode = Mode::work;
  } else if (mode == "idle" && argc >= 5) {
    run.mode = Mode::idle;
    run.bytes = 1;
    run.seconds = std::atof(argv[4]);
  } else {
    return usage();
  }

  run.epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  run.c.resize(run.conns);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  auto started = Clock::now();
  run.stop_at = started + std::chrono::duration_cast<Clock::duration>(
                              std::chrono::duration<double>(run.seconds));
  for (long i = 0; i < run.conns; ++i) {
    Conn &conn = run.c[i];
    conn.id = i;
    conn.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(conn.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (conn.fd < 0 ||
        (connect(conn.fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 &&
         errno != EINPROGRESS)) {
      std::fprintf(stderr, "evy_load: connect %ld: %s\n", i, std::strerror(errno));
      return 1;
    }
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT; // EPOLLOUT: connected, the first message may go
    ev.data.u64 = static_cast<uint64_t>(i);
    epoll_ctl(run.epoll_fd, EPOLL_CTL_ADD, conn.fd, &ev);
    conn.out_waiting = true;
    start_conn(run, conn);
  }

  auto deadline = started + std::chrono::seconds(120) +
                  std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(run.seconds));
  std::vector<epoll_event> events(1024);
  char buf[65536];
  while (run.done < run.conns) {
    if (Clock::now() > deadline) {
      std::fprintf(stderr, "evy_load: timed out with %ld of %ld connections done\n", run.done,
                   run.conns);
      return 1;
    }
    int n = epoll_wait(run.epoll_fd, events.data(), static_cast<int>(events.size()), 1000);
    for (int e = 0; e < n; ++e) {
      Conn &conn = run.c[events[e].data.u64];
      if (conn.done)
        continue;
      if (conn.out_waiting && (events[e].events & EPOLLOUT))
        flush_out(run, conn);
      if (!conn.done && (events[e].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) {
        for (;;) {
          ssize_t r = recv(conn.fd, buf, sizeof buf, 0);
          if (r > 0) {
            conn.in.append(buf, r);
            // A whole echo is all a ping-pong connection can have: no
            // recv to hear EAGAIN (the registration is level-triggered).
            if (run.mode == Mode::echo && static_cast<long>(conn.in.size()) >= run.bytes) {
              on_input(run, conn, false);
              break;
            }
            continue;
          }
          if (r < 0 && errno == EAGAIN) {
            on_input(run, conn, false);
          } else if (r == 0) {
            on_input(run, conn, true);
          } else {
            fail(run, conn, std::string("recv: ") + std::strerror(errno));
          }
          break;
        }
      }
    }
  }
  if (run.mode == Mode::idle && !run.failures) {
    std::printf("evy_load idle: %ld connections ready\n", run.conns);
    std::fflush(stdout);
    usleep(static_cast<useconds_t>(run.seconds * 1e6));
    for (Conn &conn : run.c)
      close(conn.fd);
  }
  double secs = std::chrono::duration<double>(Clock::now() - started).count();
  std::printf("evy_load %s: %ld connections, %ld failed, %lld round trips, %.3f s, %.0f per second\n",
              mode.c_str(), run.conns, run.failures, run.round_trips, secs, run.round_trips / secs);
  if (run.failures)
    std::fprintf(stderr, "evy_load: first failure: %s\n", run.first_failure.c_str());
  return run.failures ? 1 : 0;
}
