#include "UnitContext.h"

#include "llvm/Support/Path.h"

namespace evy {

using namespace clang;

const std::string &UnitContext::pathOf(FileID File) {
  auto It = Paths.find(File);
  if (It != Paths.end())
    return It->second;
  OptionalFileEntryRef Entry = SM->getFileEntryRefForID(File);
  return Paths.emplace(File, Entry ? pathOf(*Entry) : "").first->second;
}

std::string UnitContext::pathOf(FileEntryRef Entry) const {
  llvm::StringRef Real = Entry.getFileEntry().tryGetRealPathName();
  if (!Real.empty())
    return Real.str();
  llvm::SmallString<256> Abs(Entry.getName());
  SM->getFileManager().makeAbsolutePath(Abs);
  llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  return Abs.str().str();
}

bool UnitContext::isRewritable(FileID File) {
  auto It = RewritableFiles.find(File);
  if (It != RewritableFiles.end())
    return It->second;
  bool Ok = false;
  if (File == SM->getMainFileID())
    Ok = Rewritable(pathOf(File), true);
  else if (!pathOf(File).empty() && !SM->isInSystemHeader(SM->getLocForStartOfFile(File)))
    Ok = Rewritable(pathOf(File), false);
  return RewritableFiles.emplace(File, Ok).first->second;
}

void UnitContext::keepContents(FileID File) {
  const std::string &Path = pathOf(File);
  if (!Result.Contents.count(Path))
    Result.Contents.emplace(Path, SM->getBufferData(File).str());
}

void UnitContext::addFinding(SourceLocation Loc, const std::string &Module,
                             const std::string &Check, const std::string &Message) {
  Loc = SM->getExpansionLoc(Loc);
  FileID File = SM->getFileID(Loc);
  if (!isRewritable(File))
    return;
  keepContents(File);
  Result.Findings.push_back({pathOf(File), SM->getSpellingLineNumber(Loc),
                             SM->getSpellingColumnNumber(Loc), Module, Check, Message});
}

} // namespace evy
