#include "ReferenceFinder.h"

#include "BlockingCalls.h"
#include "LanguageStandard.h"
#include "ModuleSelection.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/Support/Path.h"

#include <cctype>
#include <regex>

namespace evy {
namespace {

using namespace clang;

/// What one translation unit shares between the preprocessor callbacks and
/// the AST walk: the source manager, file names and the filter.
class UnitContext {
public:
  UnitContext(const RuleSet &Rules, FileFilter Rewritable, TranslationUnitResult &Result)
      : Rules(Rules), Result(Result), Rewritable(std::move(Rewritable)) {}

  const RuleSet &Rules;
  TranslationUnitResult &Result;
  SourceManager *SM = nullptr;
  const LangOptions *LangOpts = nullptr;

  const std::string &pathOf(FileID File) {
    auto It = Paths.find(File);
    if (It != Paths.end())
      return It->second;
    OptionalFileEntryRef Entry = SM->getFileEntryRefForID(File);
    return Paths.emplace(File, Entry ? pathOf(*Entry) : "").first->second;
  }

  std::string pathOf(FileEntryRef Entry) const {
    llvm::StringRef Real = Entry.getFileEntry().tryGetRealPathName();
    if (!Real.empty())
      return Real.str();
    llvm::SmallString<256> Abs(Entry.getName());
    SM->getFileManager().makeAbsolutePath(Abs);
    llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
    return Abs.str().str();
  }

  bool isRewritable(FileID File) {
    auto It = RewritableFiles.find(File);
    if (It != RewritableFiles.end())
      return It->second;
    bool Ok = false;
    if (File == SM->getMainFileID())
      Ok = Rewritable(pathOf(File), true);
    else if (!pathOf(File).empty() && !SM->isInSystemHeader(SM->getLocForStartOfFile(File)))
      Ok = Rewritable(pathOf(File), false);
    return RewritableFiles.emplace(File, Ok).first->second;
  }

  /// Remembers the text of a file that edits or findings point into.
  void keepContents(FileID File) {
    const std::string &Path = pathOf(File);
    if (!Result.Contents.count(Path))
      Result.Contents.emplace(Path, SM->getBufferData(File).str());
  }

  void addFinding(SourceLocation Loc, const std::string &Module, const std::string &Check,
                  const std::string &Message) {
    Loc = SM->getExpansionLoc(Loc);
    FileID File = SM->getFileID(Loc);
    if (!isRewritable(File))
      return;
    keepContents(File);
    Result.Findings.push_back({pathOf(File), SM->getSpellingLineNumber(Loc),
                               SM->getSpellingColumnNumber(Loc), Module, Check, Message});
  }

private:
  FileFilter Rewritable;
  std::map<FileID, std::string> Paths;
  std::map<FileID, bool> RewritableFiles;
};

/// Records, per file, the modules its own #include <evy/patched/X.h> name,
/// and every #include in a user file (for -o --header-dir and --depfile).
class IncludeRecorder : public PPCallbacks {
public:
  explicit IncludeRecorder(UnitContext &Unit) : Unit(Unit) {}

