// JsonLocator: where each value of a JSON document starts, so errors found
// after parsing (wrong type, unknown key, duplicate key) can name line:col.
// nlohmann/json keeps no positions in its DOM; this small scanner does.
#pragma once

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
  std::string scanString();
  void skipWhitespace();

  const std::string &Text;
  std::size_t Pos = 0;
  std::map<std::string, std::size_t> Values;
  std::map<std::string, std::size_t> Keys;
  std::vector<DuplicateKey> Duplicates;
};

/// JsonErrors collects "file:line:col: error: message" lines for one file.
class JsonErrors {
public:
  JsonErrors(std::string FileName, const std::string &Text, std::vector<std::string> &Sink)
      : FileName(std::move(FileName)), Text(Text), Sink(Sink) {}
  void at(std::size_t Offset, const std::string &Message);
  /// "file:line:col" of an offset, for messages that point elsewhere.
  std::string where(std::size_t Offset) const;
  unsigned count() const { return Count; }

private:
  std::string FileName;
  const std::string &Text;
  std::vector<std::string> &Sink;
  unsigned Count = 0;
};

/// parseJsonFile() parses Text, reporting malformed JSON and keys repeated
/// in one object through Errors; nothing when the text is not JSON.
std::optional<nlohmann::json> parseJsonFile(const std::string &Text, JsonErrors &Errors);

} // namespace evy
