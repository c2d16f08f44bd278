// RuleSet: the rule files of rules/ (one per module) loaded and validated.
// A rule file names its module, the modules it implies, the header a
// rewritten file must include, and the function and type mappings.
#pragma once

#include "Diagnostics.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace evy {

/// findOrNull() is the value Table holds for K, or null: how every rule
/// table answers a lookup.
template <class Map, class Key>
const typename Map::mapped_type *findOrNull(const Map &Table, const Key &K) {
  auto It = Table.find(K);
  return It == Table.end() ? nullptr : &It->second;
}

struct BlockingKeys; // BlockingRules.h: "blocking", "offload", "opt_in"
class BlockingTable;

/// One mapping: a blocking API (qualified name, no leading "::") and its
/// green replacement.
struct Mapping {
  std::string From;
  std::string To;
  std::string Module;
  bool IsType = false;
  unsigned Since = 0; // the C++ standard (11 ... 23) the replacement needs; 0: any
};

struct ModuleRules {
  std::string Name;
  std::vector<std::string> Implies;
  std::vector<std::string> Aliases; // extra names is_monkey_patched answers to
  std::string Header;               // e.g. "evy/patched/socket.h"
  std::string SourceFile;           // the rule file it came from
  std::shared_ptr<const BlockingKeys> Blocking; // null: none
};

class RuleSet {
public:
  /// load() reads rule files from Paths in order (a directory contributes
  /// its *.json files, sorted); a later file for the same module replaces the
  /// earlier one, so --rules overrides the installed defaults. On failure
  /// returns nothing after reporting every error, placed at its file,
  /// line and column.
  static std::optional<RuleSet> load(const std::vector<std::string> &Paths, Diagnostics &Diags);

  /// Parses one rule file's text; used by load() and the unit tests.
  static std::optional<std::pair<ModuleRules, std::vector<Mapping>>>
  parseFile(const std::string &FileName, const std::string &Text, Diagnostics &Diags);

  const Mapping *findFunction(const std::string &QualifiedName) const;
  const Mapping *findType(const std::string &QualifiedName) const;
  /// True when some mapping's last name component is Name ("close" for
  /// "close", "mutex" for "std::mutex"): a user entity of that name may
  /// share a spelling with a mapped one.
  bool isMappedName(std::string_view Name) const {
    return LastComponents.find(Name) != LastComponents.end();
  }
  const ModuleRules *module(const std::string &Name) const;
  /// Module names, sorted.
  std::vector<std::string> moduleNames() const;
  /// The module an alias ("threading") or name belongs to, if any.
  std::optional<std::string> resolveModuleName(const std::string &Name) const;
  /// Names plus everything they imply, transitively.
  std::set<std::string> withImplied(const std::set<std::string> &Names) const;
  /// All mappings, functions first, in a stable order.
  std::vector<const Mapping *> allMappings() const;
  /// Known blocking calls and offloads of every file (BlockingRules.cpp).
  const BlockingTable &blocking() const;

private:
  struct LoadedFile;
  /// Modules and mappings in load order; a mapping already made by an
  /// earlier file, or an implied module without a file, is an error.
  void addModules(std::map<std::string, LoadedFile> &ByModule, Diagnostics &Diags);
  /// The blocking calls and offloads of every file (BlockingRules.h); a
  /// list of blocking calls is loaded as a module without a name.
  void addBlocking(std::map<std::string, LoadedFile> &ByModule, Diagnostics &Diags);
  void checkAliases(std::map<std::string, LoadedFile> &ByModule, Diagnostics &Diags);

  std::map<std::string, ModuleRules> Modules;
  std::map<std::string, Mapping> Functions;
  std::map<std::string, Mapping> Types;
  std::set<std::string, std::less<>> LastComponents; // found without a copy of the name
  std::shared_ptr<const BlockingTable> Blocking;
};

} // namespace evy
