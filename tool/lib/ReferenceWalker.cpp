#include "ReferenceWalker.h"

#include "BlockingCalls.h"

#include "RuleLookup.h"
#include "Spelling.h"

#include "clang/AST/RecursiveASTVisitor.h"

#include <map>
#include <set>

namespace evy {

using namespace clang;

namespace {

using CalleeByNameLoc = std::map<SourceLocation::UIntTy, const FunctionDecl *>;

/// The callee each instantiated call resolved to, by the location of its
/// name (an instantiation keeps the pattern's locations). Where several
/// instantiations differ, one that is not the blocking function is kept.
class InstantiatedCalls : public RecursiveASTVisitor<InstantiatedCalls> {
public:
  explicit InstantiatedCalls(CalleeByNameLoc &Out) : Out(Out) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool VisitCallExpr(CallExpr *Call) {
    const auto *Ref = dyn_cast<DeclRefExpr>(Call->getCallee()->IgnoreParenImpCasts());
    const auto *Callee = Ref ? dyn_cast<FunctionDecl>(Ref->getDecl()) : nullptr;
    if (!Callee)
      return true;
    auto [It, New] = Out.emplace(Ref->getLocation().getRawEncoding(), Callee);
    if (!New && It->second->getCanonicalDecl() != Callee->getCanonicalDecl() &&
        !Callee->isExternC())
      It->second = Callee;
    return true;
  }

private:
  CalleeByNameLoc &Out;
};

SourceLocation beginOf(NestedNameSpecifierLoc Qualifier, SourceLocation NameLoc) {
  return Qualifier ? Qualifier.getBeginLoc() : NameLoc;
}

} // namespace

class ReferenceWalker::Visitor : public RecursiveASTVisitor<Visitor> {
  using Base = RecursiveASTVisitor<Visitor>;

public:
  Visitor(const RuleSet &Rules, const SourceManager &SM, ReferenceSink &Sink)
      : Lookup(Rules, SM), SM(SM), Sink(Sink) {}

  // Templates are rewritten once, in the pattern.
  bool shouldVisitTemplateInstantiations() const { return false; }

  bool VisitDeclRefExpr(DeclRefExpr *E) {
    const auto *Function = dyn_cast<FunctionDecl>(E->getDecl());
    if (!Function)
      return true;
    if (const Mapping *M = Lookup.function(Function))
      Sink.reference(*M, beginOf(E->getQualifierLoc(), E->getLocation()), E->getLocation());
    else if (Lookup.sharesMappedName(Function))
      Sink.pin(E->getLocation(), "names '" + Function->getQualifiedNameAsString() + "'");
    return true;
  }

  // A call with dependent arguments inside a template pattern.
  bool VisitUnresolvedLookupExpr(UnresolvedLookupExpr *E) {
    const Mapping *Common = nullptr;
    for (const NamedDecl *D : E->decls()) {
      const FunctionDecl *Function = D->getUnderlyingDecl()->getAsFunction();
      const Mapping *M = Function ? Lookup.function(Function) : nullptr;
      if (!M || (Common && Common != M))
        return true;
      Common = M;
    }
    if (!Common)
      return true;
    SourceLocation Begin = beginOf(E->getQualifierLoc(), E->getNameLoc());
    // An unqualified call with dependent arguments also looks in the
    // arguments' namespaces when instantiated; decided in finish().
    if (E->requiresADL())
      PendingAdl.push_back({Common, Begin, E->getNameLoc()});
    else
      Sink.reference(*Common, Begin, E->getNameLoc());
    return true;
  }

  bool VisitUsingDecl(UsingDecl *D) {
    // "using std::thread::thread;" inherits constructors: only the qualifier
    // names the type; the constructor name itself must stay as written.
    if (D->getNameInfo().getName().getNameKind() == DeclarationName::CXXConstructorName)
      Handled.insert(D->getNameInfo().getLoc().getRawEncoding());
    for (const UsingShadowDecl *Shadow : D->shadows())
      if (const Mapping *M = Lookup.decl(Shadow->getTargetDecl())) {
        SourceLocation NameLoc = D->getNameInfo().getLoc();
        Sink.reference(*M, beginOf(D->getQualifierLoc(), NameLoc), NameLoc);
        break;
      }
    return true;
  }

  bool VisitElaboratedTypeLoc(ElaboratedTypeLoc TL) {
    TypeMatch Match = Lookup.typeSpelling(TL.getNamedTypeLoc());
    if (Match.Rule) {
      Sink.reference(*Match.Rule, beginOf(TL.getQualifierLoc(), Match.NameLoc), Match.NameLoc);
      Handled.insert(Match.NameLoc.getRawEncoding());
    }
    return true;
  }

