#include "Driver.h"

#include "CompileCommands.h"
#include "ExportFixes.h"
#include "FileEdits.h"
#include "ModuleSelection.h"
#include "Output.h"
#include "OutputBatch.h"
#include "PathConfig.h"
#include "RuleSet.h"
#include "TranslationUnits.h"
#include "UnitMerge.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/raw_ostream.h"

#include <map>

namespace evy {
namespace {

using namespace clang;

void error(const std::string &Message) { llvm::errs() << "evy-rewrite: error: " << Message << "\n"; }

/// Every input is a file that exists; the first that is not is reported.
bool inputsReadable(const std::vector<std::string> &Sources) {
  for (const std::string &Source : Sources) {
    if (llvm::sys::fs::is_directory(Source))
      error(Source + ": is a directory");
    else if (!llvm::sys::fs::exists(Source))
      error(Source + ": no such file");
    else
      continue;
    return false;
  }
  return true;
}

} // namespace

int runDriver(const DriverOptions &Options, const tooling::CompilationDatabase &Database,
              const std::vector<std::string> &Sources) {
  std::vector<std::string> RuleErrors;
  std::optional<RuleSet> Rules = RuleSet::load(Options.RulePaths, RuleErrors);
  if (!Rules) {
    for (const std::string &E : RuleErrors)
      llvm::errs() << E << "\n";
    return 2;
  }

  std::optional<std::set<std::string>> PatchModules;
  if (Options.Patch) {
    std::string Error;
    PatchModules = parsePatchList(*Options.Patch, *Rules, Error);
    if (!PatchModules) {
      error(Error);
      return 2;
    }
  }

  if (Sources.empty()) {
    error("no input files (give FILES, or -p BUILD_DIR with a compile_commands.json)");
    return 2;
  }
  if (!inputsReadable(Sources))
    return 2;
  if (Options.Mode == OutputMode::Stdout && Sources.size() > 1) {
    error("several input files: choose -i, --diff, --check, --report or --export-fixes");
    return 2;
  }

  std::optional<llvm::Regex> HeaderFilter, ExcludeFilter;
  for (auto [Pattern, Slot, Flag] :
       {std::tuple{&Options.HeaderFilter, &HeaderFilter, "--header-filter"},
        std::tuple{&Options.ExcludeHeaderFilter, &ExcludeFilter, "--exclude-header-filter"}}) {
    if (Pattern->empty())
      continue;
    Slot->emplace(*Pattern);
    std::string Why;
    if (!(*Slot)->isValid(Why)) {
      error(std::string(Flag) + "='" + *Pattern + "': " + Why);
      return 2;
    }
  }
  PathConfigStore Configs(*Rules);
  FileFilter Rewritable = [&](const std::string &Path, bool IsMainFile) {
    PathVerdict Verdict = Configs.verdictFor(Path);
    if (Verdict.Excluded)
      return false;
    if (IsMainFile)
      return true;
    // Headers: named by --header-filter or by a .evy-rewrite.json path rule.
    return (Verdict.Modules || (HeaderFilter && HeaderFilter->match(Path))) &&
           !(ExcludeFilter && ExcludeFilter->match(Path));
  };

  // Parse every unit, in parallel; nothing below runs unless all parsed.
  std::vector<UnitRun> Runs(Sources.size());
  CompileCommandOptions Commands{Options.ResourceDir, Options.RuntimeIncludeDir};
  DroppedFlags Dropped;
  {
    llvm::DefaultThreadPool Pool(llvm::hardware_concurrency(std::max(1u, Options.Jobs)));
    for (std::size_t I = 0; I < Sources.size(); ++I)
      Pool.async([&, I] {
        runUnit(Commands, Dropped, *Rules, Database, Sources[I], Rewritable, Runs[I]);
      });
    Pool.wait();
  }
  if (std::vector<std::string> ConfigErrors = Configs.errors(); !ConfigErrors.empty()) {
    for (const std::string &E : ConfigErrors)
      llvm::errs() << E << "\n";
    error("bad .evy-rewrite.json; nothing was written");
    return 2;
  }
  if (!reportUnitFailures(Runs, Sources, Dropped))
    return 2;

  MergedUnits Merged = mergeUnits(Runs);
  std::vector<FilePlan> Plans;
  std::vector<std::string> PlanErrors;
  for (const std::string &File : Merged.Order)
    Plans.push_back(buildFilePlan(
        File, Merged.Contents[File], Merged.References[File], Merged.Findings[File],
        Merged.Pins[File], chooseModules(File, PatchModules, Merged.OwnModules, Configs, *Rules), *Rules,
        PlanErrors));
  if (!PlanErrors.empty()) {
    for (const std::string &E : PlanErrors)
      llvm::errs() << E << "\n";
    error("conflicting edits; nothing was written");
    return 2;
  }

  OutputBatch Batch;
  if (!Options.ExportFixes.empty())
    Batch.addFile(Options.ExportFixes, fixesYaml(Merged.Order.front(), Plans));
  return emit(Options, Plans, Merged, Batch);
}

} // namespace evy
