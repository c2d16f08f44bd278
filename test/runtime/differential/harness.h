// The differential harness: a scenario is written once, as a template over
// an Ops set, and run twice: with Plain (the original calls, on a real OS
// thread with no fiber and no hub) and with Green (evy::green::*, inside a
// fiber). Both runs log what a caller can see (return values, errno,
// bytes, flags, revents...) and the two logs must be equal.
//
//   EVY_SCENARIO(recv_peek, "recv") {
//     Pair p = Pair::stream<Ops>();
//     plain_write(p.b, "abc");
//     char buf[8];
//     log.ret("recv", Ops::recv(p.a, buf, sizeof buf, MSG_PEEK));
//   }
//
// The functions a scenario names are its coverage claim, and the runner
// checks the claim: every named function must be called through Ops, and
// no other rule function may be.
#pragma once

#include "ops.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <ostream>
#include <string>
#include <vector>

#include <sys/types.h>

namespace evy::diff {

// Log collects one run's observations, one line each.
class Log {
public:
  // ret() records a call that returns -1 and sets errno on failure (and
  // returns the value, so the scenario can go on with it).
  long ret(const char *what, long value) {
    const int error = errno; // before anything here can touch it
    add(std::string(what) + " -> " + std::to_string(value) +
        (value == -1 ? " " + errno_name(error) : std::string()));
    return value;
  }
  // rc() records a call that returns 0 or an error number (pthread style).
  int rc(const char *what, int value) {
    add(std::string(what) + " -> " + (value == 0 ? std::string("0") : errno_name(value)));
    return value;
  }
  // note() records any other observation (bytes read, flags, revents...).
  void note(const std::string &what, const std::string &value) { add(what + " = " + value); }
  void note(const std::string &what, long value) { note(what, std::to_string(value)); }

  const std::vector<std::string> &lines() const { return lines_; }
  std::string text() const;
  static std::string errno_name(int error);

  // The OS thread running the scenario: the one a signal must interrupt.
  pid_t tid = 0;

private:
  void add(std::string line) { lines_.push_back(std::move(line)); }
  std::vector<std::string> lines_;
};

using ScenarioBody = void (*)(Log &);

struct Scenario {
  const char *name;
  const char *functions; // space-separated rule functions it covers
  ScenarioBody plain;
  ScenarioBody green;
};

std::vector<Scenario> &registry();

// gtest names a scenario by its name, not its bytes.
inline void PrintTo(const Scenario &s, std::ostream *os) { *os << s.name; }

struct Registration {
  Registration(const char *name, const char *functions, ScenarioBody plain, ScenarioBody green) {
    registry().push_back({name, functions, plain, green});
  }
};

// known_divergence() is the reason a scenario is known to differ (nullptr
// when it must match); see the list in harness.cpp.
const char *known_divergence(const char *scenario);

} // namespace evy::diff

#define EVY_SCENARIO(NAME, FUNCTIONS)                                                              \
  template <class Ops> void NAME(::evy::diff::Log &log);                                           \
  const ::evy::diff::Registration NAME##_registration{                                             \
      #NAME, FUNCTIONS, &NAME<::evy::diff::Plain>, &NAME<::evy::diff::Green>};                     \
  template <class Ops> void NAME([[maybe_unused]] ::evy::diff::Log &log)
