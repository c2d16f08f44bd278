#include "ModuleSelection.h"
#include "TestRules.h"
#include "TestSupport.h"

#include <gtest/gtest.h>

namespace evy {
namespace {

class PatchList : public ::testing::Test {
protected:
  std::set<std::string> parse(const std::string &Spec) {
    Diagnostics Diags(Diagnostics::Keep);
    auto Modules = parsePatchList(Spec, Rules, {"--patch", std::nullopt}, Diags);
    EXPECT_TRUE(Modules) << ::testing::PrintToString(Diags.lines());
    return Modules ? *Modules : std::set<std::string>{};
  }
  const RuleSet &Rules = shippedRules();
};

const std::set<std::string> All = {"os", "psycopg", "select", "socket", "ssl", "thread", "time"};

TEST_F(PatchList, EmptyAndAllMeanEveryModule) {
  EXPECT_EQ(parse(""), All);
  EXPECT_EQ(parse("all"), All);
}

TEST_F(PatchList, ListAddsImpliedModules) {
  EXPECT_EQ(parse("socket,select"), (std::set<std::string>{"select", "socket", "ssl"}));
  EXPECT_EQ(parse(" time , os "), (std::set<std::string>{"os", "time"}));
}

TEST_F(PatchList, ExclusionsStartFromAll) {
  std::set<std::string> NoSocket = All;
  NoSocket.erase("socket");
  EXPECT_EQ(parse("-socket"), NoSocket);
  EXPECT_EQ(parse("all,-socket"), NoSocket);
  // An exclusion wins over an implication.
  EXPECT_EQ(parse("socket,-ssl"), (std::set<std::string>{"socket"}));
}

TEST_F(PatchList, AliasesNameTheirModule) {
  EXPECT_EQ(parse("threading"), (std::set<std::string>{"thread"}));
  EXPECT_EQ(parse("queue,time"), (std::set<std::string>{"thread", "time"}));
}

TEST_F(PatchList, UnknownNameListsValidOnes) {
  Diagnostics Diags(Diagnostics::Keep);
  EXPECT_FALSE(parsePatchList("socket,sockets", Rules, {"--patch", std::nullopt}, Diags));
  EXPECT_FALSE(parsePatchList("-nope", Rules, {"--patch", std::nullopt}, Diags));
  ASSERT_EQ(Diags.lines().size(), 2u);
  EXPECT_EQ(
      Diags.lines()[0],
      "evy-rewrite: error: unknown module 'sockets' in --patch; valid modules are: "
      "offload_libc os psycopg select socket ssl thread (also threading queue) time, and all");
  EXPECT_NE(Diags.lines()[1].find("'nope'"), std::string::npos);
}

TEST_F(PatchList, AConfigsUnknownNameIsPlacedInTheConfig) {
  Diagnostics Diags(Diagnostics::Keep);
  EXPECT_FALSE(parsePatchList("sockets", Rules, {"'patch'", Location{"c.json", 2, 12}}, Diags));
  ASSERT_EQ(Diags.lines().size(), 1u);
  EXPECT_EQ(Diags.lines()[0].rfind("c.json:2:12: error: unknown module 'sockets' in 'patch'; ", 0),
            0u)
      << Diags.lines()[0];
}

TEST_F(PatchList, DescriptionSeparatesTheDefaultSetFromOptInModules) {
  EXPECT_EQ(describeModules(Rules),
            "Default set ('all'): os psycopg select socket ssl thread (also threading queue) time\n"
            "Opt-in, chosen by name only: offload_libc");
  RuleSet NoOptIn = rulesFromJson(R"({"module": "slowlib", "offload": ["slow_io"]})");
  EXPECT_EQ(describeModules(NoOptIn), "Default set ('all'): slowlib");
}

TEST_F(PatchList, PatchedHeaderNamesModule) {
  EXPECT_EQ(moduleOfPatchedHeader("evy/patched/socket.h", Rules), "socket");
  EXPECT_FALSE(moduleOfPatchedHeader("sys/socket.h", Rules));
}

} // namespace
} // namespace evy
