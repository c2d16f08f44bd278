// BlockingRules: the rule-file keys that say what stays blocking.
//
// "blocking" lists calls known to block the OS thread (with one line of
// advice each); "offload" lists calls a module runs on evy's thread pool;
// "opt_in" keeps a module out of --patch=all. A rule file with "blocking"
// and no "module" is a plain list (rules/blocking.json). See docs/rules.md.
#pragma once

#include "JsonLocator.h"
#include "RuleSet.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace evy {

/// One known blocking call.
struct BlockingCall {
  std::string Name;   // qualified; a method as "std::future::get"
  std::string Advice; // one line, after "blocks the OS thread ...; "
  /// The module whose choice makes the call green: the call is reported
  /// only in files greened without it ("" : in every greened file).
  std::string Unless;
  /// The call blocks only when argument ArgIndex is spelled as one of
  /// ArgNames (a macro or enumerator name): fcntl(fd, F_SETLKW, ...).
  int ArgIndex = -1;
  std::vector<std::string> ArgNames;
  Location Where; // its entry in the rule file, for errors found later
};

/// What a module's rule file adds beyond mappings.
struct BlockingKeys {
  std::vector<BlockingCall> Blocking;
  std::vector<std::string> Offload;      // qualified names of offloaded functions
  std::vector<Location> OffloadWhere;    // the place of each
  bool OptIn = false;
};

/// True for a C++ name, optionally qualified: "f", "std::future::get".
bool isQualifiedName(const std::string &S);

/// isBlockingList() is true for a rule file with "blocking" and no "module".
bool isBlockingList(const nlohmann::json &Doc);

/// readBlockingKeys() reads "blocking", "offload" and "opt_in" of Doc into
/// Module.Blocking (left null when there are none), reporting errors
/// through Err. In a list file only "blocking" (and "$schema",
/// "description") may appear.
void readBlockingKeys(const nlohmann::json &Doc, const JsonLocator &Where, JsonErrors &Err,
                      ModuleRules &Module);

/// True for a module --patch=all leaves out ("opt_in": true).
bool isOptIn(const ModuleRules &Module);

/// The rewrite of an offloaded call's callee: slow_io(x) becomes
/// evy::tpool::offload(::slow_io)(x), so only the callee's spelling changes.
std::string offloadReplacement(const std::string &QualifiedName);

/// Every module's and list's blocking calls and offloads, merged.
class BlockingTable {
public:
  /// build() merges the files' keys, given in load order: a later list
  /// entry for a name replaces an earlier one. Reports, at the entry in
  /// its rule file, an "unless" naming no module, a name offloaded by two
  /// modules, and a name both offloaded and mapped by Rules.
  static std::shared_ptr<const BlockingTable>
  build(const std::vector<const ModuleRules *> &InLoadOrder, const RuleSet &Rules,
        Diagnostics &Diags);

  /// The blocking call of this name, or null. An offloaded function is
  /// also a blocking call, unless its module is chosen.
  const BlockingCall *findBlocking(const std::string &Name) const;
  /// The offload mapping of this name, or null.
  const Mapping *findOffload(const std::string &Name) const;
  bool empty() const { return Calls.empty(); }

private:
  std::map<std::string, BlockingCall> Calls;
  std::map<std::string, Mapping> Offloads;
};

} // namespace evy
