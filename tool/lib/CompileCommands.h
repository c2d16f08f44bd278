// CompileCommands: how each unit's real compile command is adjusted before
// clang sees it. Real databases come from gcc builds; a flag clang does not
// know must never make a run fail, so it is dropped (and noted once).
#pragma once

#include "clang/Tooling/ArgumentsAdjusters.h"

#include <mutex>
#include <set>
#include <string>

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

/// True for the extensions C and C++ headers use.
bool isHeaderFile(llvm::StringRef Path);

} // namespace evy
