#include "FilePlan.h"

#include "BlockingCalls.h"

#include "Report.h"
#include "Spelling.h"

#include "clang/Format/Format.h"
#include "clang/Tooling/Inclusions/HeaderIncludes.h"

#include <algorithm>
#include <tuple>

namespace evy {
namespace {

/// References sorted by position, one per (place, replacement): units and
/// macro expansions report the same spelling many times.
void sortAndMerge(std::vector<Reference> &References) {
  auto Key = [](const Reference &R) { return std::tie(R.Offset, R.Length, R.Rule->To); };
  std::sort(References.begin(), References.end(),
            [&](const Reference &A, const Reference &B) { return Key(A) < Key(B); });
  References.erase(std::unique(References.begin(), References.end(),
                               [&](const Reference &A, const Reference &B) {
                                 return Key(A) == Key(B);
                               }),
                   References.end());
}

std::string position(unsigned Line, unsigned Column) {
  return std::to_string(Line) + ":" + std::to_string(Column);
}

std::string pinnedError(const std::string &Path, const Reference &Ref, const Pin &Pinned) {
  return Path + ":" + position(Ref.Line, Ref.Column) + ": error: conflicting edits: '" +
         Ref.Rule->From + "' becomes '" + Ref.Rule->To + "' for " + displayPath(Ref.Unit) +
         ", but in " + displayPath(Pinned.Unit) + " it " + Pinned.What + " (" +
         position(Pinned.Line, Pinned.Column) +
         ") and must stay; mark the line '// evy: keep' or spell it so both units agree";
}

std::string overlapError(const std::string &Path, const Reference &Ref, const Reference &Prev) {
  return Path + ":" + position(Ref.Line, Ref.Column) + ": error: conflicting edits: '" +
         Ref.Rule->To + "' here overlaps '" + Prev.Rule->To + "' from " +
         position(Prev.Line, Prev.Column);
}

/// The findings for the chosen modules ("" concerns every module), in file
/// order, each once.
std::vector<Finding> findingsFor(std::vector<Finding> Findings, const ModuleChoice &Choice) {
  std::vector<Finding> Chosen;
  for (Finding &F : Findings)
    if (findingApplies(F.Module, Choice.Modules)) // BlockingCalls.h: "", "*", "!M", M
      Chosen.push_back(std::move(F));
  auto Key = [](const Finding &F) { return std::tie(F.Line, F.Column, F.Check, F.Message); };
  std::sort(Chosen.begin(), Chosen.end(),
            [&](const Finding &A, const Finding &B) { return Key(A) < Key(B); });
  Chosen.erase(std::unique(Chosen.begin(), Chosen.end(),
                           [&](const Finding &A, const Finding &B) { return Key(A) == Key(B); }),
               Chosen.end());
  return Chosen;
}

/// One patched include per module the file now uses, in its include block,
/// ending its line as the file's first line ends.
void addPatchedIncludes(FilePlan &Plan, const std::set<std::string> &Modules,
                        const RuleSet &Rules) {
  const std::string &Original = Plan.Original;
  const std::size_t FirstNewline = Original.find('\n');
  const bool UsesCrLf =
      FirstNewline != std::string::npos && FirstNewline > 0 && Original[FirstNewline - 1] == '\r';
  clang::tooling::HeaderIncludes Includes(Plan.Path, Original,
                                          clang::format::getLLVMStyle().IncludeStyle);
  for (const std::string &Module : Modules) {
    const std::string &Header = Rules.module(Module)->Header;
    // Already there as #include "evy/patched/X.h": insert() only knows
    // the spelling it is asked for.
    if (!Includes.insert(Header, /*IsAngled=*/false, clang::tooling::IncludeDirective::Include))
      continue;
    if (auto Insertion = Includes.insert(Header, /*IsAngled=*/true,
                                         clang::tooling::IncludeDirective::Include)) {
      Plan.AddedIncludes.push_back(Header);
      std::string Line = Insertion->getReplacementText().str();
      if (UsesCrLf && !Line.empty() && Line.back() == '\n')
        Line.insert(Line.size() - 1, "\r");
      Plan.Edits.push_back(
          {Insertion->getOffset(), Insertion->getLength(), Line, /*IsInclude=*/true});
    }
  }
}

} // namespace

FilePlan buildFilePlan(const std::string &Path, const std::string &Original,
                       std::vector<Reference> References, std::vector<Finding> Findings,
                       std::vector<Pin> Pins, const ModuleChoice &Choice,
                       const RuleSet &Rules, std::vector<std::string> &Errors) {
  sortPins(Pins);
  sortAndMerge(References);
  FilePlan Plan;
  Plan.Path = Path;
  Plan.Original = Original;
  Plan.Patched = Choice;

  std::set<std::string> ModulesRewritten;
  for (const Reference &Ref : References) {
    Plan.ModulesUsed.insert(Ref.Rule->Module);
    if (!Choice.Modules.count(Ref.Rule->Module)) {
      Plan.NotPatched.push_back(Ref);
    } else if (Ref.Kept) {
      Plan.Kept.push_back(Ref);
    } else if (const Pin *Pinned = pinOverlapping(Pins, Ref)) {
      Errors.push_back(pinnedError(Path, Ref, *Pinned));
    } else if (!Plan.Rewrites.empty() &&
               Ref.Offset < Plan.Rewrites.back().Offset + Plan.Rewrites.back().Length) {
      Errors.push_back(overlapError(Path, Ref, Plan.Rewrites.back()));
    } else {
      Plan.Rewrites.push_back(Ref);
      // "return::sleep(1)": the edit starts at "::"; keep the tokens apart.
      bool GluedToPrevious = Ref.Offset > 0 && isIdentifierChar(Original[Ref.Offset - 1]);
      Plan.Edits.push_back({Ref.Offset, Ref.Length, (GluedToPrevious ? " " : "") + Ref.Rule->To});
      ModulesRewritten.insert(Ref.Rule->Module);
    }
  }
  Plan.Findings = findingsFor(std::move(Findings), Choice);
  addPatchedIncludes(Plan, ModulesRewritten, Rules);
  std::stable_sort(Plan.Edits.begin(), Plan.Edits.end(), byOffset);
  Plan.Rewritten = applyEdits(Original, Plan.Edits);
  return Plan;
}

} // namespace evy
