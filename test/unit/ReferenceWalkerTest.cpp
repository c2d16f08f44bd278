// What the walker reports for small programs against a library declared in a
// system header: the references (rule and spelled range), pins and AST facts,
// before any decision about macros, spelling or findings.
#include "ReferenceWalker.h"
#include "TestRules.h"

#include "clang/AST/ASTContext.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Lex/Lexer.h"
#include "clang/Tooling/Tooling.h"

#include <gtest/gtest.h>

namespace evy {
namespace {

using namespace clang;

const char *const LibraryHeader = R"(
#pragma GCC system_header
extern "C" int wait_on(int);
extern "C" void *dlsym(void *, const char *);
namespace lib {
int block(int);
struct lock { lock(); static int count(); struct id {}; };
template <class T> struct box { box(T); };
}
#define LIB_WAIT(x) wait_on(x)
)";

const char *const Rules = R"({
  "module": "lib",
  "header": "evy/patched/lib.h",
  "functions": {"wait_on": "green::wait_on", "lib::block": "green::block"},
  "types": {"lib::lock": "green::lock", "lib::box": "green::box"}
})";

/// Records each report as one line: "ref lib::block 'lib::block'" (the rule
/// and the text from Begin to the name's end, where it is spelled), with
/// "macro " before it when the name comes from a macro expansion.
class RecordingSink : public ReferenceSink {
public:
  RecordingSink(const SourceManager &SM, const LangOptions &LangOpts)
      : SM(SM), LangOpts(LangOpts) {}

  void reference(const Mapping &Rule, SourceLocation Begin, SourceLocation NameLoc) override {
    SourceLocation B = SM.getSpellingLoc(Begin), N = SM.getSpellingLoc(NameLoc);
    unsigned End = SM.getFileOffset(N) + Lexer::MeasureTokenLength(N, SM, LangOpts);
    llvm::StringRef Text =
        SM.getBufferData(SM.getFileID(N)).slice(SM.getFileOffset(B), End);
    Reports.push_back(std::string(NameLoc.isMacroID() ? "macro " : "") + "ref " + Rule.From +
                      " '" + Text.str() + "'");
  }
  void pin(SourceLocation NameLoc, const std::string &What) override {
    Reports.push_back("pin " + What + " at " + position(NameLoc));
  }
  void otherCallee(const Mapping &Rule, SourceLocation NameLoc,
                   const FunctionDecl &Other) override {
    Reports.push_back("adl " + Rule.From + " calls " + Other.getQualifiedNameAsString() + " at " +
                      position(NameLoc));
  }
  void lateBinding(const Mapping &Rule, SourceLocation Literal, llvm::StringRef Binder) override {
    Reports.push_back(Binder.str() + " " + Rule.From + " at " + position(Literal));
  }
  void threadLocal(const VarDecl &Var) override {
    Reports.push_back("thread_local " + Var.getNameAsString());
  }

  std::vector<std::string> Reports;

private:
  std::string position(SourceLocation Loc) const {
    Loc = SM.getSpellingLoc(Loc);
    return std::to_string(SM.getSpellingLineNumber(Loc)) + ":" +
           std::to_string(SM.getSpellingColumnNumber(Loc));
  }

  const SourceManager &SM;
  const LangOptions &LangOpts;
};

class ReferenceWalkerTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() { RuleSetInstance = new RuleSet(rulesFromJson(Rules)); }
  static void TearDownTestSuite() { delete RuleSetInstance; }

  /// Walks Code's top-level declarations as the tool does, after
  /// #include "lib.h".
  static std::vector<std::string> walk(const std::string &Code) {
    std::unique_ptr<ASTUnit> AST = tooling::buildASTFromCodeWithArgs(
        "#include \"lib.h\"\n" + Code, {"-std=c++17"}, "main.cpp", "evy-unit-test",
        std::make_shared<PCHContainerOperations>(), tooling::getClangStripDependencyFileAdjuster(),
        {{"lib.h", LibraryHeader}});
    EXPECT_TRUE(AST && !AST->getDiagnostics().hasErrorOccurred());
    if (!AST)
      return {};
    const SourceManager &SM = AST->getSourceManager();
    RecordingSink Sink(SM, AST->getLangOpts());
    ReferenceWalker Walker(*RuleSetInstance, SM, Sink);
    for (Decl *D : AST->getASTContext().getTranslationUnitDecl()->decls())
      if (SM.isInMainFile(SM.getExpansionLoc(D->getLocation())))
        Walker.walk(*D);
    Walker.finish();
    return Sink.Reports;
  }

  static RuleSet *RuleSetInstance;
};
RuleSet *ReferenceWalkerTest::RuleSetInstance = nullptr;

