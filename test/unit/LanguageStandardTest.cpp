#include "LanguageStandard.h"
#include "RuleSet.h"

#include "clang/Basic/LangOptions.h"
#include "clang/Basic/LangStandard.h"

#include <gtest/gtest.h>

namespace evy {
namespace {

TEST(LanguageStandard, ParsesOnlyTheFiveStandards) {
  EXPECT_EQ(parseCxxStandard("c++11"), 11u);
  EXPECT_EQ(parseCxxStandard("c++23"), 23u);
  for (const char *Bad : {"c++2a", "C++17", "gnu++17", "c++98", "c++26", "17", ""})
    EXPECT_FALSE(parseCxxStandard(Bad)) << Bad;
  EXPECT_EQ(cxxStandardName(17), "C++17");
  EXPECT_EQ(cxxStandardName(3), "C++03");
}

TEST(LanguageStandard, UnitStandardFromLangOptions) {
  auto standardOf = [](clang::LangStandard::Kind Kind) {
    clang::LangOptions Opts;
    std::vector<std::string> Includes;
    clang::LangOptions::setLangDefaults(Opts, clang::Language::CXX, llvm::Triple(), Includes,
                                        Kind);
    return cxxStandardOf(Opts);
  };
  EXPECT_EQ(standardOf(clang::LangStandard::lang_cxx98), 3u);
  EXPECT_EQ(standardOf(clang::LangStandard::lang_gnucxx11), 11u);
  EXPECT_EQ(standardOf(clang::LangStandard::lang_cxx14), 14u);
  EXPECT_EQ(standardOf(clang::LangStandard::lang_cxx17), 17u);
  EXPECT_EQ(standardOf(clang::LangStandard::lang_cxx20), 20u);
  EXPECT_EQ(standardOf(clang::LangStandard::lang_gnucxx23), 23u);
}

TEST(LanguageStandard, WithholdsOnlyNewerUnkeptReferences) {
  Mapping Any{"sleep", "evy::green::sleep", "time"};
  Mapping Cxx20{"std::jthread", "evy::green::jthread", "thread", true, 20};
  TranslationUnitResult Result;
  Result.References = {{"a.cpp", 10, 5, 2, 3, &Any},
                       {"a.cpp", 20, 12, 3, 3, &Cxx20},
                       {"a.cpp", 40, 12, 4, 3, &Cxx20, /*Kept=*/true}};
  withholdUnavailable(Result, 17);
  ASSERT_EQ(Result.References.size(), 2u);
  EXPECT_EQ(Result.References[0].Rule, &Any);
  EXPECT_TRUE(Result.References[1].Kept);
  ASSERT_EQ(Result.Pins.size(), 1u);
  EXPECT_EQ(Result.Pins[0].Offset, 20u);
  ASSERT_EQ(Result.Findings.size(), 1u);
  EXPECT_EQ(Result.Findings[0].Check, "unavailable-at-standard");
  EXPECT_EQ(Result.Findings[0].Module, "thread");
  EXPECT_EQ(Result.Findings[0].Message, "'std::jthread' has no green replacement before C++20 "
                                        "(this unit is C++17); left as is");

  TranslationUnitResult AtStandard;
  AtStandard.References = {{"a.cpp", 20, 12, 3, 3, &Cxx20}};
  withholdUnavailable(AtStandard, 20);
  EXPECT_EQ(AtStandard.References.size(), 1u);
  EXPECT_TRUE(AtStandard.Findings.empty());
}

TEST(LanguageStandard, RuleSinceIsReadAndShipped) {
  Diagnostics Diags(Diagnostics::Keep);
  auto Parsed = RuleSet::parseFile(
      "r.json",
      R"({"module": "m", "header": "h.h", "types": {"a::b": {"to": "g::b", "since": "c++14"},
          "a::c": "g::c"}})",
      Diags);
  ASSERT_TRUE(Parsed) << ::testing::PrintToString(Diags.lines());
  EXPECT_EQ(Parsed->second[0].To, "g::b");
  EXPECT_EQ(Parsed->second[0].Since, 14u);
  EXPECT_EQ(Parsed->second[1].Since, 0u);

  auto Rules = RuleSet::load({EVY_TEST_RULES_DIR}, Diags);
  ASSERT_TRUE(Rules) << ::testing::PrintToString(Diags.lines());
  EXPECT_EQ(Rules->findType("std::thread")->Since, 0u);
  EXPECT_EQ(Rules->findType("std::shared_timed_mutex")->Since, 14u);
  EXPECT_EQ(Rules->findType("std::shared_mutex")->Since, 17u);
  for (const char *Cxx20 : {"std::jthread", "std::latch", "std::barrier",
                            "std::counting_semaphore", "std::binary_semaphore"})
    EXPECT_EQ(Rules->findType(Cxx20)->Since, 20u) << Cxx20;
}

} // namespace
} // namespace evy