  void InclusionDirective(SourceLocation HashLoc, const Token &, StringRef FileName, bool,
                          CharSourceRange FilenameRange, OptionalFileEntryRef Included,
                          StringRef, StringRef, const Module *, bool,
                          SrcMgr::CharacteristicKind IncludedKind) override {
    const SourceManager &SM = *Unit.SM;
    FileID File = SM.getFileID(SM.getExpansionLoc(HashLoc));
    if (std::optional<std::string> Module = moduleOfPatchedHeader(FileName.str(), Unit.Rules))
      Unit.Result.OwnPatchedModules[Unit.pathOf(File)].insert(*Module);
    if (!Included || HashLoc.isMacroID() || FilenameRange.getBegin().isMacroID() ||
        SM.isInSystemHeader(HashLoc))
      return;
    Unit.keepContents(File);
    Unit.Result.Inclusions.push_back(
        {Unit.pathOf(File), SM.getFileOffset(FilenameRange.getBegin()),
         SM.getFileOffset(FilenameRange.getEnd()) - SM.getFileOffset(FilenameRange.getBegin()),
         Unit.pathOf(*Included), IncludedKind != SrcMgr::C_User});
  }

private:
  UnitContext &Unit;
};

/// True when the line holding Offset has a "// evy: keep" or "/* evy: keep */"
/// comment: found by lexing the line, so the words inside a string literal
/// do not count.
bool isLineKept(const SourceManager &SM, FileID File, unsigned Offset,
                const LangOptions &LangOpts) {
  llvm::StringRef Buffer = SM.getBufferData(File);
  std::size_t LineStart = Buffer.rfind('\n', Offset);
  LineStart = LineStart == llvm::StringRef::npos ? 0 : LineStart + 1;
  std::size_t LineEnd = std::min(Buffer.find('\n', Offset), Buffer.size());
  if (Buffer.slice(LineStart, LineEnd).find("evy") == llvm::StringRef::npos)
    return false; // the common case, without lexing
  static const std::regex Keep(R"(^(//|/\*)\s*evy:\s*keep\b)");
  // The lexer wants a NUL after its buffer: lex a copy of the line. Token
  // locations count from the file's start, i.e. from the line's here.
  const std::string Line = Buffer.slice(LineStart, LineEnd).str();
  Lexer Raw(SM.getLocForStartOfFile(File), LangOpts, Line.c_str(), Line.c_str(),
            Line.c_str() + Line.size());
  Raw.SetCommentRetentionState(true);
  Token Tok;
  do {
    Raw.LexFromRawLexer(Tok);
    if (Tok.is(tok::comment) &&
        std::regex_search(Line.substr(SM.getFileOffset(Tok.getLocation()), Tok.getLength()), Keep))
      return true;
  } while (Tok.isNot(tok::eof));
  return false;
}

/// True when Text is Name, possibly qualified: an optional leading "::",
/// then identifiers joined by "::" ("::recv", "std :: mutex"), whitespace
/// allowed between the tokens. "std\nNS::mutex" (a qualifier from a macro
/// definition joined to its use) is two identifiers in a row: not a name.
bool spellsName(llvm::StringRef Text, llvm::StringRef Name) {
  llvm::StringRef Last;
  bool Start = true, WantIdentifier = true; // WantIdentifier: after the start or a "::"
  for (std::size_t I = 0; I < Text.size();) {
    if (std::isspace(static_cast<unsigned char>(Text[I]))) {
      ++I;
    } else if (Text.substr(I, 2) == "::") {
      if (WantIdentifier && !Start)
        return false; // "a:: ::b"
      Start = false;
      WantIdentifier = true;
      I += 2;
    } else if (isIdentifierChar(Text[I])) {
      if (!WantIdentifier)
        return false; // two identifiers in a row
      Start = false;
      std::size_t End = I;
      while (End < Text.size() && isIdentifierChar(Text[End]))
        ++End;
      Last = Text.slice(I, End);
      WantIdentifier = false;
      I = End;
    } else {
      return false;
    }
  }
  return !WantIdentifier && Last == Name;
}

llvm::StringRef unqualified(llvm::StringRef Name) {
  std::size_t Colons = Name.rfind("::");
  return Colons == llvm::StringRef::npos ? Name : Name.substr(Colons + 2);
}

class ReferenceVisitor : public RecursiveASTVisitor<ReferenceVisitor> {
  using Base = RecursiveASTVisitor<ReferenceVisitor>;

public:
  explicit ReferenceVisitor(UnitContext &Unit) : Unit(Unit), SM(*Unit.SM) {}

  // Templates are rewritten once, in the pattern.
  bool shouldVisitTemplateInstantiations() const { return false; }

  bool VisitDeclRefExpr(DeclRefExpr *E) {
    const auto *Function = dyn_cast<FunctionDecl>(E->getDecl());
    if (!Function)
      return true;
    if (const Mapping *M = functionMapping(Function))
      note(M, beginOf(E->getQualifierLoc(), E->getLocation()), E->getLocation());
    else if (Function->getIdentifier() && Unit.Rules.isMappedName(Function->getName()))
      pin(E->getLocation(), "names '" + Function->getQualifiedNameAsString() + "'");
    return true;
  }

