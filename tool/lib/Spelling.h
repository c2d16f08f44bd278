// Spelling: lexical checks on source text, with no AST: whether a range of
// text spells a (possibly qualified) name, where a qualifier before a name
// starts, and whether a line carries "// evy: keep". The finder re-checks
// the text it is about to edit with them, as clang-tidy checks do: the AST
// says what a spelling means, only the text says what an edit would replace.
#pragma once

#include "clang/Basic/LangOptions.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringRef.h"

#include <cctype>

namespace evy {

/// True for the characters of an identifier.
inline bool isIdentifierChar(char C) {
  return std::isalnum(static_cast<unsigned char>(C)) || C == '_';
}

/// True when the line of Text holding Offset has a "// evy: keep" or
/// "/* evy: keep */" comment: found by lexing the line, so the words inside
/// a string literal do not count.
bool isLineKept(llvm::StringRef Text, unsigned Offset, const clang::LangOptions &LangOpts);

/// True when Text is Name, possibly qualified: an optional leading "::",
/// then identifiers joined by "::" ("::recv", "std :: mutex"), whitespace
/// allowed between the tokens. "std\nNS::mutex" (a qualifier from a macro
/// definition joined to its use) is two identifiers in a row: not a name.
bool spellsName(llvm::StringRef Text, llvm::StringRef Name);

/// The last component of a qualified name: "std::this_thread::sleep_for" ->
/// "sleep_for".
llvm::StringRef unqualified(llvm::StringRef Name);

/// Where the qualifier of the name at NameOffset in Text starts: walks back
/// over "ns ::" pairs and a leading "::" (NameOffset when there is none).
unsigned backOverQualifier(llvm::StringRef Text, unsigned NameOffset);

/// backOverQualifier() at a location in a file (a macro location stays).
clang::SourceLocation backOverQualifier(const clang::SourceManager &SM,
                                        clang::SourceLocation NameLoc);

} // namespace evy
