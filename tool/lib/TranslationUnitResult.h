// TranslationUnitResult: the data one translation unit yields, before module
// choice and the cross-unit merge.
#pragma once

#include "Finding.h"
#include "Inclusion.h"
#include "Pin.h"
#include "Reference.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace evy {

struct TranslationUnitResult {
  std::string MainFile;
  bool Failed = false;
  std::vector<Reference> References;
  std::vector<Finding> Findings;
  std::vector<Pin> Pins;
  std::vector<Inclusion> Inclusions; // in user files, in the order seen
  /// For each file seen, the modules its own #include <evy/patched/X.h> name.
  std::map<std::string, std::set<std::string>> OwnPatchedModules;
  /// The text of every file a Reference or Finding points into, of every
  /// user file with an #include, and of the main file, as the compiler read it.
  std::map<std::string, std::string> Contents;
};

} // namespace evy
