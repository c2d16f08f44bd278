#include "ModuleSelection.h"

#include "BlockingRules.h"

namespace evy {

namespace {

/// The comma-separated items of a --patch value, blanks trimmed.
std::vector<std::string> patchItems(const std::string &Spec) {
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
  return Items;
}

/// "a b (also c) d": module names, each with its aliases.
std::string spellModules(const std::vector<std::string> &Names, const RuleSet &Rules) {
  std::string Text;
  for (const std::string &M : Names) {
    Text += (Text.empty() ? "" : " ") + M;
    if (const ModuleRules *R = Rules.module(M); R && !R->Aliases.empty()) {
      Text += " (also";
      for (const std::string &A : R->Aliases)
        Text += " " + A;
      Text += ")";
    }
  }
  return Text;
}

/// "unknown module 'X' in SOURCE; valid modules are: a b (also c), and all".
std::string unknownModuleMessage(const std::string &Name, const std::string &Source,
                                 const RuleSet &Rules) {
  return "unknown module '" + Name + "' in " + Source +
         "; valid modules are: " + spellModules(Rules.moduleNames(), Rules) + ", and all";
}

} // namespace

std::optional<std::set<std::string>> parsePatchList(const std::string &Spec, const RuleSet &Rules,
                                                    const PatchListSource &Source,
                                                    Diagnostics &Diags) {
  std::vector<std::string> Items = patchItems(Spec);
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
      Diags.report({Severity::Error, Source.Where, unknownModuleMessage(Name, Source.Name, Rules)});
      return std::nullopt;
    }
    (Exclude ? Excluded : Added).insert(*Module);
  }
  std::set<std::string> Result = Rules.withImplied(Added);
  for (const std::string &M : Excluded)
    Result.erase(M);
  return Result;
}

std::string describeModules(const RuleSet &Rules) {
  std::vector<std::string> Default, OptIn;
  for (const std::string &M : Rules.moduleNames())
    (isOptIn(*Rules.module(M)) ? OptIn : Default).push_back(M);
  std::string Text = "Default set ('all'): " + spellModules(Default, Rules);
  if (!OptIn.empty())
    Text += "\nOpt-in, chosen by name only: " + spellModules(OptIn, Rules);
  return Text;
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

ModuleChoice chooseModules(const std::string &File,
                           const std::optional<std::set<std::string>> &PatchModules,
                           const std::map<std::string, std::set<std::string>> &OwnModules,
                           PathConfigStore &Configs, const RuleSet &Rules) {
  PathVerdict Verdict = Configs.verdictFor(File);
  if (Verdict.Excluded)
    return {{}, ChoiceOrigin::Excluded, Verdict.Origin};
  if (Verdict.Modules)
    return {*Verdict.Modules, ChoiceOrigin::PathRule, Verdict.Origin};
  if (PatchModules)
    return {*PatchModules, ChoiceOrigin::PatchOption, std::nullopt};
  if (auto It = OwnModules.find(File); It != OwnModules.end())
    return {Rules.withImplied(It->second), ChoiceOrigin::OwnIncludes, std::nullopt};
  const PathConfig *Config = Configs.configFor(File);
  if (Config && Config->DefaultModules)
    return {*Config->DefaultModules, ChoiceOrigin::ConfigDefault, Config->DefaultOrigin};
  if (Config)
    return {{}, ChoiceOrigin::None, Location{Config->File}};
  return {};
}

} // namespace evy
