// ModuleSelection: which modules a file is greened for. Three sources, as in
// the seed: --patch on the command line (monkey_patch), the file's own
// #include <evy/patched/X.h> lines (import green), and per-path rules in
// .evy-rewrite.json (import_patched).
#pragma once

#include "RuleSet.h"

#include <optional>
#include <set>
#include <string>

namespace evy {

/// parsePatchList() reads a --patch value: "" or "all" is every module
/// but the opt-in ones (BlockingRules.h), which are chosen by name only;
/// "socket,select" those (plus what they imply); "-socket" or "all,-socket"
/// every module but socket. Exclusions are applied last and win over
/// implications. Aliases ("threading") name their module. On an unknown
/// name returns nothing and sets Error (which lists the valid names).
std::optional<std::set<std::string>> parsePatchList(const std::string &Spec,
                                                    const RuleSet &Rules, std::string &Error);

/// The module a patched header names: "evy/patched/socket.h" -> "socket".
std::optional<std::string> moduleOfPatchedHeader(const std::string &IncludeName,
                                                 const RuleSet &Rules);

} // namespace evy
