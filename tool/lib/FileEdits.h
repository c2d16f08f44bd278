// FileEdits: replacements in one file's text, applied (the rewritten text)
// or merged per offset (for --export-fixes and SARIF fixes).
#pragma once

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

/// byOffset() orders edits for applying: insertions (length 0) go before an
/// edit at the same offset.
bool byOffset(const TextEdit &A, const TextEdit &B);

} // namespace evy
