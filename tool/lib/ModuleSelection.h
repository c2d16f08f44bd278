// ModuleSelection: which modules a file is greened for. Three sources:
// --patch on the command line (monkey_patch), the file's own
// #include <evy/patched/X.h> lines (import green), and per-path rules in
// .evy-rewrite.json (import_patched, see PathConfig.h).
#pragma once

#include "Diagnostics.h"
#include "PathConfig.h"
#include "RuleSet.h"

#include <map>
#include <optional>
#include <set>
#include <string>

namespace evy {

/// Where a --patch list was written, for its error message: the option
/// ("--patch"), or a .evy-rewrite.json value ("'patch'") at a place.
struct PatchListSource {
  std::string Name;
  std::optional<Location> Where;
};

/// parsePatchList() reads a --patch value: "" or "all" is every module
/// but the opt-in ones (BlockingRules.h), which are chosen by name only;
/// "socket,select" those (plus what they imply); "-socket" or "all,-socket"
/// every module but socket. Exclusions are applied last and win over
/// implications. Aliases ("threading") name their module. On an unknown
/// name returns nothing after an error that lists the valid names.
std::optional<std::set<std::string>> parsePatchList(const std::string &Spec, const RuleSet &Rules,
                                                    const PatchListSource &Source,
                                                    Diagnostics &Diags);

/// describeModules() is --help's list of the modules: the default set
/// that "all" means, and the opt-in ones on a second line, if any (with
/// their aliases: "thread (also threading queue)").
std::string describeModules(const RuleSet &Rules);

/// The module a patched header names: "evy/patched/socket.h" -> "socket".
std::optional<std::string> moduleOfPatchedHeader(const std::string &IncludeName,
                                                 const RuleSet &Rules);

/// What chose a file's modules, in the order chooseModules() asks.
enum class ChoiceOrigin {
  None,          // nothing did: the file is left alone
  Excluded,      // a .evy-rewrite.json "exclude" glob
  PathRule,      // a .evy-rewrite.json "paths" rule
  PatchOption,   // --patch
  OwnIncludes,   // the file's own #include <evy/patched/X.h> lines
  ConfigDefault, // a .evy-rewrite.json "patch" default
};

/// Which modules a file is greened for, and what said so.
struct ModuleChoice {
  std::set<std::string> Modules;
  ChoiceOrigin Origin = ChoiceOrigin::None;
  /// The config entry that decided (Excluded, PathRule, ConfigDefault); for
  /// None, the .evy-rewrite.json that applies without a rule for the file
  /// (File only), if one does.
  std::optional<Location> Config;
};

/// A file's modules, most specific first: a .evy-rewrite.json exclusion or
/// path rule (import_patched), then --patch (monkey_patch), then the file's
/// own patched includes (import green), then the config's default.
ModuleChoice chooseModules(const std::string &File,
                           const std::optional<std::set<std::string>> &PatchModules,
                           const std::map<std::string, std::set<std::string>> &OwnModules,
                           PathConfigStore &Configs, const RuleSet &Rules);

} // namespace evy
