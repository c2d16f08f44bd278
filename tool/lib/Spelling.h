// Spelling: lexical checks on source text, with no AST: whether a range of
// text spells a (possibly qualified) name, where a qualifier before a name
// starts, and whether a line carries "// evy: keep". The finder uses them to
// re-check the text it is about to edit, as clang-tidy checks do.
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

/// True when the line holding Offset has a "// evy: keep" or "/* evy: keep */"
/// comment: found by lexing the line, so the words inside a string literal
/// do not count.
bool isLineKept(const clang::SourceManager &SM, clang::FileID File, unsigned Offset,
                const clang::LangOptions &LangOpts);

/// True when Text is Name, possibly qualified: an optional leading "::",
/// then identifiers joined by "::" ("::recv", "std :: mutex"), whitespace
/// allowed between the tokens. "std\nNS::mutex" (a qualifier from a macro
/// definition joined to its use) is two identifiers in a row: not a name.
bool spellsName(llvm::StringRef Text, llvm::StringRef Name);

/// The last component of a qualified name: "std::this_thread::sleep_for" ->
/// "sleep_for".
llvm::StringRef unqualified(llvm::StringRef Name);

/// Walks back from a name over "ns::" pairs and a leading "::".
clang::SourceLocation backOverQualifier(const clang::SourceManager &SM,
                                        clang::SourceLocation NameLoc);

} // namespace evy
