#include "RuleSet.h"

#include "BlockingRules.h"
#include "JsonLocator.h"
#include "LanguageStandard.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <regex>

namespace evy {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const std::set<std::string> KnownKeys = {"$schema", "description", "module", "implies",
                                         "aliases", "header",      "functions", "types",
                                         "blocking", "offload",     "opt_in"};

bool isModuleName(const std::string &S) {
  static const std::regex Name("[a-z][a-z0-9_]*");
  return std::regex_match(S, Name);
}

std::string typeName(const json &J) { return J.type_name(); }

/// The replacement's optional "since": the standard it needs.
bool readSince(const std::string &From, const json &Value, const std::string &Ptr,
               const JsonLocator &Where, JsonErrors &Err, Mapping &Out) {
  auto It = Value.find("since");
  if (It == Value.end())
    return true;
  std::optional<unsigned> Year =
      It->is_string() ? parseCxxStandard(It->get<std::string>()) : std::nullopt;
  if (!Year) {
    Err.at(Where.valueOffset(Ptr + "/since"),
           "'since' for '" + From + "' must be one of c++11, c++14, c++17, c++20, c++23, not " +
               It->dump());
    return false;
  }
  Out.Since = *Year;
  return true;
}

/// The replacement of From: "To", or {"to": "To", "since": "c++17"}.
/// Module and IsType are the caller's to fill in.
std::optional<Mapping> parseMapping(const std::string &From, const json &Value,
                                    const std::string &Ptr, const JsonLocator &Where,
                                    JsonErrors &Err) {
  Mapping M;
  M.From = From;
  const json *To = &Value;
  if (Value.is_object()) {
    bool Ok = readSince(From, Value, Ptr, Where, Err, M);
    for (const auto &[Key, V] : Value.items())
      if (Key != "to" && Key != "since") {
        Err.at(Where.keyOffset(Ptr + "/" + JsonLocator::escapeToken(Key)),
               "unknown key '" + Key + "' in the mapping of '" + From + "'; expected to, since");
        Ok = false;
      }
    if (!Value.contains("to")) {
      Err.at(Where.valueOffset(Ptr), "the mapping of '" + From + "' has no 'to'");
      return std::nullopt;
    }
    if (!Ok)
      return std::nullopt;
    To = &Value["to"];
  }
  const std::string ToPtr = Value.is_object() ? Ptr + "/to" : Ptr;
  if (!To->is_string()) {
    Err.at(Where.valueOffset(ToPtr), "replacement for '" + From +
                                         "' must be a string or {\"to\": ..., \"since\": ...}, not " +
                                         typeName(*To));
    return std::nullopt;
  }
  M.To = To->get<std::string>();
  if (!isQualifiedName(M.To)) {
    Err.at(Where.valueOffset(ToPtr),
           "replacement '" + M.To + "' for '" + From + "' is not a qualified C++ name");
    return std::nullopt;
  }
  if (M.To == From) {
    Err.at(Where.valueOffset(ToPtr), "'" + From + "' is mapped to itself");
    return std::nullopt;
  }
  return M;
}

/// Reads one rule file's document; each step reports what it finds wrong
/// and goes on, so that one run names every error of the file.
class RuleFileReader {
public:
  RuleFileReader(const json &Doc, const std::string &Text, JsonErrors &Err)
      : Doc(Doc), Where(Text), Err(Err) {}

  /// Unknown keys, and "$schema" and "description" that are not strings.
  void checkKeys() {
    for (const auto &[Key, Value] : Doc.items())
      if (!KnownKeys.count(Key))
        Err.at(Where.keyOffset("/" + JsonLocator::escapeToken(Key)),
               "unknown key '" + Key + "'; expected one of: aliases, blocking, description, "
                                       "functions, header, implies, module, offload, opt_in, "
                                       "types");
    for (const char *Key : {"$schema", "description"}) // optional, but strings (the schema)
      if (auto It = Doc.find(Key); It != Doc.end() && !It->is_string())
        Err.at(Where.valueOffset(std::string("/") + JsonLocator::escapeToken(Key)),
               std::string("'") + Key + "' must be a string, not " + typeName(*It));
  }

