#include "PathConfig.h"

#include "JsonLocator.h"
#include "ModuleSelection.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <nlohmann/json.hpp>

namespace evy {
namespace {

using nlohmann::json;
constexpr const char *ConfigName = ".evy-rewrite.json";

/// Glob matching by hand: "**/" matches zero or more whole components,
/// "**" anything, "*" and "?" anything within one component; every other
/// character is itself. Tries each split point, which is plenty for the
/// short globs of a config and needs no compiled pattern.
bool matchGlob(llvm::StringRef Glob, llvm::StringRef Path) {
  while (!Glob.empty()) {
    if (Glob.starts_with("**/")) {
      Glob = Glob.drop_front(3);
      if (matchGlob(Glob, Path))
        return true;
      for (std::size_t I = 0; I < Path.size(); ++I)
        if (Path[I] == '/' && matchGlob(Glob, Path.drop_front(I + 1)))
          return true;
      return false;
    }
    if (Glob.starts_with("*")) {
      bool CrossesComponents = Glob.starts_with("**");
      Glob = Glob.drop_front(CrossesComponents ? 2 : 1);
      for (std::size_t I = 0; I <= Path.size(); ++I) {
        if (matchGlob(Glob, Path.drop_front(I)))
          return true;
        if (I < Path.size() && Path[I] == '/' && !CrossesComponents)
          return false;
      }
      return false;
    }
    if (Path.empty() || (Glob[0] == '?' ? Path[0] == '/' : Glob[0] != Path[0]))
      return false;
    Glob = Glob.drop_front();
    Path = Path.drop_front();
  }
  return Path.empty();
}

/// Reads one .evy-rewrite.json document into a PathConfig; every problem is
/// reported at its place, and any makes the file count as absent.
class ConfigReader {
public:
  ConfigReader(const std::string &Text, JsonErrors &Err, const RuleSet &Rules,
               Diagnostics &Diags, const std::string &Directory)
      : Where(Text), Err(Err), Rules(Rules), Diags(Diags), Directory(Directory) {}

  /// Each key of the document; returns "inherit".
  bool readKeys(const json &Doc, PathConfig &Config) {
    bool Inherit = false;
    for (const auto &[Key, Value] : Doc.items()) {
      std::string Ptr = "/" + JsonLocator::escapeToken(Key);
      if (Key == "inherit") {
        if (!Value.is_boolean())
          Err.at(Where.valueOffset(Ptr), "'inherit' must be true or false");
        else
          Inherit = Value.get<bool>();
      } else if (Key == "patch") {
        Config.DefaultModules = readModules(Value, Ptr);
        Config.DefaultOrigin = Err.where(Where.valueOffset(Ptr));
      } else if (Key == "exclude") {
        readGlobs(Value, Ptr, Config.Excludes);
      } else if (Key == "paths") {
        readPaths(Value, Ptr, Config.Paths);
      } else if (Key == "$schema") {
        if (!Value.is_string())
          Err.at(Where.valueOffset(Ptr), "'$schema' must be a string");
      } else {
        Err.at(Where.keyOffset(Ptr),
               "unknown key '" + Key + "'; expected one of: exclude, inherit, patch, paths");
      }
    }
    return Inherit;
  }

  /// True when nothing was wrong.
  bool clean() const { return Err.count() == 0 && BadPatchLists == 0; }

private:
  /// "patch" is a --patch string ("socket,-ssl") or an array of module names.
  std::optional<std::set<std::string>> readModules(const json &Value, const std::string &Ptr) {
    std::string Spec;
    if (Value.is_string()) {
      Spec = Value.get<std::string>();
    } else if (Value.is_array()) {
      for (std::size_t I = 0; I < Value.size(); ++I) {
        if (!Value[I].is_string()) {
          Err.at(Where.valueOffset(Ptr + "/" + std::to_string(I)), "module names are strings");
          return std::nullopt;
        }
        Spec += (Spec.empty() ? "" : ",") + Value[I].get<std::string>();
      }
      if (Value.empty()) {
        Err.at(Where.valueOffset(Ptr), "'patch' names no module");
        return std::nullopt;
      }
    } else {
      Err.at(Where.valueOffset(Ptr), "'patch' must be a string or an array of module names");
      return std::nullopt;
    }
    auto Modules = parsePatchList(Spec, Rules, {"'patch'", Err.where(Where.valueOffset(Ptr))}, Diags);
    BadPatchLists += !Modules;
    return Modules;
  }

  void readGlobs(const json &Value, const std::string &Ptr, std::vector<PathRule> &Out) {
    if (!Value.is_array()) {
      Err.at(Where.valueOffset(Ptr), "'exclude' must be an array of globs");
      return;
    }
    for (std::size_t I = 0; I < Value.size(); ++I) {
      std::size_t At = Where.valueOffset(Ptr + "/" + std::to_string(I));
      if (!Value[I].is_string() || Value[I].get<std::string>().empty())
        Err.at(At, "globs are non-empty strings");
      else
        Out.push_back({Value[I].get<std::string>(), Directory, {}, Err.where(At)});
    }
  }

  void readPaths(const json &Value, const std::string &Ptr, std::vector<PathRule> &Out) {
    if (!Value.is_array()) {
      Err.at(Where.valueOffset(Ptr), "'paths' must be an array of {\"glob\", \"patch\"} objects");
      return;
    }
    for (std::size_t I = 0; I < Value.size(); ++I)
      readPathRule(Value[I], Ptr + "/" + std::to_string(I), Out);
  }

