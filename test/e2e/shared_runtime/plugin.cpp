// plugin.so: blocking code, greened at build time, loaded with dlopen.
#include "shared_runtime.h"

#include <evy/spawn.h>
#include <evy/stats.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <sys/socket.h>
#include <thread>

extern "C" int plugin_read(int fd, int messages, const HostApi *host) {
  std::string pending;
  int intact = 0;
  char buf[64];
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0)
      break;
    pending.append(buf, static_cast<size_t>(n));
    for (std::size_t end; (end = pending.find('\n')) != std::string::npos;) {
      char expected[32];
      std::snprintf(expected, sizeof expected, "line %d", intact);
      if (pending.compare(0, end, expected) == 0)
        ++intact;
      pending.erase(0, end + 1);
      host->note("plugin: read a line");
      host->lock(); // the writer still holds it: this fiber waits
      host->note("plugin: locked");
      host->unlock();
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  return intact == messages && pending.empty() ? intact : -1;
}

extern "C" RuntimeView plugin_view() {
  return RuntimeView{evy::current_fiber_id(), evy::runtime_stats().hubs};
}
