#include "RuleSet.h"

#include "BlockingRules.h"
#include "JsonLocator.h"
#include "LanguageStandard.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace evy {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const std::set<std::string> KnownKeys = {"$schema", "description", "module", "implies",
                                         "aliases", "header",      "functions", "types",
                                         "blocking", "offload",     "opt_in"};

bool isQualifiedName(const std::string &S) {
  static const std::regex Name("([A-Za-z_][A-Za-z0-9_]*::)*[A-Za-z_][A-Za-z0-9_]*");
  return std::regex_match(S, Name);
}

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

} // namespace

std::optional<std::pair<ModuleRules, std::vector<Mapping>>>
RuleSet::parseFile(const std::string &FileName, const std::string &Text,
                   std::vector<std::string> &Errors) {
  JsonErrors Err(FileName, Text, Errors);
  std::optional<json> Parsed = parseJsonFile(Text, Err);
  if (!Parsed)
    return std::nullopt;
  const json &Doc = *Parsed;
  JsonLocator Where(Text);
  if (!Doc.is_object()) {
    Err.at(Where.valueOffset(""), "a rule file is a JSON object, not " + typeName(Doc));
    return std::nullopt;
  }
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

  ModuleRules Module;
  Module.SourceFile = FileName;
  readBlockingKeys(Doc, Where, Err, Module); // BlockingRules.h
  if (isBlockingList(Doc)) // no module: a list of blocking calls only
    return Err.count() ? std::nullopt : std::make_optional(std::make_pair(Module, std::vector<Mapping>{}));
  auto requireString = [&](const char *Key, std::string &Out) {
    auto It = Doc.find(Key);
    if (It == Doc.end()) {
      Err.at(0, std::string("missing required key '") + Key + "'");
    } else if (!It->is_string()) {
      Err.at(Where.valueOffset(std::string("/") + Key),
             std::string("'") + Key + "' must be a string, not " + typeName(*It));
    } else {
      Out = It->get<std::string>();
    }
  };
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

  auto readNameList = [&](const char *Key, std::vector<std::string> &Out) {
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
  };
  readNameList("implies", Module.Implies);
  readNameList("aliases", Module.Aliases);

  std::vector<Mapping> Mappings;
  auto readMappings = [&](const char *Key, bool IsType) {
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
        M->Module = Module.Name;
        M->IsType = IsType;
        Mappings.push_back(std::move(*M));
      }
    }
  };
  readMappings("functions", false);
  readMappings("types", true);
  if (!Doc.contains("functions") && !Doc.contains("types") && !Doc.contains("offload"))
    Err.at(0, "a rule file needs 'functions', 'types' or 'offload'");

  if (Err.count())
    return std::nullopt;
  return std::make_pair(std::move(Module), std::move(Mappings));
}

