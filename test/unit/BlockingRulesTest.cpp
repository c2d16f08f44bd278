// The rule-file keys of what stays blocking: lists, offloads, opt-in
// modules, and when a blocking-call finding applies to a file.
#include "BlockingCalls.h"
#include "BlockingRules.h"
#include "ModuleSelection.h"

#include <gtest/gtest.h>

namespace evy {
namespace {

RuleSet bundled() {
  std::vector<std::string> Errors;
  std::optional<RuleSet> Rules = RuleSet::load({EVY_TEST_RULES_DIR}, Errors);
  EXPECT_TRUE(Rules) << (Errors.empty() ? "" : Errors.front());
  return Rules ? std::move(*Rules) : RuleSet();
}

TEST(BlockingRules, BundledListsAreLoaded) {
  RuleSet Rules = bundled();
  const BlockingCall *Curl = Rules.blocking().findBlocking("curl_easy_perform");
  ASSERT_TRUE(Curl);
  EXPECT_EQ(Curl->Unless, "");
  const BlockingCall *Fcntl = Rules.blocking().findBlocking("fcntl");
  ASSERT_TRUE(Fcntl);
  EXPECT_EQ(Fcntl->ArgIndex, 1);
  EXPECT_EQ(Fcntl->ArgNames.front(), "F_SETLKW");
  const BlockingCall *Sleep = Rules.blocking().findBlocking("sleep");
  ASSERT_TRUE(Sleep);
  EXPECT_EQ(Sleep->Unless, "time");
  // A list is not a module.
  std::vector<std::string> Names = Rules.moduleNames();
  EXPECT_EQ(std::count(Names.begin(), Names.end(), std::string()), 0);
}

TEST(BlockingRules, OffloadedFunctionsBlockUnlessTheirModule) {
  RuleSet Rules = bundled();
  const Mapping *Flock = Rules.blocking().findOffload("flock");
  ASSERT_TRUE(Flock);
  EXPECT_EQ(Flock->Module, "offload_libc");
  EXPECT_EQ(Flock->To, "evy::tpool::offload(::flock)");
  EXPECT_EQ(Rules.module("offload_libc")->Header, "evy/tpool.h");
  const BlockingCall *Call = Rules.blocking().findBlocking("flock");
  ASSERT_TRUE(Call);
  EXPECT_EQ(Call->Unless, "offload_libc");
}

TEST(BlockingRules, OptInModulesAreChosenByNameOnly) {
  RuleSet Rules = bundled();
  std::string Error;
  EXPECT_FALSE(parsePatchList("all", Rules, Error)->count("offload_libc"));
  EXPECT_FALSE(parsePatchList("-socket", Rules, Error)->count("offload_libc"));
  EXPECT_TRUE(parsePatchList("all,offload_libc", Rules, Error)->count("offload_libc"));
  EXPECT_TRUE(parsePatchList("all,offload_libc", Rules, Error)->count("socket"));
}

TEST(BlockingRules, ListFileMayHoldOnlyBlocking) {
  std::vector<std::string> Errors;
  EXPECT_TRUE(RuleSet::parseFile("l.json", R"({"blocking": {"f": "advice"}})", Errors));
  EXPECT_TRUE(Errors.empty());
  EXPECT_FALSE(RuleSet::parseFile("l.json", R"({"blocking": {"f": "a"}, "offload": ["g"]})",
                                  Errors));
  ASSERT_EQ(Errors.size(), 1u);
  EXPECT_NE(Errors[0].find("'offload' needs a 'module'"), std::string::npos) << Errors[0];
}

TEST(BlockingRules, FindingAppliesByTag) {
  const std::set<std::string> None, Socket = {"socket"}, Time = {"time", "socket"};
  EXPECT_TRUE(findingApplies("", None));
  EXPECT_FALSE(findingApplies("*", None));
  EXPECT_TRUE(findingApplies("*", Socket));
  EXPECT_FALSE(findingApplies("!time", None));
  EXPECT_TRUE(findingApplies("!time", Socket));
  EXPECT_FALSE(findingApplies("!time", Time));
  EXPECT_TRUE(findingApplies("time", Time));
  EXPECT_FALSE(findingApplies("time", Socket));
}

} // namespace
} // namespace evy
