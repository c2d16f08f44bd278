// Reference: one spelled use of a mapped (blocking) declaration that a
// translation unit would rewrite. The finder records them; FilePlan decides.
#pragma once

#include "SpelledText.h"

#include <string>

namespace evy {

struct Mapping;

/// A spelled use of a blocking API: the text at [Offset, Offset+Length) of
/// File names Rule->From (possibly qualified) and would become Rule->To.
struct Reference : SpelledText {
  const Mapping *Rule = nullptr;
  bool Kept = false; // the line says "// evy: keep"
  std::string Unit;  // the translation unit that saw it (set when units merge)
};

} // namespace evy
