// green::promise, future, shared_future, packaged_task and async, each
// against its std original: same results, same future_errc codes and
// messages, but waits park fibers of one OS thread.
#include "thread_test_util.h"

#include <evy/evy.h>
#include <evy/patched/thread.h>

#include <gtest/gtest.h>

#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace green = evy::green;
using namespace evy_test;

namespace {

// error_of() runs f and returns what the future_error it throws says.
template <class F> std::pair<std::error_code, std::string> error_of(F f) {
  try {
    f();
  } catch (const std::future_error &e) {
    return {e.code(), e.what()};
  }
  return {};
}

// promise_to_main() is the program: a thread sets 42, main gets it.
template <class Promise, class Thread> int promise_to_main() {
  Promise p;
  auto f = p.get_future();
  Thread t([&p] {
    green::this_thread::sleep_for(10ms); // green or not, the getter waits first
    p.set_value(42);
  });
  const int got = f.get();
  t.join();
  return got;
}

TEST(GreenFuture, PromiseSetFromAThreadReachesGetInMain) {
  EXPECT_EQ((promise_to_main<std::promise<int>, std::thread>()), 42);
  EXPECT_EQ((promise_to_main<green::promise<int>, green::thread>()), 42);
}

TEST(GreenFuture, GetRethrowsTheStoredException) {
  auto run = [](auto p) {
    auto f = p.get_future();
    p.set_exception(std::make_exception_ptr(std::runtime_error("boom")));
    try {
      f.get();
    } catch (const std::runtime_error &e) {
      return std::string(e.what()) + (f.valid() ? " valid" : " invalid");
    }
    return std::string("no exception");
  };
  EXPECT_EQ(run(std::promise<int>()), "boom invalid");
  EXPECT_EQ(run(green::promise<int>()), "boom invalid");
}

// The future_errc cases, as codes and messages, green against std.
template <template <class> class Promise, template <class> class Future>
std::vector<std::pair<std::error_code, std::string>> promise_errors() {
  std::vector<std::pair<std::error_code, std::string>> out;
  Future<int> broken;
  {
    Promise<int> p;
    broken = p.get_future();
  }
  out.push_back(error_of([&] { broken.get(); }));
  Promise<int> p;
  auto f = p.get_future();
  out.push_back(error_of([&] { (void)p.get_future(); }));
  p.set_value(1);
  out.push_back(error_of([&] { p.set_value(2); }));
  out.push_back(error_of([&] { p.set_exception(std::make_exception_ptr(1)); }));
  Promise<int> moved_from;
  Promise<int> taker(std::move(moved_from));
  out.push_back(error_of([&] { moved_from.set_value(3); }));
  EXPECT_EQ(f.get(), 1);
  out.push_back(error_of([&] { f.get(); })); // libstdc++ checks validity: no_state
  return out;
}

TEST(GreenFuture, ErrorCodesAndMessagesAreStds) {
  const auto expected = promise_errors<std::promise, std::future>();
  EXPECT_EQ(expected[0].first, std::future_errc::broken_promise);
  EXPECT_EQ(expected[1].first, std::future_errc::future_already_retrieved);
  EXPECT_EQ(expected[2].first, std::future_errc::promise_already_satisfied);
  EXPECT_EQ((promise_errors<green::promise, green::future>()), expected);
}

TEST(GreenFuture, WaitForTimesOutThenSeesTheValue) {
  green::promise<std::string> p;
  green::future<std::string> f = p.get_future();
  EXPECT_EQ(f.wait_for(5ms), std::future_status::timeout);
  EXPECT_EQ(f.wait_until(std::chrono::system_clock::now() + 1ms), std::future_status::timeout);
  green::thread t([&p] { p.set_value("late"); });
  EXPECT_EQ(f.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(f.get(), "late");
  EXPECT_FALSE(f.valid());
  t.join();
}

TEST(GreenFuture, SharedFutureLetsEveryGreenThreadGetTheValue) {
  EVY_TEST_NEEDS_ONE_HUB(); // every reader parks within one yield of one hub
  green::promise<int> p;
  green::shared_future<int> shared = p.get_future().share();
  std::vector<int> seen;
  std::vector<green::thread> readers;
  for (int i = 0; i < 5; ++i)
    readers.emplace_back([shared, &seen] { seen.push_back(shared.get()); });
  green::this_thread::yield(); // every reader parks in get()
  EXPECT_TRUE(seen.empty());
  p.set_value(7);
  for (auto &r : readers)
    r.join();
  EXPECT_EQ(seen, std::vector<int>(5, 7));
  EXPECT_TRUE(shared.valid());
  EXPECT_EQ(&shared.get(), &green::shared_future<int>(shared).get()); // one value
}

TEST(GreenFuture, ReferenceAndVoidFutures) {
  int target = 0;
  green::promise<int &> ref;
  green::promise<void> done;
  auto rf = ref.get_future();
  auto df = done.get_future();
  green::thread t([&] {
    ref.set_value(target);
    done.set_value();
  });
  rf.get() = 9;
  df.get();
  t.join();
  EXPECT_EQ(target, 9);
}

// Live counts the instances alive: the state holds one value and destroys
// it with the last handle; an unset promise built none.
struct Live {
  static inline int count = 0;
  Live() { ++count; }
  Live(const Live &) { ++count; }
  ~Live() { --count; }
};

TEST(GreenFuture, TheValueLivesAsLongAsTheState) {
  {
    green::promise<Live> unset;
    EXPECT_EQ(Live::count, 0);
  }
  {
    green::promise<Live> p;
    green::future<Live> f = p.get_future();
    p.set_value(Live());
    EXPECT_EQ(Live::count, 1);
    Live got = f.get();
    EXPECT_EQ(Live::count, 2); // get() moved it out; the state keeps its own
  }
  EXPECT_EQ(Live::count, 0);
}

TEST(GreenPackagedTask, RunsStoresAndResets) {
  auto run = [](auto task) {
    auto f = task.get_future();
    task(20, 22);
    std::string out = std::to_string(f.get());
    out += " " + std::to_string(error_of([&] { task(1, 1); }).first.value());
    task.reset();
    auto g = task.get_future();
    task(1, 2);
    return out + " " + std::to_string(g.get());
  };
  const auto add = [](int a, int b) { return a + b; };
  const std::string expected = run(std::packaged_task<int(int, int)>(add));
  EXPECT_EQ(expected, "42 " + std::to_string(int(std::future_errc::promise_already_satisfied)) +
                          " 3");
  EXPECT_EQ(run(green::packaged_task<int(int, int)>(add)), expected);
}

TEST(GreenPackagedTask, ExceptionsAndBrokenPromise) {
  green::packaged_task<void()> thrower([] { throw std::logic_error("task"); });
  auto f = thrower.get_future();
  thrower();
  EXPECT_THROW(f.get(), std::logic_error);
  green::future<int> orphan;
  {
    green::packaged_task<int()> never([] { return 1; });
    orphan = never.get_future();
  }
  EXPECT_EQ(error_of([&] { orphan.get(); }).first, std::future_errc::broken_promise);
  green::packaged_task<int()> empty;
  EXPECT_EQ(error_of([&] { empty(); }).first, std::future_errc::no_state);
}

// The program: 100 async tasks that each sleep 100 ms. Green, they
// overlap on one OS thread: every task has started before any finishes.
TEST(GreenAsync, HundredSleepingTasksOverlapOnOneOsThread) {
  const auto os_thread = std::this_thread::get_id();
  int started = 0;
  std::vector<green::future<int>> results;
  for (int i = 0; i < 100; ++i)
    results.push_back(green::async(std::launch::async, [&, i] {
      ++started;
      EXPECT_EQ(std::this_thread::get_id(), os_thread);
      green::this_thread::sleep_for(100ms);
      return started * 1000 + i; // how many had started when this one finished
    }));
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(results[i].get(), 100 * 1000 + i);
}

TEST(GreenAsync, DeferredRunsInTheFirstGetterAsStds) {
  auto run = [](auto launch) {
    std::string log;
    auto f = launch(std::launch::deferred, [&log] {
      log += "ran;";
      return 5;
    });
    log += std::to_string(int(f.wait_for(0s))) + ";";
    log += std::to_string(f.get());
    return log;
  };
  const std::string expected = run([](auto... a) { return std::async(a...); });
  EXPECT_EQ(expected, std::to_string(int(std::future_status::deferred)) + ";ran;5");
  EXPECT_EQ(run([](auto... a) { return green::async(a...); }), expected);
}

TEST(GreenAsync, DroppedFutureWaitsForTheTaskAndDefaultPolicyIsAsync) {
  bool finished = false;
  {
    green::async(std::launch::async, [&finished] {
      green::this_thread::sleep_for(20ms);
      finished = true;
    });
    EXPECT_TRUE(finished); // the temporary future's destruction waited
  }
  auto f = green::async([] { return green::this_thread::get_id(); });
  EXPECT_EQ(f.wait_for(0s), std::future_status::timeout); // started, not deferred
  EXPECT_NE(f.get(), green::this_thread::get_id());       // on another green thread
  auto thrower = green::async(std::launch::async, [] { throw std::out_of_range("x"); });
  EXPECT_THROW(thrower.get(), std::out_of_range);
}

} // namespace
