#include "BlockingCalls.h"

#include "BlockingRules.h"
#include "RuleSet.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

#include <algorithm>

namespace evy {
namespace {

using namespace clang;

/// Declared by a library (a system header), or extern "C": the rules'
/// names are matched against library declarations only, never user code
/// that happens to share a name.
bool isLibraryFunction(const FunctionDecl *Function, const SourceManager &SM) {
  if (const FunctionTemplateDecl *Template = Function->getPrimaryTemplate())
    Function = Template->getTemplatedDecl();
  if (Function->isExternC())
    return true;
  for (const Decl *Redecl : Function->redecls())
    if (SM.isInSystemHeader(SM.getExpansionLoc(Redecl->getLocation())))
      return true;
  return false;
}

/// Whether Arg is spelled as one of Names: a macro somewhere in the chain
/// of expansions that produced it (F_SETLKW, or a user macro defined as
/// F_SETLKW), or an enumerator of that name.
bool isSpelledAs(const Expr *Arg, const std::vector<std::string> &Names,
                 const SourceManager &SM, const LangOptions &LangOpts) {
  auto named = [&](llvm::StringRef Name) {
    return std::find(Names.begin(), Names.end(), Name) != Names.end();
  };
  Arg = Arg->IgnoreParenImpCasts();
  if (const auto *Ref = dyn_cast<DeclRefExpr>(Arg))
    if (isa<EnumConstantDecl>(Ref->getDecl()) && named(Ref->getDecl()->getName()))
      return true;
  for (SourceLocation Loc = Arg->getBeginLoc(); Loc.isMacroID();
       Loc = SM.getImmediateMacroCallerLoc(Loc))
    if (named(Lexer::getImmediateMacroName(Loc, SM, LangOpts)))
      return true;
  return false;
}

/// A std::thread's (or green thread's) native_handle() call.
bool isThreadNativeHandle(const Expr *Arg) {
  const auto *Member = dyn_cast<CXXMemberCallExpr>(Arg->IgnoreParenImpCasts());
  const CXXMethodDecl *Method = Member ? Member->getMethodDecl() : nullptr;
  if (!Method || !Method->getIdentifier() || Method->getName() != "native_handle")
    return false;
  const std::string Class = Method->getParent()->getQualifiedNameAsString();
  return Class == "std::thread" || Class == "std::jthread" || Class == "evy::green::thread" ||
         Class == "evy::green::jthread";
}

class BlockingWalker : public RecursiveASTVisitor<BlockingWalker> {
public:
  BlockingWalker(ASTContext &Context, const RuleSet &Rules, const FindingSink &Report)
      : SM(Context.getSourceManager()), LangOpts(Context.getLangOpts()),
        Table(Rules.blocking()), Report(Report) {}

  // Like the rewrite, findings come from the pattern, once per template.
  bool shouldVisitTemplateInstantiations() const { return false; }

  bool VisitCallExpr(CallExpr *Call) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee || !Callee->getDeclName().isIdentifier() || !isLibraryFunction(Callee, SM))
      return true;
    checkNativeHandle(Call, *Callee);
    if (Table.empty())
      return true;
    const std::string Name = blockingName(*Callee);
    const BlockingCall *Blocking = Table.findBlocking(Name);
    if (!Blocking)
      return true;
    if (Blocking->ArgIndex >= 0 &&
        (static_cast<unsigned>(Blocking->ArgIndex) >= Call->getNumArgs() ||
         !isSpelledAs(Call->getArg(Blocking->ArgIndex), Blocking->ArgNames, SM, LangOpts)))
      return true;
    SourceLocation Where = Call->getBeginLoc();
    if (const auto *Member = dyn_cast<CXXMemberCallExpr>(Call))
      Where = Member->getExprLoc(); // "f.get()": at "get", where it happens
    Report(Where, Blocking->Unless.empty() ? "*" : "!" + Blocking->Unless, "blocking-call",
           "'" + Name + "' blocks the OS thread and every green thread on it; " +
               Blocking->Advice);
    return true;
  }

private:
  /// pthread_kill(t.native_handle(), 0) and the like: what a green thread's
  /// handle is, the runtime defines (docs/thread.md); the tool points at it.
  void checkNativeHandle(const CallExpr *Call, const FunctionDecl &Callee) {
    if (!Callee.getName().starts_with("pthread_"))
      return;
    for (const Expr *Arg : Call->arguments())
      if (isThreadNativeHandle(Arg))
        Report(Arg->getBeginLoc(), "thread", "native-handle",
               "'" + Callee.getName().str() +
                   "' receives a thread's native_handle(); a green thread has no OS "
                   "thread of its own, so the call acts on its hub's thread or fails "
                   "(see docs/thread.md)");
  }

  const SourceManager &SM;
  const LangOptions &LangOpts;
  const BlockingTable &Table;
  const FindingSink &Report;
};

} // namespace

std::string blockingName(const FunctionDecl &Function) {
  const auto *Method = dyn_cast<CXXMethodDecl>(&Function);
  if (!Method)
    return Function.getQualifiedNameAsString();
  const CXXRecordDecl *Class = Method->getParent();
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(Class))
    return Spec->getSpecializedTemplate()->getQualifiedNameAsString() + "::" +
           Method->getNameAsString();
  return Method->getQualifiedNameAsString();
}

void findBlockingCalls(ASTContext &Context, const std::vector<Decl *> &UserDecls,
                       const RuleSet &Rules, const FindingSink &Report) {
  BlockingWalker Walker(Context, Rules, Report);
  for (Decl *D : UserDecls)
    Walker.TraverseDecl(D);
}

std::pair<const Mapping *, const DeclRefExpr *>
offloadedCallee(const CallExpr *Call, const RuleSet &Rules, const SourceManager &SM) {
  const auto *Ref = dyn_cast<DeclRefExpr>(Call->getCallee()->IgnoreParenImpCasts());
  const auto *Callee = Ref ? dyn_cast<FunctionDecl>(Ref->getDecl()) : nullptr;
  if (!Callee || !Callee->getDeclName().isIdentifier() || isa<CXXMethodDecl>(Callee))
    return {nullptr, nullptr};
  const Mapping *M = Rules.blocking().findOffload(Callee->getQualifiedNameAsString());
  if (!M || !isLibraryFunction(Callee, SM))
    return {nullptr, nullptr};
  return {M, Ref};
}

bool findingApplies(const std::string &Module, const std::set<std::string> &Chosen) {
  if (Module.empty())
    return true;
  if (Module == "*")
    return !Chosen.empty();
  if (Module[0] == '!')
    return !Chosen.empty() && !Chosen.count(Module.substr(1));
  return Chosen.count(Module) != 0;
}

} // namespace evy
