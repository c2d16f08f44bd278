// Report: what --report prints (text, json or sarif), one entry per file
// plan: its modules and what chose them, rewrites, includes and findings.
#pragma once

#include "FileEdits.h"

#include <string>
#include <vector>

namespace evy {

/// displayPath() shows a path relative to the working directory when it
/// lies below it, so reports and diffs read like the user's command line.
std::string displayPath(const std::string &Path);

std::string textReport(const std::vector<FilePlan> &Plans);
std::string jsonReport(const std::vector<FilePlan> &Plans);
std::string sarifReport(const std::vector<FilePlan> &Plans);

} // namespace evy
