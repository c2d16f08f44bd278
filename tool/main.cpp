// evy-rewrite: greens blocking C++ at the source level. The options are
// declared and checked here; every later stage lives in lib/ (Driver.h runs
// them, docs/internals.md maps them to files).
#include "BuildConfig.h"
#include "CompileCommands.h"
#include "Diagnostics.h"
#include "Driver.h"
#include "ModuleSelection.h"
#include "Options.h"
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
    cl::desc("Modules to green: a comma list of module names; 'all' or no\n"
             "value for the default set, 'all,NAME' adds an opt-in module;\n"
             "'-name' excludes. Without --patch, each file's own patched\n"
             "includes decide.")};
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
std::string installedOr(const std::string &Executable, const char *Subdir, const char *Probe,
                        const char *Fallback) {
  SmallString<256> Path(sys::path::parent_path(sys::path::parent_path(Executable)));
  sys::path::append(Path, Subdir);
  SmallString<256> ProbePath(Path);
  sys::path::append(ProbePath, Probe);
  return sys::fs::exists(ProbePath) ? Path.str().str() : Fallback;
}

/// Where the rules are: PREFIX/share/evy/rules when installed, else the
/// source tree's rules/.
std::string rulesDir(const std::string &Executable) {
  return installedOr(Executable, EVY_INSTALL_RULES_SUBDIR, "socket.json", EVY_SOURCE_RULES_DIR);
}

/// Text with its lines broken at spaces to at most Width columns, as the
/// other options' descriptions are.
std::string wrapped(StringRef Text, std::size_t Width) {
  std::string Out;
  SmallVector<StringRef> Lines, Words;
  Text.split(Lines, '\n');
  for (StringRef Line : Lines) {
    if (!Out.empty())
      Out += '\n';
    std::size_t Column = 0;
    Words.clear();
    Line.split(Words, ' ', -1, /*KeepEmpty=*/false);
    for (StringRef Word : Words) {
      if (Column > 0) {
        bool Breaks = Column + 1 + Word.size() > Width;
        Out += Breaks ? '\n' : ' ';
        Column = Breaks ? 0 : Column + 1;
      }
      Out += Word;
      Column += Word.size();
    }
  }
  return Out;
}

/// --patch's help lists the modules of the rules in RulesDir, so it names
/// every module there is, opt-in ones included. They are loaded quietly:
/// a broken rule file is the run's error to report, not --help's.
void describePatchModules(const std::string &RulesDir) {
  static std::string Help;
  evy::Diagnostics Quiet(evy::Diagnostics::Keep);
  if (std::optional<evy::RuleSet> Rules = evy::RuleSet::load({RulesDir}, Quiet)) {
    Help = Patch.HelpStr.str() + "\n" + wrapped(evy::describeModules(*Rules), 60);
    Patch.setDescription(Help);
  }
}

/// The machine's memory in bytes; 0 when unknown.
unsigned long long physicalMemory() {
  long Pages = sysconf(_SC_PHYS_PAGES), PageSize = sysconf(_SC_PAGESIZE);
  return Pages > 0 && PageSize > 0 ? (unsigned long long)Pages * PageSize : 0;
}

/// What the command line says about compilations (see openCompilations()).
evy::CompilationRequest compilationRequest(const clang::tooling::CommonOptionsParser &Parser,
                                           bool FixedCommand) {
  evy::CompilationRequest Request;
  Request.FixedCommand = FixedCommand;
  Request.Sources = Parser.getSourcePathList();
  auto &Registered = cl::getRegisteredOptions();
  if (auto *BuildPath = static_cast<cl::opt<std::string> *>(Registered["p"]);
      BuildPath && !BuildPath->empty())
    Request.BuildPath = BuildPath->getValue();
  auto *Before = static_cast<cl::list<std::string> *>(Registered["extra-arg-before"]);
  auto *After = static_cast<cl::list<std::string> *>(Registered["extra-arg"]);
  Request.ExtraArgsBefore.assign(Before->begin(), Before->end());
  Request.ExtraArgs.assign(After->begin(), After->end());
  return Request;
}

