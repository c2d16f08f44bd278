// Pin: a spelling one translation unit needs left as written, and the lookup
// that finds a Pin under a Reference (a conflict between units or uses).
#pragma once

#include "Reference.h"

#include <algorithm>
#include <string>
#include <vector>

namespace evy {

/// A spelling one translation unit needs left as written, because there it
/// names something else (a user function or type of the same name, an
/// argument-dependent overload) or the unit is C. A Reference at the same
/// place from another unit is a conflict: the shared text cannot serve both.
struct Pin : SpelledText {
  std::string What; // what it is there: "names 'ns::close'", "is compiled as C"
  std::string Unit;  // set when units merge
};

/// pinOverlapping() finds a Pin of Pins (sorted by File, then Offset) that
/// overlaps Ref's text, or returns null. Pins are spellings of one name, so
/// only the last one starting before Ref's end can reach into it.
inline const Pin *pinOverlapping(const std::vector<Pin> &Pins, const Reference &Ref) {
  auto After = std::lower_bound(Pins.begin(), Pins.end(), Ref, [](const Pin &P, const Reference &R) {
    return P.File < R.File || (P.File == R.File && P.Offset < R.Offset + R.Length);
  });
  if (After == Pins.begin())
    return nullptr;
  const Pin &P = *std::prev(After);
  return P.File == Ref.File && Ref.Offset < P.Offset + P.Length ? &P : nullptr;
}

/// sortPins() orders Pins for pinOverlapping().
inline void sortPins(std::vector<Pin> &Pins) {
  std::sort(Pins.begin(), Pins.end(), [](const Pin &A, const Pin &B) {
    return A.File < B.File || (A.File == B.File && A.Offset < B.Offset);
  });
}

} // namespace evy
