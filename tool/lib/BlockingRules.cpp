#include "BlockingRules.h"

#include <regex>

namespace evy {

bool isQualifiedName(const std::string &S) {
  static const std::regex Name("([A-Za-z_][A-Za-z0-9_]*::)*[A-Za-z_][A-Za-z0-9_]*");
  return std::regex_match(S, Name);
}

namespace {

using nlohmann::json;

bool isIdentifier(const std::string &S) {
  static const std::regex Name("[A-Za-z_][A-Za-z0-9_]*");
  return std::regex_match(S, Name);
}

/// Reads {"advice": ..., "unless": ..., "argument": N, "spelled": [...]}.
void readCallObject(const json &Value, const std::string &Ptr, const JsonLocator &Where,
                    JsonErrors &Err, BlockingCall &Call) {
  for (const auto &[Key, V] : Value.items()) {
    const std::string KeyPtr = Ptr + "/" + JsonLocator::escapeToken(Key);
    if (Key == "advice" && V.is_string()) {
      Call.Advice = V.get<std::string>();
    } else if (Key == "unless" && V.is_string()) {
      Call.Unless = V.get<std::string>();
    } else if (Key == "argument" && V.is_number_unsigned()) {
      Call.ArgIndex = V.get<int>();
    } else if (Key == "spelled" && V.is_array() && !V.empty()) {
      for (std::size_t I = 0; I < V.size(); ++I) {
        if (!V[I].is_string() || !isIdentifier(V[I].get<std::string>()))
          Err.at(Where.valueOffset(KeyPtr + "/" + std::to_string(I)),
                 "'spelled' entries must be identifiers (macro or enumerator names)");
        else
          Call.ArgNames.push_back(V[I].get<std::string>());
      }
    } else if (Key == "advice" || Key == "unless" || Key == "argument" || Key == "spelled") {
      Err.at(Where.valueOffset(KeyPtr),
             "'" + Key + "' of blocking call '" + Call.Name + "' must be " +
                 (Key == "argument" ? "an argument index (0, 1, ...)"
                  : Key == "spelled" ? "a non-empty array of names"
                                     : "a string") +
                 ", not " + V.type_name());
    } else {
      Err.at(Where.keyOffset(KeyPtr), "unknown key '" + Key + "' in blocking call '" +
                                          Call.Name + "'; expected advice, unless, argument, "
                                                      "spelled");
    }
  }
  if (Call.Advice.empty())
    Err.at(Where.valueOffset(Ptr), "blocking call '" + Call.Name + "' has no 'advice'");
  if ((Call.ArgIndex < 0) != Call.ArgNames.empty())
    Err.at(Where.valueOffset(Ptr), "blocking call '" + Call.Name +
                                       "' needs both 'argument' and 'spelled', or neither");
}

/// Doc's Key when it is a non-empty value of type Kind; null when it is
/// absent or, after an error saying it must be Expected, anything else.
const json *findNonEmpty(const json &Doc, const std::string &Key, json::value_t Kind,
                         const std::string &Expected, const JsonLocator &Where,
                         JsonErrors &Err) {
  auto It = Doc.find(Key);
  if (It == Doc.end())
    return nullptr;
  if (It->type() != Kind || It->empty()) {
    Err.at(Where.valueOffset("/" + Key), "'" + Key + "' must be " + Expected);
    return nullptr;
  }
  return &*It;
}

void readBlocking(const json &Doc, const JsonLocator &Where, JsonErrors &Err,
                  BlockingKeys &Out) {
  const json *It = findNonEmpty(Doc, "blocking", json::value_t::object,
                                "a non-empty object mapping names to advice", Where, Err);
  if (!It)
    return;
  for (const auto &[Name, Value] : It->items()) {
    const std::string Ptr = "/blocking/" + JsonLocator::escapeToken(Name);
    BlockingCall Call;
    Call.Name = Name;
    Call.Where = Err.where(Where.keyOffset(Ptr));
    if (!isQualifiedName(Name)) {
      Err.at(Where.keyOffset(Ptr), "'" + Name + "' is not a qualified C++ name");
      continue;
    }
    if (Value.is_string())
      Call.Advice = Value.get<std::string>();
    else if (Value.is_object())
      readCallObject(Value, Ptr, Where, Err, Call);
    else
      Err.at(Where.valueOffset(Ptr), "blocking call '" + Name +
                                         "' must have advice (a string) or an object, not " +
                                         Value.type_name());
    if (Value.is_string() && Call.Advice.empty())
      Err.at(Where.valueOffset(Ptr), "blocking call '" + Name + "' has empty advice");
    Out.Blocking.push_back(std::move(Call));
  }
}

void readOffload(const json &Doc, const JsonLocator &Where, JsonErrors &Err, BlockingKeys &Out) {
  const json *It = findNonEmpty(Doc, "offload", json::value_t::array,
                                "a non-empty array of qualified function names", Where, Err);
  if (!It)
    return;
  for (std::size_t I = 0; I < It->size(); ++I) {
    const json &V = (*It)[I];
    const std::string Ptr = "/offload/" + std::to_string(I);
    if (!V.is_string() || !isQualifiedName(V.get<std::string>()))
      Err.at(Where.valueOffset(Ptr), "'offload' entries must be qualified function names");
    else if (std::find(Out.Offload.begin(), Out.Offload.end(), V.get<std::string>()) !=
             Out.Offload.end())
      Err.at(Where.valueOffset(Ptr), "duplicate entry '" + V.get<std::string>() + "'");
    else {
      Out.Offload.push_back(V.get<std::string>());
      Out.OffloadWhere.push_back(Err.where(Where.valueOffset(Ptr)));
    }
  }
}

} // namespace

bool isBlockingList(const json &Doc) {
  return Doc.is_object() && Doc.contains("blocking") && !Doc.contains("module");
}

void readBlockingKeys(const json &Doc, const JsonLocator &Where, JsonErrors &Err,
                      ModuleRules &Module) {
  auto Keys = std::make_shared<BlockingKeys>();
  readBlocking(Doc, Where, Err, *Keys);
  readOffload(Doc, Where, Err, *Keys);
  if (auto It = Doc.find("opt_in"); It != Doc.end()) {
    if (It->is_boolean())
      Keys->OptIn = It->get<bool>();
    else
      Err.at(Where.valueOffset("/opt_in"),
             std::string("'opt_in' must be true or false, not ") + It->type_name());
  }
  if (isBlockingList(Doc))
    for (const auto &[Key, V] : Doc.items())
      if (Key != "blocking" && Key != "$schema" && Key != "description")
        Err.at(Where.keyOffset("/" + JsonLocator::escapeToken(Key)),
               "'" + Key + "' needs a 'module'; a file without one is a list of "
                           "blocking calls (blocking, description)");
  if (!Keys->Blocking.empty() || !Keys->Offload.empty() || Keys->OptIn)
    Module.Blocking = std::move(Keys);
}

bool isOptIn(const ModuleRules &Module) { return Module.Blocking && Module.Blocking->OptIn; }

std::string offloadReplacement(const std::string &QualifiedName) {
  return "evy::tpool::offload(::" + QualifiedName + ")";
}

std::shared_ptr<const BlockingTable>
BlockingTable::build(const std::vector<const ModuleRules *> &InLoadOrder, const RuleSet &Rules,
                     Diagnostics &Diags) {
  auto Table = std::make_shared<BlockingTable>();
  for (const ModuleRules *Module : InLoadOrder)
    for (const BlockingCall &Call : Module->Blocking->Blocking)
      Table->Calls[Call.Name] = Call;
  for (const ModuleRules *Module : InLoadOrder)
    for (std::size_t I = 0; I < Module->Blocking->Offload.size(); ++I) {
      const std::string &Name = Module->Blocking->Offload[I];
      const Location &Where = Module->Blocking->OffloadWhere[I];
      if (Rules.findFunction(Name)) {
        Diags.error(Where, "'" + Name + "' is offloaded by module '" + Module->Name +
                               "' but already mapped by module '" +
                               Rules.findFunction(Name)->Module + "'");
        continue;
      }
      Mapping M{Name, offloadReplacement(Name), Module->Name};
      if (auto [It, New] = Table->Offloads.emplace(Name, M); !New) {
        Diags.error(Where, "'" + Name + "' is already offloaded by module '" + It->second.Module +
                               "'");
        continue;
      }
      // Reported where the module is not chosen; a list's advice stays.
      BlockingCall &Call = Table->Calls[Name];
      Call.Name = Name;
      Call.Unless = Module->Name;
      Call.Where = Where;
      if (Call.Advice.empty())
        Call.Advice = "choose module '" + Module->Name + "' (--patch=...," + Module->Name +
                      ") to run it on evy's thread pool";
    }
  for (const auto &[Name, Call] : Table->Calls)
    if (!Call.Unless.empty() && !Rules.module(Call.Unless))
      Diags.error(Call.Where, "'unless' of blocking call '" + Name + "' names module '" +
                                  Call.Unless + "', which has no rule file");
  return Table;
}

const BlockingCall *BlockingTable::findBlocking(const std::string &Name) const {
  return findOrNull(Calls, Name);
}

const Mapping *BlockingTable::findOffload(const std::string &Name) const {
  return findOrNull(Offloads, Name);
}

const BlockingTable &RuleSet::blocking() const {
  static const BlockingTable None;
  return Blocking ? *Blocking : None;
}

} // namespace evy