using Reports = std::vector<std::string>;

TEST_F(ReferenceWalkerTest, PlainAndQualifiedCalls) {
  EXPECT_EQ(walk("int f() { return wait_on(1) + ::wait_on(2) + lib::block(3) + ::lib:: block(4); }"),
            (Reports{"ref wait_on 'wait_on'", "ref wait_on '::wait_on'",
                     "ref lib::block 'lib::block'", "ref lib::block '::lib:: block'"}));
}

TEST_F(ReferenceWalkerTest, AddressOfAFunction) {
  EXPECT_EQ(walk("int (*p)(int) = &lib::block;\nauto q = wait_on;"),
            (Reports{"ref lib::block 'lib::block'", "ref wait_on 'wait_on'"}));
}

TEST_F(ReferenceWalkerTest, UsingDeclarationsAndTheirUses) {
  EXPECT_EQ(walk("using lib::block;\nusing lib::lock;\nint f() { lock l; return block(1); }"),
            (Reports{"ref lib::block 'lib::block'", "ref lib::lock 'lib::lock'",
                     "ref lib::lock 'lock'", "ref lib::block 'block'"}));
}

TEST_F(ReferenceWalkerTest, TypesInEverySpelling) {
  EXPECT_EQ(walk("lib::lock a;\nlib::box<int> b(1);\nlib::box c(2);\n"
                 "lib::lock::id d;\nint n = lib::lock::count();"),
            (Reports{"ref lib::lock 'lib::lock'", "ref lib::box 'lib::box'",
                     "ref lib::box 'lib::box'", "ref lib::lock 'lib::lock'",
                     "ref lib::lock 'lib::lock'"}));
}

TEST_F(ReferenceWalkerTest, AUserDeclarationOfAMappedNameIsPinned) {
  EXPECT_EQ(walk("namespace mine { int block(int); struct lock {}; }\n"
                 "int f() { mine::lock l; return mine::block(1); }"),
            (Reports{"pin names 'mine::lock' at 3:17", "pin names 'mine::block' at 3:38"}));
}

TEST_F(ReferenceWalkerTest, MacroExpansionsReportWhereTheMacroSpellsTheName) {
  EXPECT_EQ(walk("#define WAIT(x) ::wait_on(x)\nint f() { return WAIT(1) + LIB_WAIT(2); }"),
            (Reports{"macro ref wait_on '::wait_on'", "macro ref wait_on 'wait_on'"}));
}

TEST_F(ReferenceWalkerTest, DependentCallsWaitForTheirInstantiations) {
  EXPECT_EQ(walk("namespace ns { struct H {}; int wait_on(H); }\n"
                 "template <class T> int f(T t) { return wait_on(t); }\n"
                 "template <class T> int g(T t) { return wait_on(t); }\n"
                 "int a = f(ns::H()) + g(1);"),
            (Reports{"adl wait_on calls ns::wait_on at 3:40", "ref wait_on 'wait_on'"}));
}

TEST_F(ReferenceWalkerTest, LateBindingAndThreadLocals) {
  EXPECT_EQ(walk("void *p = dlsym(nullptr, \"wait_on\");\nvoid *q = dlsym(nullptr, \"other\");\n"
                 "thread_local int t;\nint plain;"),
            (Reports{"dlsym wait_on at 2:26", "thread_local t"}));
}

TEST_F(ReferenceWalkerTest, TemplatePatternsAreWalkedOnce) {
  EXPECT_EQ(walk("template <class T> int f(T) { return lib::block(1); }\n"
                 "int a = f(1) + f(2.0) + f('c');"),
            (Reports{"ref lib::block 'lib::block'"}));
}

} // namespace
} // namespace evy
