#include "SingleFileOutput.h"

#include "Report.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <set>

namespace evy {
namespace {

void error(const std::string &Message) { llvm::errs() << "evy-rewrite: error: " << Message << "\n"; }

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

} // namespace

bool writeSingleFile(const DriverOptions &Options, const std::vector<FilePlan> &Plans,
                     const MergedUnits &Merged, OutputBatch &Batch) {
  const FilePlan &Main = Plans.front();
  std::set<std::string> Copied; // headers that change, then their includers
  for (std::size_t I = 1; I < Plans.size(); ++I)
    if (Plans[I].changed()) {
      if (Options.HeaderDir.empty()) {
        error(displayPath(Plans[I].Path) + " would change too; use -i or --diff to rewrite "
                                           "headers, or -o with --header-dir");
        return false;
      }
      Copied.insert(Plans[I].Path);
    }
  for (bool Grew = !Copied.empty(); Grew;) {
    Grew = false;
    for (const Inclusion &Inc : Merged.Inclusions)
      if (Copied.count(Inc.Included) && Inc.Includer != Main.Path &&
          Copied.insert(Inc.Includer).second)
        Grew = true;
  }
  // A file's text with its #include lines of copied headers pointing at the copies.
  auto withCopiesIncluded = [&](const std::string &File, std::vector<TextEdit> Edits,
                                const std::string &Original) {
    std::set<unsigned> Redirected;
    for (const Inclusion &Inc : Merged.Inclusions)
      if (Inc.Includer == File && Copied.count(Inc.Included) &&
          Redirected.insert(Inc.Offset).second)
        Edits.push_back({Inc.Offset, Inc.Length,
                         "\"" + copyPath(Options.HeaderDir, Inc.Included) + "\""});
    return applyEdits(Original, std::move(Edits));
  };
  std::string Output = withCopiesIncluded(Main.Path, Main.Edits, Main.Original);
  if (Options.OutputFile.empty()) {
    Batch.addStdout(Output);
    return true;
  }

  std::vector<std::pair<std::string, std::string>> Files{{Options.OutputFile, Output}};
  for (const std::string &Header : Copied) {
    auto Plan = std::find_if(Plans.begin(), Plans.end(),
                             [&](const FilePlan &P) { return P.Path == Header; });
    std::string Copy = copyPath(Options.HeaderDir, Header);
    if (std::error_code EC = llvm::sys::fs::create_directories(llvm::sys::path::parent_path(Copy))) {
      error(Copy + ": cannot create its directory: " + EC.message());
      return false;
    }
    Files.emplace_back(Copy, Plan != Plans.end()
                                 ? withCopiesIncluded(Header, Plan->Edits, Plan->Original)
                                 : withCopiesIncluded(Header, {}, Merged.Contents.at(Header)));
  }
  if (!Options.DepFile.empty()) {
    std::vector<std::string> Deps{Main.Path};
    for (const Inclusion &Inc : Merged.Inclusions)
      if (!Inc.IncludedIsSystem && std::find(Deps.begin(), Deps.end(), Inc.Included) == Deps.end())
        Deps.push_back(Inc.Included);
    Files.emplace_back(Options.DepFile, depfileText(Options.OutputFile, Deps));
  }
  for (auto &[Path, Text] : Files)
    Batch.addFile(Path, std::move(Text));
  return true;
}

} // namespace evy