std::optional<RuleSet> RuleSet::load(const std::vector<std::string> &Paths,
                                     std::vector<std::string> &Errors) {
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
        Errors.push_back(Path + ": error: no rule files (*.json) in this directory");
      Files.insert(Files.end(), InDir.begin(), InDir.end());
    } else if (fs::exists(Path, EC)) {
      Files.push_back(Path);
    } else {
      Errors.push_back(Path + ": error: no such rule file or directory");
    }
  }

  // Later files replace earlier modules of the same name.
  struct Loaded {
    ModuleRules Module;
    std::vector<Mapping> Mappings;
    std::string Text;
    unsigned Order; // later files are blamed for clashes with earlier ones
  };
  unsigned LoadOrder = 0;
  std::map<std::string, Loaded> ByModule;
  for (const std::string &File : Files) {
    std::ifstream In(File, std::ios::binary);
    if (!In) {
      Errors.push_back(File + ": error: cannot read rule file");
      continue;
    }
    std::stringstream Buf;
    Buf << In.rdbuf();
    std::string Text = Buf.str();
    auto Parsed = parseFile(File, Text, Errors);
    if (!Parsed)
      continue;
    // A list of blocking calls has no module: keyed by its file, never a module name.
    std::string Name = Parsed->first.Name.empty() ? "\n" + File : Parsed->first.Name;
    ByModule[Name] = {std::move(Parsed->first), std::move(Parsed->second), std::move(Text),
                      LoadOrder++};
  }
  if (!Errors.empty())
    return std::nullopt;

  std::vector<std::pair<const std::string, Loaded> *> InLoadOrder;
  for (auto &Entry : ByModule)
    InLoadOrder.push_back(&Entry);
  std::sort(InLoadOrder.begin(), InLoadOrder.end(),
            [](auto *A, auto *B) { return A->second.Order < B->second.Order; });
  RuleSet Rules;
  std::vector<const ModuleRules *> WithBlocking; // BlockingRules.h
  for (auto *Entry : InLoadOrder) {
    const std::string &Name = Entry->first;
    Loaded &L = Entry->second;
    if (L.Module.Blocking)
      WithBlocking.push_back(&L.Module);
    if (L.Module.Name.empty())
      continue; // a list of blocking calls
    JsonLocator Where(L.Text);
    auto at = [&](const std::string &Ptr, bool Key, const std::string &Message) {
      TextPosition P = positionOf(L.Text, Key ? Where.keyOffset(Ptr) : Where.valueOffset(Ptr));
      Errors.push_back(L.Module.SourceFile + ":" + std::to_string(P.Line) + ":" +
                       std::to_string(P.Column) + ": error: " + Message);
    };
    for (std::size_t I = 0; I < L.Module.Implies.size(); ++I)
      if (!ByModule.count(L.Module.Implies[I]))
        at("/implies/" + std::to_string(I), false,
           "implied module '" + L.Module.Implies[I] + "' has no rule file");
    for (const Mapping &M : L.Mappings) {
      auto &Table = M.IsType ? Rules.Types : Rules.Functions;
      auto [It, Inserted] = Table.emplace(M.From, M);
      if (!Inserted)
        at(std::string(M.IsType ? "/types/" : "/functions/") + JsonLocator::escapeToken(M.From),
           true,
           "'" + M.From + "' is already mapped by module '" + It->second.Module + "' (" +
               ByModule[It->second.Module].Module.SourceFile + ")");
    }
    Rules.Modules.emplace(Name, L.Module);
  }
  Rules.Blocking = BlockingTable::build(WithBlocking, Rules, Errors);
  for (const auto *Table : {&Rules.Functions, &Rules.Types})
    for (const auto &[From, M] : *Table) {
      std::size_t Colons = From.rfind("::");
      Rules.LastComponents.insert(Colons == std::string::npos ? From : From.substr(Colons + 2));
    }
  // An alias must not shadow a module or another alias.
  std::map<std::string, std::string> Owner;
  for (auto &[Name, M] : Rules.Modules)
    Owner[Name] = Name;
  for (auto &[Name, M] : Rules.Modules)
    for (std::size_t I = 0; I < M.Aliases.size(); ++I) {
      auto [It, Inserted] = Owner.emplace(M.Aliases[I], Name);
      if (!Inserted) {
        JsonLocator Where(ByModule[Name].Text);
        TextPosition P =
            positionOf(ByModule[Name].Text, Where.valueOffset("/aliases/" + std::to_string(I)));
        Errors.push_back(M.SourceFile + ":" + std::to_string(P.Line) + ":" +
                         std::to_string(P.Column) + ": error: alias '" + M.Aliases[I] +
                         "' is already the name of module '" + It->second + "' or its alias");
      }
    }
  if (!Errors.empty())
    return std::nullopt;
  return Rules;
}

const Mapping *RuleSet::findFunction(const std::string &QualifiedName) const {
  auto It = Functions.find(QualifiedName);
  return It == Functions.end() ? nullptr : &It->second;
}

const Mapping *RuleSet::findType(const std::string &QualifiedName) const {
  auto It = Types.find(QualifiedName);
  return It == Types.end() ? nullptr : &It->second;
}

const ModuleRules *RuleSet::module(const std::string &Name) const {
  auto It = Modules.find(Name);
  return It == Modules.end() ? nullptr : &It->second;
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
