// Where green threads run with EVY_HUBS=N: on every hub, in parallel, never
// moving once started; evy::spawn and plain OS threads keep their fibers.
#include "multihub_util.h"

#include <evy/evy.h>
#include <evy/patched/thread.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

namespace green = evy::green;
using namespace evy_multihub;
using namespace std::chrono_literals;

namespace {

// With N hubs, 2N green threads alive at once land on all N OS threads;
// with one hub, all on the caller's. They yield (never park) until all
// have started: a hub with a fiber to run is never idle, so none of them
// is taken by another hub (stealing at spawn), whatever the timing.
TEST(MultihubPlacement, GreenThreadsLandOnEveryHub) {
  const int n = 2 * static_cast<int>(hubs());
  std::atomic<int> started{0};
  ThreadIds ids;
  run_green_threads(n, [&](int) {
    ids.add(::gettid());
    ++started;
    while (started.load() != n) // all alive together: placement sees them
      evy::yield();
  });
  if (hubs() == 1)
    EXPECT_EQ(ids.ids(), std::set<pid_t>{::gettid()});
  else
    EXPECT_EQ(ids.ids().size(), hubs());
}

// Main spins (never yields) until a green thread it started has run: only
// a green thread on another OS thread can. One hub would hang here.
TEST(MultihubPlacement, GreenThreadRunsInParallelWithItsCreator) {
  if (hubs() == 1)
    GTEST_SKIP() << "one hub: green threads run when the creator waits";
  std::atomic<bool> started{false}, answered{false};
  green::thread t([&] {
    started = true;
    while (!answered.load())
      ; // spins: the creator must be running elsewhere to answer
  });
  while (!started.load())
    ;
  answered = true;
  t.join();
}

// A fiber never moves: its OS thread, and so the addresses of its
// thread_locals and of errno (which compilers cache), stay the same across
// every kind of wait.
TEST(MultihubPlacement, GreenThreadsNeverMigrate) {
  green::mutex shared;
  std::atomic<int> moved{0};
  run_green_threads(green_threads_per_test(), [&](int) {
    const Whereabouts here;
    for (int round = 0; round < 40; ++round) {
      if (round % 4 < 3)
        wait_through_hub(round % 4, 1ms);
      else
        std::lock_guard<green::mutex>{shared};
      if (!here.unchanged())
        ++moved;
    }
  });
  EXPECT_EQ(moved.load(), 0);
}

// evy::spawn (the low-level API) keeps the fiber on the calling hub, from
// main and from a green thread on another hub alike.
TEST(MultihubPlacement, SpawnStaysOnTheCallingHub) {
  const pid_t main_tid = ::gettid();
  pid_t spawned_tid = 0;
  evy::spawn([&] { spawned_tid = ::gettid(); }).join();
  EXPECT_EQ(spawned_tid, main_tid);
  run_green_threads(green_threads_per_test(), [](int) {
    const pid_t mine = ::gettid();
    pid_t child = 0;
    evy::spawn([&] { child = ::gettid(); }).join();
    EXPECT_EQ(child, mine);
  });
}

// An OS thread outside the group (not main, not a hub thread: a real
// thread of code that was not rewritten) keeps its green threads.
TEST(MultihubPlacement, PlainThreadKeepsItsGreenThreads) {
  std::thread([] {
    const pid_t mine = ::gettid();
    pid_t child = 0;
    green::thread([&] { child = ::gettid(); }).join();
    EXPECT_EQ(child, mine);
  }).join();
}

// A green pthread may detach itself at once, on whichever hub it started:
// its id is registered before it can run.
TEST(MultihubPlacement, PthreadDetachesItselfAtOnce) {
  constexpr int kThreads = 64;
  green::counting_semaphore<kThreads> finished(0);
  std::atomic<int> failures{0};
  struct Context {
    green::counting_semaphore<kThreads> *finished;
    std::atomic<int> *failures;
  } context{&finished, &failures};
  for (int i = 0; i < kThreads; ++i) {
    pthread_t thread;
    ASSERT_EQ(green::pthread_create(
                  &thread, nullptr,
                  [](void *arg) -> void * {
                    auto &c = *static_cast<Context *>(arg);
                    if (green::pthread_detach(green::pthread_self()) != 0)
                      ++*c.failures;
                    c.finished->release();
                    return nullptr;
                  },
                  &context),
              0);
  }
  for (int i = 0; i < kThreads; ++i)
    finished.acquire();
  EXPECT_EQ(failures.load(), 0);
}

// pthread_join collects the result of a routine run on any hub.
TEST(MultihubPlacement, PthreadJoinAcrossHubs) {
  std::vector<pthread_t> threads(green_threads_per_test());
  for (std::size_t i = 0; i < threads.size(); ++i)
    ASSERT_EQ(green::pthread_create(
                  &threads[i], nullptr,
                  [](void *arg) -> void * {
                    evy::sleep(1ms);
                    return static_cast<char *>(arg) + 1;
                  },
                  reinterpret_cast<void *>(i)),
              0);
  for (std::size_t i = 0; i < threads.size(); ++i) {
    void *result = nullptr;
    ASSERT_EQ(green::pthread_join(threads[i], &result), 0);
    EXPECT_EQ(result, reinterpret_cast<void *>(i + 1));
  }
}

// Every green thread is released once joined, whichever hub it ran on.
// At most as many as before: in one process (--gtest_repeat), the detached
// green threads of an earlier test may still be ending when it starts.
// Released soon after, not at, the join: the joiner wakes when the thread
// finishes, and the thread's hub lets go of its stack once it has switched
// away from it (the counters are exact only when the runtime is idle, as
// stats.h says), so the test waits for the count with a generous deadline.
TEST(MultihubPlacement, LeavesNoFiberBehind) {
  const std::size_t before = evy::runtime_stats().live_fibers;
  run_green_threads(green_threads_per_test() * 4,
                    [](int i) { evy::sleep(std::chrono::microseconds(i)); });
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (evy::runtime_stats().live_fibers > before &&
         std::chrono::steady_clock::now() < deadline)
    evy::sleep(1ms);
  EXPECT_LE(evy::runtime_stats().live_fibers, before);
}

// Hub threads block process signals (they go to main, as the kernel sends
// them to the original's main thread) but not the synchronous faults.
TEST(MultihubPlacement, HubThreadsLeaveProcessSignalsToMain) {
#if defined(EVY_TEST_UCONTEXT_BACKEND)
  // swapcontext restores the signal mask saved with the fiber's context, so
  // under the ucontext fallback a fiber runs with its creator's mask, not its
  // hub thread's: a known limit of that backend (docs/runtime.md).
  GTEST_SKIP() << "the ucontext backend switches signal masks with contexts";
#endif
  const pid_t main_tid = ::gettid();
  std::atomic<int> on_hub_threads{0}, wrong_mask{0};
  // On a loaded machine a hub thread may start late, and main, idle in
  // the join, takes every fresh green thread (stealing at spawn): then
  // try again, until one has run on a hub thread.
  const auto give_up = std::chrono::steady_clock::now() + 10s;
  do {
    green::latch all_placed(2 * static_cast<int>(hubs()));
    run_green_threads(2 * static_cast<int>(hubs()), [&](int) {
      all_placed.arrive_and_wait();
      if (::gettid() == main_tid)
        return;
      ++on_hub_threads;
      sigset_t mask;
      pthread_sigmask(SIG_BLOCK, nullptr, &mask);
      if (!sigismember(&mask, SIGUSR1) || !sigismember(&mask, SIGINT) ||
          sigismember(&mask, SIGSEGV))
        ++wrong_mask;
    });
  } while (hubs() > 1 && on_hub_threads.load() == 0 && std::chrono::steady_clock::now() < give_up);
  EXPECT_EQ(on_hub_threads.load() > 0, hubs() > 1);
  EXPECT_EQ(wrong_mask.load(), 0);
}

// After fork the child has one OS thread: green threads it creates run
// (on hub threads started afresh), and it exits normally.
TEST(MultihubPlacement, ForkedChildStartsItsOwnHubs) {
  if (EVY_MULTIHUB_UNDER_TSAN)
    GTEST_SKIP() << "TSan does not support starting threads after a multi-threaded fork";
  run_green_threads(green_threads_per_test(), [](int) { evy::sleep(1ms); });
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::atomic<int> ran{0};
    run_green_threads(green_threads_per_test(), [&](int) {
      evy::sleep(1ms);
      ++ran;
    });
    ::_exit(ran.load() == green_threads_per_test() ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

} // namespace
