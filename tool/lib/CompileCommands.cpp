#include "CompileCommands.h"
#include "JsonLocator.h"
#include "Report.h"

#include "clang/Driver/Options.h"
#include "clang/Tooling/CommonOptionsParser.h"
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

std::optional<std::string> findDatabaseDirectory(llvm::StringRef Start) {
  llvm::SmallString<256> Dir(Start);
  llvm::sys::fs::make_absolute(Dir);
  llvm::sys::path::remove_dots(Dir, /*remove_dot_dot=*/true);
  for (llvm::StringRef D = Dir; !D.empty(); D = llvm::sys::path::parent_path(D)) {
    llvm::SmallString<256> Candidate(D);
    llvm::sys::path::append(Candidate, "compile_commands.json");
    if (llvm::sys::fs::is_regular_file(Candidate))
      return D.str();
  }
  return std::nullopt;
}

namespace {

/// Makes each entry's "directory" absolute and existing: a relative one is
/// resolved against Dir, a missing one replaced by Dir (noted once per name).
void repairDirectories(nlohmann::json &Doc, const std::string &Dir, const std::string &Text,
                       JsonErrors &Err) {
  JsonLocator Where(Text);
  std::map<std::string, unsigned> Missing; // directory -> entries naming it
  for (std::size_t I = 0; I < Doc.size(); ++I) {
    nlohmann::json &Entry = Doc[I];
    if (!Entry.is_object() || !Entry.contains("directory") || !Entry["directory"].is_string())
      continue; // clang's own parser reports these
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
        Err.noteAt(Where.valueOffset("/" + std::to_string(I) + "/directory"),
                   "directory \"" + Name + "\" does not exist; its commands run in " + Dir +
                       " instead");
      Directory = Dir;
    }
    Entry["directory"] = Directory.str().str();
  }
}

/// The compile_commands.json under Dir.
std::string databaseFile(const std::string &Dir) {
  llvm::SmallString<256> File(Dir);
  llvm::sys::path::append(File, "compile_commands.json");
  return File.str().str();
}

} // namespace

std::unique_ptr<clang::tooling::CompilationDatabase> loadDatabase(const std::string &Dir,
                                                                  Diagnostics &Diags) {
  std::string File = databaseFile(Dir);
  llvm::ErrorOr<std::string> Text = readTextFile(File);
  if (!Text) {
    Diags.error(Location{File}, "cannot read: " + Text.getError().message());
    return nullptr;
  }
  JsonErrors Err(File, *Text, Diags);
  std::optional<nlohmann::json> Doc = parseJsonFile(*Text, Err);
  if (!Doc)
    return nullptr;
  if (!Doc->is_array()) {
    Err.at(0, "a compilation database is a JSON array of commands");
    return nullptr;
  }
  repairDirectories(*Doc, Dir, *Text, Err);
  std::string Message;
  auto Database = clang::tooling::JSONCompilationDatabase::loadFromBuffer(
      Doc->dump(), Message, clang::tooling::JSONCommandLineSyntax::AutoDetect);
  if (!Database) {
    Diags.error(Location{File}, Message);
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
                                         const std::string &Dir, Diagnostics &Diags) {
  std::vector<std::string> Sources;
  for (const std::string &Source : Database.getAllFiles()) {
    if (llvm::sys::fs::exists(Source))
      Sources.push_back(Source);
    else
      Diags.note(displayPath(databaseFile(Dir)) + " lists " + displayPath(Source) +
                 ", which does not exist; skipped");
  }
  std::sort(Sources.begin(), Sources.end());
  Sources.erase(std::unique(Sources.begin(), Sources.end()), Sources.end());
  return Sources;
}

namespace {

/// Where to look for a database: -p, else the first file's directory; none
/// when a command line follows "--" or there is nothing to look from.
std::optional<std::string> databaseDirectory(const CompilationRequest &Request) {
  if (Request.FixedCommand)
    return std::nullopt;
  if (Request.BuildPath)
    return findDatabaseDirectory(*Request.BuildPath);
  if (Request.Sources.empty())
    return std::nullopt;
  llvm::StringRef Parent = llvm::sys::path::parent_path(Request.Sources.front());
  return findDatabaseDirectory(Parent.empty() ? "." : Parent);
}

} // namespace

std::optional<OpenedCompilations>
openCompilations(const CompilationRequest &Request,
                 const clang::tooling::CompilationDatabase &Fixed, Diagnostics &Diags) {
  OpenedCompilations Opened;
  Opened.Sources = Request.Sources;
  std::optional<std::string> Dir = databaseDirectory(Request);
  if (!Dir) {
    if (Request.BuildPath && !Request.FixedCommand) {
      Diags.error(*Request.BuildPath + ": no compile_commands.json here or in a parent directory");
      return std::nullopt;
    }
    if (!Opened.Sources.empty())
      Opened.Database = &Fixed;
    return Opened;
  }
  auto Database = loadDatabase(*Dir, Diags);
  if (!Database)
    return std::nullopt;
  // -p with no files means every file of the database, in a stable order;
  // entries whose file is gone are skipped with a note.
  if (Opened.Sources.empty())
    Opened.Sources = databaseSources(*Database, *Dir, Diags);
  auto Adjusted =
      std::make_unique<clang::tooling::ArgumentsAdjustingCompilations>(std::move(Database));
  Adjusted->appendArgumentsAdjuster(clang::tooling::getInsertArgumentAdjuster(
      Request.ExtraArgsBefore, clang::tooling::ArgumentInsertPosition::BEGIN));
  Adjusted->appendArgumentsAdjuster(clang::tooling::getInsertArgumentAdjuster(
      Request.ExtraArgs, clang::tooling::ArgumentInsertPosition::END));
  Opened.Loaded = std::move(Adjusted);
  Opened.Database = Opened.Loaded.get();
  return Opened;
}

} // namespace evy
