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

std::string formatFinding(const Finding &F) {
  return displayPath(F.File) + ":" + std::to_string(F.Line) + ":" + std::to_string(F.Column) +
         ": warning: " + F.Message + " [evy-" + F.Check + "]";
}

std::string textReport(const std::vector<FilePlan> &Plans) {
  std::string Out;
  for (const FilePlan &Plan : Plans) {
    Out += displayPath(Plan.Path) + ": uses " + joined(Plan.ModulesUsed) + "; patched: " +
           joined(Plan.Patched.Modules);
    llvm::StringRef Source = Plan.Patched.Source;
    if (Source.empty())
      Out += " (no --patch, no <evy/patched/...> include, no .evy-rewrite.json: left alone)\n";
    else if (Source.consume_front("excluded:"))
      Out += " (excluded by " + Source.str() + ")\n";
    else if (Source.consume_front("config:"))
      Out += " (from " + Source.str() + ")\n";
    else if (Source == "includes")
      Out += " (from its own <evy/patched/...> includes)\n";
    else
      Out += " (from " + Source.str() + ")\n";
    for (const Reference &Ref : Plan.Rewrites)
      Out += "  " + std::to_string(Ref.Line) + ":" + std::to_string(Ref.Column) + ": " +
             Ref.Rule->From + " -> " + Ref.Rule->To + " [" + Ref.Rule->Module + "]\n";
    for (const Reference &Ref : Plan.Kept)
      Out += "  " + std::to_string(Ref.Line) + ":" + std::to_string(Ref.Column) + ": " +
             Ref.Rule->From + " kept (evy: keep) [" + Ref.Rule->Module + "]\n";
    for (const Reference &Ref : Plan.NotPatched)
      Out += "  " + std::to_string(Ref.Line) + ":" + std::to_string(Ref.Column) + ": " +
             Ref.Rule->From + " left blocking: module '" + Ref.Rule->Module +
             "' not patched\n";
    for (const std::string &Header : Plan.AddedIncludes)
      Out += "  + #include <" + Header + ">\n";
    for (const Finding &F : Plan.Findings)
      Out += "  " + std::to_string(F.Line) + ":" + std::to_string(F.Column) + ": warning: " +
             F.Message + " [evy-" + F.Check + "]\n";
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
                     {"patched_by", Plan.Patched.Source},
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

std::string sarifReport(const std::vector<FilePlan> &Plans) {
  auto Location = [](const std::string &Path, unsigned Line, unsigned Column) {
    return json{{"physicalLocation",
                 {{"artifactLocation", artifactLocation(Path)},
                  {"region", {{"startLine", Line}, {"startColumn", Column}}}}}};
  };
  json Results = json::array();
  std::set<std::string> RuleIds;
  for (const FilePlan &Plan : Plans) {
    for (const Reference &Ref : Plan.Rewrites) {
      std::string RuleId = "evy-green-" + Ref.Rule->Module;
      RuleIds.insert(RuleId);
      json Region = {{"startLine", Ref.Line},
                     {"startColumn", Ref.Column},
                     {"charOffset", Ref.Offset},
                     {"charLength", Ref.Length}};
      Results.push_back(
          {{"ruleId", RuleId},
           {"level", "note"},
           {"message", {{"text", "blocking '" + Ref.Rule->From + "' becomes '" + Ref.Rule->To +
                                     "'"}}},
           {"locations", json::array({Location(Plan.Path, Ref.Line, Ref.Column)})},
           {"fixes",
            json::array({{{"description", {{"text", "use " + Ref.Rule->To}}},
                          {"artifactChanges",
                           json::array({{{"artifactLocation", artifactLocation(Plan.Path)},
                                         {"replacements",
                                          json::array({{{"deletedRegion", Region},
                                                        {"insertedContent",
                                                         {{"text", Ref.Rule->To}}}}})}}})}}})}});
    }
    // The include insertions, so that applying every fix gives what -i gives.
    for (const TextEdit &Edit : Plan.Edits) {
      if (!Edit.IsInclude)
        continue;
      RuleIds.insert("evy-include");
      TextPosition At = positionOf(Plan.Original, Edit.Offset);
      json Region = {{"startLine", At.Line}, {"startColumn", At.Column},
                     {"charOffset", Edit.Offset}, {"charLength", 0}};
      Results.push_back(
          {{"ruleId", "evy-include"},
           {"level", "note"},
           {"message", {{"text", "add " + llvm::StringRef(Edit.Text).rtrim().str()}}},
           {"locations", json::array({Location(Plan.Path, At.Line, At.Column)})},
           {"fixes",
            json::array({{{"description", {{"text", llvm::StringRef(Edit.Text).rtrim().str()}}},
                          {"artifactChanges",
                           json::array({{{"artifactLocation", artifactLocation(Plan.Path)},
                                         {"replacements",
                                          json::array({{{"deletedRegion", Region},
                                                        {"insertedContent",
                                                         {{"text", Edit.Text}}}}})}}})}}})}});
    }
    for (const Finding &F : Plan.Findings) {
      std::string RuleId = "evy-" + F.Check;
      RuleIds.insert(RuleId);
      Results.push_back({{"ruleId", RuleId},
                         {"level", "warning"},
                         {"message", {{"text", F.Message}}},
                         {"locations", json::array({Location(F.File, F.Line, F.Column)})}});
    }
  }
  llvm::SmallString<256> Cwd;
  llvm::sys::fs::current_path(Cwd);
  const std::string SourceRoot = "file://" + uriEncoded(Cwd) + "/";
  json Rules = json::array();
  for (const std::string &Id : RuleIds)
    Rules.push_back({{"id", Id}});
  json Doc = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", json::array({{{"tool",
                                      {{"driver",
                                        {{"name", "evy-rewrite"},
                                         {"version", EVY_VERSION},
                                         {"rules", Rules}}}}},
                                     {"originalUriBaseIds", {{"SRCROOT", {{"uri", SourceRoot}}}}},
                                     {"results", Results}}})}};
  return Doc.dump(2) + "\n";
}

} // namespace evy
