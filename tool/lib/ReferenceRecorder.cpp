#include "ReferenceRecorder.h"

#include "LanguageStandard.h"
#include "Spelling.h"

#include "clang/Lex/Lexer.h"

#include <algorithm>

namespace evy {

using namespace clang;

namespace {

/// A spelling quoted in a message: at most 60 characters, one line.
std::string quotable(llvm::StringRef Spelled) {
  std::string Text = Spelled.str();
  if (Text.size() > 60 || Text.find('\n') != std::string::npos)
    Text = Text.substr(0, std::min<std::size_t>(Text.find('\n'), 57)) + "...";
  return Text;
}

/// One spelling serving uses that disagree in this unit (a macro whose
/// expansions call ::close and ns::close): it is left alone and reported.
void keepOnlyAgreedReferences(TranslationUnitResult &Result) {
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

} // namespace

void ReferenceRecorder::reference(const Mapping &Rule, SourceLocation Begin,
                                  SourceLocation NameLoc) {
  const bool FromMacro = Begin.isMacroID() || NameLoc.isMacroID();
  if (FromMacro && !moveOutOfMacro(Rule, Begin, NameLoc))
    return;
  recordSpelling(Rule, Begin, NameLoc, FromMacro);
}

/// A reference made by a macro expansion: moves Begin and NameLoc to where
/// the macro spells them, or reports why that text cannot be edited.
bool ReferenceRecorder::moveOutOfMacro(const Mapping &Rule, SourceLocation &Begin,
                                       SourceLocation &NameLoc) {
  SourceLocation SpelledName = SM.getSpellingLoc(NameLoc);
  if (SM.isInSystemHeader(SpelledName)) {
    llvm::StringRef Macro = Lexer::getImmediateMacroName(NameLoc, SM, *Unit.LangOpts);
    Unit.addFinding(NameLoc, Rule.Module, "system-macro",
                    "'" + Rule.From + "' is used inside the system macro '" + Macro.str() +
                        "' and cannot be rewritten");
    return false;
  }
  SourceLocation SpelledBegin = SM.getSpellingLoc(Begin);
  // "NS::mutex" with NS a macro: the qualifier is spelled in the macro,
  // the name at the use; no one range of text holds both.
  if (Begin.isMacroID() != NameLoc.isMacroID() ||
      SM.getFileID(SpelledBegin) != SM.getFileID(SpelledName) ||
      SM.getFileOffset(SpelledBegin) > SM.getFileOffset(SpelledName) ||
      SM.getBufferName(SpelledName) == "<scratch space>") {
    reportMacroSpelling(Rule, NameLoc);
    return false;
  }
  if (!Unit.isRewritable(SM.getFileID(SpelledName))) {
    // Expanded here, defined in a header this run does not rewrite: the
    // call cannot be edited at either place, and must not pass silently.
    llvm::StringRef Macro = Lexer::getImmediateMacroName(NameLoc, SM, *Unit.LangOpts);
    Unit.addFinding(NameLoc, Rule.Module, "header-macro",
                    "'" + Rule.From + "' is used inside the macro '" + Macro.str() + "' from " +
                        Unit.pathOf(SM.getFileID(SpelledName)) +
                        ", which this run does not rewrite (see --header-filter)");
    return false;
  }
  Begin = SpelledBegin;
  NameLoc = SpelledName;
  return true;
}

void ReferenceRecorder::reportMacroSpelling(const Mapping &Rule, SourceLocation NameLoc) {
  Unit.addFinding(NameLoc, Rule.Module, "macro-spelling",
                  "'" + Rule.From + "' is spelled across a macro boundary or by token "
                                    "pasting and cannot be rewritten");
}

/// Records the edit of the file text [Begin, end of the name token].
void ReferenceRecorder::recordSpelling(const Mapping &Rule, SourceLocation Begin,
                                       SourceLocation NameLoc, bool FromMacro) {
  FileID File = SM.getFileID(NameLoc);
  if (!Unit.isRewritable(File))
    return;
  unsigned BeginOffset = SM.getFileOffset(Begin);
  unsigned End =
      SM.getFileOffset(NameLoc) + Lexer::MeasureTokenLength(NameLoc, SM, *Unit.LangOpts);
  llvm::StringRef Buffer = SM.getBufferData(File);
  if (!spellsName(Buffer.slice(BeginOffset, End), unqualified(Rule.From))) {
    if (FromMacro)
      reportMacroSpelling(Rule, NameLoc);
    else
      Unit.addFinding(NameLoc, Rule.Module, "unexpected-spelling",
                      "'" + Rule.From + "' is spelled '" +
                          quotable(Buffer.slice(BeginOffset, End)) + "' here and was left alone");
    return;
  }
  Unit.keepContents(File);
  Unit.Result.References.push_back({Unit.pathOf(File), BeginOffset, End - BeginOffset,
                                    SM.getSpellingLineNumber(Begin),
                                    SM.getSpellingColumnNumber(Begin), &Rule,
                                    isLineKept(Buffer, BeginOffset, *Unit.LangOpts), ""});
}

void ReferenceRecorder::pin(SourceLocation NameLoc, const std::string &What) {
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

void ReferenceRecorder::otherCallee(const Mapping &Rule, SourceLocation NameLoc,
                                    const FunctionDecl &Other) {
  // That instantiation stops compiling if the name changes: keep it.
  const std::string OtherName = Other.getQualifiedNameAsString();
  pin(NameLoc, "calls '" + OtherName + "'");
  Unit.addFinding(NameLoc, Rule.Module, "argument-dependent-call",
                  "'" + Rule.From + "' also calls '" + OtherName +
                      "' here (argument-dependent lookup in an instantiation), so it "
                      "was left alone; call " + Rule.To +
                      " explicitly where the blocking one is meant");
}

void ReferenceRecorder::lateBinding(const Mapping &Rule, SourceLocation Literal,
                                    llvm::StringRef Binder) {
  Unit.addFinding(Literal, Rule.Module, "late-binding",
                  Binder.str() + "(\"" + Rule.From + "\") binds the blocking '" + Rule.From +
                      "' at run time and cannot be rewritten; call " + Rule.To + " instead");
}

void ReferenceRecorder::threadLocal(const VarDecl &Var) {
  Unit.addFinding(Var.getLocation(), "thread", "thread-local",
                  "thread-local variable '" + Var.getNameAsString() +
                      "' is shared by every green thread of one OS thread");
}

void ReferenceRecorder::finishUnit(const LangOptions &LangOpts) {
  TranslationUnitResult &Result = Unit.Result;
  if (!LangOpts.CPlusPlus) {
    // The green replacements are C++ (namespace evy::green): a C unit is
    // left alone, and what it sees in shared headers must stay as it is.
    for (const Reference &Ref : Result.References)
      Result.Pins.push_back({Ref, "is compiled as C", ""});
    Result.References.clear();
    Result.Findings.clear();
    Unit.addFinding(SM.getLocForStartOfFile(SM.getMainFileID()), "", "c-unit",
                    "this unit is compiled as C; evy rewrites C++ only and left it alone");
    return;
  }
  keepOnlyAgreedReferences(Result);
  withholdUnavailable(Result, cxxStandardOf(LangOpts));
}

} // namespace evy
