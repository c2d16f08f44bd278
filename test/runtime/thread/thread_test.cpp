// green::thread, jthread and this_thread.
#include "thread_test_util.h"

#include <evy/evy.h>
#include <evy/patched/thread.h>

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <unordered_set>
#include <vector>

namespace green = evy::green;
using namespace evy_test;

namespace {

TEST(GreenThread, RunsWithDecayCopiedArgumentsAndJoins) {
  int result = 0;
  std::string text = "abc";
  green::thread t([&result](std::string s, int n) { result = static_cast<int>(s.size()) * n; },
                  text, 7);
  text.clear(); // the thread got its own copy
  EXPECT_TRUE(t.joinable());
  t.join();
  EXPECT_FALSE(t.joinable());
  EXPECT_EQ(result, 21);
}

TEST(GreenThread, RunsOnTheCreatingOsThread) {
  EVY_TEST_NEEDS_ONE_HUB();
  const auto creator = std::this_thread::get_id();
  std::thread::id seen;
  green::thread t([&] { seen = std::this_thread::get_id(); });
  t.join();
  EXPECT_EQ(seen, creator);
}

TEST(GreenThread, IdsAreDistinctAndMatchThisThread) {
  green::thread::id inside_a, inside_b;
  green::thread a([&] { inside_a = green::this_thread::get_id(); });
  green::thread b([&] { inside_b = green::this_thread::get_id(); });
  const green::thread::id id_a = a.get_id(), id_b = b.get_id();
  a.join();
  b.join();
  EXPECT_EQ(inside_a, id_a);
  EXPECT_EQ(inside_b, id_b);
  EXPECT_NE(id_a, id_b);
  EXPECT_NE(green::this_thread::get_id(), id_a);
  EXPECT_EQ(a.get_id(), green::thread::id()); // joined: no thread
  std::unordered_set<green::thread::id> ids{id_a, id_b};
  EXPECT_EQ(ids.size(), 2u);
  std::ostringstream out;
  out << green::thread::id();
  EXPECT_EQ(out.str(), "thread::id of a non-executing thread");
}

TEST(GreenThread, YieldInterleavesGreenThreads) {
  EVY_TEST_NEEDS_ONE_HUB();
  std::vector<int> order;
  auto body = [&order](int who) {
    for (int i = 0; i < 3; ++i) {
      order.push_back(who);
      green::this_thread::yield();
    }
  };
  green::thread a(body, 1), b(body, 2);
  a.join();
  b.join();
  EXPECT_EQ(order, (std::vector<int>{1, 2, 1, 2, 1, 2}));
}

TEST(GreenThread, JoinSelfThrowsResourceDeadlock) {
  EVY_TEST_NEEDS_ONE_HUB();
  green::thread t;
  std::error_code code;
  t = green::thread([&] {
    try {
      t.join();
    } catch (const std::system_error &e) {
      code = e.code();
    }
  });
  t.join();
  EXPECT_EQ(code, std::errc::resource_deadlock_would_occur);
}

TEST(GreenThread, JoinOrDetachOfNonJoinableThrowsInvalidArgument) {
  green::thread t;
  try {
    t.join();
    FAIL() << "join of a non-joinable thread did not throw";
  } catch (const std::system_error &e) {
    EXPECT_EQ(e.code(), std::errc::invalid_argument);
  }
  try {
    t.detach();
    FAIL() << "detach of a non-joinable thread did not throw";
  } catch (const std::system_error &e) {
    EXPECT_EQ(e.code(), std::errc::invalid_argument);
  }
}

TEST(GreenThread, DetachedThreadRunsOn) {
  green::binary_semaphore done(0);
  green::thread t([&] { done.release(); });
  t.detach();
  EXPECT_FALSE(t.joinable());
  EXPECT_TRUE(done.try_acquire_for(1s));
}

TEST(GreenThread, MoveAndSwapTransferOwnership) {
  int runs = 0;
  green::thread a([&] { ++runs; });
  const auto id = a.get_id();
  green::thread b(std::move(a));
  EXPECT_FALSE(a.joinable());
  EXPECT_EQ(b.get_id(), id);
  swap(a, b);
  EXPECT_EQ(a.get_id(), id);
  a.join();
  EXPECT_EQ(runs, 1);
}

TEST(GreenThread, HardwareConcurrencyAnswersAsStd) {
  EXPECT_EQ(green::thread::hardware_concurrency(), std::thread::hardware_concurrency());
  EXPECT_EQ(green::jthread::hardware_concurrency(), std::thread::hardware_concurrency());
}

TEST(GreenThreadDeathTest, DestroyingAJoinableThreadTerminates) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT({ green::thread t([] {}); }, testing::KilledBySignal(SIGABRT),
              "terminate called without an active exception");
}

