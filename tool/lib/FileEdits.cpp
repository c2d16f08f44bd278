#include "FileEdits.h"

#include <algorithm>
#include <tuple>

namespace evy {

bool byOffset(const TextEdit &A, const TextEdit &B) {
  return std::tie(A.Offset, A.Length) < std::tie(B.Offset, B.Length);
}

std::vector<TextEdit> mergedEdits(const std::vector<TextEdit> &Edits) {
  std::vector<TextEdit> Merged;
  for (const TextEdit &E : Edits) {
    if (!Merged.empty() && Merged.back().Offset == E.Offset && Merged.back().Length == 0) {
      Merged.back().Length = E.Length;
      Merged.back().Text += E.Text;
      Merged.back().IsInclude &= E.IsInclude;
    } else {
      Merged.push_back(E);
    }
  }
  return Merged;
}

std::string applyEdits(const std::string &Original, std::vector<TextEdit> Edits) {
  std::stable_sort(Edits.begin(), Edits.end(), byOffset);
  std::string Out;
  unsigned Pos = 0;
  for (const TextEdit &E : Edits) {
    Out.append(Original, Pos, E.Offset - Pos);
    Out += E.Text;
    Pos = E.Offset + E.Length;
  }
  Out.append(Original, Pos, std::string::npos);
  return Out;
}

} // namespace evy
