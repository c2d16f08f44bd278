// A green thread's native_handle() (and green pthread_t) passed to the
// pthread calls that take a thread, against std::thread's real handle.
#include "thread_test_util.h"

#include <evy/evy.h>
#include <evy/patched/thread.h>

#include <gtest/gtest.h>

#include <atomic>

#include <cerrno>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string>
#include <thread>

namespace green = evy::green;
using namespace evy_test;

namespace {

// Calls is the pthread API as the original or as the green functions.
struct OriginalCalls {
  static int kill(pthread_t t, int sig) { return ::pthread_kill(t, sig); }
  static int setname(pthread_t t, const char *n) { return ::pthread_setname_np(t, n); }
  static int getname(pthread_t t, char *b, size_t l) { return ::pthread_getname_np(t, b, l); }
  static int getsched(pthread_t t, int *p, sched_param *s) {
    return ::pthread_getschedparam(t, p, s);
  }
  static int getaffinity(pthread_t t, cpu_set_t *s) {
    return ::pthread_getaffinity_np(t, sizeof *s, s);
  }
};
struct GreenCalls {
  static int kill(pthread_t t, int sig) { return green::pthread_kill(t, sig); }
  static int setname(pthread_t t, const char *n) { return green::pthread_setname_np(t, n); }
  static int getname(pthread_t t, char *b, size_t l) { return green::pthread_getname_np(t, b, l); }
  static int getsched(pthread_t t, int *p, sched_param *s) {
    return green::pthread_getschedparam(t, p, s);
  }
  static int getaffinity(pthread_t t, cpu_set_t *s) {
    return green::pthread_getaffinity_np(t, sizeof *s, s);
  }
};

// probe() runs the calls on a running thread, then on an ended one that is
// not joined yet, and reports what they returned.
template <class Thread, class Calls> std::string probe() {
  std::atomic<bool> release{false}; // the thread may run on another OS thread
  std::atomic<bool> ended{false};
  Thread t([&] {
    while (!release)
      green::this_thread::sleep_for(1ms);
    ended = true;
  });
  const auto h = static_cast<pthread_t>(t.native_handle());
  std::string out = "kill0=" + std::to_string(Calls::kill(h, 0));
  out += " kill-1=" + std::to_string(Calls::kill(h, -1));
  out += " setname=" + std::to_string(Calls::setname(h, "worker-1"));
  out += " longname=" + std::to_string(Calls::setname(h, "a-name-of-16-chr"));
  char name[16] = {};
  const int getname = Calls::getname(h, name, sizeof name);
  out += " getname=" + std::to_string(getname) + ":" + name;
  out += " small=" + std::to_string(Calls::getname(h, name, 15));
  int policy = -1;
  sched_param param{};
  const int sched = Calls::getsched(h, &policy, &param); // before reading policy
  out += " sched=" + std::to_string(sched) + ":" + std::to_string(policy) + "/" +
         std::to_string(param.sched_priority);
  cpu_set_t set;
  CPU_ZERO(&set);
  const int affinity = Calls::getaffinity(h, &set);
  out += " affinity=" + std::to_string(affinity) + ":" + std::to_string(CPU_COUNT(&set) > 0);
  release = true;
  while (!ended)
    green::this_thread::sleep_for(1ms);
  green::this_thread::sleep_for(10ms); // let the OS thread finish exiting too
  out += " ended-kill0=" + std::to_string(Calls::kill(h, 0));
  t.join();
  return out;
}

TEST(GreenNativeHandle, PthreadCallsOnAGreenThreadAnswerAsOnAThread) {
  const std::string expected = probe<std::thread, OriginalCalls>();
  EXPECT_EQ(expected, "kill0=0 kill-1=" + std::to_string(EINVAL) +
                          " setname=0 longname=" + std::to_string(ERANGE) +
                          " getname=0:worker-1 small=" + std::to_string(ERANGE) + " sched=0:" +
                          std::to_string(SCHED_OTHER) + "/0 affinity=0:1 ended-kill0=0");
  EXPECT_EQ((probe<green::thread, GreenCalls>()), expected);
}

TEST(GreenNativeHandle, CreatedByPthreadCreateAndSelf) {
  pthread_t t;
  ASSERT_EQ(green::pthread_create(
                &t, nullptr,
                [](void *) -> void * {
                  return reinterpret_cast<void *>(
                      static_cast<long>(green::pthread_kill(green::pthread_self(), 0)));
                },
                nullptr),
            0);
  EXPECT_EQ(green::pthread_kill(t, 0), 0);
  void *inside = nullptr;
  ASSERT_EQ(green::pthread_join(t, &inside), 0);
  EXPECT_EQ(inside, nullptr); // pthread_kill(self, 0) was 0 inside too
  EXPECT_EQ(green::pthread_kill(green::pthread_self(), 0), 0); // main's own handle
  EXPECT_EQ(::pthread_kill(::pthread_self(), 0), 0);
}

TEST(GreenNativeHandle, WhatAGreenThreadCannotDoIsENOTSUP) {
  std::atomic<bool> release{false};
  green::thread t([&] {
    while (!release)
      green::this_thread::sleep_for(1ms);
  });
  const auto h = static_cast<pthread_t>(t.native_handle());
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(0, &set);
  EXPECT_EQ(green::pthread_setaffinity_np(h, sizeof set, &set), ENOTSUP);
  sched_param param{};
  EXPECT_EQ(green::pthread_setschedparam(h, SCHED_OTHER, &param), ENOTSUP);
  EXPECT_EQ(green::pthread_cancel(h), ENOTSUP);
  release = true;
  t.join();
  // A joined thread's handle is dead: ESRCH, never a crash.
  EXPECT_EQ(green::pthread_kill(h, 0), ESRCH);
  EXPECT_EQ(green::pthread_cancel(h), ESRCH);
  // A real pthread_t goes to the originals.
  std::thread real([] {});
  EXPECT_EQ(green::pthread_kill(real.native_handle(), 0), 0);
  real.join();
}

} // namespace
