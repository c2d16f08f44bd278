// The C interface between the host program, libwriter.so (linked) and
// plugin.so (dlopen'ed) of the shared-runtime test. Plain C types only: each
// module is greened on its own, and what crosses between them is an fd, a
// lock (through HostApi) and fiber ids.
#pragma once

#include <cstdint>

// HostApi is what the host hands the plugin: its lock (libwriter's green
// mutex) and a log shared by all three modules.
struct HostApi {
  void (*lock)();
  void (*unlock)();
  void (*note)(const char *event);
};

// Each module's own view of the runtime: one runtime answers the same in all.
struct RuntimeView {
  std::uint64_t fiber_id; // evy::current_fiber_id() of the caller
  std::size_t hubs;       // evy::runtime_stats().hubs
};

extern "C" {
// libwriter.so: the lock, and a writer that sends `messages` lines on fd,
// each written while holding the lock and after a green sleep.
void writer_lock();
void writer_unlock();
void writer_run(int fd, int messages, const HostApi *host);
RuntimeView writer_view();

// plugin.so (looked up with dlsym): reads `messages` lines from fd, taking
// the host's lock after each; returns how many it read intact.
typedef int (*PluginReadFn)(int fd, int messages, const HostApi *host);
typedef RuntimeView (*PluginViewFn)();
}
