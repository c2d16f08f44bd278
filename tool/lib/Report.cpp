#include "Report.h"

#include "BuildConfig.h"
#include "JsonLocator.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <filesystem>

namespace evy {
namespace {

using nlohmann::json;

std::string joined(const std::set<std::string> &Names) {
  std::string Out;
  for (const std::string &N : Names)
    Out += (Out.empty() ? "" : ", ") + N;
  return Out.empty() ? "none" : Out;
}

json referenceJson(const Reference &Ref) {
  return {{"line", Ref.Line},
          {"column", Ref.Column},
          {"from", Ref.Rule->From},
          {"to", Ref.Rule->To},
          {"module", Ref.Rule->Module},
          {"kind", Ref.Rule->IsType ? "type" : "function"}};
}

json referenceList(const std::vector<Reference> &Refs) {
  json List = json::array();
  for (const Reference &Ref : Refs)
    List.push_back(referenceJson(Ref));
  return List;
}

/// Why a file is greened for its modules, as the text report says it.
std::string choiceReason(const ModuleChoice &Choice) {
  std::string Config = Choice.Config ? formatLocation(*Choice.Config) : "";
  switch (Choice.Origin) {
  case ChoiceOrigin::None:
    return Choice.Config ? "no --patch, no <evy/patched/...> include, no rule for it in " +
                               Config + ": left alone"
                         : "no --patch, no <evy/patched/...> include, no .evy-rewrite.json: "
                           "left alone";
  case ChoiceOrigin::Excluded:
    return "excluded by " + Config;
  case ChoiceOrigin::PathRule:
  case ChoiceOrigin::ConfigDefault:
    return "from " + Config;
  case ChoiceOrigin::PatchOption:
    return "from --patch";
  case ChoiceOrigin::OwnIncludes:
    return "from its own <evy/patched/...> includes";
  }
  return "";
}

/// What chose the modules, as the JSON report's "patched_by" names it.
std::string patchedBy(const ModuleChoice &Choice) {
  switch (Choice.Origin) {
  case ChoiceOrigin::None:
    return "";
  case ChoiceOrigin::Excluded:
    return "excluded:" + formatLocation(*Choice.Config);
  case ChoiceOrigin::PathRule:
  case ChoiceOrigin::ConfigDefault:
    return "config:" + formatLocation(*Choice.Config);
  case ChoiceOrigin::PatchOption:
    return "--patch";
  case ChoiceOrigin::OwnIncludes:
    return "includes";
  }
  return "";
}

/// "  line:col: " before each entry of a file in the text report.
std::string at(unsigned Line, unsigned Column) {
  return "  " + std::to_string(Line) + ":" + std::to_string(Column) + ": ";
}

} // namespace

std::string displayPath(const std::string &Path) {
  std::error_code EC;
  std::filesystem::path Cwd = std::filesystem::current_path(EC);
  if (EC)
    return Path;
  std::string Prefix = Cwd.string() + "/";
  if (llvm::StringRef(Path).starts_with(Prefix))
    return Path.substr(Prefix.size());
  return Path;
}

std::string textReport(const std::vector<FilePlan> &Plans) {
  std::string Out;
  for (const FilePlan &Plan : Plans) {
    Out += displayPath(Plan.Path) + ": uses " + joined(Plan.ModulesUsed) + "; patched: " +
           joined(Plan.Patched.Modules) + " (" + choiceReason(Plan.Patched) + ")\n";
    for (const Reference &Ref : Plan.Rewrites)
      Out += at(Ref.Line, Ref.Column) + Ref.Rule->From + " -> " + Ref.Rule->To + " [" +
             Ref.Rule->Module + "]\n";
    for (const Reference &Ref : Plan.Kept)
      Out += at(Ref.Line, Ref.Column) + Ref.Rule->From + " kept (evy: keep) [" +
             Ref.Rule->Module + "]\n";
    for (const Reference &Ref : Plan.NotPatched)
      Out += at(Ref.Line, Ref.Column) + Ref.Rule->From + " left blocking: module '" +
             Ref.Rule->Module + "' not patched\n";
    for (const std::string &Header : Plan.AddedIncludes)
      Out += "  + #include <" + Header + ">\n";
    for (const Finding &F : Plan.Findings)
      Out += at(F.Line, F.Column) + "warning: " + F.Message + " [evy-" + F.Check + "]\n";
  }
  return Out;
}

std::string jsonReport(const std::vector<FilePlan> &Plans) {
  json Files = json::array();
  for (const FilePlan &Plan : Plans) {
    json Findings = json::array();
    for (const Finding &F : Plan.Findings)
      Findings.push_back({{"line", F.Line},
                          {"column", F.Column},
                          {"module", F.Module},
                          {"check", "evy-" + F.Check},
                          {"message", F.Message}});
    Files.push_back({{"file", displayPath(Plan.Path)},
                     {"modules_used", Plan.ModulesUsed},
                     {"patched", Plan.Patched.Modules},
                     {"patched_by", patchedBy(Plan.Patched)},
                     {"changed", Plan.changed()},
                     {"rewrites", referenceList(Plan.Rewrites)},
                     {"kept", referenceList(Plan.Kept)},
                     {"not_patched", referenceList(Plan.NotPatched)},
                     {"includes_added", Plan.AddedIncludes},
                     {"findings", Findings}});
  }
  json Doc = {{"tool", "evy-rewrite"}, {"version", EVY_VERSION}, {"format", 1}, {"files", Files}};
  return Doc.dump(2) + "\n";
}

namespace {
/// Path as a URI reference: everything but unreserved characters and "/"
/// percent-encoded (RFC 3986), so "a b.cpp" becomes "a%20b.cpp".
std::string uriEncoded(llvm::StringRef Path) {
  std::string Out;
  for (unsigned char C : Path) {
    if (std::isalnum(C) || C == '-' || C == '.' || C == '_' || C == '~' || C == '/') {
      Out += static_cast<char>(C);
    } else {
      static const char Hex[] = "0123456789ABCDEF";
      Out += '%';
      Out += Hex[C >> 4];
      Out += Hex[C & 15];
    }
  }
  return Out;
}

/// A SARIF artifactLocation: relative to SRCROOT (the working directory,
/// see originalUriBaseIds) when the path is under it, else a file:// URI.
json artifactLocation(const std::string &Path) {
  std::string Shown = displayPath(Path);
  if (llvm::sys::path::is_absolute(Shown))
    return {{"uri", "file://" + uriEncoded(Shown)}};
  return {{"uri", uriEncoded(Shown)}, {"uriBaseId", "SRCROOT"}};
}
} // namespace

namespace {

json sarifLocation(const std::string &Path, unsigned Line, unsigned Column) {
  return {{"physicalLocation",
           {{"artifactLocation", artifactLocation(Path)},
            {"region", {{"startLine", Line}, {"startColumn", Column}}}}}};
}

/// A note-level result at Line:Column of Path whose fix replaces Region
/// with Inserted.
json fixResult(const std::string &RuleId, const std::string &Message, const std::string &Path,
               unsigned Line, unsigned Column, json Region, const std::string &FixText,
               const std::string &Inserted) {
  json Replacement = {{"deletedRegion", std::move(Region)}, {"insertedContent", {{"text", Inserted}}}};
  json Change = {{"artifactLocation", artifactLocation(Path)},
                 {"replacements", json::array({Replacement})}};
  json Fix = {{"description", {{"text", FixText}}}, {"artifactChanges", json::array({Change})}};
  return {{"ruleId", RuleId},
          {"level", "note"},
          {"message", {{"text", Message}}},
          {"locations", json::array({sarifLocation(Path, Line, Column)})},
          {"fixes", json::array({Fix})}};
}

json rewriteResult(const FilePlan &Plan, const Reference &Ref) {
  json Region = {{"startLine", Ref.Line},
                 {"startColumn", Ref.Column},
                 {"charOffset", Ref.Offset},
                 {"charLength", Ref.Length}};
  return fixResult("evy-green-" + Ref.Rule->Module,
                   "blocking '" + Ref.Rule->From + "' becomes '" + Ref.Rule->To + "'", Plan.Path,
                   Ref.Line, Ref.Column, std::move(Region), "use " + Ref.Rule->To, Ref.Rule->To);
}

/// An include insertion, so that applying every fix gives what -i gives.
json includeResult(const FilePlan &Plan, const TextEdit &Edit) {
  TextPosition At = positionOf(Plan.Original, Edit.Offset);
  json Region = {{"startLine", At.Line}, {"startColumn", At.Column},
                 {"charOffset", Edit.Offset}, {"charLength", 0}};
  std::string Line = llvm::StringRef(Edit.Text).rtrim().str();
  return fixResult("evy-include", "add " + Line, Plan.Path, At.Line, At.Column, std::move(Region),
                   Line, Edit.Text);
}

json findingResult(const Finding &F) {
  return {{"ruleId", "evy-" + F.Check},
          {"level", "warning"},
          {"message", {{"text", F.Message}}},
          {"locations", json::array({sarifLocation(F.File, F.Line, F.Column)})}};
}

json sarifRun(const json &Results, const std::set<std::string> &RuleIds) {
  llvm::SmallString<256> Cwd;
  llvm::sys::fs::current_path(Cwd);
  const std::string SourceRoot = "file://" + uriEncoded(Cwd) + "/";
  json Rules = json::array();
  for (const std::string &Id : RuleIds)
    Rules.push_back({{"id", Id}});
  json Driver = {{"name", "evy-rewrite"}, {"version", EVY_VERSION}, {"rules", Rules}};
  return {{"tool", {{"driver", Driver}}},
          {"originalUriBaseIds", {{"SRCROOT", {{"uri", SourceRoot}}}}},
          {"results", Results}};
}

} // namespace

std::string sarifReport(const std::vector<FilePlan> &Plans) {
  json Results = json::array();
  std::set<std::string> RuleIds;
  auto add = [&](json Result) {
    RuleIds.insert(Result["ruleId"].get<std::string>());
    Results.push_back(std::move(Result));
  };
  for (const FilePlan &Plan : Plans) {
    for (const Reference &Ref : Plan.Rewrites)
      add(rewriteResult(Plan, Ref));
    for (const TextEdit &Edit : Plan.Edits)
      if (Edit.IsInclude)
        add(includeResult(Plan, Edit));
    for (const Finding &F : Plan.Findings)
      add(findingResult(F));
  }
  json Doc = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", json::array({sarifRun(Results, RuleIds)})}};
  return Doc.dump(2) + "\n";
}

} // namespace evy