  bool VisitTypeLoc(TypeLoc TL) {
    if (TL.getAs<ElaboratedTypeLoc>())
      return true;
    TypeMatch Match = Lookup.typeSpelling(TL);
    if (!Match.Rule) {
      if (NamedType Named = RuleLookup::namedType(TL);
          Named.Decl && Lookup.sharesMappedName(Named.Decl))
        Sink.pin(Named.NameLoc, "names '" + Named.Decl->getQualifiedNameAsString() + "'");
      return true;
    }
    if (Handled.count(Match.NameLoc.getRawEncoding()))
      return true;
    // A deduced template name (CTAD) keeps no location for its qualifier.
    SourceLocation Begin = TL.getAs<DeducedTemplateSpecializationTypeLoc>()
                               ? backOverQualifier(SM, Match.NameLoc)
                               : Match.NameLoc;
    Sink.reference(*Match.Rule, Begin, Match.NameLoc);
    return true;
  }

  // "std::thread::id", "std::thread::hardware_concurrency()": the mapped
  // type is a component of a qualifier; the edit spans the prefix too.
  bool TraverseNestedNameSpecifierLoc(NestedNameSpecifierLoc Q) {
    if (Q && Q.getTypeLoc()) {
      TypeMatch Match = Lookup.typeSpelling(Q.getTypeLoc());
      if (Match.Rule) {
        Sink.reference(*Match.Rule, Q.getBeginLoc(), Match.NameLoc);
        Handled.insert(Match.NameLoc.getRawEncoding());
      }
    }
    return Base::TraverseNestedNameSpecifierLoc(Q);
  }

  bool VisitCallExpr(CallExpr *Call) {
    if (auto [M, Ref] = offloadedCallee(Call, Lookup.Rules, SM); M) // BlockingCalls.h
      Sink.reference(*M, beginOf(Ref->getQualifierLoc(), Ref->getLocation()), Ref->getLocation());
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee || !Callee->getIdentifier() || Call->getNumArgs() < 2)
      return true;
    llvm::StringRef Name = Callee->getName();
    if (Name != "dlsym" && Name != "dlvsym")
      return true;
    const auto *Literal = dyn_cast<StringLiteral>(Call->getArg(1)->IgnoreParenImpCasts());
    if (!Literal || Literal->getCharByteWidth() != 1)
      return true;
    if (const Mapping *M = Lookup.Rules.findFunction(Literal->getString().str()))
      Sink.lateBinding(*M, Literal->getBeginLoc(), Name);
    return true;
  }

  bool VisitVarDecl(VarDecl *Var) {
    if (Var->getTLSKind() != VarDecl::TLS_None)
      Sink.threadLocal(*Var);
    return true;
  }

  /// After the walk of Decls: a dependent call that an instantiation
  /// resolved, by argument-dependent lookup, to a function that is not the
  /// blocking one (ns::close(Handle)) is reported as such; the others are
  /// references as usual. Instantiations are walked only when such calls exist.
  void finish(const std::vector<Decl *> &Decls) {
    if (PendingAdl.empty())
      return;
    CalleeByNameLoc Resolved;
    InstantiatedCalls Calls(Resolved);
    for (Decl *D : Decls)
      Calls.TraverseDecl(D);
    for (const PendingCall &Call : PendingAdl) {
      auto Other = Resolved.find(Call.NameLoc.getRawEncoding());
      if (Other == Resolved.end() || Lookup.function(Other->second) == Call.Rule)
        Sink.reference(*Call.Rule, Call.Begin, Call.NameLoc);
      else
        Sink.otherCallee(*Call.Rule, Call.NameLoc, *Other->second);
    }
    PendingAdl.clear();
  }

private:
  struct PendingCall {
    const Mapping *Rule;
    SourceLocation Begin, NameLoc;
  };

  RuleLookup Lookup;
  const SourceManager &SM;
  ReferenceSink &Sink;
  std::set<SourceLocation::UIntTy> Handled; // type names already reported with their qualifier
  std::vector<PendingCall> PendingAdl;       // dependent calls open to ADL
};

ReferenceWalker::ReferenceWalker(const RuleSet &Rules, const SourceManager &SM,
                                 ReferenceSink &Sink)
    : Walker(std::make_unique<Visitor>(Rules, SM, Sink)) {}

ReferenceWalker::~ReferenceWalker() = default;

void ReferenceWalker::walk(Decl &D) {
  Walker->TraverseDecl(&D);
  Walked.push_back(&D);
}

void ReferenceWalker::finish() { Walker->finish(Walked); }

} // namespace evy
