// The host program of the shared-runtime test: blocking code, greened at
// build time, that links libwriter.so and dlopen()s plugin.so (argv[1]).
// Its reader thread (running the plugin's code) and writer thread (running
// libwriter's) exchange lines over a socketpair and share libwriter's lock,
// all on this one OS thread. That works only if the three modules share
// one runtime: the reader starts first and waits on an fd nothing has
// written yet, and later waits for a lock the sleeping writer holds.
#include "shared_runtime.h"

#include <evy/spawn.h>
#include <evy/stats.h>

#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <dlfcn.h>
#include <fstream>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {
const int kMessages = 3;
std::vector<std::string> events;

void note(const char *event) { events.push_back(event); }

// OS threads of this process that are not evy's own helpers ("evy-...").
int os_threads() {
  int count = 0;
  DIR *tasks = opendir("/proc/self/task");
  if (tasks == nullptr)
    return -1;
  while (dirent *task = readdir(tasks)) {
    if (task->d_name[0] == '.')
      continue;
    std::ifstream comm(std::string("/proc/self/task/") + task->d_name + "/comm");
    std::string name;
    std::getline(comm, name);
    if (name.compare(0, 4, "evy-") != 0)
      ++count;
  }
  closedir(tasks);
  return count;
}

bool same_runtime(const RuntimeView &a, const RuntimeView &b) {
  return a.fiber_id == b.fiber_id && a.hubs == b.hubs;
}

// Each line: the writer sends it holding the lock and sleeps; the plugin's
// fiber reads it and waits for the lock; the writer wakes and unlocks; the
// plugin's fiber gets the lock (handed over in FIFO order).
bool events_alternate() {
  const std::vector<std::string> expected = {"writer: sent", "plugin: read a line",
                                             "writer: unlocks", "plugin: locked"};
  if (events.size() != expected.size() * kMessages)
    return false;
  for (std::size_t i = 0; i < events.size(); ++i)
    if (events[i] != expected[i % expected.size()]) {
      std::fprintf(stderr, "event %zu: %s, expected %s\n", i, events[i].c_str(),
                   expected[i % expected.size()].c_str());
      return false;
    }
  return true;
}

int fail(const char *what) {
  std::fprintf(stderr, "shared_runtime: %s\n", what);
  return 1;
}
} // namespace

int main(int argc, char **argv) {
  alarm(60); // evy: keep (a deadlock fails the test instead of hanging it)
  if (argc != 2)
    return fail("usage: evy_shared_runtime_host PLUGIN.so");
  void *plugin = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (plugin == nullptr)
    return fail(dlerror());
  auto plugin_read = reinterpret_cast<PluginReadFn>(dlsym(plugin, "plugin_read"));
  auto plugin_view = reinterpret_cast<PluginViewFn>(dlsym(plugin, "plugin_view"));
  if (plugin_read == nullptr || plugin_view == nullptr)
    return fail("plugin.so lacks plugin_read or plugin_view");

  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
    return fail("socketpair failed");
  HostApi host{writer_lock, writer_unlock, note};
  bool one_runtime = false;
  int intact = -2, threads = -1;
  std::thread reader([&] {
    // Inside a green thread of the host: the others must see this fiber.
    RuntimeView mine{evy::current_fiber_id(), evy::runtime_stats().hubs};
    one_runtime = same_runtime(mine, writer_view()) && same_runtime(mine, plugin_view());
    if (one_runtime)
      intact = plugin_read(sv[1], kMessages, &host);
  });
  std::thread writer([&] {
    if (!one_runtime)
      return;
    writer_run(sv[0], kMessages, &host);
    threads = os_threads();
  });
  reader.join();
  writer.join();

  if (!one_runtime)
    return fail("the host, libwriter.so and plugin.so see different runtimes");
  if (intact != kMessages)
    return fail("the plugin did not read every line intact");
  const RuntimeView after{evy::current_fiber_id(), evy::runtime_stats().hubs};
  if (after.hubs != 1 || writer_view().hubs != 1 || plugin_view().hubs != 1)
    return fail("more than one hub");
  if (threads != 1 || os_threads() != 1)
    return fail("the green threads ran on more than one OS thread");
  if (!events_alternate())
    return fail("the lock or the fd was not handed over between fibers");
  std::puts("ok: one runtime, one hub, one OS thread across the host, libwriter.so and plugin.so");
  dlclose(plugin);
  return 0;
}
