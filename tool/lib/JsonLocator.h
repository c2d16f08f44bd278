// JsonLocator: where each value of a JSON document starts, so errors found
// after parsing (wrong type, unknown key, duplicate key) can name line:col.
// nlohmann/json keeps no positions in its DOM; this small scanner does.
#pragma once

#include "Diagnostics.h"

#include "llvm/Support/ErrorOr.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace evy {

struct TextPosition {
  unsigned Line = 1;
  unsigned Column = 1;
};

/// positionOf() turns a byte offset into a 1-based line and column.
TextPosition positionOf(const std::string &Text, std::size_t Offset);

class JsonLocator {
public:
  /// Scans Text, which must already be valid JSON (nlohmann accepted it).
  explicit JsonLocator(const std::string &Text);

  /// Byte offset of the value at a JSON pointer ("/functions/recv"); the
  /// document start when the pointer is unknown.
  std::size_t valueOffset(const std::string &Pointer) const;
  /// Byte offset of the key naming the member at Pointer (its opening quote).
  std::size_t keyOffset(const std::string &Pointer) const;

  struct DuplicateKey {
    std::string Pointer;      // the member's pointer
    std::size_t FirstOffset;  // first occurrence of the key
    std::size_t SecondOffset; // the repeated one
  };
  /// Keys that occur twice in one object, in document order.
  const std::vector<DuplicateKey> &duplicateKeys() const { return Duplicates; }

  /// Escapes one reference token for use in a JSON pointer (RFC 6901).
  static std::string escapeToken(const std::string &Token);

private:
  void scanValue(const std::string &Pointer);
  void scanObject(const std::string &Pointer);
  void scanArray(const std::string &Pointer);
  bool nextElement(char Close);
  std::string scanString();
  void skipWhitespace();

  const std::string &Text;
  std::size_t Pos = 0;
  std::map<std::string, std::size_t> Values;
  std::map<std::string, std::size_t> Keys;
  std::vector<DuplicateKey> Duplicates;
};

/// JsonErrors reports the errors of one JSON file through Diagnostics, each
/// at the line and column of a byte offset into the file's text.
class JsonErrors {
public:
  JsonErrors(std::string FileName, const std::string &Text, Diagnostics &Diags)
      : FileName(std::move(FileName)), Text(Text), Diags(Diags) {}
  void at(std::size_t Offset, const std::string &Message);
  void noteAt(std::size_t Offset, const std::string &Message);
  /// The place of an offset, for messages and reports that point elsewhere.
  Location where(std::size_t Offset) const;
  /// Errors reported through this file so far.
  unsigned count() const { return Count; }

private:
  std::string FileName;
  const std::string &Text;
  Diagnostics &Diags;
  unsigned Count = 0;
};

/// readTextFile() returns a file's bytes, or why it cannot be read (a
/// directory, a permission error).
llvm::ErrorOr<std::string> readTextFile(const std::string &Path);

/// parseJsonFile() parses Text, reporting malformed JSON and keys repeated
/// in one object through Errors; nothing when the text is not JSON.
std::optional<nlohmann::json> parseJsonFile(const std::string &Text, JsonErrors &Errors);

} // namespace evy
