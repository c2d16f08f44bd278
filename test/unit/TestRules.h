// rulesFromJson(): a RuleSet from one rule file's text, for tests that need
// rules of their own (RuleSet loads files only).
#pragma once

#include "Diagnostics.h"
#include "RuleSet.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace evy {

inline RuleSet rulesFromJson(const std::string &Json) {
  auto Dir = std::filesystem::temp_directory_path() /
             ("evy-unit-rules-" + std::to_string(::getpid()));
  std::filesystem::create_directories(Dir);
  std::ofstream(Dir / "rules.json") << Json;
  Diagnostics Diags(Diagnostics::Keep);
  std::optional<RuleSet> Rules = RuleSet::load({Dir.string()}, Diags);
  std::filesystem::remove_all(Dir);
  EXPECT_TRUE(Rules) << (Diags.lines().empty() ? "" : Diags.lines().front());
  return Rules ? std::move(*Rules) : RuleSet();
}

} // namespace evy
