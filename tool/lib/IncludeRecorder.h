// IncludeRecorder: the preprocessor's side of the finder. Records, per file,
// the modules its own #include <evy/patched/X.h> name (module choice reads
// them), and every #include in a user file (for -o --header-dir and --depfile).
#pragma once

#include "UnitContext.h"

#include "clang/Lex/PPCallbacks.h"

namespace evy {

class IncludeRecorder : public clang::PPCallbacks {
public:
  explicit IncludeRecorder(UnitContext &Unit) : Unit(Unit) {}

  void InclusionDirective(clang::SourceLocation HashLoc, const clang::Token &,
                          llvm::StringRef FileName, bool, clang::CharSourceRange FilenameRange,
                          clang::OptionalFileEntryRef Included, llvm::StringRef, llvm::StringRef,
                          const clang::Module *, bool,
                          clang::SrcMgr::CharacteristicKind IncludedKind) override;

private:
  UnitContext &Unit;
};

} // namespace evy
