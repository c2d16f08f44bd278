// FileEdits: turns the references found in every translation unit into one
// plan per file: which modules it is greened for, which spellings change,
// which patched includes it gains, and the rewritten text. Edits reaching a
// header from many translation units are merged and de-duplicated here.
#pragma once

#include "Findings.h"
#include "ModuleSelection.h"
#include "RuleSet.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace evy {

/// One replacement in a file's original text.
struct TextEdit {
  unsigned Offset = 0;
  unsigned Length = 0;
  std::string Text;
  bool IsInclude = false; // an inserted #include <evy/patched/...>
};

/// applyEdits() returns Original with Edits (offsets into Original, not
/// overlapping) applied; insertions go before an edit at the same offset.
std::string applyEdits(const std::string &Original, std::vector<TextEdit> Edits);

/// mergedEdits() joins edits that start at the same offset (insertions
/// first), as clang-apply-replacements and SARIF consumers want them.
std::vector<TextEdit> mergedEdits(const std::vector<TextEdit> &Edits);

struct FilePlan {
  std::string Path;
  std::string Original;
  std::string Rewritten;
  ModuleChoice Patched;
  std::set<std::string> ModulesUsed;  // modules of every blocking API it names
  std::vector<Reference> Rewrites;    // applied, in file order
  std::vector<Reference> Kept;        // left alone by "// evy: keep"
  std::vector<Reference> NotPatched;  // their module is not chosen for the file
  std::vector<Finding> Findings;      // for chosen modules, in file order
  std::vector<std::string> AddedIncludes;
  std::vector<TextEdit> Edits;        // what turns Original into Rewritten

  bool changed() const { return Original != Rewritten; }
};

/// buildFilePlan() decides one file. References may repeat (one per
/// translation unit or macro expansion); identical ones are merged.
/// Overlapping different ones, and a rewrite of a spelling that another
/// unit needs kept (Pins), are reported in Errors naming both sites.
FilePlan buildFilePlan(const std::string &Path, const std::string &Original,
                       std::vector<Reference> References, std::vector<Finding> Findings,
                       std::vector<Pin> Pins, const ModuleChoice &Choice,
                       const RuleSet &Rules, std::vector<std::string> &Errors);

} // namespace evy
