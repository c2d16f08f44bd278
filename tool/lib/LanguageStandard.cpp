#include "LanguageStandard.h"

#include "RuleSet.h"

#include "clang/Basic/LangOptions.h"

#include <utility>

namespace evy {

std::optional<unsigned> parseCxxStandard(std::string_view Name) {
  for (unsigned Year : {11u, 14u, 17u, 20u, 23u})
    if (Name == "c++" + std::to_string(Year))
      return Year;
  return std::nullopt;
}

std::string cxxStandardName(unsigned Year) {
  return Year < 10 ? "C++0" + std::to_string(Year) : "C++" + std::to_string(Year);
}

unsigned cxxStandardOf(const clang::LangOptions &LangOpts) {
  // Newest first: a C++23 unit sets CPlusPlus20, 17, ... too.
  const std::pair<unsigned, unsigned> Standards[] = {
      {LangOpts.CPlusPlus26, 26}, {LangOpts.CPlusPlus23, 23}, {LangOpts.CPlusPlus20, 20},
      {LangOpts.CPlusPlus17, 17}, {LangOpts.CPlusPlus14, 14}, {LangOpts.CPlusPlus11, 11}};
  for (const auto &[Set, Year] : Standards)
    if (Set)
      return Year;
  return 3;
}

void withholdUnavailable(TranslationUnitResult &Result, unsigned UnitStandard) {
  std::vector<Reference> Available;
  for (Reference &Ref : Result.References) {
    if (Ref.Rule->Since <= UnitStandard || Ref.Kept) {
      Available.push_back(std::move(Ref));
      continue;
    }
    const std::string Since = cxxStandardName(Ref.Rule->Since);
    Result.Pins.push_back({Ref.File, Ref.Offset, Ref.Length, Ref.Line, Ref.Column,
                           "is compiled as " + cxxStandardName(UnitStandard) + ", where '" +
                               Ref.Rule->From + "' has no green replacement",
                           ""});
    Result.Findings.push_back({Ref.File, Ref.Line, Ref.Column, Ref.Rule->Module,
                               "unavailable-at-standard",
                               "'" + Ref.Rule->From + "' has no green replacement before " +
                                   Since + " (this unit is " + cxxStandardName(UnitStandard) +
                                   "); left as is"});
  }
  Result.References = std::move(Available);
}

} // namespace evy