/// The output mode the flags choose; false, after an error, when flags
/// exclude each other.
bool setOutputMode(evy::DriverOptions &Options, evy::Diagnostics &Diags) {
  int Modes = InPlace + Diff + Check + (Report.getNumOccurrences() > 0);
  if (Modes > 1) {
    Diags.error("-i, --diff, --check and --report exclude each other");
    return false;
  }
  if (InPlace) {
    Options.Mode = evy::OutputMode::InPlace;
  } else if (Diff) {
    Options.Mode = evy::OutputMode::Diff;
  } else if (Check) {
    Options.Mode = evy::OutputMode::Check;
  } else if (Report.getNumOccurrences()) {
    Options.Mode = evy::OutputMode::Report;
    std::optional<evy::ReportFormat> Format = evy::parseReportFormat(Report);
    if (!Format) {
      Diags.error("--report=" + Report.getValue() + ": expected text, json or sarif");
      return false;
    }
    Options.Format = *Format;
  } else if (!ExportFixes.empty() && OutputFile.empty()) {
    Options.Mode = evy::OutputMode::ExportFixes;
  }
  if (!OutputFile.empty() && Modes) {
    Diags.error("-o goes with the default output mode only");
    return false;
  }
  if ((!HeaderDir.empty() || !DepFile.empty()) && OutputFile.empty()) {
    Diags.error("--header-dir and --depfile go with -o");
    return false;
  }
  return true;
}

/// Everything but the mode: files and paths, the installed layout first.
void setPaths(evy::DriverOptions &Options, const std::string &Executable) {
  Options.OutputFile = OutputFile;
  Options.HeaderDir = HeaderDir;
  Options.DepFile = DepFile;
  if (Patch.getNumOccurrences())
    Options.Patch = Patch.getValue();
  Options.RulePaths.push_back(rulesDir(Executable));
  Options.RulePaths.insert(Options.RulePaths.end(), RulePaths.begin(), RulePaths.end());
  Options.RuntimeIncludeDir = installedOr(Executable, EVY_INSTALL_INCLUDE_SUBDIR,
                                          "evy/patched/socket.h", EVY_SOURCE_RUNTIME_INCLUDE_DIR);
  Options.ResourceDir = EVY_CLANG_RESOURCE_DIR;
  Options.ExportFixes = ExportFixes;
  Options.Jobs = Jobs ? Jobs
                      : evy::defaultJobs(llvm::hardware_concurrency().compute_thread_count(),
                                         physicalMemory());
  Options.HeaderFilter = HeaderFilter;
  Options.ExcludeHeaderFilter = ExcludeHeaderFilter;
}

} // namespace

int main(int argc, const char **argv) {
  sys::PrintStackTraceOnErrorSignal(argv[0]);
  cl::AddExtraVersionPrinter(
      [](raw_ostream &OS) { OS << "evy-rewrite " << EVY_VERSION << "\n"; });
  std::string Executable = sys::fs::getMainExecutable(argv[0], (void *)&main);
  describePatchModules(rulesDir(Executable));
  // Before parsing: the parser cuts argc at "--".
  bool FixedCommand =
      std::any_of(argv + 1, argv + argc, [](const char *A) { return StringRef(A) == "--"; });
  auto Parser = clang::tooling::CommonOptionsParser::create(argc, argv, EvyCategory,
                                                             cl::ZeroOrMore, Overview);
  evy::Diagnostics Diags;
  if (!Parser) {
    Diags.error(toString(Parser.takeError()));
    return 2;
  }
  std::optional<evy::OpenedCompilations> Compilations = evy::openCompilations(
      compilationRequest(*Parser, FixedCommand), Parser->getCompilations(), Diags);
  if (!Compilations)
    return 2;
  evy::DriverOptions Options;
  if (!setOutputMode(Options, Diags))
    return 2;
  setPaths(Options, Executable);
  if (Compilations->Sources.empty() || !Compilations->Database) {
    Diags.error("no input files (give FILES, or -p BUILD_DIR with a compile_commands.json)");
    return 2;
  }
  return evy::finishStandardStreams(
      evy::runDriver(Options, *Compilations->Database, Compilations->Sources, Diags), Diags);
}
