#include "CompileCommands.h"

#include "clang/Driver/Options.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"
#include "llvm/Support/Path.h"

namespace evy {

bool isHeaderFile(llvm::StringRef Path) {
  llvm::StringRef Ext = llvm::sys::path::extension(Path);
  return Ext == ".h" || Ext == ".hh" || Ext == ".hpp" || Ext == ".hxx" || Ext == ".H" ||
         Ext == ".inl" || Ext == ".ipp";
}

namespace {

/// Indices (into Args) of arguments clang's driver does not know.
std::set<unsigned> unknownArguments(const clang::tooling::CommandLineArguments &Args) {
  std::vector<const char *> Argv;
  for (std::size_t I = 1; I < Args.size(); ++I)
    Argv.push_back(Args[I].c_str());
  unsigned MissingIndex = 0, MissingCount = 0;
  const llvm::opt::OptTable &Table = clang::driver::getDriverOptTable();
  llvm::opt::InputArgList Parsed =
      Table.ParseArgs(Argv, MissingIndex, MissingCount,
                      llvm::opt::Visibility(clang::driver::options::ClangOption));
  std::set<unsigned> Unknown;
  for (const llvm::opt::Arg *A : Parsed.filtered(clang::driver::options::OPT_UNKNOWN))
    Unknown.insert(A->getIndex() + 1);
  return Unknown;
}

} // namespace

clang::tooling::ArgumentsAdjuster evyArgumentsAdjuster(const CompileCommandOptions &Options,
                                                       DroppedFlags &Dropped) {
  return [Options, &Dropped](const clang::tooling::CommandLineArguments &Args,
                             llvm::StringRef File) {
    clang::tooling::CommandLineArguments Out;
    std::set<unsigned> Unknown = unknownArguments(Args);
    bool HasResourceDir = false, HasLanguage = false;
    for (unsigned I = 0; I < Args.size(); ++I) {
      if (Unknown.count(I)) {
        Dropped.add(Args[I]);
        continue;
      }
      llvm::StringRef Arg = Args[I];
      HasResourceDir |= Arg.starts_with("-resource-dir");
      HasLanguage |= Arg.starts_with("-x"); // -x LANG or -xLANG
      Out.push_back(Args[I]);
    }
    if (Out.empty())
      return Out;
    auto After = Out.begin() + 1;
    if (!HasResourceDir && !Options.ResourceDir.empty())
      After = Out.insert(After, "-resource-dir=" + Options.ResourceDir) + 1;
    // A header given as a unit of its own is C++, whatever its extension says.
    if (!HasLanguage && isHeaderFile(File))
      Out.insert(After, "-xc++-header");
    if (!Options.RuntimeIncludeDir.empty()) {
      Out.push_back("-isystem");
      Out.push_back(Options.RuntimeIncludeDir);
    }
    Out.push_back("-Wno-everything");
    // Our own printer shows carets; this only stops clang's "N errors
    // generated." line, which would bypass the buffered, ordered output.
    Out.push_back("-fno-caret-diagnostics");
    return Out;
  };
}

} // namespace evy
