#include "Spelling.h"

#include "clang/Lex/Lexer.h"

#include <regex>

namespace evy {

using namespace clang;

bool isLineKept(const SourceManager &SM, FileID File, unsigned Offset,
                const LangOptions &LangOpts) {
  llvm::StringRef Buffer = SM.getBufferData(File);
  std::size_t LineStart = Buffer.rfind('\n', Offset);
  LineStart = LineStart == llvm::StringRef::npos ? 0 : LineStart + 1;
  std::size_t LineEnd = std::min(Buffer.find('\n', Offset), Buffer.size());
  if (Buffer.slice(LineStart, LineEnd).find("evy") == llvm::StringRef::npos)
    return false; // the common case, without lexing
  static const std::regex Keep(R"(^(//|/\*)\s*evy:\s*keep\b)");
  // The lexer wants a NUL after its buffer: lex a copy of the line. Token
  // locations count from the file's start, i.e. from the line's here.
  const std::string Line = Buffer.slice(LineStart, LineEnd).str();
  Lexer Raw(SM.getLocForStartOfFile(File), LangOpts, Line.c_str(), Line.c_str(),
            Line.c_str() + Line.size());
  Raw.SetCommentRetentionState(true);
  Token Tok;
  do {
    Raw.LexFromRawLexer(Tok);
    if (Tok.is(tok::comment) &&
        std::regex_search(Line.substr(SM.getFileOffset(Tok.getLocation()), Tok.getLength()), Keep))
      return true;
  } while (Tok.isNot(tok::eof));
  return false;
}

bool spellsName(llvm::StringRef Text, llvm::StringRef Name) {
  llvm::StringRef Last;
  bool Start = true, WantIdentifier = true; // WantIdentifier: after the start or a "::"
  for (std::size_t I = 0; I < Text.size();) {
    if (std::isspace(static_cast<unsigned char>(Text[I]))) {
      ++I;
    } else if (Text.substr(I, 2) == "::") {
      if (WantIdentifier && !Start)
        return false; // "a:: ::b"
      Start = false;
      WantIdentifier = true;
      I += 2;
    } else if (isIdentifierChar(Text[I])) {
      if (!WantIdentifier)
        return false; // two identifiers in a row
      Start = false;
      std::size_t End = I;
      while (End < Text.size() && isIdentifierChar(Text[End]))
        ++End;
      Last = Text.slice(I, End);
      WantIdentifier = false;
      I = End;
    } else {
      return false;
    }
  }
  return !WantIdentifier && Last == Name;
}

llvm::StringRef unqualified(llvm::StringRef Name) {
  std::size_t Colons = Name.rfind("::");
  return Colons == llvm::StringRef::npos ? Name : Name.substr(Colons + 2);
}

SourceLocation backOverQualifier(const SourceManager &SM, SourceLocation NameLoc) {
  if (!NameLoc.isFileID())
    return NameLoc;
  auto [File, Offset] = SM.getDecomposedLoc(NameLoc);
  llvm::StringRef Buf = SM.getBufferData(File);
  unsigned Begin = Offset;
  for (;;) {
    unsigned P = Begin;
    while (P > 0 && std::isspace(static_cast<unsigned char>(Buf[P - 1])))
      --P;
    if (P < 2 || Buf.substr(P - 2, 2) != "::")
      break;
    P -= 2;
    Begin = P;
    while (P > 0 && std::isspace(static_cast<unsigned char>(Buf[P - 1])))
      --P;
    unsigned IdEnd = P;
    while (P > 0 && isIdentifierChar(Buf[P - 1]))
      --P;
    if (P == IdEnd)
      break; // a leading "::"
    Begin = P;
  }
  return NameLoc.getLocWithOffset(static_cast<int>(Begin) - static_cast<int>(Offset));
}

} // namespace evy