  void readPathRule(const json &Rule, const std::string &RulePtr, std::vector<PathRule> &Out) {
    if (!Rule.is_object() || !Rule.contains("glob") || !Rule.contains("patch") ||
        !Rule["glob"].is_string()) {
      Err.at(Where.valueOffset(RulePtr),
             "a 'paths' entry is an object with a string \"glob\" and a \"patch\"");
      return;
    }
    for (const auto &[RuleKey, RuleValue] : Rule.items())
      if (RuleKey != "glob" && RuleKey != "patch")
        Err.at(Where.keyOffset(RulePtr + "/" + JsonLocator::escapeToken(RuleKey)),
               "unknown key '" + RuleKey + "' in a 'paths' entry; expected glob, patch");
    bool GoodGlob = !Rule["glob"].get<std::string>().empty();
    if (!GoodGlob)
      Err.at(Where.valueOffset(RulePtr + "/glob"), "globs are non-empty strings");
    auto Modules = readModules(Rule["patch"], RulePtr + "/patch");
    if (Modules && GoodGlob)
      Out.push_back({Rule["glob"].get<std::string>(), Directory, *Modules,
                     Err.where(Where.valueOffset(RulePtr))});
  }

  JsonLocator Where;
  JsonErrors &Err;
  const RuleSet &Rules;
  Diagnostics &Diags;
  const std::string &Directory;
  unsigned BadPatchLists = 0; // reported by parsePatchList()
};

} // namespace

bool PathConfigStore::globMatches(const std::string &Glob, const std::string &RelativePath) {
  return matchGlob(Glob, RelativePath);
}

const PathConfig *PathConfigStore::configFor(const std::string &FilePath) {
  std::lock_guard<std::mutex> Lock(Mutex);
  return configForDirectory(llvm::sys::path::parent_path(FilePath).str());
}

const PathConfig *PathConfigStore::configForDirectory(const std::string &Directory) {
  auto It = ByDirectory.find(Directory);
  if (It != ByDirectory.end())
    return It->second;
  const PathConfig *Found = nullptr;
  llvm::SmallString<256> Candidate(Directory);
  llvm::sys::path::append(Candidate, ConfigName);
  if (llvm::sys::fs::exists(Candidate)) {
    std::unique_ptr<PathConfig> Config = load(Candidate.str().str(), Directory);
    Found = Config.get();
    if (Config)
      Owned.push_back(std::move(Config));
  } else {
    std::string Parent = llvm::sys::path::parent_path(Directory).str();
    if (!Parent.empty() && Parent != Directory)
      Found = configForDirectory(Parent);
  }
  ByDirectory[Directory] = Found;
  return Found;
}

std::unique_ptr<PathConfig> PathConfigStore::load(const std::string &File,
                                                  const std::string &Directory) {
  llvm::ErrorOr<std::string> Text = readTextFile(File);
  if (!Text) {
    Diags.error(Location{File}, "cannot read: " + Text.getError().message());
    return nullptr;
  }
  JsonErrors Err(File, *Text, Diags);
  std::optional<json> Doc = parseJsonFile(*Text, Err);
  if (!Doc)
    return nullptr;
  if (!Doc->is_object()) {
    Err.at(0, "a .evy-rewrite.json is a JSON object");
    return nullptr;
  }
  auto Config = std::make_unique<PathConfig>();
  Config->File = File;
  ConfigReader Reader(*Text, Err, Rules, Diags, Directory);
  bool Inherit = Reader.readKeys(*Doc, *Config);
  if (!Reader.clean())
    return nullptr;
  if (Inherit)
    inheritFromParent(*Config, Directory);
  return Config;
}

/// With "inherit": the parent directory's config adds its rules after
/// this one's, and its default unless this one has its own.
void PathConfigStore::inheritFromParent(PathConfig &Config, const std::string &Directory) {
  std::string Parent = llvm::sys::path::parent_path(Directory).str();
  const PathConfig *Up =
      Parent.empty() || Parent == Directory ? nullptr : configForDirectory(Parent);
  if (!Up)
    return;
  if (!Config.DefaultModules) {
    Config.DefaultModules = Up->DefaultModules;
    Config.DefaultOrigin = Up->DefaultOrigin;
  }
  Config.Paths.insert(Config.Paths.end(), Up->Paths.begin(), Up->Paths.end());
  Config.Excludes.insert(Config.Excludes.end(), Up->Excludes.begin(), Up->Excludes.end());
}

PathVerdict PathConfigStore::verdictFor(const std::string &FilePath) {
  PathVerdict Verdict;
  const PathConfig *Config = configFor(FilePath);
  if (!Config)
    return Verdict;
  auto relativeTo = [&](const std::string &Directory) {
    llvm::StringRef Path(FilePath);
    if (Path.consume_front(Directory) && Path.consume_front("/"))
      return Path.str();
    return std::string();
  };
  for (const PathRule &Exclude : Config->Excludes)
    if (globMatches(Exclude.Glob, relativeTo(Exclude.Directory))) {
      Verdict.Excluded = true;
      Verdict.Origin = Exclude.Origin;
      return Verdict;
    }
  for (const PathRule &Rule : Config->Paths)
    if (globMatches(Rule.Glob, relativeTo(Rule.Directory))) {
      Verdict.Modules = Rule.Modules;
      Verdict.Origin = Rule.Origin;
      return Verdict;
    }
  return Verdict;
}

} // namespace evy
