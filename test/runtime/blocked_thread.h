// Interrupting an OS thread that is blocked in the kernel, for the suites
// that check what a signal does to a waiting call: see the thread asleep,
// then signal it and wait until the handler has run.
#pragma once

#include <atomic>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include <signal.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

namespace evy::test_support {

// signals_counted is how often count_signal(), a handler, has run.
inline std::atomic<int> signals_counted{0};
inline void count_signal(int) { signals_counted.fetch_add(1); }

// thread_state() is the state letter /proc gives OS thread `tid` of this
// process ('S': asleep in the kernel), '?' if it cannot be read.
inline char thread_state(pid_t tid) {
  std::ifstream stat("/proc/self/task/" + std::to_string(tid) + "/stat");
  std::string line;
  std::getline(stat, line);
  const auto paren = line.rfind(')'); // the name may hold spaces
  return paren != std::string::npos && paren + 2 < line.size() ? line[paren + 2] : '?';
}

// wait_until_asleep() returns once `tid` sleeps in the kernel. Three looks
// a millisecond apart: a thread that merely passes through a short sleep
// (a lock, a page fault) is not yet in the call.
inline void wait_until_asleep(pid_t tid) {
  for (int seen = 0; seen < 3;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    seen = thread_state(tid) == 'S' ? seen + 1 : 0;
  }
}

// signal_counted() sends `signal`, whose handler is count_signal(), to
// `tid` and returns once the handler has run.
inline void signal_counted(pid_t tid, int signal) {
  const int before = signals_counted.load();
  ::syscall(SYS_tgkill, ::getpid(), tid, signal);
  while (signals_counted.load() == before)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

} // namespace evy::test_support
