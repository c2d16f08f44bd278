// UnifiedDiff: a unified diff ("diff -u" shape, three lines of context) of
// two texts, so --diff and --check need no external program.
#pragma once

#include <string>

namespace evy {

/// unifiedDiff() returns "" when Before == After, else the diff with
/// "--- OldLabel" / "+++ NewLabel" headers and @@ hunks.
std::string unifiedDiff(const std::string &Before, const std::string &After,
                        const std::string &OldLabel, const std::string &NewLabel);

} // namespace evy
