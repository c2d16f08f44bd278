#include "JsonLocator.h"

#include "llvm/Support/MemoryBuffer.h"

#include <cctype>

namespace evy {

TextPosition positionOf(const std::string &Text, std::size_t Offset) {
  TextPosition P;
  for (std::size_t I = 0; I < Offset && I < Text.size(); ++I) {
    if (Text[I] == '\n') {
      ++P.Line;
      P.Column = 1;
    } else {
      ++P.Column;
    }
  }
  return P;
}

JsonLocator::JsonLocator(const std::string &Text) : Text(Text) {
  skipWhitespace();
  if (Pos < Text.size())
    scanValue("");
}

std::size_t JsonLocator::valueOffset(const std::string &Pointer) const {
  auto It = Values.find(Pointer);
  return It == Values.end() ? 0 : It->second;
}

std::size_t JsonLocator::keyOffset(const std::string &Pointer) const {
  auto It = Keys.find(Pointer);
  return It == Keys.end() ? valueOffset(Pointer) : It->second;
}

std::string JsonLocator::escapeToken(const std::string &Token) {
  std::string Out;
  for (char C : Token) {
    if (C == '~')
      Out += "~0";
    else if (C == '/')
      Out += "~1";
    else
      Out += C;
  }
  return Out;
}

void JsonLocator::skipWhitespace() {
  while (Pos < Text.size() && std::isspace(static_cast<unsigned char>(Text[Pos])))
    ++Pos;
}

void JsonLocator::scanValue(const std::string &Pointer) {
  Values.emplace(Pointer, Pos);
  if (Pos >= Text.size())
    return;
  switch (Text[Pos]) {
  case '{':
    scanObject(Pointer);
    return;
  case '[':
    scanArray(Pointer);
    return;
  case '"':
    scanString();
    return;
  default: // number, true, false, null
    while (Pos < Text.size() && !std::isspace(static_cast<unsigned char>(Text[Pos])) &&
           Text[Pos] != ',' && Text[Pos] != '}' && Text[Pos] != ']')
      ++Pos;
  }
}

// Steps over whitespace and commas to the next element of an object or
// array; at its end (Close, or the end of the text) steps past it and
// returns false.
bool JsonLocator::nextElement(char Close) {
  for (;;) {
    skipWhitespace();
    if (Pos >= Text.size() || Text[Pos] == Close) {
      ++Pos;
      return false;
    }
    if (Text[Pos] != ',')
      return true;
    ++Pos;
  }
}

void JsonLocator::scanObject(const std::string &Pointer) {
  ++Pos; // '{'
  std::map<std::string, std::size_t> Seen;
  while (nextElement('}')) {
    std::size_t KeyStart = Pos;
    std::string Key = scanString();
    std::string Member = Pointer + "/" + escapeToken(Key);
    auto [It, Inserted] = Seen.emplace(Key, KeyStart);
    if (!Inserted)
      Duplicates.push_back({Member, It->second, KeyStart});
    skipWhitespace();
    ++Pos; // ':'
    skipWhitespace();
    if (Inserted)
      Keys.emplace(Member, KeyStart);
    else
      Values.erase(Member); // the later value is the one nlohmann keeps
    scanValue(Member);
  }
}

void JsonLocator::scanArray(const std::string &Pointer) {
  ++Pos; // '['
  std::size_t Index = 0;
  while (nextElement(']'))
    scanValue(Pointer + "/" + std::to_string(Index++));
}

// Returns the raw (still escaped) contents; keys in our schemas are plain.
std::string JsonLocator::scanString() {
  std::string Out;
  ++Pos; // opening quote
  while (Pos < Text.size() && Text[Pos] != '"') {
    if (Text[Pos] == '\\' && Pos + 1 < Text.size())
      Out += Text[Pos++];
    Out += Text[Pos++];
  }
  ++Pos; // closing quote
  return Out;
}

Location JsonErrors::where(std::size_t Offset) const {
  TextPosition P = positionOf(Text, Offset);
  return {FileName, P.Line, P.Column};
}

void JsonErrors::at(std::size_t Offset, const std::string &Message) {
  Diags.error(where(Offset), Message);
  ++Count;
}

void JsonErrors::noteAt(std::size_t Offset, const std::string &Message) {
  Diags.note(where(Offset), Message);
}

llvm::ErrorOr<std::string> readTextFile(const std::string &Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return Buffer.getError();
  return (*Buffer)->getBuffer().str();
}

std::optional<nlohmann::json> parseJsonFile(const std::string &Text, JsonErrors &Errors) {
  nlohmann::json Doc;
  try {
    Doc = nlohmann::json::parse(Text);
  } catch (const nlohmann::json::parse_error &E) {
    // E.byte is 1-based and points just past the offending character.
    std::string What = E.what();
    auto Syntax = What.find("syntax error");
    Errors.at(E.byte > 0 ? E.byte - 1 : 0,
              "malformed JSON: " + (Syntax == std::string::npos ? What : What.substr(Syntax)));
    return std::nullopt;
  }
  JsonLocator Where(Text);
  for (const auto &Dup : Where.duplicateKeys())
    Errors.at(Dup.SecondOffset, "duplicate key '" +
                                    Dup.Pointer.substr(Dup.Pointer.rfind('/') + 1) +
                                    "' (first at line " +
                                    std::to_string(positionOf(Text, Dup.FirstOffset).Line) + ")");
  return Doc;
}

} // namespace evy
