#include "PathConfig.h"

#include "JsonLocator.h"
#include "ModuleSelection.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <regex>
#include <sstream>

namespace evy {
namespace {

using nlohmann::json;
constexpr const char *ConfigName = ".evy-rewrite.json";

std::string globToRegex(const std::string &Glob) {
  std::string Re;
  for (std::size_t I = 0; I < Glob.size(); ++I) {
    char C = Glob[I];
    if (C == '*' && I + 1 < Glob.size() && Glob[I + 1] == '*') {
      ++I;
      if (I + 1 < Glob.size() && Glob[I + 1] == '/') { // "**/" also matches nothing
        ++I;
        Re += "(.*/)?";
      } else {
        Re += ".*";
      }
    } else if (C == '*') {
      Re += "[^/]*";
    } else if (C == '?') {
      Re += "[^/]";
    } else if (std::string("\\^$.|+()[]{}").find(C) != std::string::npos) {
      Re += '\\';
      Re += C;
    } else {
      Re += C;
    }
  }
  return Re;
}

} // namespace

bool PathConfigStore::globMatches(const std::string &Glob, const std::string &RelativePath) {
  return std::regex_match(RelativePath, std::regex(globToRegex(Glob)));
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
  std::ifstream In(File, std::ios::binary);
  std::stringstream Buf;
  Buf << In.rdbuf();
  std::string Text = Buf.str();
  JsonErrors Err(File, Text, Errors);
  auto errorAt = [&](std::size_t Offset, const std::string &Message) { Err.at(Offset, Message); };
  auto origin = [&](std::size_t Offset) { return Err.where(Offset); };
  std::optional<json> Parsed = parseJsonFile(Text, Err);
  if (!Parsed)
    return nullptr;
  const json &Doc = *Parsed;
  JsonLocator Where(Text);
  if (!Doc.is_object()) {
    errorAt(0, "a .evy-rewrite.json is a JSON object");
    return nullptr;
  }

  // "patch" is a --patch string ("socket,-ssl") or an array of module names.
  auto readModules = [&](const json &Value,
                         const std::string &Ptr) -> std::optional<std::set<std::string>> {
    std::string Spec;
    if (Value.is_string()) {
      Spec = Value.get<std::string>();
    } else if (Value.is_array()) {
      for (std::size_t I = 0; I < Value.size(); ++I) {
        if (!Value[I].is_string()) {
          errorAt(Where.valueOffset(Ptr + "/" + std::to_string(I)), "module names are strings");
          return std::nullopt;
        }
        Spec += (Spec.empty() ? "" : ",") + Value[I].get<std::string>();
      }
      if (Value.empty()) {
        errorAt(Where.valueOffset(Ptr), "'patch' names no module");
        return std::nullopt;
      }
    } else {
      errorAt(Where.valueOffset(Ptr), "'patch' must be a string or an array of module names");
      return std::nullopt;
    }
    std::string Error;
    auto Modules = parsePatchList(Spec, Rules, Error);
    if (!Modules)
      errorAt(Where.valueOffset(Ptr), Error.replace(Error.find("--patch"), 7, "'patch'"));
    return Modules;
  };
  auto readGlobs = [&](const json &Value, const std::string &Ptr, std::vector<PathRule> &Out) {
    if (!Value.is_array()) {
      errorAt(Where.valueOffset(Ptr), "'exclude' must be an array of globs");
      return;
    }
    for (std::size_t I = 0; I < Value.size(); ++I) {
      std::string ElemPtr = Ptr + "/" + std::to_string(I);
      if (!Value[I].is_string() || Value[I].get<std::string>().empty())
        errorAt(Where.valueOffset(ElemPtr), "globs are non-empty strings");
      else
        Out.push_back({Value[I].get<std::string>(), Directory, {}, origin(Where.valueOffset(ElemPtr))});
    }
  };

  auto Config = std::make_unique<PathConfig>();
  Config->File = File;
  bool Inherit = false;
  for (const auto &[Key, Value] : Doc.items()) {
    std::string Ptr = "/" + JsonLocator::escapeToken(Key);
    if (Key == "inherit") {
      if (!Value.is_boolean())
        errorAt(Where.valueOffset(Ptr), "'inherit' must be true or false");
      else
        Inherit = Value.get<bool>();
    } else if (Key == "patch") {
      Config->DefaultModules = readModules(Value, Ptr);
      Config->DefaultOrigin = origin(Where.valueOffset(Ptr));
    } else if (Key == "exclude") {
      readGlobs(Value, Ptr, Config->Excludes);
    } else if (Key == "paths") {
      if (!Value.is_array()) {
        errorAt(Where.valueOffset(Ptr), "'paths' must be an array of {\"glob\", \"patch\"} objects");
        continue;
      }
      for (std::size_t I = 0; I < Value.size(); ++I) {
        std::string RulePtr = Ptr + "/" + std::to_string(I);
        const json &Rule = Value[I];
        if (!Rule.is_object() || !Rule.contains("glob") || !Rule.contains("patch") ||
            !Rule["glob"].is_string()) {
          errorAt(Where.valueOffset(RulePtr),
                  "a 'paths' entry is an object with a string \"glob\" and a \"patch\"");
          continue;
        }
        for (const auto &[RuleKey, RuleValue] : Rule.items())
          if (RuleKey != "glob" && RuleKey != "patch")
            errorAt(Where.keyOffset(RulePtr + "/" + JsonLocator::escapeToken(RuleKey)),
                    "unknown key '" + RuleKey + "' in a 'paths' entry; expected glob, patch");
        bool GoodGlob = !Rule["glob"].get<std::string>().empty();
        if (!GoodGlob)
          errorAt(Where.valueOffset(RulePtr + "/glob"), "globs are non-empty strings");
        auto Modules = readModules(Rule["patch"], RulePtr + "/patch");
        if (Modules && GoodGlob)
          Config->Paths.push_back({Rule["glob"].get<std::string>(), Directory, *Modules,
                                   origin(Where.valueOffset(RulePtr))});
      }
    } else if (Key == "$schema") {
      if (!Value.is_string())
        errorAt(Where.valueOffset(Ptr), "'$schema' must be a string");
    } else {
      errorAt(Where.keyOffset(Ptr),
              "unknown key '" + Key + "'; expected one of: exclude, inherit, patch, paths");
    }
  }
  if (Err.count())
    return nullptr;

  if (Inherit) {
    std::string Parent = llvm::sys::path::parent_path(Directory).str();
    if (const PathConfig *Up = Parent.empty() || Parent == Directory ? nullptr
                                                                     : configForDirectory(Parent)) {
      if (!Config->DefaultModules) {
        Config->DefaultModules = Up->DefaultModules;
        Config->DefaultOrigin = Up->DefaultOrigin;
      }
      Config->Paths.insert(Config->Paths.end(), Up->Paths.begin(), Up->Paths.end());
      Config->Excludes.insert(Config->Excludes.end(), Up->Excludes.begin(), Up->Excludes.end());
    }
  }
  return Config;
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

std::vector<std::string> PathConfigStore::errors() {
  std::lock_guard<std::mutex> Lock(Mutex);
  return Errors;
}

} // namespace evy
