// ReferenceFinder: a FrontendAction that walks one translation unit's user
// code and records every spelled reference to a declaration the rules map
// (calls, address-of, using-declarations, and type spellings of any kind),
// plus findings for what cannot be rewritten. It edits nothing. The walk
// (ReferenceWalker) only reports; ReferenceRecorder decides what each report
// becomes; IncludeRecorder notes the #include lines.
#pragma once

#include "TranslationUnitResult.h"
#include "RuleSet.h"

#include "clang/Tooling/Tooling.h"

#include <functional>
#include <memory>

namespace evy {

/// Whether edits may land in a file (the main file always; headers when the
/// header filter or a per-path rule selects them).
using FileFilter = std::function<bool(const std::string &AbsolutePath, bool IsMainFile)>;

std::unique_ptr<clang::tooling::FrontendActionFactory>
makeReferenceFinderFactory(const RuleSet &Rules, FileFilter Rewritable,
                           TranslationUnitResult &Result);

} // namespace evy
