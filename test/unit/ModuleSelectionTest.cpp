#include "ModuleSelection.h"
#include "TestSupport.h"

#include <gtest/gtest.h>

namespace evy {
namespace {

class ChooseModules : public TempDirTest {
protected:
  ModuleChoice choose(const std::string &File,
                      const std::optional<std::set<std::string>> &Patch = std::nullopt,
                      const std::map<std::string, std::set<std::string>> &Own = {}) {
    PathConfigStore Store(Rules, Diags);
    return chooseModules(path(File), Patch, Own, Store, Rules);
  }
  const RuleSet &Rules = shippedRules();
  Diagnostics Diags{Diagnostics::Keep};
};

TEST_F(ChooseModules, NothingChosenLeavesTheFileAlone) {
  ModuleChoice Choice = choose("a.cpp");
  EXPECT_EQ(Choice.Origin, ChoiceOrigin::None);
  EXPECT_TRUE(Choice.Modules.empty());
  EXPECT_FALSE(Choice.Config);
}

TEST_F(ChooseModules, PatchWinsOverTheFilesOwnIncludes) {
  std::set<std::string> Patch{"time"};
  ModuleChoice Choice = choose("a.cpp", Patch, {{path("a.cpp"), {"socket"}}});
  EXPECT_EQ(Choice.Origin, ChoiceOrigin::PatchOption);
  EXPECT_EQ(Choice.Modules, Patch);
}

TEST_F(ChooseModules, OwnIncludesBringWhatTheyImply) {
  ModuleChoice Choice = choose("a.cpp", std::nullopt, {{path("a.cpp"), {"socket"}}});
  EXPECT_EQ(Choice.Origin, ChoiceOrigin::OwnIncludes);
  EXPECT_EQ(Choice.Modules, (std::set<std::string>{"socket", "ssl"}));
}

TEST_F(ChooseModules, AConfigsPathRuleAndExclusionWinOverPatch) {
  std::string Config = write(".evy-rewrite.json", R"({"paths": [{"glob": "lib.h", "patch": "os"}],
 "exclude": ["gen.cpp"]})");
  std::set<std::string> Patch{"time"};
  ModuleChoice Rule = choose("lib.h", Patch);
  EXPECT_EQ(Rule.Origin, ChoiceOrigin::PathRule);
  EXPECT_EQ(Rule.Modules, (std::set<std::string>{"os"}));
  ASSERT_TRUE(Rule.Config);
  EXPECT_EQ(formatLocation(*Rule.Config), Config + ":1:12");
  ModuleChoice Excluded = choose("gen.cpp", Patch);
  EXPECT_EQ(Excluded.Origin, ChoiceOrigin::Excluded);
  EXPECT_TRUE(Excluded.Modules.empty());
  ASSERT_TRUE(Excluded.Config);
  EXPECT_EQ(formatLocation(*Excluded.Config), Config + ":2:14");
}

TEST_F(ChooseModules, AConfigsDefaultComesLast) {
  std::string Config = write(".evy-rewrite.json", R"({"patch": ["time"]})");
  ModuleChoice Default = choose("a.cpp");
  EXPECT_EQ(Default.Origin, ChoiceOrigin::ConfigDefault);
  EXPECT_EQ(Default.Modules, (std::set<std::string>{"time"}));
  EXPECT_EQ(formatLocation(*Default.Config), Config + ":1:11");
  EXPECT_EQ(choose("a.cpp", std::nullopt, {{path("a.cpp"), {"os"}}}).Origin,
            ChoiceOrigin::OwnIncludes);
}

TEST_F(ChooseModules, AConfigWithoutARuleForTheFileIsNamed) {
  std::string Config = write(".evy-rewrite.json", R"({"paths": [{"glob": "other.h", "patch": "os"}]})");
  ModuleChoice Choice = choose("a.cpp");
  EXPECT_EQ(Choice.Origin, ChoiceOrigin::None);
  ASSERT_TRUE(Choice.Config);
  EXPECT_EQ(formatLocation(*Choice.Config), Config);
}

} // namespace
} // namespace evy
