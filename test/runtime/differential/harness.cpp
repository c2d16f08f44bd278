// The runner: every registered scenario, plain on its own OS thread, then
// green in a fiber; the logs must be equal, and each run must call every
// rule function the scenario claims to cover.
#include "harness.h"

#include <evy/evy.h>

#include <gtest/gtest.h>

#include <cstring>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <unistd.h>

namespace evy::diff {
namespace {

// Scenarios whose green run is known to differ from the original, with
// the reason. A listed scenario that matches fails (the list must shrink
// when a divergence is fixed); an unlisted one that differs fails too.
struct KnownDivergence {
  const char *scenario;
  const char *reason;
};
const KnownDivergence kKnownDivergences[] = {
    {nullptr, nullptr}, // none known; an array cannot be empty
};

std::mutex used_guard;
std::set<std::string> *used_names = nullptr; // the current run's, or none

std::set<std::string> claimed_by(const Scenario &s) {
  std::set<std::string> names;
  std::istringstream words(s.functions);
  for (std::string word; words >> word;)
    names.insert(word);
  return names;
}

template <class Run> std::set<std::string> run_noting_calls(Run run) {
  std::set<std::string> used;
  {
    std::lock_guard lock(used_guard);
    used_names = &used;
  }
  run();
  std::lock_guard lock(used_guard);
  used_names = nullptr;
  return used;
}

void expect_claims_called(const Scenario &s, const std::set<std::string> &used, const char *run) {
  for (const std::string &name : claimed_by(s))
    EXPECT_TRUE(used.count(name)) << "scenario " << s.name << " claims " << name
                                  << " but its " << run << " run never called it";
}

// Scenarios ThreadSanitizer cannot run. It defers a signal until the next
// call it intercepts, so a signal never interrupts a blocking call as the
// kernel does (the plain run hangs); and the plain runs of the pthread
// error scenarios misuse mutexes on purpose, which TSan reports and aborts
// on. They run in every other build.
bool unrunnable_under_tsan(const char *scenario) {
#if defined(__SANITIZE_THREAD__)
  static const char *const misuse[] = {"pthread_lifecycle", "mutex_normal",
                                       "mutex_errorcheck_and_recursive",
                                       "cond_errors_and_timeouts", "rwlock_errors"};
  if (std::strstr(scenario, "eintr") != nullptr)
    return true;
  for (const char *name : misuse)
    if (std::strcmp(scenario, name) == 0)
      return true;
#endif
  (void)scenario;
  return false;
}

class Differential : public ::testing::TestWithParam<Scenario> {};

TEST_P(Differential, SameAsOriginal) {
  const Scenario &s = GetParam();
  if (unrunnable_under_tsan(s.name))
    GTEST_SKIP() << "not under ThreadSanitizer: see unrunnable_under_tsan()";
  Log plain, green;
  const auto plain_used = run_noting_calls([&] {
    std::thread([&] {
      plain.tid = gettid();
      s.plain(plain);
    }).join();
  });
  const auto green_used = run_noting_calls([&] {
    evy::spawn([&] {
      green.tid = gettid();
      s.green(green);
    }).join();
  });
  expect_claims_called(s, plain_used, "plain");
  expect_claims_called(s, green_used, "green");
  if (const char *reason = known_divergence(s.name)) {
    if (plain.text() == green.text())
      FAIL() << s.name << " is listed as a known divergence (" << reason
             << ") but matches now: take it off the list";
    GTEST_SKIP() << "known divergence: " << reason << "\n--- plain\n"
                 << plain.text() << "--- green\n"
                 << green.text();
  }
  EXPECT_EQ(plain.text(), green.text()) << "scenario " << s.name;
}

INSTANTIATE_TEST_SUITE_P(Scenarios, Differential, ::testing::ValuesIn(registry()),
                         [](const ::testing::TestParamInfo<Scenario> &info) {
                           return std::string(info.param.name);
                         });

// A listed divergence must name a scenario that exists.
TEST(DifferentialHarness, KnownDivergencesNameScenarios) {
  for (const KnownDivergence &known : kKnownDivergences) {
    if (known.scenario == nullptr)
      continue;
    bool found = false;
    for (const Scenario &s : registry())
      found = found || std::strcmp(s.name, known.scenario) == 0;
    EXPECT_TRUE(found) << known.scenario;
  }
}

} // namespace

std::string Log::text() const {
  std::string all;
  for (const std::string &line : lines_)
    all += line + "\n";
  return all;
}

std::string Log::errno_name(int error) {
  const char *name = strerrorname_np(error);
  return name != nullptr ? name : "errno " + std::to_string(error);
}

std::vector<Scenario> &registry() {
  static std::vector<Scenario> scenarios;
  return scenarios;
}

void note_used(const char *name) noexcept {
  const int saved = errno;
  std::lock_guard lock(used_guard);
  if (used_names != nullptr)
    used_names->insert(name);
  errno = saved;
}

const char *known_divergence(const char *scenario) {
  for (const KnownDivergence &known : kKnownDivergences)
    if (known.scenario != nullptr && std::strcmp(known.scenario, scenario) == 0)
      return known.reason;
  return nullptr;
}

} // namespace evy::diff
