#include "SingleFileOutput.h"

#include "Report.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <optional>
#include <set>

namespace evy {
namespace {

/// Where --header-dir keeps its copy of Header: under Dir at Header's own
/// absolute path, so copies of different headers never collide.
std::string copyPath(const std::string &Dir, const std::string &Header) {
  llvm::SmallString<256> Path(Dir);
  llvm::sys::fs::make_absolute(Path);
  llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  llvm::sys::path::append(Path, llvm::sys::path::relative_path(Header));
  return Path.str().str();
}

/// A Make rule "Target: Deps...", with the characters Make and Ninja treat
/// specially escaped.
std::string depfileText(const std::string &Target, const std::vector<std::string> &Deps) {
  auto escaped = [](const std::string &Path) {
    std::string Out;
    for (char C : Path) {
      if (C == ' ' || C == '#' || C == '\\')
        Out += '\\';
      if (C == '$')
        Out += '$';
      Out += C;
    }
    return Out;
  };
  std::string Text = escaped(Target) + ":";
  for (const std::string &Dep : Deps)
    Text += " \\\n  " + escaped(Dep);
  return Text + "\n";
}

/// Headers that change, and the user headers that include them, so that
/// every #include path to a changed header leads to its copy. Nothing,
/// after an error, when a header changes and there is no --header-dir.
std::optional<std::set<std::string>> headersToCopy(const DriverOptions &Options,
                                                   const std::vector<FilePlan> &Plans,
                                                   const MergedUnits &Merged, Diagnostics &Diags) {
  const std::string &Main = Plans.front().Path;
  std::set<std::string> Copied;
  for (std::size_t I = 1; I < Plans.size(); ++I)
    if (Plans[I].changed()) {
      if (Options.HeaderDir.empty()) {
        Diags.error(displayPath(Plans[I].Path) + " would change too; use -i or --diff to rewrite "
                                                 "headers, or -o with --header-dir");
        return std::nullopt;
      }
      Copied.insert(Plans[I].Path);
    }
  for (bool Grew = !Copied.empty(); Grew;) {
    Grew = false;
    for (const Inclusion &Inc : Merged.Inclusions)
      if (Copied.count(Inc.Included) && Inc.Includer != Main &&
          Copied.insert(Inc.Includer).second)
        Grew = true;
  }
  return Copied;
}

/// A file's text, edited, with its #include lines of copied headers
/// pointing at the copies.
std::string withCopiesIncluded(const std::string &File, std::vector<TextEdit> Edits,
                               const std::string &Original, const std::set<std::string> &Copied,
                               const MergedUnits &Merged, const std::string &HeaderDir) {
  std::set<unsigned> Redirected;
  for (const Inclusion &Inc : Merged.Inclusions)
    if (Inc.Includer == File && Copied.count(Inc.Included) && Redirected.insert(Inc.Offset).second)
      Edits.push_back({Inc.Offset, Inc.Length, "\"" + copyPath(HeaderDir, Inc.Included) + "\""});
  return applyEdits(Original, std::move(Edits));
}

/// What the output depends on: the source, then every user file it read.
std::vector<std::string> dependencies(const std::string &Main, const MergedUnits &Merged) {
  std::vector<std::string> Deps{Main};
  std::set<std::string> Seen{Main};
  for (const Inclusion &Inc : Merged.Inclusions)
    if (!Inc.IncludedIsSystem && Seen.insert(Inc.Included).second)
      Deps.push_back(Inc.Included);
  return Deps;
}

} // namespace

bool writeSingleFile(const DriverOptions &Options, const std::vector<FilePlan> &Plans,
                     const MergedUnits &Merged, OutputBatch &Batch, Diagnostics &Diags) {
  const FilePlan &Main = Plans.front();
  std::optional<std::set<std::string>> Copied = headersToCopy(Options, Plans, Merged, Diags);
  if (!Copied)
    return false;
  auto rewritten = [&](const std::string &File, std::vector<TextEdit> Edits,
                       const std::string &Original) {
    return withCopiesIncluded(File, std::move(Edits), Original, *Copied, Merged,
                              Options.HeaderDir);
  };
  std::string Output = rewritten(Main.Path, Main.Edits, Main.Original);
  if (Options.OutputFile.empty()) {
    Batch.addStdout(Output);
    return true;
  }

  std::vector<std::pair<std::string, std::string>> Files{{Options.OutputFile, Output}};
  for (const std::string &Header : *Copied) {
    auto Plan = std::find_if(Plans.begin(), Plans.end(),
                             [&](const FilePlan &P) { return P.Path == Header; });
    std::string Copy = copyPath(Options.HeaderDir, Header);
    if (std::error_code EC = llvm::sys::fs::create_directories(llvm::sys::path::parent_path(Copy))) {
      Diags.error(Copy + ": cannot create its directory: " + EC.message());
      return false;
    }
    Files.emplace_back(Copy, Plan != Plans.end() ? rewritten(Header, Plan->Edits, Plan->Original)
                                                 : rewritten(Header, {}, Merged.Contents.at(Header)));
  }
  if (!Options.DepFile.empty())
    Files.emplace_back(Options.DepFile,
                       depfileText(Options.OutputFile, dependencies(Main.Path, Merged)));
  for (auto &[Path, Text] : Files)
    Batch.addFile(Path, std::move(Text));
  return true;
}

} // namespace evy
