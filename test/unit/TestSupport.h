// What several unit tests share: the shipped rules, loaded once, and a
// directory of its own for each test, removed afterwards.
#pragma once

#include "RuleSet.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace evy {

/// The rules of rules/, loaded once for the whole test program.
inline const RuleSet &shippedRules() {
  static const RuleSet Rules = [] {
    Diagnostics Diags(Diagnostics::Keep);
    std::optional<RuleSet> Loaded = RuleSet::load({EVY_TEST_RULES_DIR}, Diags);
    if (!Loaded)
      ADD_FAILURE() << ::testing::PrintToString(Diags.lines());
    return Loaded ? std::move(*Loaded) : RuleSet();
  }();
  return Rules;
}

class TempDirTest : public ::testing::Test {
protected:
  void SetUp() override {
    const auto *Info = ::testing::UnitTest::GetInstance()->current_test_info();
    Dir = std::filesystem::temp_directory_path() /
          ("evy-unit-" + std::to_string(::getpid()) + "-" + Info->test_suite_name() + "-" +
           Info->name());
    std::filesystem::remove_all(Dir);
    std::filesystem::create_directories(Dir);
    Dir = std::filesystem::canonical(Dir);
  }
  void TearDown() override { std::filesystem::remove_all(Dir); }
  /// Writes Text to Name under the directory (making its parents); the path.
  std::string write(const std::string &Name, const std::string &Text) {
    std::filesystem::create_directories((Dir / Name).parent_path());
    std::ofstream(Dir / Name) << Text;
    return (Dir / Name).string();
  }
  std::string path(const std::string &Name) const { return (Dir / Name).string(); }
  std::filesystem::path Dir;
};

} // namespace evy
