#include "ReferenceFinder.h"

#include "BlockingCalls.h"
#include "IncludeRecorder.h"
#include "ReferenceRecorder.h"
#include "ReferenceWalker.h"
#include "Spelling.h"
#include "UnitContext.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Lex/Preprocessor.h"

namespace evy {
namespace {

using namespace clang;

/// Walks the unit's user declarations into a ReferenceRecorder, then lets
/// it make the unit-wide decisions.
class ReferenceConsumer : public ASTConsumer {
public:
  explicit ReferenceConsumer(UnitContext &Unit) : Unit(Unit) {}

  void HandleTranslationUnit(ASTContext &Context) override {
    SourceManager &SM = Context.getSourceManager();
    Unit.keepContents(SM.getMainFileID());
    ReferenceRecorder Recorder(Unit);
    ReferenceWalker Walker(Unit.Rules, SM, Recorder);
    // Only user code is walked: system headers cost nothing beyond parsing.
    std::vector<Decl *> UserDecls;
    for (Decl *D : Context.getTranslationUnitDecl()->decls()) {
      SourceLocation Loc = SM.getExpansionLoc(D->getLocation());
      if (Loc.isValid() && !SM.isInSystemHeader(Loc) && Unit.isRewritable(SM.getFileID(Loc))) {
        Walker.walk(*D);
        UserDecls.push_back(D);
      }
    }
    Walker.finish();
    findBlockingCalls(Context, UserDecls, Unit.Rules, [&](SourceLocation Loc, const std::string &Module,
                                                          const std::string &Check,
                                                          const std::string &Message) {
      auto [File, Offset] = SM.getDecomposedLoc(SM.getExpansionLoc(Loc));
      if (!isLineKept(SM.getBufferData(File), Offset, *Unit.LangOpts))
        Unit.addFinding(Loc, Module, Check, Message);
    });
    Recorder.finishUnit(Context.getLangOpts());
  }

private:
  UnitContext &Unit;
};

class ReferenceFinderAction : public ASTFrontendAction {
public:
  explicit ReferenceFinderAction(std::unique_ptr<UnitContext> Unit) : Unit(std::move(Unit)) {}

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI, StringRef File) override {
    Unit->SM = &CI.getSourceManager();
    Unit->LangOpts = &CI.getLangOpts();
    Unit->Result.MainFile = File.str();
    CI.getPreprocessor().addPPCallbacks(std::make_unique<IncludeRecorder>(*Unit));
    return std::make_unique<ReferenceConsumer>(*Unit);
  }

  void EndSourceFileAction() override {
    Unit->Result.MainFile = Unit->pathOf(Unit->SM->getMainFileID());
  }

private:
  std::unique_ptr<UnitContext> Unit;
};

class ReferenceFinderFactory : public tooling::FrontendActionFactory {
public:
  ReferenceFinderFactory(const RuleSet &Rules, FileFilter Rewritable,
                         TranslationUnitResult &Result)
      : Rules(Rules), Rewritable(std::move(Rewritable)), Result(Result) {}

  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<ReferenceFinderAction>(
        std::make_unique<UnitContext>(Rules, Rewritable, Result));
  }

private:
  const RuleSet &Rules;
  FileFilter Rewritable;
  TranslationUnitResult &Result;
};

} // namespace

std::unique_ptr<tooling::FrontendActionFactory>
makeReferenceFinderFactory(const RuleSet &Rules, FileFilter Rewritable,
                           TranslationUnitResult &Result) {
  return std::make_unique<ReferenceFinderFactory>(Rules, std::move(Rewritable), Result);
}

} // namespace evy