  /// "module", "header", "implies" and "aliases".
  void readModule(ModuleRules &Module) {
    requireString("module", Module.Name);
    if (!Module.Name.empty() && !isModuleName(Module.Name))
      Err.at(Where.valueOffset("/module"),
             "module name '" + Module.Name + "' must be lower-case letters, digits and '_'");
    if (Doc.contains("offload") && !Doc.contains("header"))
      Module.Header = "evy/tpool.h"; // an offload module needs no header of its own
    else
      requireString("header", Module.Header);
    if (Doc.contains("header") && Doc["header"].is_string() && Module.Header.empty())
      Err.at(Where.valueOffset("/header"), "'header' must not be empty");
    readNameList("implies", Module.Implies);
    readNameList("aliases", Module.Aliases);
  }

  /// "functions" and "types"; at least one of them, or "offload".
  std::vector<Mapping> readMappings(const std::string &Module) {
    std::vector<Mapping> Mappings;
    readTable("functions", false, Module, Mappings);
    readTable("types", true, Module, Mappings);
    if (!Doc.contains("functions") && !Doc.contains("types") && !Doc.contains("offload"))
      Err.at(0, "a rule file needs 'functions', 'types' or 'offload'");
    return Mappings;
  }

  /// "blocking", "offload" and "opt_in" (BlockingRules.h).
  void readBlocking(ModuleRules &Module) { readBlockingKeys(Doc, Where, Err, Module); }

private:
  void requireString(const char *Key, std::string &Out) {
    auto It = Doc.find(Key);
    if (It == Doc.end())
      Err.at(0, std::string("missing required key '") + Key + "'");
    else if (!It->is_string())
      Err.at(Where.valueOffset(std::string("/") + Key),
             std::string("'") + Key + "' must be a string, not " + typeName(*It));
    else
      Out = It->get<std::string>();
  }

  void readNameList(const char *Key, std::vector<std::string> &Out) {
    auto It = Doc.find(Key);
    if (It == Doc.end())
      return;
    std::string Ptr = std::string("/") + Key;
    if (!It->is_array()) {
      Err.at(Where.valueOffset(Ptr), std::string("'") + Key + "' must be an array of module "
                                                                "names, not " + typeName(*It));
      return;
    }
    for (std::size_t I = 0; I < It->size(); ++I) {
      const json &V = (*It)[I];
      std::string ElemPtr = Ptr + "/" + std::to_string(I);
      if (!V.is_string() || !isModuleName(V.get<std::string>()))
        Err.at(Where.valueOffset(ElemPtr), std::string("'") + Key +
                                               "' entries must be module names (strings)");
      else if (std::find(Out.begin(), Out.end(), V.get<std::string>()) != Out.end())
        Err.at(Where.valueOffset(ElemPtr), "duplicate entry '" + V.get<std::string>() + "'");
      else
        Out.push_back(V.get<std::string>());
    }
  }

  void readTable(const char *Key, bool IsType, const std::string &Module,
                 std::vector<Mapping> &Mappings) {
    auto It = Doc.find(Key);
    if (It == Doc.end())
      return;
    std::string Ptr = std::string("/") + Key;
    if (!It->is_object()) {
      Err.at(Where.valueOffset(Ptr), std::string("'") + Key +
                                         "' must be an object mapping names to replacements, "
                                         "not " + typeName(*It));
      return;
    }
    if (It->empty())
      Err.at(Where.valueOffset(Ptr), std::string("'") + Key + "' has no mappings");
    for (const auto &[From, To] : It->items()) {
      std::string MemberPtr = Ptr + "/" + JsonLocator::escapeToken(From);
      if (!isQualifiedName(From)) {
        Err.at(Where.keyOffset(MemberPtr),
               "'" + From + "' is not a qualified C++ name (write 'std::mutex', not '::std::mutex')");
        continue;
      }
      if (std::optional<Mapping> M = parseMapping(From, To, MemberPtr, Where, Err)) {
        M->Module = Module;
        M->IsType = IsType;
        Mappings.push_back(std::move(*M));
      }
    }
  }

