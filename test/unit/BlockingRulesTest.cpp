// The rule-file keys of what stays blocking: lists, offloads, opt-in
// modules, and when a blocking-call finding applies to a file.
#include "BlockingCalls.h"
#include "BlockingRules.h"
#include "ModuleSelection.h"
#include "TestSupport.h"

#include <gtest/gtest.h>

namespace evy {
namespace {

TEST(BlockingRules, BundledListsAreLoaded) {
  const RuleSet &Rules = shippedRules();
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
  const RuleSet &Rules = shippedRules();
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
  const RuleSet &Rules = shippedRules();
  Diagnostics Diags(Diagnostics::Keep);
  const PatchListSource Option{"--patch", std::nullopt};
  EXPECT_FALSE(parsePatchList("all", Rules, Option, Diags)->count("offload_libc"));
  EXPECT_FALSE(parsePatchList("-socket", Rules, Option, Diags)->count("offload_libc"));
  EXPECT_TRUE(parsePatchList("all,offload_libc", Rules, Option, Diags)->count("offload_libc"));
  EXPECT_TRUE(parsePatchList("all,offload_libc", Rules, Option, Diags)->count("socket"));
  EXPECT_EQ(Diags.errorCount(), 0u);
}

TEST(BlockingRules, ListFileMayHoldOnlyBlocking) {
  Diagnostics Diags(Diagnostics::Keep);
  EXPECT_TRUE(RuleSet::parseFile("l.json", R"({"blocking": {"f": "advice"}})", Diags));
  EXPECT_TRUE(Diags.lines().empty());
  EXPECT_FALSE(RuleSet::parseFile("l.json", R"({"blocking": {"f": "a"}, "offload": ["g"]})",
                                  Diags));
  std::vector<std::string> Errors = Diags.lines();
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
