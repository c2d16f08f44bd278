// evy-rewrite: greens blocking C++ at the source level. Options are parsed
// here; everything else lives in lib/ (see Driver.h).
#include "BuildConfig.h"
#include "CompileCommands.h"
#include "Driver.h"
#include "OutputBatch.h"

#include "clang/Tooling/CommonOptionsParser.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace {

cl::OptionCategory EvyCategory("evy-rewrite options");

const char Overview[] = R"(
evy-rewrite rewrites blocking socket, thread, sleep, select, ssl and libpq
calls into their green versions in namespace evy::green, so a
thread-per-connection program runs as fibers on one OS thread with libevy.

Modules are chosen by --patch (monkey_patch style), or, without --patch, by
each file's own #include <evy/patched/MODULE.h> lines (import style).

Examples:
  evy-rewrite --patch=socket,thread server.cpp -- -std=c++20
  evy-rewrite -p build --patch --check
  evy-rewrite -p build --report=json src/*.cpp
)";

cl::opt<std::string> Patch{
    "patch", cl::ValueOptional, cl::value_desc("MODULES"), cl::cat(EvyCategory),
    cl::desc("Modules to green: a comma list of os, select, socket, ssl, thread, time,\n"
             "psycopg; 'all' or no value for every module; '-name' excludes.\n"
             "Without --patch, each file's own patched includes decide.")};
cl::list<std::string> RulePaths{
    "rules", cl::value_desc("FILE|DIR"), cl::cat(EvyCategory),
    cl::desc("Rule files added to the installed ones; a file for the same\n"
             "module replaces the installed one (repeatable)")};
cl::opt<bool> InPlace{"i", cl::cat(EvyCategory),
                      cl::desc("Rewrite files in place (atomically; nothing is written\n"
                               "if any translation unit fails)")};
cl::opt<bool> Diff{"diff", cl::cat(EvyCategory), cl::desc("Print a unified diff")};
cl::opt<bool> Check{"check", cl::cat(EvyCategory),
                    cl::desc("Print a unified diff and exit 1 when anything would\n"
                             "change or a finding is reported (the CI gate)")};
cl::opt<std::string> Report{
    "report", cl::ValueOptional, cl::value_desc("text|json|sarif"), cl::cat(EvyCategory),
    cl::desc("Report modules used, rewrites and findings per file;\nrewrites nothing")};
cl::opt<std::string> OutputFile{"o", cl::value_desc("FILE"), cl::cat(EvyCategory),
                                cl::desc("With one input file: write the rewritten source to FILE\n"
                                         "(atomically) instead of stdout")};
cl::opt<std::string> HeaderDir{
    "header-dir", cl::value_desc("DIR"), cl::cat(EvyCategory),
    cl::desc("With -o: write headers that change (and the user headers that\n"
             "include them) to copies under DIR, and point the output's\n"
             "#include lines at them; the originals stay untouched")};
cl::opt<std::string> DepFile{
    "depfile", cl::value_desc("FILE"), cl::cat(EvyCategory),
    cl::desc("With -o: write a Make-style dependency file listing the\n"
             "source and every user header it read")};
cl::opt<std::string> ExportFixes{
    "export-fixes", cl::value_desc("FILE"), cl::cat(EvyCategory),
    cl::desc("Write the edits as YAML for clang-apply-replacements; alone\n"
             "(without -i, --diff, --check, --report or -o), the only output")};
cl::opt<unsigned> Jobs{"j", cl::value_desc("N"), cl::init(0), cl::cat(EvyCategory),
                       cl::desc("Translation units parsed in parallel (default: the\n"
                                "number of cores, at most one per 1.5 GiB of memory)")};
cl::opt<std::string> HeaderFilter{
    "header-filter", cl::value_desc("REGEX"), cl::cat(EvyCategory),
    cl::desc("Also rewrite headers whose path matches REGEX")};
cl::opt<std::string> ExcludeHeaderFilter{
    "exclude-header-filter", cl::value_desc("REGEX"), cl::cat(EvyCategory),
    cl::desc("Never rewrite headers whose path matches REGEX")};

/// The installed layout (PREFIX/bin/evy-rewrite, PREFIX/share/evy/rules,
/// PREFIX/include/evy) wins over the build tree's paths.
std::string installedOr(const std::string &Prefix, const char *Subdir, const char *Probe,
                        const char *Fallback) {
  SmallString<256> Path(Prefix);
  sys::path::append(Path, Subdir);
  SmallString<256> ProbePath(Path);
  sys::path::append(ProbePath, Probe);
  return sys::fs::exists(ProbePath) ? Path.str().str() : Fallback;
}

unsigned defaultJobs() {
  unsigned Cores = std::max(1u, llvm::get_physical_cores() > 0
                                    ? static_cast<unsigned>(llvm::get_physical_cores())
                                    : llvm::heavyweight_hardware_concurrency().compute_thread_count());
  Cores = std::max(Cores, llvm::hardware_concurrency().compute_thread_count());
  long Pages = sysconf(_SC_PHYS_PAGES), PageSize = sysconf(_SC_PAGESIZE);
  if (Pages > 0 && PageSize > 0) {
    unsigned long long ByMemory = (unsigned long long)Pages * PageSize / (3ull << 29);
    Cores = std::min<unsigned long long>(Cores, std::max(1ull, ByMemory));
  }
  return Cores;
}

} // namespace

int main(int argc, const char **argv) {
  sys::PrintStackTraceOnErrorSignal(argv[0]);
  cl::AddExtraVersionPrinter(
      [](raw_ostream &OS) { OS << "evy-rewrite " << EVY_VERSION << "\n"; });
  // Before parsing: the parser cuts argc at "--".
  bool FixedCommand =
      std::any_of(argv + 1, argv + argc, [](const char *A) { return StringRef(A) == "--"; });
  auto Parser = clang::tooling::CommonOptionsParser::create(argc, argv, EvyCategory,
                                                             cl::ZeroOrMore, Overview);
  if (!Parser) {
    errs() << "evy-rewrite: error: " << toString(Parser.takeError()) << "\n";
    return 2;
  }
  // compile_commands.json is read by our own loader (relative and missing
  // "directory" entries repaired, then wrapped like clang-tidy's database:
  // response files, inferred commands for unlisted files; see
  // CompileCommands.h), found the way clang tools find it: -p BUILD_DIR or
  // the first file, then parents.
  // A command line after "--" wins over any database, as in clang tools.
  std::vector<std::string> Sources = Parser->getSourcePathList();
  clang::tooling::CompilationDatabase *Compilations = nullptr;
  std::unique_ptr<clang::tooling::CompilationDatabase> Loaded;
  auto *BuildPath = static_cast<cl::opt<std::string> *>(cl::getRegisteredOptions()["p"]);
  bool HasBuildPath = BuildPath && !BuildPath->empty();
  std::string DatabaseDir;
  if (!FixedCommand && HasBuildPath)
    DatabaseDir = evy::findDatabaseDirectory(*BuildPath);
  else if (!FixedCommand && !Sources.empty())
    DatabaseDir = evy::findDatabaseDirectory(sys::path::parent_path(Sources.front()).empty()
                                                 ? "."
                                                 : sys::path::parent_path(Sources.front()));
  if (HasBuildPath && !FixedCommand && DatabaseDir.empty()) {
    errs() << "evy-rewrite: error: " << *BuildPath
           << ": no compile_commands.json here or in a parent directory\n";
    return 2;
  }
  if (!DatabaseDir.empty()) {
    std::vector<std::string> Notes, Errors;
    auto Database = evy::loadDatabase(DatabaseDir, Notes, Errors);
    if (!Database) {
      for (const std::string &Line : Notes)
        errs() << Line << "\n";
      for (const std::string &Line : Errors)
        errs() << Line << "\n";
      return 2;
    }
    // -p with no files means every file of the database, in a stable order;
    // entries whose file is gone are skipped with a note.
    if (Sources.empty())
      Sources = evy::databaseSources(*Database, DatabaseDir, Notes);
    for (const std::string &Line : Notes)
      errs() << Line << "\n";
    auto Adjusted =
        std::make_unique<clang::tooling::ArgumentsAdjustingCompilations>(std::move(Database));
    auto *Before = static_cast<cl::list<std::string> *>(cl::getRegisteredOptions()["extra-arg-before"]);
    auto *After = static_cast<cl::list<std::string> *>(cl::getRegisteredOptions()["extra-arg"]);
    Adjusted->appendArgumentsAdjuster(clang::tooling::getInsertArgumentAdjuster(
        std::vector<std::string>(Before->begin(), Before->end()),
        clang::tooling::ArgumentInsertPosition::BEGIN));
    Adjusted->appendArgumentsAdjuster(clang::tooling::getInsertArgumentAdjuster(
        std::vector<std::string>(After->begin(), After->end()),
        clang::tooling::ArgumentInsertPosition::END));
    Loaded = std::move(Adjusted);
    Compilations = Loaded.get();
  } else if (!Sources.empty()) {
    Compilations = &Parser->getCompilations();
  }

  evy::DriverOptions Options;
  int Modes = InPlace + Diff + Check + (Report.getNumOccurrences() > 0);
  if (Modes > 1) {
    errs() << "evy-rewrite: error: -i, --diff, --check and --report exclude each other\n";
    return 2;
  }
  if (InPlace)
    Options.Mode = evy::OutputMode::InPlace;
  else if (Diff)
    Options.Mode = evy::OutputMode::Diff;
  else if (Check)
    Options.Mode = evy::OutputMode::Check;
  else if (Report.getNumOccurrences()) {
    Options.Mode = evy::OutputMode::Report;
    Options.ReportFormat = Report.empty() ? "text" : Report.getValue();
    if (Options.ReportFormat != "text" && Options.ReportFormat != "json" &&
        Options.ReportFormat != "sarif") {
      errs() << "evy-rewrite: error: --report=" << Options.ReportFormat
             << ": expected text, json or sarif\n";
      return 2;
    }
  } else if (!ExportFixes.empty() && OutputFile.empty()) {
    Options.Mode = evy::OutputMode::ExportFixes;
  }
  if (!OutputFile.empty() && Modes) {
    errs() << "evy-rewrite: error: -o goes with the default output mode only\n";
    return 2;
  }
  if ((!HeaderDir.empty() || !DepFile.empty()) && OutputFile.empty()) {
    errs() << "evy-rewrite: error: --header-dir and --depfile go with -o\n";
    return 2;
  }
  Options.OutputFile = OutputFile;
  Options.HeaderDir = HeaderDir;
  Options.DepFile = DepFile;
  if (Patch.getNumOccurrences())
    Options.Patch = Patch.getValue();

  std::string Executable = sys::fs::getMainExecutable(argv[0], (void *)&main);
  std::string Prefix = sys::path::parent_path(sys::path::parent_path(Executable)).str();
  Options.RulePaths.push_back(
      installedOr(Prefix, EVY_INSTALL_RULES_SUBDIR, "socket.json", EVY_SOURCE_RULES_DIR));
  Options.RulePaths.insert(Options.RulePaths.end(), RulePaths.begin(), RulePaths.end());
  Options.RuntimeIncludeDir = installedOr(Prefix, EVY_INSTALL_INCLUDE_SUBDIR,
                                          "evy/patched/socket.h", EVY_SOURCE_RUNTIME_INCLUDE_DIR);
  Options.ResourceDir = EVY_CLANG_RESOURCE_DIR;
  Options.ExportFixes = ExportFixes;
  Options.Jobs = Jobs ? Jobs : defaultJobs();
  Options.HeaderFilter = HeaderFilter;
  Options.ExcludeHeaderFilter = ExcludeHeaderFilter;

  if (Sources.empty() || !Compilations) {
    errs() << "evy-rewrite: error: no input files (give FILES, or -p BUILD_DIR with a "
              "compile_commands.json)\n";
    return 2;
  }
  return evy::finishStandardStreams(evy::runDriver(Options, *Compilations, Sources));
}
