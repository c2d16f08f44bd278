// UnitMerge: the cross-unit merge. What every translation unit saw is
// gathered per file, so that each file (a header reached from many units
// too) is planned once.
#pragma once

#include "Findings.h"
#include "TranslationUnits.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace evy {

/// Everything the units saw, merged per file: main files in input order
/// first, then the headers edits or findings reach.
struct MergedUnits {
  std::vector<std::string> Order;
  std::map<std::string, std::vector<Reference>> References;
  std::map<std::string, std::vector<Finding>> Findings;
  std::map<std::string, std::vector<Pin>> Pins;
  std::map<std::string, std::set<std::string>> OwnModules;
  std::map<std::string, std::string> Contents;
  std::vector<Inclusion> Inclusions;
};

/// mergeUnits() moves what the runs found into one MergedUnits, noting for
/// each Reference and Pin the unit that saw it.
MergedUnits mergeUnits(std::vector<UnitRun> &Runs);

} // namespace evy
