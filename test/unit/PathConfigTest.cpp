#include "PathConfig.h"
#include "TestSupport.h"

#include <gtest/gtest.h>

namespace evy {
namespace {

TEST(PathGlobs, StarStaysInOneComponentDoubleStarCrosses) {
  EXPECT_TRUE(PathConfigStore::globMatches("third_party/*.h", "third_party/httplib.h"));
  EXPECT_FALSE(PathConfigStore::globMatches("third_party/*.h", "third_party/x/httplib.h"));
  EXPECT_TRUE(PathConfigStore::globMatches("third_party/**", "third_party/x/y.h"));
  EXPECT_TRUE(PathConfigStore::globMatches("**/*.h", "a.h"));
  EXPECT_TRUE(PathConfigStore::globMatches("**/*.h", "a/b/c.h"));
  EXPECT_TRUE(PathConfigStore::globMatches("src/?.cpp", "src/a.cpp"));
  EXPECT_FALSE(PathConfigStore::globMatches("src/a.cpp", "src/a+cpp"));
}

TEST(PathGlobs, EveryOtherCharacterIsItself) {
  EXPECT_TRUE(PathConfigStore::globMatches("a+b(1)[x]{y}^$|.h", "a+b(1)[x]{y}^$|.h"));
  EXPECT_FALSE(PathConfigStore::globMatches("a.h", "abh"));
  EXPECT_FALSE(PathConfigStore::globMatches("?", "/"));
  EXPECT_FALSE(PathConfigStore::globMatches("a", "ab"));
  EXPECT_FALSE(PathConfigStore::globMatches("ab", "a"));
  EXPECT_TRUE(PathConfigStore::globMatches("src/**/x.h", "src/x.h"));
  EXPECT_TRUE(PathConfigStore::globMatches("src/**/x.h", "src/a/b/x.h"));
  EXPECT_FALSE(PathConfigStore::globMatches("src/**/x.h", "srcx.h"));
  EXPECT_TRUE(PathConfigStore::globMatches("*", ""));
  EXPECT_FALSE(PathConfigStore::globMatches("*", "a/b"));
}

// A regex engine that recurses per character overflows the stack here.
TEST(PathGlobs, AVeryLongPathMatchesWithoutExhaustingTheStack) {
  std::string Long(200000, 'a');
  EXPECT_TRUE(PathConfigStore::globMatches("**", Long));
  EXPECT_TRUE(PathConfigStore::globMatches("*", Long));
  EXPECT_FALSE(PathConfigStore::globMatches("*.h", Long));
}

class PathConfigFiles : public TempDirTest {
protected:
  const RuleSet &Rules = shippedRules();
  Diagnostics Diags{Diagnostics::Keep};
};

TEST_F(PathConfigFiles, TheNearestConfigAppliesWithItsRulesAndPlaces) {
  std::string Config = write(".evy-rewrite.json", "{\"patch\": \"time\",\n \"paths\": [{\"glob\": "
                                                  "\"lib/*.h\", \"patch\": [\"socket\"]}],\n"
                                                  " \"exclude\": [\"gen/**\"]}");
  PathConfigStore Store(Rules, Diags);
  const PathConfig *Found = Store.configFor(path("src/a.cpp"));
  ASSERT_TRUE(Found);
  EXPECT_EQ(Found->File, Config);
  EXPECT_EQ(Found->DefaultModules, (std::set<std::string>{"time"}));
  EXPECT_EQ(formatLocation(Found->DefaultOrigin), Config + ":1:11");

  PathVerdict Lib = Store.verdictFor(path("lib/x.h"));
  EXPECT_FALSE(Lib.Excluded);
  EXPECT_EQ(Lib.Modules, (std::set<std::string>{"socket", "ssl"}));
  EXPECT_EQ(formatLocation(Lib.Origin), Config + ":2:12");
  PathVerdict Gen = Store.verdictFor(path("gen/a/b.cpp"));
  EXPECT_TRUE(Gen.Excluded);
  EXPECT_EQ(formatLocation(Gen.Origin), Config + ":3:14");
  EXPECT_FALSE(Store.verdictFor(path("src/a.cpp")).Modules);
  EXPECT_TRUE(Diags.lines().empty());
}

TEST_F(PathConfigFiles, InheritAddsTheParentsRulesAndDefault) {
  write(".evy-rewrite.json", R"({"patch": "time", "exclude": ["sub/old.cpp"]})");
  write("sub/.evy-rewrite.json", R"({"inherit": true, "paths": [{"glob": "x.h", "patch": "os"}]})");
  PathConfigStore Store(Rules, Diags);
  const PathConfig *Sub = Store.configFor(path("sub/a.cpp"));
  ASSERT_TRUE(Sub);
  EXPECT_EQ(Sub->DefaultModules, (std::set<std::string>{"time"}));
  EXPECT_TRUE(Store.verdictFor(path("sub/old.cpp")).Excluded);
  EXPECT_EQ(Store.verdictFor(path("sub/x.h")).Modules, (std::set<std::string>{"os"}));
}

TEST_F(PathConfigFiles, ABadConfigIsReportedAtItsPlacesAndCountsAsAbsent) {
  std::string Config =
      write(".evy-rewrite.json", "{\"patch\": \"sockets\",\n \"exlude\": []}");
  PathConfigStore Store(Rules, Diags);
  EXPECT_FALSE(Store.configFor(path("a.cpp")));
  ASSERT_EQ(Diags.lines().size(), 2u);
  EXPECT_EQ(Diags.lines()[0], Config + ":2:2: error: unknown key 'exlude'; expected one of: "
                                       "exclude, inherit, patch, paths");
  EXPECT_EQ(Diags.lines()[1].rfind(Config + ":1:11: error: unknown module 'sockets' in 'patch'; "
                                            "valid modules are: ",
                                   0),
            0u)
      << Diags.lines()[1];
}

TEST_F(PathConfigFiles, AConfigThatCannotBeReadSaysWhy) {
  std::filesystem::create_directories(Dir / ".evy-rewrite.json");
  PathConfigStore Store(Rules, Diags);
  EXPECT_FALSE(Store.configFor(path("a.cpp")));
  EXPECT_EQ(Diags.lines(), std::vector<std::string>{path(".evy-rewrite.json") +
                                                    ": error: cannot read: Is a directory"});
}

} // namespace
} // namespace evy
