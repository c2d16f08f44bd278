// Driver: one run of evy-rewrite, its pipeline read top to bottom: rules
// and --patch, then every translation unit (in parallel, with the reference
// finder), the cross-unit merge, each file's module choice and plan, then
// the output (print, diff, check, report or write in place). Nothing is
// written unless every step worked. docs/internals.md maps the stages.
#pragma once

#include "Diagnostics.h"
#include "Options.h"

#include "clang/Tooling/CompilationDatabase.h"

#include <string>
#include <vector>

namespace evy {

/// Returns the exit status: 0 clean, 1 changes or findings under --check,
/// 2 error (bad rules or --patch, unreadable file, a unit that did not parse).
int runDriver(const DriverOptions &Options, const clang::tooling::CompilationDatabase &Database,
              const std::vector<std::string> &Sources, Diagnostics &Diags);

} // namespace evy
