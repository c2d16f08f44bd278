// CompileCommands: how each unit's real compile command is adjusted before
// clang sees it. Real databases come from gcc builds; a flag clang does not
// know must never make a run fail, so it is dropped (and noted once).
#pragma once

#include "Diagnostics.h"

#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CompilationDatabase.h"

#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace evy {

struct CompileCommandOptions {
  std::string ResourceDir;       // prepended unless the command names one
  std::string RuntimeIncludeDir; // where <evy/patched/X.h> is found
};

/// Collects the flags dropped across all units (units run in parallel).
class DroppedFlags {
public:
  void add(const std::string &Flag) {
    std::lock_guard<std::mutex> Lock(Mutex);
    Flags.insert(Flag);
  }
  std::set<std::string> take() {
    std::lock_guard<std::mutex> Lock(Mutex);
    return std::move(Flags);
  }

private:
  std::mutex Mutex;
  std::set<std::string> Flags;
};

/// The adjuster every unit gets: drops flags unknown to clang's driver,
/// parses headers as C++ headers, adds the baked resource directory and the
/// runtime's headers, and silences compiler warnings.
clang::tooling::ArgumentsAdjuster evyArgumentsAdjuster(const CompileCommandOptions &Options,
                                                       DroppedFlags &Dropped);

/// The nearest of Start (a directory) and its parents that holds a
/// compile_commands.json, the way clang tools look for one.
std::optional<std::string> findDatabaseDirectory(llvm::StringRef Start);

/// loadDatabase() reads Dir/compile_commands.json into clang's JSON
/// database, repaired so that no entry can make a run fail: a relative
/// "directory" is resolved against Dir (not the current directory), and one
/// that does not exist (a moved or deleted build tree) is replaced by Dir,
/// with a note naming the entry. Malformed JSON is an error at its line and
/// column, and nullptr is returned. The database is wrapped the way
/// clang-tidy's is: "@file" response files are expanded (relative to the
/// entry's directory), a file it does not list (a header, a new source)
/// borrows the command of its nearest neighbour, and --target and
/// --driver-mode are inferred from the compiler's name.
std::unique_ptr<clang::tooling::CompilationDatabase>
loadDatabase(const std::string &Dir, Diagnostics &Diags);

/// The files to run when -p is given without files: every file the
/// database at Dir lists, sorted. One that no longer exists is skipped,
/// with a note naming it (a stale entry must not fail the run).
std::vector<std::string> databaseSources(const clang::tooling::CompilationDatabase &Database,
                                         const std::string &Dir, Diagnostics &Diags);

/// What the command line says about compilations.
struct CompilationRequest {
  bool FixedCommand = false;            // a command line follows "--"
  std::optional<std::string> BuildPath; // -p BUILD_DIR
  std::vector<std::string> Sources;     // the files named
  std::vector<std::string> ExtraArgsBefore, ExtraArgs; // --extra-arg-before, --extra-arg
};

/// The compilations a run uses, and the files it runs on.
struct OpenedCompilations {
  std::unique_ptr<clang::tooling::CompilationDatabase> Loaded; // read from disk
  /// Loaded, or the command after "--"; null when there is nothing to run.
  const clang::tooling::CompilationDatabase *Database = nullptr;
  std::vector<std::string> Sources;
};

/// openCompilations() finds the compilations the way clang tools do: a
/// command line after "--" (Fixed) wins over any database; otherwise the
/// compile_commands.json of -p BUILD_DIR, or of the first file's directory,
/// or of a parent (loadDatabase()), with the --extra-arg flags added. -p
/// without files runs every file the database lists (databaseSources()).
/// Nothing, after an error, when -p finds no database or it is bad.
std::optional<OpenedCompilations>
openCompilations(const CompilationRequest &Request,
                 const clang::tooling::CompilationDatabase &Fixed, Diagnostics &Diags);

/// True for the extensions C and C++ headers use.
bool isHeaderFile(llvm::StringRef Path);

} // namespace evy
