// Four threads of pure computation, written the ordinary way with
// std::thread; built once as is and once greened (EVY_GREEN: std::thread
// becomes evy::green::thread, as evy-rewrite makes it), so that the same
// program compares the original, EVY_HUBS=1 and EVY_HUBS=2.
//
// usage: cpu_bound [THREADS] [MILLION_STEPS_PER_THREAD]
// Prints the wall time in seconds and a checksum (the work is not elided).
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#ifdef EVY_GREEN
#include <evy/patched/thread.h>
using Thread = evy::green::thread;
#else
#include <thread>
using Thread = std::thread;
#endif

namespace {

// xorshift64*: a dependent chain of multiplies and shifts, no memory.
std::uint64_t compute(std::uint64_t seed, long steps) {
  std::uint64_t x = seed | 1;
  for (long i = 0; i < steps; ++i) {
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    x *= 0x2545F4914F6CDD1DULL;
  }
  return x;
}

} // namespace

int main(int argc, char **argv) {
  const int threads = argc > 1 ? std::atoi(argv[1]) : 4;
  const long steps = (argc > 2 ? std::atol(argv[2]) : 200) * 1000000L;
  std::vector<std::uint64_t> results(threads);
  const auto start = std::chrono::steady_clock::now();
  std::vector<Thread> workers;
  for (int i = 0; i < threads; ++i)
    workers.emplace_back([&results, i, steps] { results[i] = compute(i + 1, steps); });
  for (auto &w : workers)
    w.join();
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  std::uint64_t checksum = 0;
  for (std::uint64_t r : results)
    checksum ^= r;
  std::printf("seconds=%.4f checksum=%016llx\n", took.count(),
              static_cast<unsigned long long>(checksum));
  return 0;
}
