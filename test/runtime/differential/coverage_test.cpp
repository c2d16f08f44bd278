// Coverage cannot silently regress: every function of rules/*.json has a
// differential scenario or is on the commented list below.
#include "harness.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace evy::diff {
namespace {

// Rule functions without a differential scenario, and why.
const std::map<std::string, const char *> kNotCovered = {
    // The plain run shares the test process: closefrom(n) would close the
    // runtime's own fds (and gtest's) there. close_range covers the code.
    {"closefrom", "os: the plain run would close the process's fds above n"},
    // ssl: each scenario needs a TLS pair (certificate, context, handshake);
    // the ssl tests (ssl_test_support.h) run each one as the original on
    // real threads and green on fibers and compare.
    {"SSL_connect", "ssl: see ssl_error_queue_test.cpp, ssl_test.cpp"},
    {"SSL_accept", "ssl: see ssl_error_queue_test.cpp, ssl_test.cpp"},
    {"SSL_do_handshake", "ssl: see ssl_error_queue_test.cpp, ssl_test.cpp"},
    {"SSL_read", "ssl: see ssl_error_queue_test.cpp, ssl_test.cpp"},
    {"SSL_read_ex", "ssl: see ssl_error_queue_test.cpp, ssl_test.cpp"},
    {"SSL_write", "ssl: see ssl_error_queue_test.cpp, ssl_test.cpp"},
    {"SSL_write_ex", "ssl: see ssl_error_queue_test.cpp, ssl_test.cpp"},
    {"SSL_peek", "ssl: see ssl_error_queue_test.cpp, ssl_test.cpp"},
    {"SSL_peek_ex", "ssl: see ssl_error_queue_test.cpp, ssl_test.cpp"},
    {"SSL_shutdown", "ssl: see ssl_error_queue_test.cpp, ssl_test.cpp"},
    // psycopg: every call needs a PostgreSQL server. psycopg_server_test.cpp
    // compares each green call with plain libpq on a thread, against a
    // private cluster, transcript for transcript.
    {"PQconnectdb", "psycopg: see psycopg_server_test.cpp"},
    {"PQconnectdbParams", "psycopg: see psycopg_server_test.cpp"},
    {"PQsetdbLogin", "psycopg: see psycopg_server_test.cpp"},
    {"PQexec", "psycopg: see psycopg_server_test.cpp"},
    {"PQexecParams", "psycopg: see psycopg_server_test.cpp"},
    {"PQprepare", "psycopg: see psycopg_server_test.cpp"},
    {"PQexecPrepared", "psycopg: see psycopg_server_test.cpp"},
    {"PQdescribePrepared", "psycopg: see psycopg_server_test.cpp"},
    {"PQdescribePortal", "psycopg: see psycopg_server_test.cpp"},
    {"PQgetResult", "psycopg: see psycopg_server_test.cpp"},
    {"PQreset", "psycopg: see psycopg_server_test.cpp"},
    {"PQping", "psycopg: see psycopg_server_test.cpp"},
    {"PQgetCopyData", "psycopg: see psycopg_server_test.cpp"},
    {"PQputCopyData", "psycopg: see psycopg_server_test.cpp"},
    {"PQputCopyEnd", "psycopg: see psycopg_server_test.cpp"},
    {"PQflush", "psycopg: see psycopg_server_test.cpp"},
    {"PQcancel", "psycopg: see psycopg_server_test.cpp"},
    // os, stdin: a green read differs only when stdin is a pipe written
    // later; test/runtime/stdin/ runs original and green child programs.
    {"fgetc", "os: see test/runtime/stdin/stdin_test.cpp"},
    {"fgets", "os: see test/runtime/stdin/stdin_test.cpp"},
    {"fread", "os: see test/runtime/stdin/stdin_test.cpp"},
    {"fscanf", "os: see test/runtime/stdin/stdin_test.cpp"},
    {"getc", "os: see test/runtime/stdin/stdin_test.cpp"},
    {"getchar", "os: see test/runtime/stdin/stdin_test.cpp"},
    {"getdelim", "os: see test/runtime/stdin/stdin_test.cpp"},
    {"getline", "os: see test/runtime/stdin/stdin_test.cpp"},
    {"scanf", "os: see test/runtime/stdin/stdin_test.cpp"},
    {"vfscanf", "os: see test/runtime/stdin/stdin_test.cpp"},
    {"vscanf", "os: see test/runtime/stdin/stdin_test.cpp"},
    // thread (issue 12): original-vs-green tests in test/runtime/thread/.
    {"pthread_cancel", "thread: see thread/native_handle_test.cpp"},
    {"pthread_getaffinity_np", "thread: see thread/native_handle_test.cpp"},
    {"pthread_getname_np", "thread: see thread/native_handle_test.cpp"},
    {"pthread_getschedparam", "thread: see thread/native_handle_test.cpp"},
    {"pthread_kill", "thread: see thread/native_handle_test.cpp"},
    {"pthread_setaffinity_np", "thread: see thread/native_handle_test.cpp"},
    {"pthread_setname_np", "thread: see thread/native_handle_test.cpp"},
    {"pthread_setschedparam", "thread: see thread/native_handle_test.cpp"},
    {"std::async", "thread: see thread/future_test.cpp"},
    {"std::atomic_notify_all", "thread: see thread/once_atomic_test.cpp"},
    {"std::atomic_notify_one", "thread: see thread/once_atomic_test.cpp"},
    {"std::atomic_wait", "thread: see thread/once_atomic_test.cpp"},
    {"std::atomic_wait_explicit", "thread: see thread/once_atomic_test.cpp"},
    {"std::call_once", "thread: see thread/once_atomic_test.cpp"},
};

std::set<std::string> rule_functions() {
  std::set<std::string> names;
  for (const auto &entry : std::filesystem::directory_iterator(EVY_RULES_DIR)) {
    if (entry.path().extension() != ".json")
      continue;
    std::ifstream in(entry.path());
    const nlohmann::json rules = nlohmann::json::parse(in);
    if (!rules.contains("functions"))
      continue; // a list of blocking calls or an offload module: nothing greened
    for (const auto &function : rules.at("functions").items())
      names.insert(function.key());
  }
  return names;
}

std::set<std::string> covered_functions() {
  std::set<std::string> names;
  for (const Scenario &s : registry()) {
    std::istringstream words(s.functions);
    for (std::string word; words >> word;)
      names.insert(word);
  }
  return names;
}

TEST(DifferentialCoverage, EveryRuleFunctionHasAScenarioOrIsListed) {
  const std::set<std::string> rules = rule_functions();
  const std::set<std::string> covered = covered_functions();
  ASSERT_FALSE(rules.empty()) << "no rule files in " << EVY_RULES_DIR;
  for (const std::string &name : rules)
    EXPECT_TRUE(covered.count(name) || kNotCovered.count(name))
        << name << " has no differential scenario and is not on the not-covered list";
  for (const auto &[name, reason] : kNotCovered) {
    EXPECT_TRUE(rules.count(name)) << name << " is listed as not covered but is no rule function";
    EXPECT_FALSE(covered.count(name)) << name << " has a scenario now: take it off the list";
  }
  for (const std::string &name : covered)
    EXPECT_TRUE(rules.count(name)) << "a scenario claims " << name << ", no rule function";
  std::size_t count = 0;
  for (const std::string &name : rules)
    count += covered.count(name);
  std::cout << "differential coverage: " << count << " of " << rules.size()
            << " rule functions\n";
}

} // namespace
} // namespace evy::diff
