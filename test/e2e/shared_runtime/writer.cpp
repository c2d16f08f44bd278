// libwriter.so: blocking code, greened at build time (evy_rewrite_sources).
#include "shared_runtime.h"

#include <evy/stats.h>
#include <evy/spawn.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <sys/socket.h>
#include <thread>

namespace {
std::mutex lock_shared_with_plugin;
}

extern "C" void writer_lock() { lock_shared_with_plugin.lock(); }
extern "C" void writer_unlock() { lock_shared_with_plugin.unlock(); }

extern "C" void writer_run(int fd, int messages, const HostApi *host) {
  for (int i = 0; i < messages; ++i) {
    std::lock_guard<std::mutex> hold(lock_shared_with_plugin);
    // Holding the lock over a sleep: the plugin, woken by the line below,
    // must then wait for the lock as a fiber, not as the thread.
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    char line[32];
    int n = std::snprintf(line, sizeof line, "line %d\n", i);
    if (send(fd, line, static_cast<size_t>(n), 0) != n)
      std::perror("writer: send");
    host->note("writer: sent");
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    host->note("writer: unlocks");
  }
  shutdown(fd, SHUT_WR);
}

extern "C" RuntimeView writer_view() {
  return RuntimeView{evy::current_fiber_id(), evy::runtime_stats().hubs};
}