  // A call with dependent arguments inside a template pattern.
  bool VisitUnresolvedLookupExpr(UnresolvedLookupExpr *E) {
    const Mapping *Common = nullptr;
    for (const NamedDecl *D : E->decls()) {
      const FunctionDecl *Function = D->getUnderlyingDecl()->getAsFunction();
      const Mapping *M = Function ? functionMapping(Function) : nullptr;
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
      note(Common, Begin, E->getNameLoc());
    return true;
  }

  /// After the walk of Decls: a dependent call that an instantiation
  /// resolved, by argument-dependent lookup, to a function that is not the
  /// blocking one (ns::close(Handle)) must keep its name, or that
  /// instantiation stops compiling; it is reported instead. The others are
  /// rewritten as usual. Instantiations are walked only when such calls exist.
  void finish(const std::vector<Decl *> &Decls) {
    if (PendingAdl.empty())
      return;
    std::map<SourceLocation::UIntTy, const FunctionDecl *> Resolved;
    InstantiatedCalls Calls(Resolved);
    for (Decl *D : Decls)
      Calls.TraverseDecl(D);
    for (const PendingCall &Call : PendingAdl) {
      auto Other = Resolved.find(Call.NameLoc.getRawEncoding());
      if (Other == Resolved.end() || functionMapping(Other->second) == Call.Rule) {
        note(Call.Rule, Call.Begin, Call.NameLoc);
        continue;
      }
      pin(Call.NameLoc, "calls '" + Other->second->getQualifiedNameAsString() + "'");
      Unit.addFinding(Call.NameLoc, Call.Rule->Module, "argument-dependent-call",
                      "'" + Call.Rule->From + "' also calls '" +
                          Other->second->getQualifiedNameAsString() +
                          "' here (argument-dependent lookup in an instantiation), so it "
                          "was left alone; call " + Call.Rule->To +
                          " explicitly where the blocking one is meant");
    }
    PendingAdl.clear();
  }

  bool VisitUsingDecl(UsingDecl *D) {
    // "using std::thread::thread;" inherits constructors: only the qualifier
    // names the type; the constructor name itself must stay as written.
    if (D->getNameInfo().getName().getNameKind() == DeclarationName::CXXConstructorName)
      Handled.insert(D->getNameInfo().getLoc().getRawEncoding());
    for (const UsingShadowDecl *Shadow : D->shadows())
      if (const Mapping *M = declMapping(Shadow->getTargetDecl())) {
        SourceLocation NameLoc = D->getNameInfo().getLoc();
        note(M, beginOf(D->getQualifierLoc(), NameLoc), NameLoc);
        break;
      }
    return true;
  }

  bool VisitElaboratedTypeLoc(ElaboratedTypeLoc TL) {
    auto [M, NameLoc] = typeMapping(TL.getNamedTypeLoc());
    if (M) {
      note(M, beginOf(TL.getQualifierLoc(), NameLoc), NameLoc);
      Handled.insert(NameLoc.getRawEncoding());
    }
    return true;
  }

  bool VisitTypeLoc(TypeLoc TL) {
    if (TL.getAs<ElaboratedTypeLoc>())
      return true;
    auto [M, NameLoc] = typeMapping(TL);
    if (!M) {
      if (auto [Named, Loc] = namedType(TL);
          Named && Named->getIdentifier() && Unit.Rules.isMappedName(Named->getName()))
        pin(Loc, "names '" + Named->getQualifiedNameAsString() + "'");
      return true;
    }
    if (Handled.count(NameLoc.getRawEncoding()))
      return true;
    // A deduced template name (CTAD) keeps no location for its qualifier.
    SourceLocation Begin = TL.getAs<DeducedTemplateSpecializationTypeLoc>()
                               ? backOverQualifier(NameLoc)
                               : NameLoc;
    note(M, Begin, NameLoc);
    return true;
  }

  // "std::thread::id", "std::thread::hardware_concurrency()": the mapped
  // type is a component of a qualifier; the edit spans the prefix too.
  bool TraverseNestedNameSpecifierLoc(NestedNameSpecifierLoc Q) {
    if (Q && Q.getTypeLoc()) {
      auto [M, NameLoc] = typeMapping(Q.getTypeLoc());
      if (M) {
        note(M, Q.getBeginLoc(), NameLoc);
        Handled.insert(NameLoc.getRawEncoding());
      }
    }
    return Base::TraverseNestedNameSpecifierLoc(Q);
  }

  bool VisitCallExpr(CallExpr *Call) {
    if (auto [M, Ref] = offloadedCallee(Call, Unit.Rules, SM); M) // BlockingCalls.h
      note(M, beginOf(Ref->getQualifierLoc(), Ref->getLocation()), Ref->getLocation());
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee || !Callee->getIdentifier() || Call->getNumArgs() < 2)
      return true;
    llvm::StringRef Name = Callee->getName();
    if (Name != "dlsym" && Name != "dlvsym")
      return true;
    const auto *Literal = dyn_cast<StringLiteral>(Call->getArg(1)->IgnoreParenImpCasts());
    if (!Literal || Literal->getCharByteWidth() != 1)
      return true;
    if (const Mapping *M = Unit.Rules.findFunction(Literal->getString().str()))
      Unit.addFinding(Literal->getBeginLoc(), M->Module, "late-binding",
                      Name.str() + "(\"" + M->From + "\") binds the blocking '" + M->From +
                          "' at run time and cannot be rewritten; call " + M->To +
                          " instead");
    return true;
  }

