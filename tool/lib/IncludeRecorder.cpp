#include "IncludeRecorder.h"

#include "ModuleSelection.h"

namespace evy {

using namespace clang;

void IncludeRecorder::InclusionDirective(SourceLocation HashLoc, const Token &,
                                         StringRef FileName, bool, CharSourceRange FilenameRange,
                                         OptionalFileEntryRef Included, StringRef, StringRef,
                                         const Module *, bool,
                                         SrcMgr::CharacteristicKind IncludedKind) {
  const SourceManager &SM = *Unit.SM;
  FileID File = SM.getFileID(SM.getExpansionLoc(HashLoc));
  if (std::optional<std::string> Module = moduleOfPatchedHeader(FileName.str(), Unit.Rules))
    Unit.Result.OwnPatchedModules[Unit.pathOf(File)].insert(*Module);
  if (!Included || HashLoc.isMacroID() || FilenameRange.getBegin().isMacroID() ||
      SM.isInSystemHeader(HashLoc))
    return;
  Unit.keepContents(File);
  Unit.Result.Inclusions.push_back(
      {Unit.pathOf(File), SM.getFileOffset(FilenameRange.getBegin()),
       SM.getFileOffset(FilenameRange.getEnd()) - SM.getFileOffset(FilenameRange.getBegin()),
       Unit.pathOf(*Included), IncludedKind != SrcMgr::C_User});
}

} // namespace evy
