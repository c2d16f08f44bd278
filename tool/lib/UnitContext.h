// UnitContext: what one translation unit's preprocessor callbacks and AST
// walk share: the source manager, absolute file names, which files may be
// edited (asked once per file), and the result being filled.
#pragma once

#include "ReferenceFinder.h"

#include "clang/Basic/LangOptions.h"
#include "clang/Basic/SourceManager.h"

#include <map>
#include <string>

namespace evy {

class UnitContext {
public:
  UnitContext(const RuleSet &Rules, FileFilter Rewritable, TranslationUnitResult &Result)
      : Rules(Rules), Result(Result), Rewritable(std::move(Rewritable)) {}

  const RuleSet &Rules;
  TranslationUnitResult &Result;
  clang::SourceManager *SM = nullptr;
  const clang::LangOptions *LangOpts = nullptr;

  const std::string &pathOf(clang::FileID File);
  std::string pathOf(clang::FileEntryRef Entry) const;

  bool isRewritable(clang::FileID File);

  /// Remembers the text of a file that edits or findings point into.
  void keepContents(clang::FileID File);

  void addFinding(clang::SourceLocation Loc, const std::string &Module, const std::string &Check,
                  const std::string &Message);

private:
  FileFilter Rewritable;
  std::map<clang::FileID, std::string> Paths;
  std::map<clang::FileID, bool> RewritableFiles;
};

} // namespace evy