  bool VisitVarDecl(VarDecl *Var) {
    if (Var->getTLSKind() != VarDecl::TLS_None)
      Unit.addFinding(Var->getLocation(), "thread", "thread-local",
                      "thread-local variable '" + Var->getNameAsString() +
                          "' is shared by every green thread of one OS thread");
    return true;
  }

private:
  using TypeMatch = std::pair<const Mapping *, SourceLocation>;

  struct PendingCall {
    const Mapping *Rule;
    SourceLocation Begin, NameLoc;
  };

  /// The callee each instantiated call resolved to, by the location of its
  /// name (an instantiation keeps the pattern's locations). Where several
  /// instantiations differ, one that is not the blocking function is kept.
  class InstantiatedCalls : public RecursiveASTVisitor<InstantiatedCalls> {
  public:
    explicit InstantiatedCalls(std::map<SourceLocation::UIntTy, const FunctionDecl *> &Out)
        : Out(Out) {}
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
    std::map<SourceLocation::UIntTy, const FunctionDecl *> &Out;
  };

  bool isLibraryDecl(const Decl *D) const {
    for (const Decl *Redecl : D->redecls())
      if (SM.isInSystemHeader(SM.getExpansionLoc(Redecl->getLocation())))
        return true;
    return false;
  }

  const Mapping *functionMapping(const FunctionDecl *Function) const {
    const Mapping *M = Unit.Rules.findFunction(Function->getQualifiedNameAsString());
    if (!M)
      return nullptr;
    if (const FunctionTemplateDecl *Template = Function->getPrimaryTemplate())
      Function = Template->getTemplatedDecl();
    // Declared by the library, or an extern "C" redeclaration of it.
    return Function->isExternC() || isLibraryDecl(Function) ? M : nullptr;
  }

  const Mapping *typeDeclMapping(const NamedDecl *D) const {
    if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(D))
      D = Spec->getSpecializedTemplate();
    const Mapping *M = Unit.Rules.findType(D->getQualifiedNameAsString());
    return M && isLibraryDecl(D) ? M : nullptr;
  }

  const Mapping *declMapping(const NamedDecl *D) const {
    if (const FunctionDecl *Function = D->getAsFunction())
      return functionMapping(Function);
    if (isa<TypeDecl>(D) || isa<TemplateDecl>(D))
      return typeDeclMapping(D);
    return nullptr;
  }

  /// The declaration a type spelling names, and where its name is.
  static std::pair<const NamedDecl *, SourceLocation> namedType(TypeLoc TL) {
    TL = TL.getUnqualifiedLoc();
    if (auto Record = TL.getAs<RecordTypeLoc>())
      return {Record.getDecl(), Record.getNameLoc()};
    if (auto Typedef = TL.getAs<TypedefTypeLoc>())
      return {Typedef.getTypedefNameDecl(), Typedef.getNameLoc()};
    if (auto Using = TL.getAs<UsingTypeLoc>())
      return {Using.getFoundDecl()->getTargetDecl(), Using.getNameLoc()};
    if (auto Spec = TL.getAs<TemplateSpecializationTypeLoc>())
      if (const TemplateDecl *Template = Spec.getTypePtr()->getTemplateName().getAsTemplateDecl())
        return {Template, Spec.getTemplateNameLoc()};
    if (auto Deduced = TL.getAs<DeducedTemplateSpecializationTypeLoc>())
      if (const TemplateDecl *Template =
              Deduced.getTypePtr()->getTemplateName().getAsTemplateDecl())
        return {Template, Deduced.getTemplateNameLoc()};
    return {nullptr, SourceLocation()};
  }

  TypeMatch typeMapping(TypeLoc TL) const {
    auto [Named, NameLoc] = namedType(TL);
    return {Named ? typeDeclMapping(Named) : nullptr, NameLoc};
  }

  static SourceLocation beginOf(NestedNameSpecifierLoc Qualifier, SourceLocation NameLoc) {
    return Qualifier ? Qualifier.getBeginLoc() : NameLoc;
  }

