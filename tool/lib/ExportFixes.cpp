#include "ExportFixes.h"

#include "clang/Tooling/DiagnosticsYaml.h"
#include "llvm/Support/YAMLTraits.h"
#include "llvm/Support/raw_ostream.h"

namespace evy {

using namespace clang;

std::string fixesYaml(const std::string &MainSource, const std::vector<FilePlan> &Plans) {
  tooling::TranslationUnitDiagnostics Fixes;
  Fixes.MainSourceFile = MainSource;
  for (const FilePlan &Plan : Plans)
    for (const TextEdit &Edit : mergedEdits(Plan.Edits)) {
      tooling::DiagnosticMessage Message;
      Message.Message = (Edit.IsInclude ? "add " : "use ") + Edit.Text;
      Message.FilePath = Plan.Path;
      Message.FileOffset = Edit.Offset;
      tooling::Replacement R(Plan.Path, Edit.Offset, Edit.Length, Edit.Text);
      llvm::consumeError(Message.Fix[Plan.Path].add(R));
      Fixes.Diagnostics.emplace_back("evy-rewrite", Message, SmallVector<tooling::DiagnosticMessage, 1>{},
                                     tooling::Diagnostic::Warning, "");
    }
  std::string Text;
  llvm::raw_string_ostream Out(Text);
  llvm::yaml::Output YAML(Out);
  YAML << Fixes;
  Out.flush();
  return Text;
}

} // namespace evy
