#include "Output.h"

#include "Report.h"
#include "SingleFileOutput.h"
#include "UnifiedDiff.h"

#include "llvm/Support/Path.h"

namespace evy {
namespace {

std::string diffLabel(const std::string &Path, const char *Side) {
  std::string Shown = displayPath(Path);
  return llvm::sys::path::is_absolute(Shown) ? Shown : Side + Shown;
}

/// Every file that changes, rewritten in place.
void addInPlace(const std::vector<FilePlan> &Plans, OutputBatch &Batch) {
  for (const FilePlan &Plan : Plans)
    if (Plan.changed())
      Batch.addFile(Plan.Path, Plan.Rewritten);
}

/// The report in the chosen format.
std::string reportText(ReportFormat Format, const std::vector<FilePlan> &Plans) {
  switch (Format) {
  case ReportFormat::Json:
    return jsonReport(Plans);
  case ReportFormat::Sarif:
    return sarifReport(Plans);
  case ReportFormat::Text:
    break;
  }
  return textReport(Plans);
}

} // namespace

int emit(const DriverOptions &Options, const std::vector<FilePlan> &Plans,
         const MergedUnits &Merged, OutputBatch &Batch, Diagnostics &Diags) {
  bool AnyChange = false, AnyFinding = false;
  for (const FilePlan &Plan : Plans) {
    AnyChange |= Plan.changed();
    AnyFinding |= !Plan.Findings.empty();
    if (Options.Mode != OutputMode::Report)
      for (const Finding &F : Plan.Findings)
        Diags.warning({displayPath(F.File), F.Line, F.Column},
                      F.Message + " [evy-" + F.Check + "]");
  }
  switch (Options.Mode) {
  case OutputMode::Stdout:
    if (!writeSingleFile(Options, Plans, Merged, Batch, Diags))
      return 2;
    break;
  case OutputMode::InPlace:
    addInPlace(Plans, Batch);
    break;
  case OutputMode::Diff:
  case OutputMode::Check:
    for (const FilePlan &Plan : Plans)
      Batch.addStdout(unifiedDiff(Plan.Original, Plan.Rewritten, diffLabel(Plan.Path, "a/"),
                                  diffLabel(Plan.Path, "b/")));
    break;
  case OutputMode::Report:
    Batch.addStdout(reportText(Options.Format, Plans));
    break;
  case OutputMode::ExportFixes: // the YAML is all it writes
    break;
  }
  if (!Batch.commit())
    return 2;
  return Options.Mode == OutputMode::Check && (AnyChange || AnyFinding) ? 1 : 0;
}

} // namespace evy