  /// Walks back from a name over "ns::" pairs and a leading "::".
  SourceLocation backOverQualifier(SourceLocation NameLoc) const {
    if (!NameLoc.isFileID())
      return NameLoc;
    auto [File, Offset] = SM.getDecomposedLoc(NameLoc);
    llvm::StringRef Buf = SM.getBufferData(File);
    unsigned Begin = Offset;
    for (;;) {
      unsigned P = Begin;
      while (P > 0 && std::isspace(static_cast<unsigned char>(Buf[P - 1])))
        --P;
      if (P < 2 || Buf.substr(P - 2, 2) != "::")
        break;
      P -= 2;
      Begin = P;
      while (P > 0 && std::isspace(static_cast<unsigned char>(Buf[P - 1])))
        --P;
      unsigned IdEnd = P;
      while (P > 0 && isIdentifierChar(Buf[P - 1]))
        --P;
      if (P == IdEnd)
        break; // a leading "::"
      Begin = P;
    }
    return NameLoc.getLocWithOffset(static_cast<int>(Begin) - static_cast<int>(Offset));
  }

  /// Records the edit of the spelling [Begin, end of the name token].
  void note(const Mapping *M, SourceLocation Begin, SourceLocation NameLoc) {
    const bool FromMacro = Begin.isMacroID() || NameLoc.isMacroID();
    auto reportMacroSpelling = [&] {
      Unit.addFinding(NameLoc, M->Module, "macro-spelling",
                      "'" + M->From + "' is spelled across a macro boundary or by token "
                                      "pasting and cannot be rewritten");
    };
    if (FromMacro) {
      SourceLocation SpelledName = SM.getSpellingLoc(NameLoc);
      if (SM.isInSystemHeader(SpelledName)) {
        llvm::StringRef Macro = Lexer::getImmediateMacroName(NameLoc, SM, *Unit.LangOpts);
        Unit.addFinding(NameLoc, M->Module, "system-macro",
                        "'" + M->From + "' is used inside the system macro '" + Macro.str() +
                            "' and cannot be rewritten");
        return;
      }
      SourceLocation SpelledBegin = SM.getSpellingLoc(Begin);
      // "NS::mutex" with NS a macro: the qualifier is spelled in the macro,
      // the name at the use; no one range of text holds both.
      if (Begin.isMacroID() != NameLoc.isMacroID() ||
          SM.getFileID(SpelledBegin) != SM.getFileID(SpelledName) ||
          SM.getFileOffset(SpelledBegin) > SM.getFileOffset(SpelledName) ||
          SM.getBufferName(SpelledName) == "<scratch space>") {
        reportMacroSpelling();
        return;
      }
      if (!Unit.isRewritable(SM.getFileID(SpelledName))) {
        // Expanded here, defined in a header this run does not rewrite: the
        // call cannot be edited at either place, and must not pass silently.
        llvm::StringRef Macro = Lexer::getImmediateMacroName(NameLoc, SM, *Unit.LangOpts);
        Unit.addFinding(NameLoc, M->Module, "header-macro",
                        "'" + M->From + "' is used inside the macro '" + Macro.str() +
                            "' from " + Unit.pathOf(SM.getFileID(SpelledName)) +
                            ", which this run does not rewrite (see --header-filter)");
        return;
      }
      Begin = SpelledBegin;
      NameLoc = SpelledName;
    }
    FileID File = SM.getFileID(NameLoc);
    if (!Unit.isRewritable(File))
      return;
    unsigned BeginOffset = SM.getFileOffset(Begin);
    unsigned End = SM.getFileOffset(NameLoc) +
                   Lexer::MeasureTokenLength(NameLoc, SM, *Unit.LangOpts);
    llvm::StringRef Buffer = SM.getBufferData(File);
    if (!spellsName(Buffer.slice(BeginOffset, End), unqualified(M->From))) {
      if (FromMacro) {
        reportMacroSpelling();
        return;
      }
      std::string Spelled = Buffer.slice(BeginOffset, End).str();
      if (Spelled.size() > 60 || Spelled.find('\n') != std::string::npos)
        Spelled = Spelled.substr(0, std::min<std::size_t>(Spelled.find('\n'), 57)) + "...";
      Unit.addFinding(NameLoc, M->Module, "unexpected-spelling",
                      "'" + M->From + "' is spelled '" + Spelled + "' here and was left alone");
      return;
    }
    Unit.keepContents(File);
    Unit.Result.References.push_back({Unit.pathOf(File), BeginOffset, End - BeginOffset,
                                      SM.getSpellingLineNumber(Begin),
                                      SM.getSpellingColumnNumber(Begin), M,
                                      isLineKept(SM, File, BeginOffset, *Unit.LangOpts), ""});
  }

