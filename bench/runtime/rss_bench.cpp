// Resident memory per idle fiber blocked in recv, at 10,000 fibers, against
// an OS thread blocked in recv (what the thread-per-connection program
// spends). Reported as counters; the timing of these runs means nothing.
#include <evy/evy.h>
#include <evy/patched/socket.h>

#include <benchmark/benchmark.h>

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

namespace {

// resident_bytes() reads the process's resident set from /proc.
long resident_bytes() {
  long pages_total = 0, pages_resident = 0;
  if (FILE *statm = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(statm, "%ld %ld", &pages_total, &pages_resident) != 2)
      pages_resident = 0;
    std::fclose(statm);
  }
  return pages_resident * sysconf(_SC_PAGESIZE);
}

// Socket pairs with both ends used: one waiter per end.
std::vector<int> socket_ends(int count) {
  std::vector<int> ends;
  for (int i = 0; i < count / 2; ++i) {
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
      break;
    ends.push_back(sv[0]);
    ends.push_back(sv[1]);
  }
  return ends;
}

void BM_IdleRss_EvyFiberInRecv(benchmark::State &state) {
  const int fibers = static_cast<int>(state.range(0));
  for (auto _ : state) {
    evy::release_pooled_stacks();
    std::vector<int> ends = socket_ends(fibers);
    std::vector<evy::GreenThread> threads;
    threads.reserve(ends.size());
    const long before = resident_bytes();
    std::atomic<int> blocked{0};
    for (int fd : ends)
      threads.push_back(evy::spawn([fd, &blocked] {
        char byte;
        blocked.fetch_add(1);
        (void)evy::green::recv(fd, &byte, 1, 0); // idle until the peer closes
      }));
    while (blocked.load() < static_cast<int>(ends.size()))
      evy::sleep(std::chrono::milliseconds(1));
    evy::sleep(std::chrono::milliseconds(10)); // all parked in recv now
    const long after = resident_bytes();
    state.counters["fibers"] = static_cast<double>(ends.size());
    state.counters["rss_per_fiber_bytes"] =
        static_cast<double>(after - before) / static_cast<double>(ends.size());
    state.counters["stack_size_bytes"] = static_cast<double>(evy::fiber_stack_size());
    for (int fd : ends)
      ::shutdown(fd, SHUT_RDWR); // every recv returns 0
    for (evy::GreenThread &thread : threads)
      thread.join();
    for (int fd : ends)
      evy::green::close(fd);
  }
}
BENCHMARK(BM_IdleRss_EvyFiberInRecv)->Arg(10000)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_IdleRss_StdThreadInRecv(benchmark::State &state) {
  const int threads_wanted = static_cast<int>(state.range(0));
  for (auto _ : state) {
    std::vector<int> ends = socket_ends(threads_wanted);
    const long before = resident_bytes();
    std::atomic<int> blocked{0};
    std::vector<std::thread> threads;
    for (int fd : ends)
      threads.emplace_back([fd, &blocked] {
        char byte;
        blocked.fetch_add(1);
        (void)::recv(fd, &byte, 1, 0);
      });
    while (blocked.load() < static_cast<int>(ends.size()))
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const long after = resident_bytes();
    state.counters["threads"] = static_cast<double>(ends.size());
    state.counters["rss_per_thread_bytes"] =
        static_cast<double>(after - before) / static_cast<double>(ends.size());
    for (int fd : ends)
      ::shutdown(fd, SHUT_RDWR);
    for (std::thread &thread : threads)
      thread.join();
    for (int fd : ends)
      ::close(fd);
  }
}
// Fewer threads than fibers: each costs a real stack and a kernel task.
BENCHMARK(BM_IdleRss_StdThreadInRecv)->Arg(1000)->Iterations(1)->Unit(benchmark::kMillisecond);

} // namespace