  const json &Doc;
  JsonLocator Where;
  JsonErrors &Err;
};

/// The rule files Paths name, in load order: a directory contributes its
/// *.json files, sorted.
std::vector<std::string> ruleFiles(const std::vector<std::string> &Paths, Diagnostics &Diags) {
  std::vector<std::string> Files;
  for (const std::string &Path : Paths) {
    std::error_code EC;
    if (fs::is_directory(Path, EC)) {
      std::vector<std::string> InDir;
      for (const auto &Entry : fs::directory_iterator(Path, EC))
        if (Entry.path().extension() == ".json")
          InDir.push_back(Entry.path().string());
      std::sort(InDir.begin(), InDir.end());
      if (InDir.empty())
        Diags.error(Location{Path}, "no rule files (*.json) in this directory");
      Files.insert(Files.end(), InDir.begin(), InDir.end());
    } else if (fs::exists(Path, EC)) {
      Files.push_back(Path);
    } else {
      Diags.error(Location{Path}, "no such rule file or directory");
    }
  }
  return Files;
}

} // namespace

/// A rule file read and parsed, kept with its text so that clashes found
/// later can be placed in it.
struct RuleSet::LoadedFile {
  ModuleRules Module;
  std::vector<Mapping> Mappings;
  std::string Text;
  unsigned Order; // later files are blamed for clashes with earlier ones
};

std::optional<std::pair<ModuleRules, std::vector<Mapping>>>
RuleSet::parseFile(const std::string &FileName, const std::string &Text, Diagnostics &Diags) {
  JsonErrors Err(FileName, Text, Diags);
  std::optional<json> Parsed = parseJsonFile(Text, Err);
  if (!Parsed)
    return std::nullopt;
  if (!Parsed->is_object()) {
    Err.at(JsonLocator(Text).valueOffset(""),
           "a rule file is a JSON object, not " + typeName(*Parsed));
    return std::nullopt;
  }
  RuleFileReader Reader(*Parsed, Text, Err);
  Reader.checkKeys();
  ModuleRules Module;
  Module.SourceFile = FileName;
  Reader.readBlocking(Module);
  if (isBlockingList(*Parsed)) // no module: a list of blocking calls only
    return Err.count()
               ? std::nullopt
               : std::make_optional(std::make_pair(std::move(Module), std::vector<Mapping>{}));
  Reader.readModule(Module);
  std::vector<Mapping> Mappings = Reader.readMappings(Module.Name);
  if (Err.count())
    return std::nullopt;
  return std::make_pair(std::move(Module), std::move(Mappings));
}

std::optional<RuleSet> RuleSet::load(const std::vector<std::string> &Paths, Diagnostics &Diags) {
  unsigned Before = Diags.errorCount();
  std::vector<std::string> Files = ruleFiles(Paths, Diags);
  // Later files replace earlier modules of the same name.
  unsigned LoadOrder = 0;
  std::map<std::string, LoadedFile> ByModule;
  for (const std::string &File : Files) {
    llvm::ErrorOr<std::string> Text = readTextFile(File);
    if (!Text) {
      Diags.error(Location{File}, "cannot read rule file");
      continue;
    }
    auto Parsed = parseFile(File, *Text, Diags);
    if (!Parsed)
      continue;
    // A list of blocking calls has no module: keyed by its file, never a module name.
    std::string Name = Parsed->first.Name.empty() ? "\n" + File : Parsed->first.Name;
    ByModule[Name] = {std::move(Parsed->first), std::move(Parsed->second), std::move(*Text),
                      LoadOrder++};
  }
  if (Diags.errorCount() != Before)
    return std::nullopt;
  RuleSet Rules;
  Rules.addModules(ByModule, Diags);
  Rules.addBlocking(ByModule, Diags);
  Rules.checkAliases(ByModule, Diags);
  if (Diags.errorCount() != Before)
    return std::nullopt;
  return Rules;
}

