// TranslationUnits: the per-unit stage. Each translation unit is parsed by
// clang with the reference finder attached; clang's own messages are kept
// per unit and printed in input order once every unit has run.
#pragma once

#include "CompileCommands.h"
#include "Findings.h"
#include "ReferenceFinder.h"
#include "RuleSet.h"

#include "clang/Tooling/CompilationDatabase.h"

#include <string>
#include <vector>

namespace evy {

struct UnitRun {
  TranslationUnitResult Result;
  std::string Diagnostics; // clang's own messages, printed in input order
};

void runUnit(const CompileCommandOptions &Commands, DroppedFlags &Dropped, const RuleSet &Rules,
             const clang::tooling::CompilationDatabase &Database, const std::string &Source,
             const FileFilter &Rewritable, UnitRun &Run);

/// Prints clang's diagnostics in input order; false if any unit failed.
bool reportUnitFailures(const std::vector<UnitRun> &Runs, const std::vector<std::string> &Sources,
                        DroppedFlags &Dropped);

} // namespace evy
