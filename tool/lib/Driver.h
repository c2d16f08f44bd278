// Driver: one run of evy-rewrite. Finds references in every translation
// unit (in parallel), decides each file's plan, then prints, diffs, checks,
// reports or writes in place. Nothing is written unless every step worked.
#pragma once

#include "clang/Tooling/CompilationDatabase.h"

#include <optional>
#include <string>
#include <vector>

namespace evy {

/// ExportFixes: --export-fixes without another mode (writes only the YAML).
enum class OutputMode { Stdout, InPlace, Diff, Check, Report, ExportFixes };

struct DriverOptions {
  std::vector<std::string> RulePaths;   // installed rules first, then --rules
  std::optional<std::string> Patch;     // the --patch value, when given
  OutputMode Mode = OutputMode::Stdout;
  std::string ReportFormat = "text";    // text, json or sarif
  std::string ExportFixes;              // --export-fixes=FILE
  std::string OutputFile;               // -o FILE: the one file's rewritten source
  std::string HeaderDir;                // --header-dir: copies of changed headers (with -o)
  std::string DepFile;                  // --depfile: Make-style dependencies (with -o)
  unsigned Jobs = 1;
  std::string HeaderFilter;             // regex; empty: main files only
  std::string ExcludeHeaderFilter;
  std::string ResourceDir;              // prepended unless the command has one
  std::string RuntimeIncludeDir;        // where <evy/patched/X.h> is found
};

/// Returns the exit status: 0 clean, 1 changes or findings under --check,
/// 2 error (bad rules or --patch, unreadable file, a unit that did not parse).
int runDriver(const DriverOptions &Options, const clang::tooling::CompilationDatabase &Database,
              const std::vector<std::string> &Sources);

} // namespace evy