  /// Records that this unit needs the name at NameLoc (where it is
  /// spelled) kept as written: here it does What ("names 'mine::sleep'").
  void pin(SourceLocation NameLoc, const std::string &What) {
    SourceLocation Spelled = SM.getSpellingLoc(NameLoc);
    if (SM.isInSystemHeader(Spelled) || SM.getBufferName(Spelled) == "<scratch space>")
      return;
    FileID File = SM.getFileID(Spelled);
    if (!Unit.isRewritable(File))
      return;
    Unit.Result.Pins.push_back({Unit.pathOf(File), SM.getFileOffset(Spelled),
                                Lexer::MeasureTokenLength(Spelled, SM, *Unit.LangOpts),
                                SM.getSpellingLineNumber(Spelled),
                                SM.getSpellingColumnNumber(Spelled), What, ""});
  }

  UnitContext &Unit;
  const SourceManager &SM;
  std::set<SourceLocation::UIntTy> Handled; // type names already edited with their qualifier
  std::vector<PendingCall> PendingAdl;       // dependent calls open to ADL
};

class ReferenceConsumer : public ASTConsumer {
public:
  explicit ReferenceConsumer(UnitContext &Unit) : Unit(Unit) {}

  void HandleTranslationUnit(ASTContext &Context) override {
    SourceManager &SM = Context.getSourceManager();
    Unit.keepContents(SM.getMainFileID());
    ReferenceVisitor Visitor(Unit);
    // Only user code is walked: system headers cost nothing beyond parsing.
    std::vector<Decl *> UserDecls;
    for (Decl *D : Context.getTranslationUnitDecl()->decls()) {
      SourceLocation Loc = SM.getExpansionLoc(D->getLocation());
      if (Loc.isInvalid() || SM.isInSystemHeader(Loc) || !Unit.isRewritable(SM.getFileID(Loc)))
        continue;
      Visitor.TraverseDecl(D);
      UserDecls.push_back(D);
    }
    Visitor.finish(UserDecls);
    findBlockingCalls(Context, UserDecls, Unit.Rules, // BlockingCalls.h
                      [&](SourceLocation Loc, const std::string &Module, const std::string &Check,
                          const std::string &Message) {
                        auto [File, Offset] = SM.getDecomposedLoc(SM.getExpansionLoc(Loc));
                        if (!isLineKept(SM, File, Offset, *Unit.LangOpts))
                          Unit.addFinding(Loc, Module, Check, Message);
                      });
    TranslationUnitResult &Result = Unit.Result;
    if (!Context.getLangOpts().CPlusPlus) {
      // The green replacements are C++ (namespace evy::green): a C unit is
      // left alone, and what it sees in shared headers must stay as it is.
      for (const Reference &Ref : Result.References)
        Result.Pins.push_back(
            {Ref.File, Ref.Offset, Ref.Length, Ref.Line, Ref.Column, "is compiled as C", ""});
      Result.References.clear();
      Result.Findings.clear();
      Unit.addFinding(SM.getLocForStartOfFile(SM.getMainFileID()), "", "c-unit",
                      "this unit is compiled as C; evy rewrites C++ only and left it alone");
      return;
    }
    keepOnlyAgreedReferences(Result);
    withholdUnavailable(Result, cxxStandardOf(Context.getLangOpts()));
  }

  /// One spelling serving uses that disagree in this unit (a macro whose
  /// expansions call ::close and ns::close): it is left alone and reported.
  static void keepOnlyAgreedReferences(TranslationUnitResult &Result) {
    if (Result.Pins.empty())
      return;
    sortPins(Result.Pins);
    std::vector<Reference> Agreed;
    for (Reference &Ref : Result.References) {
      const Pin *Conflict = pinOverlapping(Result.Pins, Ref);
      if (!Conflict) {
        Agreed.push_back(std::move(Ref));
        continue;
      }
      Result.Findings.push_back(
          {Ref.File, Ref.Line, Ref.Column, Ref.Rule->Module, "conflicting-uses",
           "'" + Ref.Rule->From + "' here is the blocking call for one use but " +
               Conflict->What + " for another (one spelling, several uses: a macro "
               "expanded more than once?), so it was left alone; call " + Ref.Rule->To +
               " explicitly where the blocking one is meant"});
    }
    Result.References = std::move(Agreed);
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
