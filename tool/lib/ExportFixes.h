// ExportFixes: --export-fixes, the edits as the YAML clang-apply-replacements
// reads (clang-tidy's format).
#pragma once

#include "FileEdits.h"

#include <string>
#include <vector>

namespace evy {

/// The edits as clang-apply-replacements YAML.
std::string fixesYaml(const std::string &MainSource, const std::vector<FilePlan> &Plans);

} // namespace evy
