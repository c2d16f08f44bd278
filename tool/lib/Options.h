// Options: what one run of evy-rewrite is asked to do, as tool/main.cpp
// parsed it from the command line (the pipeline's first stage).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace evy {

/// ExportFixes: --export-fixes without another mode (writes only the YAML).
enum class OutputMode { Stdout, InPlace, Diff, Check, Report, ExportFixes };

enum class ReportFormat { Text, Json, Sarif };

/// parseReportFormat() reads a --report value: "" or "text", "json",
/// "sarif"; nothing for anything else.
std::optional<ReportFormat> parseReportFormat(const std::string &Value);

struct DriverOptions {
  std::vector<std::string> RulePaths;   // installed rules first, then --rules
  std::optional<std::string> Patch;     // the --patch value, when given
  OutputMode Mode = OutputMode::Stdout;
  ReportFormat Format = ReportFormat::Text; // with OutputMode::Report
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

/// defaultJobs() is -j's default: one unit per hardware thread, but at
/// most one per 1.5 GiB of memory (MemoryBytes 0: unknown, no limit), and
/// at least one.
unsigned defaultJobs(unsigned HardwareThreads, unsigned long long MemoryBytes);

} // namespace evy
