// The green server's wait without the kernel: N fibers, each parked on its
// own socket the way a greened server's connection parks in recv after
// EAGAIN (BlockingCall::wait, trusting the hub's registration), woken by
// an event for every one of them per iteration, as the hub's poll_io
// hands out a batch from epoll_wait. Each wake is: dispatch (the fd's
// lock, its watch, the waiter), the scheduler's turn, the switch in, the
// wait's end and the next wait's start, the switch out. No system call:
// the time is libevy's alone, a wall-clock number where a server's CPU
// time mixes libevy with the kernel, so it shows what a change to that
// path does and how its cost grows with N.
//
// The anchor, in the same run, is a loop doing the least any event loop
// does per event: it writes one word of a per-connection record, the
// records a page apart, over the same N.
//
// The second argument stands in for the kernel: in a server each wake is
// followed by a recv and a send whose kernel work pushes libevy's lines
// out of the L1 and L2 caches. With it set, each woken fiber (and the
// anchor, per record) reads that many KiB of a 4 MiB buffer, the next
// KiBs each time: 4 MiB is more than the L2 of the CPUs seen here, and
// within their L3. The anchor's time includes the same reads, so the
// difference of the two rows is the cost of a wake once the cache has
// moved on.
#include "blocking_call.h"
#include "fd_table.h"
#include "hub.h"

#include <evy/evy.h>
#include <evy/patched/socket.h>

#include <benchmark/benchmark.h>

#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <cstdint>
#include <vector>

namespace {

using evy::detail::BlockingCall;
using evy::detail::Direction;

// The stand-in for the kernel's work between two wakes.
class Pollution {
public:
  explicit Pollution(std::size_t kib) : bytes_(kib * 1024) {}
  void touch() {
    if (bytes_ == 0)
      return;
    static std::vector<std::uint64_t> buffer((4u << 20) / sizeof(std::uint64_t), 1);
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < bytes_ / sizeof(std::uint64_t); i += 8) // a word a line
      sum += buffer[(cursor_ + i) % buffer.size()];
    cursor_ = (cursor_ + bytes_ / sizeof(std::uint64_t)) % buffer.size();
    benchmark::DoNotOptimize(sum);
  }

private:
  std::size_t bytes_;
  std::size_t cursor_ = 0;
};

void wake_args(benchmark::internal::Benchmark *b) {
  for (int kib : {0, 8})
    for (int n : {16, 100, 1000, 4000})
      b->Args({n, kib});
}

// N socket pairs (2N fds: the soft limit is raised to the hard one).
struct Connections {
  std::vector<int> parked; // the fibers' ends
  std::vector<int> other;  // kept open, never written
  std::vector<std::uint32_t> generation;
  bool made = true;
  explicit Connections(int n) {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
      limit.rlim_cur = limit.rlim_max;
      (void)setrlimit(RLIMIT_NOFILE, &limit);
    }
    for (int i = 0; i < n && made; ++i) {
      int sv[2];
      made = evy::green::socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0;
      if (made) {
        parked.push_back(sv[0]);
        other.push_back(sv[1]);
      }
    }
  }
  ~Connections() {
    for (int fd : parked)
      evy::green::close(fd);
    for (int fd : other)
      evy::green::close(fd);
  }
};

void BM_FdWake_Evy(benchmark::State &state) {
  const int n = static_cast<int>(state.range(0));
  Pollution pollution(static_cast<std::size_t>(state.range(1)));
  Connections conns(n);
  if (!conns.made) {
    state.SkipWithError("socketpair failed: too few fds allowed?");
    return;
  }
  bool stop = false;
  std::vector<evy::GreenThread> fibers;
  for (int i = 0; i < n; ++i)
    fibers.push_back(evy::spawn([fd = conns.parked[i], &stop, &pollution] {
      BlockingCall call(fd, Direction::receive);
      call.prepare();
      while (!stop) {
        (void)call.wait(/*after_eagain=*/true);
        pollution.touch();
      }
    }));
  evy::yield(); // every fiber runs once: registers its fd and parks
  for (int fd : conns.parked)
    conns.generation.push_back(evy::detail::fd_state(fd)->generation);
  evy::detail::Hub &hub = evy::detail::Hub::current();
  const auto wake_all = [&] {
    for (int i = 0; i < n; ++i)
      evy::detail::dispatch_fd_event(hub, conns.parked[i], conns.generation[i], EPOLLIN);
    evy::yield(); // they run, and park again
  };
  for (auto _ : state)
    wake_all();
  state.SetItemsProcessed(state.iterations() * n);
  stop = true;
  wake_all();
  for (auto &fiber : fibers)
    fiber.join();
}
BENCHMARK(BM_FdWake_Evy)->Apply(wake_args);

// The anchor: per event, one word of the connection's own record.
void BM_FdWake_RecordLoop(benchmark::State &state) {
  const int n = static_cast<int>(state.range(0));
  Pollution pollution(static_cast<std::size_t>(state.range(1)));
  constexpr std::size_t kSpacing = 4096 / sizeof(std::uint64_t);
  std::vector<std::uint64_t> records(static_cast<std::size_t>(n) * kSpacing);
  for (auto _ : state)
    for (int i = 0; i < n; ++i) {
      benchmark::DoNotOptimize(++records[static_cast<std::size_t>(i) * kSpacing]);
      pollution.touch();
    }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_FdWake_RecordLoop)->Apply(wake_args);

} // namespace
