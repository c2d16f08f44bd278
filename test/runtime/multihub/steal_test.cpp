// Stealing at spawn: a green thread placed on a hub whose OS thread is
// busy (a long computation, a real blocking call) is run by an idle hub
// instead, which keeps it for life; a fiber that has run never moves.
#include "multihub_util.h"

#include <evy/evy.h>
#include <evy/patched/thread.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <ctime>
#include <memory>
#include <vector>

#include <unistd.h>

namespace green = evy::green;
using namespace evy_multihub;
using namespace std::chrono_literals;

namespace {

// Far beyond any steal (about a millisecond): reaching it means no hub
// took the green thread.
constexpr auto kGiveUpAfter = 20s;

// real_sleep() blocks the OS thread for real (the original nanosleep, not
// a green wait): its hub cannot run anything meanwhile.
void real_sleep(std::chrono::microseconds how_long) {
  const timespec ts{0, static_cast<long>(how_long.count()) * 1000};
  ::nanosleep(&ts, nullptr);
}

// Spinners keep every hub but one busy: green threads that compute (never
// yield) until released, each started and seen running before the next is
// spawned, so each lands on a hub of its own. The caller spins meanwhile,
// so that its own hub stays busy too and takes none of them.
class Spinners {
public:
  explicit Spinners(int count) {
    for (int i = 0; i < count; ++i) {
      threads_.emplace_back([this] {
        tids_[started_.load()] = ::gettid();
        ++started_;
        while (!released_.load())
          ; // busy: this hub's thread runs nothing else
      });
      while (started_.load() != i + 1)
        ;
    }
  }
  ~Spinners() {
    released_ = true;
    for (auto &t : threads_)
      t.join();
  }
  std::vector<pid_t> tids() const {
    return std::vector<pid_t>(tids_, tids_ + started_.load());
  }

private:
  std::atomic<bool> released_{false};
  std::atomic<int> started_{0};
  pid_t tids_[64] = {};
  std::vector<green::thread> threads_;
};

// Main's hub is the busy one: the other hubs run spinners but one, whose
// only fiber waits on a latch. Every hub then counts one fiber (main's
// counts main), so the new green thread goes to slot 0, main's hub, whose
// thread is in a real sleep until the green thread has run: only the idle
// hub can run it, by taking it.
TEST(MultihubSteal, IdleHubTakesAGreenThreadFromABlockedHub) {
  if (hubs() == 1)
    GTEST_SKIP() << "one hub: nothing to steal for";
  Spinners spinners(static_cast<int>(hubs()) - 2);
  green::latch release_idle(1);
  std::atomic<pid_t> idle_tid{0};
  green::thread idle_hub_fiber([&] {
    idle_tid = ::gettid();
    release_idle.wait();
  });
  while (idle_tid.load() == 0)
    ;
  std::atomic<pid_t> ran_on{0};
  green::thread fresh([&] { ran_on = ::gettid(); });
  const auto give_up = std::chrono::steady_clock::now() + kGiveUpAfter;
  while (ran_on.load() == 0 && std::chrono::steady_clock::now() < give_up)
    real_sleep(500us);
  EXPECT_EQ(ran_on.load(), idle_tid.load());
  EXPECT_NE(ran_on.load(), ::gettid());
  for (pid_t spinner : spinners.tids())
    EXPECT_NE(ran_on.load(), spinner);
  release_idle.count_down();
  idle_hub_fiber.join();
  fresh.join(); // hangs (and the test times out) if it never ran
}

// A hub thread is the busy one: main's hub counts many fibers (parked
// evy::spawn ones), so main's new green thread goes to a spinner's hub;
// main waits, and its hub, idle, is the only one that can run it.
TEST(MultihubSteal, IdleMainHubTakesAGreenThreadFromAComputingHub) {
  if (hubs() == 1)
    GTEST_SKIP() << "one hub: nothing to steal for";
  constexpr int kParked = 8;
  green::latch release_parked(1);
  std::vector<evy::GreenThread> parked;
  for (int i = 0; i < kParked; ++i)
    parked.push_back(evy::spawn([&] { release_parked.wait(); }));
  std::atomic<pid_t> ran_on{0};
  std::unique_ptr<green::thread> fresh;
  {
    Spinners spinners(static_cast<int>(hubs()) - 1);
    // The spinners' hubs count one fiber each, main's 1 + kParked: the
    // new green thread goes to a spinner's hub.
    fresh = std::make_unique<green::thread>([&] { ran_on = ::gettid(); });
    const auto give_up = std::chrono::steady_clock::now() + kGiveUpAfter;
    while (ran_on.load() == 0 && std::chrono::steady_clock::now() < give_up)
      evy::sleep(1ms); // main waits: its hub is idle
    EXPECT_EQ(ran_on.load(), ::gettid());
  }
  release_parked.count_down();
  for (auto &p : parked)
    p.join();
  fresh->join();
}

// Started fibers never move, while stealing goes on around them: main
// spawns green threads with real sleeps in between (so that those placed
// on its hub wait long enough to be taken), and each checks its OS thread,
// its thread_local and errno addresses across every kind of wait.
TEST(MultihubSteal, StartedFibersNeverMoveWhileOthersAreStolen) {
  green::mutex shared;
  green::condition_variable changed;
  int turns = 0;
  std::atomic<int> moved{0};
  std::vector<green::thread> threads;
  const int n = 4 * static_cast<int>(hubs());
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&] {
      const Whereabouts here;
      for (int round = 0; round < 60; ++round) {
        switch (round % 5) {
        case 0:
        case 1:
        case 2:
          wait_through_hub(round % 5, std::chrono::microseconds(100 * (round % 7)));
          break;
        case 3: {
          std::lock_guard<green::mutex> lock(shared);
          ++turns;
          changed.notify_all();
          break;
        }
        case 4: {
          std::unique_lock<green::mutex> lock(shared);
          changed.wait_for(lock, 1ms);
          break;
        }
        }
        if (!here.unchanged())
          ++moved;
      }
    });
    real_sleep(2ms);
  }
  for (auto &t : threads)
    t.join();
  EXPECT_EQ(moved.load(), 0);
  EXPECT_EQ(turns, n * 12);
}

} // namespace
