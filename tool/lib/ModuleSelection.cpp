#include "ModuleSelection.h"

#include "BlockingRules.h"

namespace evy {

std::optional<std::set<std::string>> parsePatchList(const std::string &Spec,
                                                    const RuleSet &Rules, std::string &Error) {
  std::vector<std::string> Items;
  std::size_t Start = 0;
  while (Start <= Spec.size()) {
    std::size_t Comma = Spec.find(',', Start);
    if (Comma == std::string::npos)
      Comma = Spec.size();
    std::string Item = Spec.substr(Start, Comma - Start);
    Item.erase(0, Item.find_first_not_of(" \t"));
    Item.erase(Item.find_last_not_of(" \t") + 1);
    if (!Item.empty())
      Items.push_back(Item);
    Start = Comma + 1;
  }

  std::vector<std::string> All = Rules.moduleNames();
  std::set<std::string> Added, Excluded, Default; // "all": every module but the opt-in ones
  for (const std::string &M : All)
    if (!isOptIn(*Rules.module(M)))
      Default.insert(M);
  if (Items.empty() || Items.front()[0] == '-')
    Added.insert(Default.begin(), Default.end());
  for (const std::string &Item : Items) {
    bool Exclude = Item[0] == '-';
    std::string Name = Exclude ? Item.substr(1) : Item;
    if (Name == "all" && !Exclude) {
      Added.insert(Default.begin(), Default.end());
      continue;
    }
    std::optional<std::string> Module = Rules.resolveModuleName(Name);
    if (!Module) {
      Error = "unknown module '" + Name + "' in --patch; valid modules are:";
      for (const std::string &M : All) {
        Error += " " + M;
        if (const ModuleRules *R = Rules.module(M); R && !R->Aliases.empty()) {
          Error += " (also";
          for (const std::string &A : R->Aliases)
            Error += " " + A;
          Error += ")";
        }
      }
      Error += ", and all";
      return std::nullopt;
    }
    (Exclude ? Excluded : Added).insert(*Module);
  }
  std::set<std::string> Result = Rules.withImplied(Added);
  for (const std::string &M : Excluded)
    Result.erase(M);
  return Result;
}

std::optional<std::string> moduleOfPatchedHeader(const std::string &IncludeName,
                                                 const RuleSet &Rules) {
  if (IncludeName == "evy/tpool.h") // offload modules share it; programs include it to use the pool
    return std::nullopt;
  for (const std::string &Name : Rules.moduleNames())
    if (Rules.module(Name)->Header == IncludeName)
      return Name;
  return std::nullopt;
}

} // namespace evy
