// PathConfig: .evy-rewrite.json, which chooses modules per path (the
// import_patched style; see ModuleSelection.h). Like
// .clang-tidy, the file in the nearest parent directory applies; with
// "inherit": true it is merged with its parent's.
//
//   {
//     "inherit": false,
//     "patch": ["socket", "time"],         // default modules below this dir
//     "paths": [                           // first match wins
//       {"glob": "third_party/httplib.h", "patch": ["socket", "select"]}
//     ],
//     "exclude": ["third_party/vendored/**"]
//   }
#pragma once

#include "Diagnostics.h"
#include "RuleSet.h"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace evy {

struct PathRule {
  std::string Glob;       // as written
  std::string Directory;  // the glob is relative to this
  std::set<std::string> Modules;
  Location Origin;        // where the rule is written, for reports
};

struct PathConfig {
  std::string File; // the .evy-rewrite.json that applies
  std::optional<std::set<std::string>> DefaultModules;
  Location DefaultOrigin;
  std::vector<PathRule> Paths;   // own rules first, then inherited ones
  std::vector<PathRule> Excludes;
};

/// What a config says about one file.
struct PathVerdict {
  bool Excluded = false;
  std::optional<std::set<std::string>> Modules; // a "paths" rule's modules
  Location Origin;
};

/// Finds and caches the config of every directory; safe to call from the
/// parallel units. A bad file is reported through Diags (with positions)
/// and counts as absent.
class PathConfigStore {
public:
  PathConfigStore(const RuleSet &Rules, Diagnostics &Diags) : Rules(Rules), Diags(Diags) {}

  /// The config applying to an absolute file path, if any.
  const PathConfig *configFor(const std::string &FilePath);
  PathVerdict verdictFor(const std::string &FilePath);

  /// Matches a path relative to a glob's directory: "*" and "?" stay within
  /// one path component, "**" crosses them.
  static bool globMatches(const std::string &Glob, const std::string &RelativePath);

private:
  const PathConfig *configForDirectory(const std::string &Directory);
  std::unique_ptr<PathConfig> load(const std::string &File, const std::string &Directory);
  void inheritFromParent(PathConfig &Config, const std::string &Directory);

  const RuleSet &Rules;
  Diagnostics &Diags;
  std::mutex Mutex;
  std::map<std::string, const PathConfig *> ByDirectory;
  std::vector<std::unique_ptr<PathConfig>> Owned;
};

} // namespace evy
