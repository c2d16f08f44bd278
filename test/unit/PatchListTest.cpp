#include "ModuleSelection.h"

#include <gtest/gtest.h>

namespace evy {
namespace {

class PatchList : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    std::vector<std::string> Errors;
    Rules = new RuleSet(*RuleSet::load({EVY_TEST_RULES_DIR}, Errors));
  }
  static void TearDownTestSuite() { delete Rules; }
  std::set<std::string> parse(const std::string &Spec) {
    std::string Error;
    auto Modules = parsePatchList(Spec, *Rules, Error);
    EXPECT_TRUE(Modules) << Error;
    return Modules ? *Modules : std::set<std::string>{};
  }
  static RuleSet *Rules;
};
RuleSet *PatchList::Rules = nullptr;

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
  std::string Error;
  EXPECT_FALSE(parsePatchList("socket,sockets", *Rules, Error));
  EXPECT_EQ(Error, "unknown module 'sockets' in --patch; valid modules are: offload_libc os "
                   "psycopg select "
                   "socket ssl thread (also threading queue) time, and all");
  EXPECT_FALSE(parsePatchList("-nope", *Rules, Error));
  EXPECT_NE(Error.find("'nope'"), std::string::npos);
}

TEST_F(PatchList, PatchedHeaderNamesModule) {
  EXPECT_EQ(moduleOfPatchedHeader("evy/patched/socket.h", *Rules), "socket");
  EXPECT_FALSE(moduleOfPatchedHeader("sys/socket.h", *Rules));
}

} // namespace
} // namespace evy
