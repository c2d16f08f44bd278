#include "FileEdits.h"

#include "BlockingCalls.h"
#include "Report.h"

#include "clang/Format/Format.h"
#include "clang/Tooling/Inclusions/HeaderIncludes.h"

#include <algorithm>
#include <tuple>

namespace evy {
namespace {
// Insertions (length 0) go before an edit at the same offset.
bool byOffset(const TextEdit &A, const TextEdit &B) {
  return std::tie(A.Offset, A.Length) < std::tie(B.Offset, B.Length);
}
} // namespace

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

FilePlan buildFilePlan(const std::string &Path, const std::string &Original,
                       std::vector<Reference> References, std::vector<Finding> Findings,
                       std::vector<Pin> Pins, const ModuleChoice &Choice,
                       const RuleSet &Rules, std::vector<std::string> &Errors) {
  sortPins(Pins);
  FilePlan Plan;
  Plan.Path = Path;
  Plan.Original = Original;
  Plan.Patched = Choice;

  auto ByPosition = [](const Reference &A, const Reference &B) {
    return std::tie(A.Offset, A.Length, A.Rule->To) < std::tie(B.Offset, B.Length, B.Rule->To);
  };
  std::sort(References.begin(), References.end(), ByPosition);
  References.erase(std::unique(References.begin(), References.end(),
                               [](const Reference &A, const Reference &B) {
                                 return A.Offset == B.Offset && A.Length == B.Length &&
                                        A.Rule->To == B.Rule->To;
                               }),
                   References.end());

  std::set<std::string> ModulesRewritten;
  for (const Reference &Ref : References) {
    Plan.ModulesUsed.insert(Ref.Rule->Module);
    if (!Choice.Modules.count(Ref.Rule->Module)) {
      Plan.NotPatched.push_back(Ref);
      continue;
    }
    if (Ref.Kept) {
      Plan.Kept.push_back(Ref);
      continue;
    }
    if (const Pin *Pinned = pinOverlapping(Pins, Ref)) {
      Errors.push_back(Path + ":" + std::to_string(Ref.Line) + ":" + std::to_string(Ref.Column) +
                       ": error: conflicting edits: '" + Ref.Rule->From + "' becomes '" +
                       Ref.Rule->To + "' for " + displayPath(Ref.Unit) + ", but in " +
                       displayPath(Pinned->Unit) + " it " + Pinned->What + " (" +
                       std::to_string(Pinned->Line) + ":" + std::to_string(Pinned->Column) +
                       ") and must stay; mark the line '// evy: keep' or spell it so both "
                       "units agree");
      continue;
    }
    if (!Plan.Rewrites.empty()) {
      const Reference &Prev = Plan.Rewrites.back();
      if (Ref.Offset < Prev.Offset + Prev.Length) {
        Errors.push_back(Path + ":" + std::to_string(Ref.Line) + ":" +
                         std::to_string(Ref.Column) + ": error: conflicting edits: '" +
                         Ref.Rule->To + "' here overlaps '" + Prev.Rule->To + "' from " +
                         std::to_string(Prev.Line) + ":" + std::to_string(Prev.Column));
        continue;
      }
    }
    Plan.Rewrites.push_back(Ref);
    // "return::sleep(1)": the edit starts at "::"; keep the tokens apart.
    bool GluedToPrevious = Ref.Offset > 0 && isIdentifierChar(Original[Ref.Offset - 1]);
    Plan.Edits.push_back({Ref.Offset, Ref.Length, (GluedToPrevious ? " " : "") + Ref.Rule->To});
    ModulesRewritten.insert(Ref.Rule->Module);
  }

  for (Finding &F : Findings)
    if (findingApplies(F.Module, Choice.Modules)) // BlockingCalls.h: "", "*", "!M", M
      Plan.Findings.push_back(std::move(F));
  std::sort(Plan.Findings.begin(), Plan.Findings.end(), [](const Finding &A, const Finding &B) {
    return std::tie(A.Line, A.Column, A.Check, A.Message) <
           std::tie(B.Line, B.Column, B.Check, B.Message);
  });
  Plan.Findings.erase(std::unique(Plan.Findings.begin(), Plan.Findings.end(),
                                  [](const Finding &A, const Finding &B) {
                                    return A.Line == B.Line && A.Column == B.Column &&
                                           A.Check == B.Check && A.Message == B.Message;
                                  }),
                      Plan.Findings.end());

  // One patched include per module the file now uses, in its include block,
  // ending its line as the file's first line ends.
  const std::size_t FirstNewline = Original.find('\n');
  const bool UsesCrLf =
      FirstNewline != std::string::npos && FirstNewline > 0 && Original[FirstNewline - 1] == '\r';
  clang::tooling::HeaderIncludes Includes(Path, Original,
                                          clang::format::getLLVMStyle().IncludeStyle);
  for (const std::string &Module : ModulesRewritten) {
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

  std::stable_sort(Plan.Edits.begin(), Plan.Edits.end(), byOffset);
  Plan.Rewritten = applyEdits(Original, Plan.Edits);
  return Plan;
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
