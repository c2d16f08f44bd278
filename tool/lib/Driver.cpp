#include "Driver.h"

#include "CompileCommands.h"
#include "FileEdits.h"
#include "ModuleSelection.h"
#include "OutputBatch.h"
#include "PathConfig.h"
#include "ReferenceFinder.h"
#include "Report.h"
#include "RuleSet.h"
#include "UnifiedDiff.h"

#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/DiagnosticsYaml.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/YAMLTraits.h"
#include "llvm/Support/raw_ostream.h"

#include <map>

namespace evy {
namespace {

using namespace clang;

void error(const std::string &Message) { llvm::errs() << "evy-rewrite: error: " << Message << "\n"; }

struct UnitRun {
  TranslationUnitResult Result;
  std::string Diagnostics; // clang's own messages, printed in input order
};

void runUnit(const CompileCommandOptions &Commands, DroppedFlags &Dropped, const RuleSet &Rules,
             const tooling::CompilationDatabase &Database, const std::string &Source,
             const FileFilter &Rewritable, UnitRun &Run) {
  // A physical file system of its own: units run in parallel and the real
  // one would change the process's working directory under the others.
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS(
      llvm::vfs::createPhysicalFileSystem().release());
  tooling::ClangTool Tool(Database, {Source}, std::make_shared<PCHContainerOperations>(), FS);
  Tool.appendArgumentsAdjuster(evyArgumentsAdjuster(Commands, Dropped));
  llvm::raw_string_ostream DiagStream(Run.Diagnostics);
  TextDiagnosticPrinter Printer(DiagStream, new DiagnosticOptions());
  Tool.setDiagnosticConsumer(&Printer);
  Tool.setPrintErrorMessage(false);
  auto Factory = makeReferenceFinderFactory(Rules, Rewritable, Run.Result);
  Run.Result.Failed = Tool.run(Factory.get()) != 0;
  if (Run.Result.MainFile.empty())
    Run.Result.MainFile = Source;
  DiagStream.flush();
}

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

/// The edits as clang-apply-replacements YAML.
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

/// A file's modules, most specific first: a .evy-rewrite.json exclusion or
/// path rule (import_patched), then --patch (monkey_patch), then the file's
/// own patched includes (import green), then the config's default.
ModuleChoice chooseModules(const std::string &File,
                           const std::optional<std::set<std::string>> &PatchModules,
                           const std::map<std::string, std::set<std::string>> &OwnModules,
                           PathConfigStore &Configs, const RuleSet &Rules) {
  PathVerdict Verdict = Configs.verdictFor(File);
  if (Verdict.Excluded)
    return {{}, "excluded:" + Verdict.Origin};
  if (Verdict.Modules)
    return {*Verdict.Modules, "config:" + Verdict.Origin};
  if (PatchModules)
    return {*PatchModules, "--patch"};
  if (auto It = OwnModules.find(File); It != OwnModules.end())
    return {Rules.withImplied(It->second), "includes"};
  if (const PathConfig *Config = Configs.configFor(File); Config && Config->DefaultModules)
    return {*Config->DefaultModules, "config:" + Config->DefaultOrigin};
  return {};
}

/// Everything the units saw, merged per file: main files in input order
/// first, then the headers edits or findings reach.
struct MergedUnits {
  std::vector<std::string> Order;
  std::map<std::string, std::vector<Reference>> References;
  std::map<std::string, std::vector<Finding>> Findings;
  std::map<std::string, std::vector<Pin>> Pins;
  std::map<std::string, std::set<std::string>> OwnModules;
  std::map<std::string, std::string> Contents;
  std::vector<Inclusion> Inclusions;
};

MergedUnits mergeUnits(std::vector<UnitRun> &Runs) {
  MergedUnits M;
  auto addToOrder = [&M](const std::string &File) {
    if (std::find(M.Order.begin(), M.Order.end(), File) == M.Order.end())
      M.Order.push_back(File);
  };
  for (UnitRun &Run : Runs) {
    addToOrder(Run.Result.MainFile);
    for (Reference &Ref : Run.Result.References) {
      Ref.Unit = Run.Result.MainFile;
      M.References[Ref.File].push_back(Ref);
    }
    for (Pin &P : Run.Result.Pins) {
      P.Unit = Run.Result.MainFile;
      M.Pins[P.File].push_back(P);
    }
    for (Finding &F : Run.Result.Findings)
      M.Findings[F.File].push_back(F);
    for (auto &[File, Modules] : Run.Result.OwnPatchedModules)
      M.OwnModules[File].insert(Modules.begin(), Modules.end());
    M.Contents.insert(Run.Result.Contents.begin(), Run.Result.Contents.end());
    M.Inclusions.insert(M.Inclusions.end(), Run.Result.Inclusions.begin(),
                        Run.Result.Inclusions.end());
  }
  std::set<std::string> Headers;
  for (auto &[File, Refs] : M.References)
    Headers.insert(File);
  for (auto &[File, Fs] : M.Findings)
    Headers.insert(File);
  for (const std::string &File : Headers)
    addToOrder(File);
  return M;
}

/// Prints clang's diagnostics in input order; false if any unit failed.
bool reportUnitFailures(const std::vector<UnitRun> &Runs, const std::vector<std::string> &Sources,
                        DroppedFlags &Dropped) {
  if (std::set<std::string> Flags = Dropped.take(); !Flags.empty()) {
    std::string List;
    for (const std::string &Flag : Flags)
      List += (List.empty() ? "" : " ") + Flag;
    llvm::errs() << "evy-rewrite: note: ignored compiler flags clang does not know: " << List
                 << "\n";
  }
  unsigned Failed = 0;
  for (std::size_t I = 0; I < Runs.size(); ++I) {
    llvm::errs() << Runs[I].Diagnostics;
    if (Runs[I].Result.Failed) {
      ++Failed;
      error(Sources[I] + ": the translation unit did not parse");
    }
  }
  if (Failed)
    error(std::to_string(Failed) + " of " + std::to_string(Sources.size()) +
          " translation units failed; nothing was written");
  return Failed == 0;
}

/// Where --header-dir keeps its copy of Header: under Dir at Header's own
/// absolute path, so copies of different headers never collide.
std::string copyPath(const std::string &Dir, const std::string &Header) {
  llvm::SmallString<256> Path(Dir);
  llvm::sys::fs::make_absolute(Path);
  llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  llvm::sys::path::append(Path, llvm::sys::path::relative_path(Header));
  return Path.str().str();
}

/// A Make rule "Target: Deps...", with the characters Make and Ninja treat
/// specially escaped.
std::string depfileText(const std::string &Target, const std::vector<std::string> &Deps) {
  auto escaped = [](const std::string &Path) {
    std::string Out;
    for (char C : Path) {
      if (C == ' ' || C == '#' || C == '\\')
        Out += '\\';
      if (C == '$')
        Out += '$';
      Out += C;
    }
    return Out;
  };
  std::string Text = escaped(Target) + ":";
  for (const std::string &Dep : Deps)
    Text += " \\\n  " + escaped(Dep);
  return Text + "\n";
}

/// The one file's rewritten source, to stdout or (-o) atomically to a file.
/// With --header-dir, headers that change are written as copies there, with
/// the user headers that include them (so that every #include path to a
/// changed header leads to its copy), and the output includes the copies;
/// --depfile lists what the output depends on. All of it is written at once.
bool writeSingleFile(const DriverOptions &Options, const std::vector<FilePlan> &Plans,
                     const MergedUnits &Merged, OutputBatch &Batch) {
  const FilePlan &Main = Plans.front();
  std::set<std::string> Copied; // headers that change, then their includers
  for (std::size_t I = 1; I < Plans.size(); ++I)
    if (Plans[I].changed()) {
      if (Options.HeaderDir.empty()) {
        error(displayPath(Plans[I].Path) + " would change too; use -i or --diff to rewrite "
                                           "headers, or -o with --header-dir");
        return false;
      }
      Copied.insert(Plans[I].Path);
    }
  for (bool Grew = !Copied.empty(); Grew;) {
    Grew = false;
    for (const Inclusion &Inc : Merged.Inclusions)
      if (Copied.count(Inc.Included) && Inc.Includer != Main.Path &&
          Copied.insert(Inc.Includer).second)
        Grew = true;
  }
  // A file's text with its #include lines of copied headers pointing at the copies.
  auto withCopiesIncluded = [&](const std::string &File, std::vector<TextEdit> Edits,
                                const std::string &Original) {
    std::set<unsigned> Redirected;
    for (const Inclusion &Inc : Merged.Inclusions)
      if (Inc.Includer == File && Copied.count(Inc.Included) &&
          Redirected.insert(Inc.Offset).second)
        Edits.push_back({Inc.Offset, Inc.Length,
                         "\"" + copyPath(Options.HeaderDir, Inc.Included) + "\""});
    return applyEdits(Original, std::move(Edits));
  };
  std::string Output = withCopiesIncluded(Main.Path, Main.Edits, Main.Original);
  if (Options.OutputFile.empty()) {
    Batch.addStdout(Output);
    return true;
  }

  std::vector<std::pair<std::string, std::string>> Files{{Options.OutputFile, Output}};
  for (const std::string &Header : Copied) {
    auto Plan = std::find_if(Plans.begin(), Plans.end(),
                             [&](const FilePlan &P) { return P.Path == Header; });
    std::string Copy = copyPath(Options.HeaderDir, Header);
    if (std::error_code EC = llvm::sys::fs::create_directories(llvm::sys::path::parent_path(Copy))) {
      error(Copy + ": cannot create its directory: " + EC.message());
      return false;
    }
    Files.emplace_back(Copy, Plan != Plans.end()
                                 ? withCopiesIncluded(Header, Plan->Edits, Plan->Original)
                                 : withCopiesIncluded(Header, {}, Merged.Contents.at(Header)));
  }
  if (!Options.DepFile.empty()) {
    std::vector<std::string> Deps{Main.Path};
    for (const Inclusion &Inc : Merged.Inclusions)
      if (!Inc.IncludedIsSystem && std::find(Deps.begin(), Deps.end(), Inc.Included) == Deps.end())
        Deps.push_back(Inc.Included);
    Files.emplace_back(Options.DepFile, depfileText(Options.OutputFile, Deps));
  }
  for (auto &[Path, Text] : Files)
    Batch.addFile(Path, std::move(Text));
  return true;
}

/// The report in the chosen format.
std::string reportText(const DriverOptions &Options, const std::vector<FilePlan> &Plans) {
  if (Options.ReportFormat == "json")
    return jsonReport(Plans);
  if (Options.ReportFormat == "sarif")
    return sarifReport(Plans);
  return textReport(Plans);
}

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
