// ReferenceRecorder: the decision step after the walk. It turns what the
// ReferenceWalker reports into the unit's References, Pins and Findings:
//  - macros: a name spelled by a system macro, across a macro boundary or by
//    token pasting, or in a macro of a header this run does not rewrite is
//    reported, not edited; otherwise the edit lands where the macro spells it;
//  - spelling: the text about to be edited is re-checked lexically to spell
//    the rule's name (spellsName), and a line marked "// evy: keep" is kept;
//  - findings: the walker's AST facts (dlsym, thread_local, calls that ADL
//    sends elsewhere) become findings with their messages.
// finishUnit() applies the unit-wide decisions once the walk is done.
#pragma once

#include "ReferenceWalker.h"
#include "UnitContext.h"

namespace evy {

class ReferenceRecorder : public ReferenceSink {
public:
  explicit ReferenceRecorder(UnitContext &Unit) : Unit(Unit), SM(*Unit.SM) {}

  void reference(const Mapping &Rule, clang::SourceLocation Begin,
                 clang::SourceLocation NameLoc) override;
  void pin(clang::SourceLocation NameLoc, const std::string &What) override;
  void otherCallee(const Mapping &Rule, clang::SourceLocation NameLoc,
                   const clang::FunctionDecl &Other) override;
  void lateBinding(const Mapping &Rule, clang::SourceLocation Literal,
                   llvm::StringRef Binder) override;
  void threadLocal(const clang::VarDecl &Var) override;

  /// A C unit is left alone, its spellings pinned for the C++ units that
  /// share its headers; in a C++ unit, spellings whose uses disagree and
  /// replacements the unit's standard lacks are withheld and reported.
  void finishUnit(const clang::LangOptions &LangOpts);

private:
  bool moveOutOfMacro(const Mapping &Rule, clang::SourceLocation &Begin,
                      clang::SourceLocation &NameLoc);
  void recordSpelling(const Mapping &Rule, clang::SourceLocation Begin,
                      clang::SourceLocation NameLoc, bool FromMacro);
  void reportMacroSpelling(const Mapping &Rule, clang::SourceLocation NameLoc);

  UnitContext &Unit;
  const clang::SourceManager &SM;
};

} // namespace evy
