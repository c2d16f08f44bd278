// fork() from a fiber, on main's hub and on a hub thread: the child has
// one OS thread, the forking one, whose hub works (timers, fd waits) and
// which starts hub threads of its own when it creates green threads.
#include "multihub_util.h"

#include <evy/evy.h>
#include <evy/patched/os.h>
#include <evy/patched/socket.h>
#include <evy/patched/thread.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>

#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace green = evy::green;
using namespace evy_multihub;
using namespace std::chrono_literals;

namespace {

constexpr int kChildWorked = 42;

// socketpair_round_trip(): another fiber of the child's hub echoes what it
// reads; it is parked on the fd (through the child's own epoll) when the
// bytes arrive.
int socketpair_round_trip() {
  int sv[2];
  if (green::socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
    return 10;
  evy::GreenThread echo = evy::spawn([&] {
    char got[4];
    if (green::read(sv[1], got, sizeof got) == 4)
      (void)green::write(sv[1], got, sizeof got);
  });
  evy::sleep(1ms); // the echo fiber runs, and parks in its read
  char back[4] = {};
  const bool ok = green::write(sv[0], "ping", 4) == 4 && green::read(sv[0], back, 4) == 4 &&
                  std::memcmp(back, "ping", 4) == 0;
  echo.join();
  ::close(sv[0]);
  ::close(sv[1]);
  return ok ? 0 : 11;
}

// child_work() is what the child does: green sleeps, the round trip, and
// green threads placed on hub threads it starts. It returns the child's
// exit status: kChildWorked, or the step that failed.
int child_work() {
  const pid_t me = ::gettid();
  if (me != ::getpid())
    return 1; // the child's only thread is its main thread
  const auto before = std::chrono::steady_clock::now();
  evy::sleep(2ms);
  if (std::chrono::steady_clock::now() - before < 2ms)
    return 2;
  if (const int failed = socketpair_round_trip())
    return failed;
  std::atomic<int> ran{0};
  run_green_threads(green_threads_per_test(), [&](int) {
    evy::sleep(1ms);
    ++ran;
  });
  if (ran.load() != green_threads_per_test())
    return 3;
  if (::gettid() != me)
    return 4; // the forking fiber stayed on the child's one thread
  return kChildWorked;
}

// fork_and_wait() forks in the calling fiber; the child _exits with
// child_work()'s status, which the parent collects with a green waitpid.
int fork_and_wait() {
  const pid_t child = ::fork();
  if (child < 0)
    return -1;
  if (child == 0)
    ::_exit(child_work());
  int status = 0;
  if (green::waitpid(child, &status, 0) != child || !WIFEXITED(status))
    return -2;
  return WEXITSTATUS(status);
}

// TSan gives up in the child of a multi-threaded process: it forbids new
// threads there, and it ignores synchronization on the forking thread
// only, so that the child's fiber switches look like races.
constexpr const char *kTsanGivesUp = "TSan does not support the child of a multi-threaded fork";

TEST(MultihubFork, ChildOfMainsHubWorks) {
  if (EVY_MULTIHUB_UNDER_TSAN)
    GTEST_SKIP() << kTsanGivesUp;
  run_green_threads(green_threads_per_test(), [](int) { evy::sleep(1ms); });
  EXPECT_EQ(fork_and_wait(), kChildWorked);
}

// The forking fiber runs on a hub thread: in the child, that thread is the
// only one (its main thread), and its hub becomes the group's first.
TEST(MultihubFork, ChildOfAHubThreadWorks) {
  if (EVY_MULTIHUB_UNDER_TSAN)
    GTEST_SKIP() << kTsanGivesUp;
  if (hubs() == 1)
    GTEST_SKIP() << "one hub: no hub thread to fork from";
  const pid_t main_tid = ::gettid();
  std::atomic<bool> forked{false};
  std::atomic<int> status{0};
  // Several, so that one lands on a hub thread whatever the placement;
  // again if main's idle hub stole them all (a hub thread slow to start on
  // a loaded machine leaves its fresh green threads to be taken).
  for (int round = 0; round < 100 && !forked.load(); ++round)
    run_green_threads(2 * static_cast<int>(hubs()), [&](int) {
      evy::sleep(1ms);
      if (::gettid() == main_tid || forked.exchange(true))
        return;
      status = fork_and_wait();
    });
  ASSERT_TRUE(forked.load());
  EXPECT_EQ(status.load(), kChildWorked);
}

// In the child that ends by its thread's return (below), exit() runs
// LeakSanitizer, which would count the test's own live objects (the test
// fixture, gtest's state) as leaks, as it would for the original program.
std::atomic<bool> child_skips_leak_check{false};
} // namespace
extern "C" int __lsan_is_turned_off() { return child_skips_leak_check.load() ? 1 : 0; }
namespace {

// The child of a thread's fork() has that one thread, and exits with
// status 0 when it returns: it never goes on with main's code (which, in
// the original, is another thread's), whichever hub the thread runs on.
TEST(MultihubFork, ChildEndsWhenTheForkingGreenThreadReturns) {
  if (EVY_MULTIHUB_UNDER_TSAN)
    GTEST_SKIP() << kTsanGivesUp;
  const pid_t parent = ::getpid();
  int report[2];
  ASSERT_EQ(::pipe(report), 0);
  pid_t child = 0;
  evy::GreenThread forker = evy::spawn_thread([&] {
    child = ::fork();
    if (child == 0) {
      child_skips_leak_check = true;
      (void)green::write(report[1], "t", 1); // the thread's own code runs
    }
  });
  forker.join();
  if (::getpid() != parent) { // main's code, in the child: must not run
    (void)green::write(report[1], "m", 1);
    ::_exit(3);
  }
  ::close(report[1]);
  ASSERT_GT(child, 0);
  int status = -1;
  ASSERT_EQ(green::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  char seen[8] = {};
  EXPECT_EQ(green::read(report[0], seen, sizeof seen), 1);
  EXPECT_STREQ(seen, "t");
  ::close(report[0]);
}

} // namespace
