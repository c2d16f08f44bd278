// main returns while green threads still run on other hubs: one computing
// (it never waits), one parked for good, one sleeping in a loop. The
// process must exit at once with main's status, as the original program
// with detached std::threads does: no hang, no sanitizer report.
#include <evy/evy.h>
#include <evy/patched/thread.h>

#include <atomic>
#include <chrono>

namespace green = evy::green;

namespace {
std::atomic<unsigned long> spins{0};
} // namespace

int main() {
  static green::binary_semaphore never(0); // never released
  // First: an idle hub takes it (main's hub counts main), so it runs at once.
  green::thread([] {
    for (;;)
      spins.fetch_add(1, std::memory_order_relaxed);
  }).detach();
  while (spins.load(std::memory_order_relaxed) == 0)
    ; // it runs in parallel, on another OS thread
  // These may land behind the spinner (never to run) or on main's hub.
  green::thread([] { never.acquire(); }).detach();
  green::thread([] {
    for (;;)
      evy::sleep(std::chrono::milliseconds(1));
  }).detach();
  evy::sleep(std::chrono::milliseconds(20));
  return 3;
}
