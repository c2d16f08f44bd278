// The data one translation unit yields, before module choice and merging.
#pragma once

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace evy {

struct Mapping;

/// A spelled use of a blocking API: the text at [Offset, Offset+Length) of
/// File names Rule->From (possibly qualified) and would become Rule->To.
struct Reference {
  std::string File;
  unsigned Offset = 0;
  unsigned Length = 0;
  unsigned Line = 0;
  unsigned Column = 0;
  const Mapping *Rule = nullptr;
  bool Kept = false; // the line says "// evy: keep"
  std::string Unit;  // the translation unit that saw it (set when units merge)
};

/// A spelling one translation unit needs left as written, because there it
/// names something else (a user function or type of the same name, an
/// argument-dependent overload) or the unit is C. A Reference at the same
/// place from another unit is a conflict: the shared text cannot serve both.
struct Pin {
  std::string File;
  unsigned Offset = 0;
  unsigned Length = 0;
  unsigned Line = 0;
  unsigned Column = 0;
  std::string What; // what it is there: "names 'ns::close'", "is compiled as C"
  std::string Unit;  // set when units merge
};

/// Something the tool cannot rewrite and the user should know about.
struct Finding {
  std::string File;
  unsigned Line = 0;
  unsigned Column = 0;
  std::string Module; // reported when the file is greened for it ("": always)
  std::string Check;  // stable id: system-macro, late-binding, thread-local, ...
  std::string Message;
};

/// An #include in a user file: where its file name ("x.h" or <x.h>, with
/// the delimiters) is spelled, and the file it found.
struct Inclusion {
  std::string Includer;
  unsigned Offset = 0;
  unsigned Length = 0;
  std::string Included;
  bool IncludedIsSystem = false;
};

/// pinOverlapping() finds a Pin of Pins (sorted by File, then Offset) that
/// overlaps Ref's text, or returns null. Pins are spellings of one name, so
/// only the last one starting before Ref's end can reach into it.
inline const Pin *pinOverlapping(const std::vector<Pin> &Pins, const Reference &Ref) {
  auto After = std::lower_bound(Pins.begin(), Pins.end(), Ref, [](const Pin &P, const Reference &R) {
    return P.File < R.File || (P.File == R.File && P.Offset < R.Offset + R.Length);
  });
  if (After == Pins.begin())
    return nullptr;
  const Pin &P = *std::prev(After);
  return P.File == Ref.File && Ref.Offset < P.Offset + P.Length ? &P : nullptr;
}

/// sortPins() orders Pins for pinOverlapping().
inline void sortPins(std::vector<Pin> &Pins) {
  std::sort(Pins.begin(), Pins.end(), [](const Pin &A, const Pin &B) {
    return A.File < B.File || (A.File == B.File && A.Offset < B.Offset);
  });
}

/// True for the characters of an identifier.
inline bool isIdentifierChar(char C) {
  return std::isalnum(static_cast<unsigned char>(C)) || C == '_';
}

struct TranslationUnitResult {
  std::string MainFile;
  bool Failed = false;
  std::vector<Reference> References;
  std::vector<Finding> Findings;
  std::vector<Pin> Pins;
  std::vector<Inclusion> Inclusions; // in user files, in the order seen
  /// For each file seen, the modules its own #include <evy/patched/X.h> name.
  std::map<std::string, std::set<std::string>> OwnPatchedModules;
  /// The text of every file a Reference or Finding points into, of every
  /// user file with an #include, and of the main file, as the compiler read it.
  std::map<std::string, std::string> Contents;
};

} // namespace evy
