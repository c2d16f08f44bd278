#include "Spelling.h"

#include "clang/Lex/Lexer.h"

#include <regex>

namespace evy {

using namespace clang;

namespace {
bool isSpace(char C) { return std::isspace(static_cast<unsigned char>(C)); }
} // namespace

bool isLineKept(llvm::StringRef Text, unsigned Offset, const LangOptions &LangOpts) {
  std::size_t LineStart = Text.rfind('\n', Offset);
  LineStart = LineStart == llvm::StringRef::npos ? 0 : LineStart + 1;
  std::size_t LineEnd = std::min(Text.find('\n', Offset), Text.size());
  if (Text.slice(LineStart, LineEnd).find("evy") == llvm::StringRef::npos)
    return false; // the common case, without lexing
  static const std::regex Keep(R"(^(//|/\*)\s*evy:\s*keep\b)");
  // The lexer wants a NUL after its buffer: lex a copy of the line.
  const std::string Line = Text.slice(LineStart, LineEnd).str();
  Lexer Raw(SourceLocation(), LangOpts, Line.c_str(), Line.c_str(), Line.c_str() + Line.size());
  Raw.SetCommentRetentionState(true);
  Token Tok;
  do {
    Raw.LexFromRawLexer(Tok);
    // The lexer stands just past the token it returned.
    std::size_t TokStart = Raw.getBufferLocation() - Line.c_str() - Tok.getLength();
    if (Tok.is(tok::comment) && std::regex_search(Line.substr(TokStart, Tok.getLength()), Keep))
      return true;
  } while (Tok.isNot(tok::eof));
  return false;
}

bool spellsName(llvm::StringRef Text, llvm::StringRef Name) {
  llvm::StringRef Last;
  bool Start = true, WantIdentifier = true; // WantIdentifier: after the start or a "::"
  for (std::size_t I = 0; I < Text.size();) {
    if (isSpace(Text[I])) {
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

unsigned backOverQualifier(llvm::StringRef Text, unsigned NameOffset) {
  unsigned Begin = NameOffset;
  for (;;) {
    unsigned P = Begin;
    while (P > 0 && isSpace(Text[P - 1]))
      --P;
    if (P < 2 || Text.substr(P - 2, 2) != "::")
      return Begin;
    P -= 2;
    Begin = P;
    while (P > 0 && isSpace(Text[P - 1]))
      --P;
    unsigned IdEnd = P;
    while (P > 0 && isIdentifierChar(Text[P - 1]))
      --P;
    if (P == IdEnd)
      return Begin; // a leading "::"
    Begin = P;
  }
}

SourceLocation backOverQualifier(const SourceManager &SM, SourceLocation NameLoc) {
  if (!NameLoc.isFileID())
    return NameLoc;
  auto [File, Offset] = SM.getDecomposedLoc(NameLoc);
  unsigned Begin = backOverQualifier(SM.getBufferData(File), Offset);
  return NameLoc.getLocWithOffset(static_cast<int>(Begin) - static_cast<int>(Offset));
}

} // namespace evy
