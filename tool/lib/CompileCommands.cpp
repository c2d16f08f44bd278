#include "CompileCommands.h"
#include "JsonLocator.h"
#include "Report.h"

#include "clang/Driver/Options.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <algorithm>
#include <map>

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
    // Flags go before a "--" (an inferred command ends in "-- FILE"): after
    // it, clang would take them for input files.
    std::vector<std::string> Tail;
    if (!Options.RuntimeIncludeDir.empty()) {
      Tail.push_back("-isystem");
      Tail.push_back(Options.RuntimeIncludeDir);
    }
    Tail.push_back("-Wno-everything");
    // Our own printer shows carets; this only stops clang's "N errors
    // generated." line, which would bypass the buffered, ordered output.
    Tail.push_back("-fno-caret-diagnostics");
    Out.insert(std::find(Out.begin(), Out.end(), "--"), Tail.begin(), Tail.end());
    return Out;
  };
}

std::string findDatabaseDirectory(llvm::StringRef Start) {
  llvm::SmallString<256> Dir(Start);
  llvm::sys::fs::make_absolute(Dir);
  llvm::sys::path::remove_dots(Dir, /*remove_dot_dot=*/true);
  for (llvm::StringRef D = Dir; !D.empty(); D = llvm::sys::path::parent_path(D)) {
    llvm::SmallString<256> Candidate(D);
    llvm::sys::path::append(Candidate, "compile_commands.json");
    if (llvm::sys::fs::is_regular_file(Candidate))
      return D.str();
  }
  return "";
}

std::unique_ptr<clang::tooling::CompilationDatabase>
loadDatabase(const std::string &Dir, std::vector<std::string> &Notes,
             std::vector<std::string> &Errors) {
  llvm::SmallString<256> File(Dir);
  llvm::sys::path::append(File, "compile_commands.json");
  auto Buffer = llvm::MemoryBuffer::getFile(File);
  if (!Buffer) {
    Errors.push_back(File.str().str() + ": error: cannot read: " + Buffer.getError().message());
    return nullptr;
  }
  std::string Text = (*Buffer)->getBuffer().str();
  JsonErrors Err(File.str().str(), Text, Errors);
  std::optional<nlohmann::json> Doc = parseJsonFile(Text, Err);
  if (!Doc)
    return nullptr;
  if (!Doc->is_array()) {
    Err.at(0, "a compilation database is a JSON array of commands");
    return nullptr;
  }
  JsonLocator Where(Text);
  std::map<std::string, unsigned> Missing; // directory -> entries naming it
  for (std::size_t I = 0; I < Doc->size(); ++I) {
    nlohmann::json &Entry = (*Doc)[I];
    if (!Entry.is_object() || !Entry.contains("directory") || !Entry["directory"].is_string())
      continue; // clang's own parser reports these, below
    llvm::SmallString<256> Directory(Entry["directory"].get<std::string>());
    if (llvm::sys::path::is_relative(Directory)) {
      llvm::SmallString<256> Absolute(Dir);
      llvm::sys::path::append(Absolute, Directory);
      Directory = Absolute;
    }
    llvm::sys::path::remove_dots(Directory, /*remove_dot_dot=*/true);
    if (!llvm::sys::fs::is_directory(Directory)) {
      std::string Name = Entry["directory"].get<std::string>();
      if (Missing[Name]++ == 0)
        Notes.push_back(Err.where(Where.valueOffset("/" + std::to_string(I) + "/directory")) +
                        ": note: directory \"" + Name + "\" does not exist; " +
                        "its commands run in " + Dir + " instead");
      Directory = Dir;
    }
    Entry["directory"] = Directory.str().str();
  }
  std::string Message;
  auto Database = clang::tooling::JSONCompilationDatabase::loadFromBuffer(
      Doc->dump(), Message, clang::tooling::JSONCommandLineSyntax::AutoDetect);
  if (!Database) {
    Errors.push_back(File.str().str() + ": error: " + Message);
    return nullptr;
  }
  // The wrappers clang tools (clang-tidy, clang-check) put around the
  // database they load: "@file" response files expanded relative to each
  // entry's directory, commands inferred for files the database does not
  // list (a header, a new source: a neighbour's command is borrowed), and
  // --target / --driver-mode taken from the compiler's name.
  return clang::tooling::inferTargetAndDriverMode(clang::tooling::inferMissingCompileCommands(
      clang::tooling::expandResponseFiles(std::move(Database), llvm::vfs::getRealFileSystem())));
}

std::vector<std::string> databaseSources(const clang::tooling::CompilationDatabase &Database,
                                         const std::string &Dir, std::vector<std::string> &Notes) {
  std::vector<std::string> Sources;
  llvm::SmallString<256> File(Dir);
  llvm::sys::path::append(File, "compile_commands.json");
  for (const std::string &Source : Database.getAllFiles()) {
    if (llvm::sys::fs::exists(Source))
      Sources.push_back(Source);
    else
      Notes.push_back("evy-rewrite: note: " + displayPath(File.str().str()) + " lists " +
                      displayPath(Source) + ", which does not exist; skipped");
  }
  std::sort(Sources.begin(), Sources.end());
  Sources.erase(std::unique(Sources.begin(), Sources.end()), Sources.end());
  return Sources;
}

} // namespace evy
