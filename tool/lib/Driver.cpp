#include "Driver.h"

#include "ExportFixes.h"
#include "FilePlan.h"
#include "ModuleSelection.h"
#include "Output.h"
#include "OutputBatch.h"
#include "PathConfig.h"
#include "RuleSet.h"
#include "TranslationUnits.h"
#include "UnitMerge.h"

#include "llvm/Support/FileSystem.h"

namespace evy {
namespace {

/// Every input is a file that exists; the first that is not is reported.
bool inputsReadable(const std::vector<std::string> &Sources, Diagnostics &Diags) {
  for (const std::string &Source : Sources) {
    if (llvm::sys::fs::is_directory(Source))
      Diags.error(Source + ": is a directory");
    else if (!llvm::sys::fs::exists(Source))
      Diags.error(Source + ": no such file");
    else
      continue;
    return false;
  }
  return true;
}

/// Some inputs, all readable, and only one unless the mode handles several.
bool inputsUsable(const DriverOptions &Options, const std::vector<std::string> &Sources,
                  Diagnostics &Diags) {
  if (Sources.empty()) {
    Diags.error("no input files (give FILES, or -p BUILD_DIR with a compile_commands.json)");
    return false;
  }
  if (!inputsReadable(Sources, Diags))
    return false;
  if (Options.Mode == OutputMode::Stdout && Sources.size() > 1) {
    Diags.error("several input files: choose -i, --diff, --check, --report or --export-fixes");
    return false;
  }
  return true;
}

/// The per-file plans stage: each merged file's modules chosen and its
/// edits decided. Nothing, after every conflict, when edits conflict.
std::optional<std::vector<FilePlan>>
planFiles(MergedUnits &Merged, const std::optional<std::set<std::string>> &PatchModules,
          PathConfigStore &Configs, const RuleSet &Rules, Diagnostics &Diags) {
  std::vector<FilePlan> Plans;
  std::vector<std::string> Conflicts; // formatted by buildFilePlan()
  for (const std::string &File : Merged.Order)
    Plans.push_back(buildFilePlan(
        File, Merged.Contents[File], Merged.References[File], Merged.Findings[File],
        Merged.Pins[File], chooseModules(File, PatchModules, Merged.OwnModules, Configs, Rules),
        Rules, Conflicts));
  if (Conflicts.empty())
    return Plans;
  for (const std::string &Line : Conflicts)
    Diags.verbatim(Line + "\n");
  Diags.error("conflicting edits; nothing was written");
  return std::nullopt;
}

} // namespace

int runDriver(const DriverOptions &Options, const clang::tooling::CompilationDatabase &Database,
              const std::vector<std::string> &Sources, Diagnostics &Diags) {
  std::optional<RuleSet> Rules = RuleSet::load(Options.RulePaths, Diags);
  if (!Rules)
    return 2;
  std::optional<std::set<std::string>> PatchModules;
  if (Options.Patch &&
      !(PatchModules = parsePatchList(*Options.Patch, *Rules, {"--patch", std::nullopt}, Diags)))
    return 2;
  if (!inputsUsable(Options, Sources, Diags))
    return 2;

  // The units find configs in parallel; their errors wait for all to end.
  Diagnostics ConfigDiags(Diagnostics::Keep);
  PathConfigStore Configs(*Rules, ConfigDiags);
  std::optional<FileFilter> Rewritable = rewritableFilter(Options, Configs, Diags);
  if (!Rewritable)
    return 2;
  // Parse every unit, in parallel; nothing below runs unless all parsed.
  DroppedFlags Dropped;
  RunContext Context{*Rules, Database, {Options.ResourceDir, Options.RuntimeIncludeDir},
                      *Rewritable};
  std::vector<UnitRun> Runs = runUnits(Context, Sources, Options.Jobs, Dropped);
  if (ConfigDiags.errorCount()) {
    ConfigDiags.replayInto(Diags);
    Diags.error("bad .evy-rewrite.json; nothing was written");
    return 2;
  }
  if (!reportUnitFailures(Runs, Sources, Dropped, Diags))
    return 2;

  MergedUnits Merged = mergeUnits(Runs);
  std::optional<std::vector<FilePlan>> Plans =
      planFiles(Merged, PatchModules, Configs, *Rules, Diags);
  if (!Plans)
    return 2;
  OutputBatch Batch(Diags);
  if (!Options.ExportFixes.empty())
    Batch.addFile(Options.ExportFixes, fixesYaml(Merged.Order.front(), *Plans));
  return emit(Options, *Plans, Merged, Batch, Diags);
}

} // namespace evy