TEST(GreenThreadDeathTest, MoveAssigningOverAJoinableThreadTerminates) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        green::thread t([] {});
        t = green::thread([] {});
      },
      testing::KilledBySignal(SIGABRT), "terminate called without an active exception");
}

TEST(GreenThreadDeathTest, AnExceptionEscapingAGreenThreadTerminates) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        green::thread t([] { throw std::runtime_error("escaped"); });
        t.join();
      },
      testing::KilledBySignal(SIGABRT),
      "terminate called after throwing an instance of 'std::runtime_error'.*what\\(\\): +escaped");
}

TEST(GreenJthread, PassesAStopTokenAndStopsOnDestruction) {
  EVY_TEST_NEEDS_ONE_HUB();
  std::atomic<int> loops{0};
  bool saw_stop = false;
  {
    green::jthread worker([&](std::stop_token stop) {
      while (!stop.stop_requested()) {
        ++loops;
        green::this_thread::yield();
      }
      saw_stop = true;
    });
    for (int i = 0; i < 5; ++i)
      green::this_thread::yield();
    EXPECT_TRUE(worker.joinable());
  } // ~jthread: request_stop() + join()
  EXPECT_TRUE(saw_stop);
  EXPECT_GE(loops.load(), 1);
}

TEST(GreenJthread, StopSourceAndCallbacksWork) {
  green::jthread worker(
      [](std::stop_token stop, int step) {
        int ticks = 0;
        while (!stop.stop_requested() && ticks < 1'000'000)
          ticks += step, green::this_thread::yield();
      },
      1);
  bool called = false;
  std::stop_callback callback(worker.get_stop_token(), [&] { called = true; });
  std::stop_source source = worker.get_stop_source();
  EXPECT_TRUE(source.stop_possible());
  EXPECT_TRUE(worker.request_stop());
  EXPECT_FALSE(worker.request_stop()); // only the first request counts
  EXPECT_TRUE(called);
  worker.join();
  EXPECT_FALSE(worker.joinable());
}

TEST(GreenJthread, WithoutAStopTokenParameterJustRuns) {
  int value = 0;
  {
    green::jthread worker([&](int v) { value = v; }, 42);
  }
  EXPECT_EQ(value, 42);
}

TEST(GreenJthread, StopRequestWakesAConditionVariableAnyWait) {
  green::mutex m;
  green::condition_variable_any cv;
  bool woke_by_stop = false;
  green::jthread waiter([&](std::stop_token stop) {
    std::unique_lock lock(m);
    const bool ready = cv.wait(lock, stop, [] { return false; });
    woke_by_stop = !ready && stop.stop_requested() && lock.owns_lock();
  });
  for (int i = 0; i < 3; ++i)
    green::this_thread::yield(); // let it park
  waiter.request_stop();
  waiter.join();
  EXPECT_TRUE(woke_by_stop);
}

TEST(GreenThread, IsMonkeyPatchedAnswersForThreadAndItsMembers) {
  EXPECT_TRUE(evy::is_monkey_patched("thread"));
  EXPECT_TRUE(evy::is_monkey_patched("threading"));
  EXPECT_TRUE(evy::is_monkey_patched("queue"));
}

} // namespace
