// LanguageStandard: which C++ standard a translation unit is compiled for,
// and the references whose green replacement does not exist there yet (a
// rule's "since"). Those are left as they are and reported, so the tool
// never writes output that cannot compile at the unit's own standard.
#pragma once

#include "TranslationUnitResult.h"

#include <optional>
#include <string>
#include <string_view>

namespace clang {
class LangOptions;
}

namespace evy {

/// parseCxxStandard() reads a rule's "since" ("c++11", "c++14", "c++17",
/// "c++20", "c++23") as the standard's year (11 ... 23); nothing otherwise.
std::optional<unsigned> parseCxxStandard(std::string_view Name);

/// The standard's name as users read it: 17 -> "C++17", 3 -> "C++03".
std::string cxxStandardName(unsigned Year);

/// The C++ standard a C++ unit is compiled for: 3 (C++98/03), 11, 14, 17,
/// 20, 23 or 26. Not meaningful for a C unit.
unsigned cxxStandardOf(const clang::LangOptions &LangOpts);

/// withholdUnavailable() takes out of Result the references whose rule's
/// replacement needs a newer standard than UnitStandard: each becomes a Pin
/// (other units must not rewrite a shared spelling this unit needs) and an
/// evy-unavailable-at-standard finding. A line marked "// evy: keep" stays
/// a kept reference and is not reported.
void withholdUnavailable(TranslationUnitResult &Result, unsigned UnitStandard);

} // namespace evy
