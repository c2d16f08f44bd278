// Inclusion: an #include directive in a user file, kept for -o --header-dir
// (rewriting the spelled name) and --depfile.
#pragma once

#include <string>

namespace evy {

/// An #include in a user file: where its file name ("x.h" or <x.h>, with
/// the delimiters) is spelled, and the file it found.
struct Inclusion {
  std::string Includer;
  unsigned Offset = 0;
  unsigned Length = 0;
  std::string Included;
  bool IncludedIsSystem = false;
};

} // namespace evy
