// SpelledText: where a spelling is in a file, the part a Reference (to
// rewrite) and a Pin (to keep) have in common, so one can be checked
// against the other.
#pragma once

#include <string>

namespace evy {

/// The text at [Offset, Offset+Length) of File, which starts at Line:Column.
struct SpelledText {
  std::string File;
  unsigned Offset = 0;
  unsigned Length = 0;
  unsigned Line = 0;
  unsigned Column = 0;
};

} // namespace evy
