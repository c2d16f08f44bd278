// TranslationUnits: the per-unit stage. Each translation unit is parsed by
// clang, in parallel, with the reference finder attached; clang's own
// messages are kept per unit and printed in input order once all have run.
#pragma once

#include "CompileCommands.h"
#include "Diagnostics.h"
#include "TranslationUnitResult.h"
#include "Options.h"
#include "PathConfig.h"
#include "ReferenceFinder.h"
#include "RuleSet.h"

#include "clang/Tooling/CompilationDatabase.h"

#include <optional>
#include <string>
#include <vector>

namespace evy {

struct UnitRun {
  TranslationUnitResult Result;
  std::string Diagnostics; // clang's own messages, printed in input order
};

/// What every unit of one run shares (not UnitContext: that is one unit's).
struct RunContext {
  const RuleSet &Rules;
  const clang::tooling::CompilationDatabase &Database;
  CompileCommandOptions Commands;
  FileFilter Rewritable;
};

/// rewritableFilter() says where edits may land: never in an excluded
/// file; in every main file; in a header that --header-filter or a
/// .evy-rewrite.json path rule names and --exclude-header-filter does not.
/// Nothing, after an error, when a filter is not a valid regex.
std::optional<FileFilter> rewritableFilter(const DriverOptions &Options, PathConfigStore &Configs,
                                           Diagnostics &Diags);

/// runUnits() runs every source, Jobs at a time, in input order of results.
std::vector<UnitRun> runUnits(const RunContext &Context, const std::vector<std::string> &Sources,
                              unsigned Jobs, DroppedFlags &Dropped);

/// Prints clang's diagnostics in input order; false if any unit failed.
bool reportUnitFailures(const std::vector<UnitRun> &Runs, const std::vector<std::string> &Sources,
                        DroppedFlags &Dropped, Diagnostics &Diags);

} // namespace evy
