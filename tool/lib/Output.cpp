#include "Output.h"

#include "Report.h"
#include "SingleFileOutput.h"
#include "UnifiedDiff.h"

#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

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
std::string reportText(const DriverOptions &Options, const std::vector<FilePlan> &Plans) {
  if (Options.ReportFormat == "json")
    return jsonReport(Plans);
  if (Options.ReportFormat == "sarif")
    return sarifReport(Plans);
  return textReport(Plans);
}

} // namespace

/// Prints, diffs, writes or reports the plans; returns the exit status.
int emit(const DriverOptions &Options, const std::vector<FilePlan> &Plans,
         const MergedUnits &Merged, OutputBatch &Batch) {
  bool AnyChange = false, AnyFinding = false;
  for (const FilePlan &Plan : Plans) {
    AnyChange |= Plan.changed();
    AnyFinding |= !Plan.Findings.empty();
    if (Options.Mode != OutputMode::Report)
      for (const Finding &F : Plan.Findings)
        llvm::errs() << formatFinding(F) << "\n";
  }
  switch (Options.Mode) {
  case OutputMode::Stdout:
    if (!writeSingleFile(Options, Plans, Merged, Batch))
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
    Batch.addStdout(reportText(Options, Plans));
    break;
  case OutputMode::ExportFixes: // the YAML is all it writes
    break;
  }
  if (!Batch.commit())
    return 2;
  return Options.Mode == OutputMode::Check && (AnyChange || AnyFinding) ? 1 : 0;
}

} // namespace evy
