#include "TranslationUnits.h"

#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <set>
#include <tuple>

namespace evy {
namespace {

using namespace clang;

void runUnit(const RunContext &Context, DroppedFlags &Dropped, const std::string &Source,
             UnitRun &Run) {
  // A physical file system of its own: units run in parallel and the real
  // one would change the process's working directory under the others.
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS(
      llvm::vfs::createPhysicalFileSystem().release());
  tooling::ClangTool Tool(Context.Database, {Source}, std::make_shared<PCHContainerOperations>(),
                          FS);
  Tool.appendArgumentsAdjuster(evyArgumentsAdjuster(Context.Commands, Dropped));
  llvm::raw_string_ostream DiagStream(Run.Diagnostics);
  TextDiagnosticPrinter Printer(DiagStream, new DiagnosticOptions());
  Tool.setDiagnosticConsumer(&Printer);
  Tool.setPrintErrorMessage(false);
  auto Factory = makeReferenceFinderFactory(Context.Rules, Context.Rewritable, Run.Result);
  Run.Result.Failed = Tool.run(Factory.get()) != 0;
  if (Run.Result.MainFile.empty())
    Run.Result.MainFile = Source;
  DiagStream.flush();
}

} // namespace

std::optional<FileFilter> rewritableFilter(const DriverOptions &Options, PathConfigStore &Configs,
                                           Diagnostics &Diags) {
  std::shared_ptr<llvm::Regex> HeaderFilter, ExcludeFilter;
  for (auto [Pattern, Slot, Flag] :
       {std::tuple{&Options.HeaderFilter, &HeaderFilter, "--header-filter"},
        std::tuple{&Options.ExcludeHeaderFilter, &ExcludeFilter, "--exclude-header-filter"}}) {
    if (Pattern->empty())
      continue;
    *Slot = std::make_shared<llvm::Regex>(*Pattern);
    std::string Why;
    if (!(*Slot)->isValid(Why)) {
      Diags.error(std::string(Flag) + "='" + *Pattern + "': " + Why);
      return std::nullopt;
    }
  }
  return FileFilter([&Configs, HeaderFilter, ExcludeFilter](const std::string &Path,
                                                            bool IsMainFile) {
    PathVerdict Verdict = Configs.verdictFor(Path);
    if (Verdict.Excluded)
      return false;
    if (IsMainFile)
      return true;
    // Headers: named by --header-filter or by a .evy-rewrite.json path rule.
    return (Verdict.Modules || (HeaderFilter && HeaderFilter->match(Path))) &&
           !(ExcludeFilter && ExcludeFilter->match(Path));
  });
}

std::vector<UnitRun> runUnits(const RunContext &Context, const std::vector<std::string> &Sources,
                              unsigned Jobs, DroppedFlags &Dropped) {
  std::vector<UnitRun> Runs(Sources.size());
  llvm::DefaultThreadPool Pool(llvm::hardware_concurrency(std::max(1u, Jobs)));
  for (std::size_t I = 0; I < Sources.size(); ++I)
    Pool.async([&, I] { runUnit(Context, Dropped, Sources[I], Runs[I]); });
  Pool.wait();
  return Runs;
}

bool reportUnitFailures(const std::vector<UnitRun> &Runs, const std::vector<std::string> &Sources,
                        DroppedFlags &Dropped, Diagnostics &Diags) {
  if (std::set<std::string> Flags = Dropped.take(); !Flags.empty()) {
    std::string List;
    for (const std::string &Flag : Flags)
      List += (List.empty() ? "" : " ") + Flag;
    Diags.note("ignored compiler flags clang does not know: " + List);
  }
  unsigned Failed = 0;
  for (std::size_t I = 0; I < Runs.size(); ++I) {
    Diags.verbatim(Runs[I].Diagnostics);
    if (Runs[I].Result.Failed) {
      ++Failed;
      Diags.error(Sources[I] + ": the translation unit did not parse");
    }
  }
  if (Failed)
    Diags.error(std::to_string(Failed) + " of " + std::to_string(Sources.size()) +
                " translation units failed; nothing was written");
  return Failed == 0;
}

} // namespace evy
