// The finder as the tool runs it (walk, then decide): what each kind of
// spelling becomes in the unit's result, a Reference or a Finding.
#include "ReferenceFinder.h"
#include "TestRules.h"

#include "clang/Frontend/FrontendAction.h"
#include "clang/Tooling/Tooling.h"

#include <gtest/gtest.h>

namespace evy {
namespace {

const char *const LibraryHeader = R"(
#pragma GCC system_header
extern "C" int wait_on(int);
extern "C" void *dlsym(void *, const char *);
namespace lib { int block(int); }
#define LIB_WAIT(x) wait_on(x)
)";

// A user header this run does not rewrite.
const char *const UserHeader = "#define USER_WAIT(x) wait_on(x)\n";

const char *const Rules = R"({
  "module": "lib",
  "header": "evy/patched/lib.h",
  "functions": {"wait_on": "green::wait_on", "lib::block": "green::block"}
})";

class ReferenceFinderTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() { RuleSetInstance = new RuleSet(rulesFromJson(Rules)); }
  static void TearDownTestSuite() { delete RuleSetInstance; }

  /// Runs the finder on Code (after #include "lib.h" and "user.h"), with
  /// only the main file rewritable.
  TranslationUnitResult find(const std::string &Code) {
    TranslationUnitResult Result;
    auto Factory = makeReferenceFinderFactory(
        *RuleSetInstance, [](const std::string &, bool IsMainFile) { return IsMainFile; },
        Result);
    Source = "#include \"lib.h\"\n#include \"user.h\"\n" + Code;
    EXPECT_TRUE(clang::tooling::runToolOnCodeWithArgs(
        Factory->create(), Source, {"-std=c++17"}, "main.cpp", "evy-unit-test",
        std::make_shared<clang::PCHContainerOperations>(),
        {{"lib.h", LibraryHeader}, {"user.h", UserHeader}}));
    return Result;
  }

  /// The text a Reference would replace.
  std::string text(const Reference &Ref) const { return Source.substr(Ref.Offset, Ref.Length); }

  static std::vector<std::string> checks(const TranslationUnitResult &Result) {
    std::vector<std::string> Checks;
    for (const Finding &F : Result.Findings)
      Checks.push_back(F.Check);
    return Checks;
  }

  static RuleSet *RuleSetInstance;
  std::string Source;
};
RuleSet *ReferenceFinderTest::RuleSetInstance = nullptr;

TEST_F(ReferenceFinderTest, CallsBecomeReferencesToTheirSpelling) {
  TranslationUnitResult R = find("int f() { return ::wait_on(1) + lib::block(2); }");
  ASSERT_EQ(R.References.size(), 2u);
  EXPECT_EQ(text(R.References[0]), "::wait_on");
  EXPECT_EQ(R.References[0].Line, 3u);
  EXPECT_EQ(R.References[0].Column, 18u);
  EXPECT_EQ(text(R.References[1]), "lib::block");
  EXPECT_FALSE(R.References[0].Kept);
  EXPECT_TRUE(R.Findings.empty());
}

TEST_F(ReferenceFinderTest, AKeptLineIsAKeptReference) {
  TranslationUnitResult R = find("int f() {\n  return wait_on(1); // evy: keep\n}");
  ASSERT_EQ(R.References.size(), 1u);
  EXPECT_TRUE(R.References[0].Kept);
}

TEST_F(ReferenceFinderTest, AUserMacroIsEditedWhereItSpellsTheName) {
  TranslationUnitResult R =
      find("#define WAIT(x) ::wait_on(x)\nint f() { return WAIT(1) + WAIT(2); }");
  ASSERT_EQ(R.References.size(), 2u); // one per expansion, merged later
  EXPECT_EQ(text(R.References[0]), "::wait_on");
  EXPECT_EQ(R.References[0].Line, 3u);
  EXPECT_EQ(R.References[0].Offset, R.References[1].Offset);
}

TEST_F(ReferenceFinderTest, MacrosThatCannotBeEditedAreFindings) {
  TranslationUnitResult R = find("#define NS lib\n#define PASTE(a, b) a##b\n"
                                 "int f() { return LIB_WAIT(1) + NS::block(2) + "
                                 "PASTE(wait_, on)(3) + USER_WAIT(4); }");
  EXPECT_TRUE(R.References.empty());
  EXPECT_EQ(checks(R), (std::vector<std::string>{"system-macro", "macro-spelling",
                                                 "macro-spelling", "header-macro"}));
  EXPECT_EQ(R.Findings[0].Message,
            "'wait_on' is used inside the system macro 'LIB_WAIT' and cannot be rewritten");
  EXPECT_EQ(R.Findings[0].Line, 5u);
}

TEST_F(ReferenceFinderTest, AUserFunctionOfAMappedNameIsPinned) {
  TranslationUnitResult R =
      find("namespace mine { int block(int); }\nint f() { return mine::block(1); }");
  EXPECT_TRUE(R.References.empty());
  ASSERT_EQ(R.Pins.size(), 1u);
  EXPECT_EQ(R.Pins[0].What, "names 'mine::block'");
  EXPECT_EQ(Source.substr(R.Pins[0].Offset, R.Pins[0].Length), "block");
}

TEST_F(ReferenceFinderTest, ASpellingWithDisagreeingUsesIsAFinding) {
  TranslationUnitResult R = find("namespace ns { struct H {}; int wait_on(H); }\n"
                                 "#define CALL(x) wait_on(x)\n"
                                 "int f() { return CALL(1) + CALL(ns::H()); }");
  EXPECT_TRUE(R.References.empty());
  EXPECT_EQ(checks(R), std::vector<std::string>{"conflicting-uses"});
}

TEST_F(ReferenceFinderTest, ASTFactsBecomeFindings) {
  TranslationUnitResult R =
      find("void *p = dlsym(nullptr, \"wait_on\");\nthread_local int t;");
  EXPECT_EQ(checks(R), (std::vector<std::string>{"late-binding", "thread-local"}));
  EXPECT_EQ(R.Findings[0].Message, "dlsym(\"wait_on\") binds the blocking 'wait_on' at run time "
                                   "and cannot be rewritten; call green::wait_on instead");
  EXPECT_EQ(R.Findings[1].Module, "thread");
}

} // namespace
} // namespace evy
