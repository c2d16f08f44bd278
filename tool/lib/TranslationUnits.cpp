#include "TranslationUnits.h"

#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <set>

namespace evy {
namespace {

using namespace clang;

void error(const std::string &Message) { llvm::errs() << "evy-rewrite: error: " << Message << "\n"; }

} // namespace

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

} // namespace evy
