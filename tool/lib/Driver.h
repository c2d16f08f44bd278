// Driver: one run of evy-rewrite. Finds references in every translation
// unit (in parallel), decides each file's plan, then prints, diffs, checks,
// reports or writes in place. Nothing is written unless every step worked.
#pragma once

#include "Options.h"

#include "clang/Tooling/CompilationDatabase.h"

#include <string>
#include <vector>

namespace evy {

/// Returns the exit status: 0 clean, 1 changes or findings under --check,
/// 2 error (bad rules or --patch, unreadable file, a unit that did not parse).
int runDriver(const DriverOptions &Options, const clang::tooling::CompilationDatabase &Database,
              const std::vector<std::string> &Sources);

} // namespace evy