void RuleSet::addModules(std::map<std::string, LoadedFile> &ByModule, Diagnostics &Diags) {
  std::vector<std::pair<const std::string, LoadedFile> *> InLoadOrder;
  for (auto &Entry : ByModule)
    InLoadOrder.push_back(&Entry);
  std::sort(InLoadOrder.begin(), InLoadOrder.end(),
            [](auto *A, auto *B) { return A->second.Order < B->second.Order; });
  for (auto *Entry : InLoadOrder) {
    LoadedFile &L = Entry->second;
    if (L.Module.Name.empty())
      continue; // a list of blocking calls (BlockingRules.h)
    JsonLocator Where(L.Text);
    JsonErrors Err(L.Module.SourceFile, L.Text, Diags);
    for (std::size_t I = 0; I < L.Module.Implies.size(); ++I)
      if (!ByModule.count(L.Module.Implies[I]))
        Err.at(Where.valueOffset("/implies/" + std::to_string(I)),
               "implied module '" + L.Module.Implies[I] + "' has no rule file");
    for (const Mapping &M : L.Mappings) {
      auto &Table = M.IsType ? Types : Functions;
      auto [It, Inserted] = Table.emplace(M.From, M);
      if (!Inserted)
        Err.at(Where.keyOffset(std::string(M.IsType ? "/types/" : "/functions/") +
                               JsonLocator::escapeToken(M.From)),
               "'" + M.From + "' is already mapped by module '" + It->second.Module + "' (" +
                   ByModule[It->second.Module].Module.SourceFile + ")");
    }
    Modules.emplace(Entry->first, L.Module);
  }
  for (const auto *Table : {&Functions, &Types})
    for (const auto &[From, M] : *Table) {
      std::size_t Colons = From.rfind("::");
      LastComponents.insert(Colons == std::string::npos ? From : From.substr(Colons + 2));
    }
}

void RuleSet::addBlocking(std::map<std::string, LoadedFile> &ByModule, Diagnostics &Diags) {
  std::vector<std::pair<const std::string, LoadedFile> *> InLoadOrder;
  for (auto &Entry : ByModule)
    if (Entry.second.Module.Blocking)
      InLoadOrder.push_back(&Entry);
  std::sort(InLoadOrder.begin(), InLoadOrder.end(),
            [](auto *A, auto *B) { return A->second.Order < B->second.Order; });
  std::vector<const ModuleRules *> WithBlocking;
  for (auto *Entry : InLoadOrder)
    WithBlocking.push_back(&Entry->second.Module);
  Blocking = BlockingTable::build(WithBlocking, *this, Diags);
}

void RuleSet::checkAliases(std::map<std::string, LoadedFile> &ByModule, Diagnostics &Diags) {
  // An alias must not shadow a module or another alias.
  std::map<std::string, std::string> Owner;
  for (auto &[Name, M] : Modules)
    Owner[Name] = Name;
  for (auto &[Name, M] : Modules)
    for (std::size_t I = 0; I < M.Aliases.size(); ++I) {
      auto [It, Inserted] = Owner.emplace(M.Aliases[I], Name);
      if (Inserted)
        continue;
      const std::string &Text = ByModule[Name].Text;
      JsonErrors(M.SourceFile, Text, Diags)
          .at(JsonLocator(Text).valueOffset("/aliases/" + std::to_string(I)),
              "alias '" + M.Aliases[I] + "' is already the name of module '" + It->second +
                  "' or its alias");
    }
}

const Mapping *RuleSet::findFunction(const std::string &QualifiedName) const {
  return findOrNull(Functions, QualifiedName);
}

const Mapping *RuleSet::findType(const std::string &QualifiedName) const {
  return findOrNull(Types, QualifiedName);
}

const ModuleRules *RuleSet::module(const std::string &Name) const {
  return findOrNull(Modules, Name);
}

std::vector<std::string> RuleSet::moduleNames() const {
  std::vector<std::string> Names;
  for (const auto &[Name, M] : Modules)
    Names.push_back(Name);
  return Names;
}

std::optional<std::string> RuleSet::resolveModuleName(const std::string &Name) const {
  if (Modules.count(Name))
    return Name;
  for (const auto &[ModName, M] : Modules)
    if (std::find(M.Aliases.begin(), M.Aliases.end(), Name) != M.Aliases.end())
      return ModName;
  return std::nullopt;
}

std::set<std::string> RuleSet::withImplied(const std::set<std::string> &Names) const {
  std::set<std::string> Out;
  std::vector<std::string> Work(Names.begin(), Names.end());
  while (!Work.empty()) {
    std::string Name = Work.back();
    Work.pop_back();
    if (!Out.insert(Name).second)
      continue;
    if (const ModuleRules *M = module(Name))
      Work.insert(Work.end(), M->Implies.begin(), M->Implies.end());
  }
  return Out;
}

std::vector<const Mapping *> RuleSet::allMappings() const {
  std::vector<const Mapping *> All;
  for (const auto &[K, M] : Functions)
    All.push_back(&M);
  for (const auto &[K, M] : Types)
    All.push_back(&M);
  return All;
}

} // namespace evy
