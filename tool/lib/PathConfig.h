// PathConfig: .evy-rewrite.json, the seed's import_patched. Like
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
  std::string Origin;     // "file:line:col" for reports
};

struct PathConfig {
  std::string File; // the .evy-rewrite.json that applies
  std::optional<std::set<std::string>> DefaultModules;
  std::string DefaultOrigin;
  std::vector<PathRule> Paths;   // own rules first, then inherited ones
  std::vector<PathRule> Excludes;
};

/// What a config says about one file.
struct PathVerdict {
  bool Excluded = false;
  std::optional<std::set<std::string>> Modules; // a "paths" rule's modules
  std::string Origin;
};

/// Finds and caches the config of every directory; safe to call from the
/// parallel units. Bad files record positioned errors and count as absent.
class PathConfigStore {
public:
  explicit PathConfigStore(const RuleSet &Rules) : Rules(Rules) {}

  /// The config applying to an absolute file path, if any.
  const PathConfig *configFor(const std::string &FilePath);
  PathVerdict verdictFor(const std::string &FilePath);

  std::vector<std::string> errors();

  /// Matches a path relative to a glob's directory: "*" and "?" stay within
  /// one path component, "**" crosses them.
  static bool globMatches(const std::string &Glob, const std::string &RelativePath);

private:
  const PathConfig *configForDirectory(const std::string &Directory);
  std::unique_ptr<PathConfig> load(const std::string &File, const std::string &Directory);

  const RuleSet &Rules;
  std::mutex Mutex;
  std::map<std::string, const PathConfig *> ByDirectory;
  std::vector<std::unique_ptr<PathConfig>> Owned;
  std::vector<std::string> Errors;
};

} // namespace evy
