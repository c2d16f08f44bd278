// select/pselect/poll/ppoll/epoll_wait: timeouts, nfds edges, bad fds.
#include "fixtures.h"

#include <initializer_list>

#include <sys/epoll.h>
#include <sys/resource.h>

namespace evy::diff {
namespace {

std::string revents_text(const pollfd *fds, int count) {
  std::string text;
  for (int i = 0; i < count; ++i)
    text += std::to_string(fds[i].revents) + " ";
  return text;
}

EVY_SCENARIO(poll_timeouts_and_revents, "poll") {
  SocketPair<Ops> p;
  Pipe<Ops> pipe;
  pollfd fds[3] = {{p.a, POLLIN, 0}, {-1, POLLIN, 0}, {pipe.b, POLLOUT, 0}};
  log.ret("poll 0", Ops::poll(fds, 3, 0));
  log.note("revents", revents_text(fds, 3));
  fds[2].fd = -1;
  log.ret("poll 20ms, nothing ready", Ops::poll(fds, 3, 20));
  log.note("revents", revents_text(fds, 3));
  log.ret("poll no fds, 10ms", Ops::poll(nullptr, 0, 10));
  {
    Peer peer([&, tid = log.tid] {
      wait_blocked(tid);
      plain_write(p.b, "x");
    });
    log.ret("poll -1 until data", Ops::poll(fds, 1, -1));
    log.note("revents", revents_text(fds, 1));
  }
  p.close_b();
  fds[0].events = 0; // hang-ups are reported anyway
  log.ret("poll after peer closed", Ops::poll(fds, 1, -1));
  log.note("revents", revents_text(fds, 1));
}

EVY_SCENARIO(poll_bad_arguments, "poll ppoll close") {
  Pipe<Ops> pipe;
  const int closed = pipe.a;
  pipe.close_a();
  pollfd fds[2] = {{closed, POLLIN, 0}, {pipe.b, POLLOUT, 0}};
  log.ret("poll closed fd", Ops::poll(fds, 2, -1));
  log.note("revents", revents_text(fds, 2));
#if !defined(__SANITIZE_ADDRESS__)
  // ASan's poll interceptor reads the array before the kernel can refuse
  // it, so these two run in the other builds only.
  log.ret("poll bad pointer", Ops::poll(reinterpret_cast<pollfd *>(8), 1, 0));
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  log.ret("poll too many fds", Ops::poll(fds, limit.rlim_cur + 1, 0));
#endif
  timespec bad{0, 1'000'000'000};
  log.ret("ppoll bad timeout", Ops::ppoll(fds, 1, &bad, nullptr));
  bad = {-1, 0};
  log.ret("ppoll negative timeout", Ops::ppoll(fds, 1, &bad, nullptr));
  timespec zero{0, 0};
  fds[0].fd = -1;
  log.ret("ppoll zero", Ops::ppoll(fds, 1, &zero, nullptr));
  timespec short_wait{0, 20'000'000};
  sigset_t mask;
  sigemptyset(&mask);
  log.ret("ppoll 20ms with a mask", Ops::ppoll(fds, 1, &short_wait, &mask));
  fds[0] = {pipe.b, POLLOUT, 0};
  log.ret("ppoll ready", Ops::ppoll(fds, 1, nullptr, &mask));
  log.note("revents", revents_text(fds, 1));
}

// set_text() shows which of `fds` are in the set (fd numbers differ
// between the runs: the green one has the hub's fds too).
std::string set_text(const fd_set &set, std::initializer_list<int> fds) {
  std::string text;
  for (int fd : fds)
    text += FD_ISSET(fd, &set) ? "1" : "0";
  return text;
}

EVY_SCENARIO(select_timeouts_and_sets, "select") {
  SocketPair<Ops> p;
  const int nfds = (p.a > p.b ? p.a : p.b) + 1;
  fd_set readable, writable;
  FD_ZERO(&readable);
  FD_ZERO(&writable);
  FD_SET(p.a, &readable);
  FD_SET(p.b, &writable);
  timeval tv{0, 0};
  log.ret("select 0", Ops::select(nfds, &readable, &writable, nullptr, &tv));
  log.note("sets", set_text(readable, {p.a, p.b}) + " " + set_text(writable, {p.a, p.b}));
  FD_SET(p.a, &readable);
  tv = {0, 20000};
  log.ret("select 20ms", Ops::select(nfds, &readable, nullptr, nullptr, &tv));
  log.note("left", tv.tv_sec * 1000000 + tv.tv_usec);
  log.note("sets", set_text(readable, {p.a, p.b}));
  tv = {0, 10000};
  log.ret("select nfds 0", Ops::select(0, nullptr, nullptr, nullptr, &tv));
  log.ret("select nfds -1", Ops::select(-1, nullptr, nullptr, nullptr, &tv));
  tv = {0, 2000000};
  log.ret("select bad usec", Ops::select(0, nullptr, nullptr, nullptr, &tv));
  tv = {-1, 0};
  log.ret("select negative", Ops::select(0, nullptr, nullptr, nullptr, &tv));
  FD_SET(p.a, &readable);
  Peer peer([&, tid = log.tid] {
    wait_blocked(tid);
    plain_write(p.b, "x");
  });
  log.ret("select forever until data", Ops::select(nfds, &readable, nullptr, nullptr, nullptr));
  log.note("sets", set_text(readable, {p.a, p.b}));
}

EVY_SCENARIO(select_bad_fds, "select pselect close") {
  Pipe<Ops> pipe;
  const int closed = pipe.a;
  pipe.close_a();
  fd_set readable;
  FD_ZERO(&readable);
  FD_SET(closed, &readable);
  timeval tv{0, 10000};
  log.ret("select closed fd", Ops::select(closed + 1, &readable, nullptr, nullptr, &tv));
  FD_ZERO(&readable);
  FD_SET(closed, &readable);
  timespec ts{0, 10000000};
  log.ret("pselect closed fd", Ops::pselect(closed + 1, &readable, nullptr, nullptr, &ts, nullptr));
  ts = {0, 1'000'000'000};
  log.ret("pselect bad timeout", Ops::pselect(0, nullptr, nullptr, nullptr, &ts, nullptr));
  ts = {0, 0};
  FD_ZERO(&readable);
  FD_SET(pipe.b, &readable);
  log.ret("pselect 0", Ops::pselect(pipe.b + 1, &readable, nullptr, nullptr, &ts, nullptr));
  fd_set writable;
  FD_ZERO(&writable);
  FD_SET(pipe.b, &writable);
  sigset_t mask;
  sigemptyset(&mask);
  log.ret("pselect ready", Ops::pselect(pipe.b + 1, nullptr, &writable, nullptr, nullptr, &mask));
  log.note("set", set_text(writable, {pipe.b}));
  ts = {0, 20000000};
  FD_ZERO(&readable);
  log.ret("pselect empty 20ms", Ops::pselect(1, &readable, nullptr, nullptr, &ts, &mask));
}

EVY_SCENARIO(epoll_wait_cases, "epoll_wait") {
  epoll_event events[4] = {};
  log.ret("epoll_wait -1", Ops::epoll_wait(-1, events, 4, 0));
  Pipe<Ops> pipe;
  log.ret("epoll_wait not epoll", Ops::epoll_wait(pipe.a, events, 4, 0));
  const int ep = ::epoll_create1(EPOLL_CLOEXEC);
  log.ret("epoll_wait maxevents 0", Ops::epoll_wait(ep, events, 0, 0));
  log.ret("epoll_wait bad events", Ops::epoll_wait(ep, nullptr, 4, 0));
  epoll_event interest{};
  interest.events = EPOLLIN;
  interest.data.u32 = 7;
  ::epoll_ctl(ep, EPOLL_CTL_ADD, pipe.a, &interest);
  log.ret("epoll_wait 0", Ops::epoll_wait(ep, events, 4, 0));
  log.ret("epoll_wait 20ms", Ops::epoll_wait(ep, events, 4, 20));
  {
    Peer peer([&, tid = log.tid] {
      wait_blocked(tid);
      plain_write(pipe.b, "x");
    });
    log.ret("epoll_wait -1 until data", Ops::epoll_wait(ep, events, 4, -1));
    log.note("event", std::to_string(events[0].events) + " " + std::to_string(events[0].data.u32));
  }
  ::close(ep);
}

template <class Ops> void poll_interrupted(Log &log) {
  SignalHandler handler(true); // poll is never restarted, SA_RESTART or not
  SocketPair<Ops> p;
  Peer peer([&, tid = log.tid] {
    handler.interrupt(tid);
    plain_write(p.b, "z");
  });
  pollfd fds[1] = {{p.a, POLLIN, 0}};
  log.ret("poll interrupted", Ops::poll(fds, 1, -1));
}

EVY_SCENARIO(poll_eintr_with_sa_restart, "poll") { poll_interrupted<Ops>(log); }

} // namespace
} // namespace evy::diff
