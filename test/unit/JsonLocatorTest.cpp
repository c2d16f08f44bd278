#include "JsonLocator.h"

#include <gtest/gtest.h>

namespace evy {
namespace {

TEST(JsonLocator, PositionsAreOneBasedLinesAndColumns) {
  const std::string Text = "{\n  \"a\": 1\n}";
  TextPosition P = positionOf(Text, Text.find("1"));
  EXPECT_EQ(P.Line, 2u);
  EXPECT_EQ(P.Column, 8u);
  EXPECT_EQ(positionOf(Text, 0).Line, 1u);
  EXPECT_EQ(positionOf(Text, 0).Column, 1u);
  EXPECT_EQ(positionOf(Text, 1000).Line, 3u); // past the end: the last position
}

TEST(JsonLocator, FindsValuesAndKeysByPointer) {
  const std::string Text = R"({"functions": {"recv": "g::recv", "a/b": [1, {"x": true}]}})";
  JsonLocator Where(Text);
  EXPECT_EQ(Where.valueOffset(""), 0u);
  EXPECT_EQ(Where.valueOffset("/functions/recv"), Text.find("\"g::recv\""));
  EXPECT_EQ(Where.keyOffset("/functions/recv"), Text.find("\"recv\""));
  EXPECT_EQ(Where.valueOffset("/functions/a~1b/1/x"), Text.find("true"));
  EXPECT_EQ(Where.valueOffset("/functions/a~1b/0"), Text.find("1,"));
  // Unknown pointers fall back to the document start.
  EXPECT_EQ(Where.valueOffset("/nope"), 0u);
  EXPECT_EQ(Where.keyOffset("/nope"), 0u);
}

TEST(JsonLocator, EscapesPointerTokens) {
  EXPECT_EQ(JsonLocator::escapeToken("a/b~c"), "a~1b~0c");
}

TEST(JsonLocator, ARepeatedKeyPointsAtTheValueKept) {
  const std::string Text = "{\"k\": 1,\n \"k\": 2}";
  JsonLocator Where(Text);
  ASSERT_EQ(Where.duplicateKeys().size(), 1u);
  EXPECT_EQ(Where.duplicateKeys()[0].Pointer, "/k");
  EXPECT_EQ(Where.duplicateKeys()[0].FirstOffset, 1u);
  EXPECT_EQ(Where.duplicateKeys()[0].SecondOffset, Text.rfind("\"k\""));
  EXPECT_EQ(Where.valueOffset("/k"), Text.find("2")); // nlohmann keeps the later value
}

TEST(JsonLocator, ParseErrorsAndDuplicatesArePlaced) {
  Diagnostics Diags(Diagnostics::Keep);
  const std::string Bad = "{\n  \"a\": }";
  JsonErrors Err("f.json", Bad, Diags);
  EXPECT_FALSE(parseJsonFile(Bad, Err));
  EXPECT_EQ(Err.count(), 1u);
  const std::string Dup = "{\"k\": 1,\n \"k\": 2}";
  JsonErrors DupErr("g.json", Dup, Diags);
  EXPECT_TRUE(parseJsonFile(Dup, DupErr));
  ASSERT_EQ(Diags.lines().size(), 2u);
  EXPECT_EQ(Diags.lines()[0].rfind("f.json:2:8: error: malformed JSON: syntax error", 0), 0u)
      << Diags.lines()[0];
  EXPECT_EQ(Diags.lines()[1], "g.json:2:2: error: duplicate key 'k' (first at line 1)");
}

TEST(JsonLocator, NotesAndPlacesGoThroughTheSameFile) {
  Diagnostics Diags(Diagnostics::Keep);
  const std::string Text = "[\n {}]";
  JsonErrors Err("db.json", Text, Diags);
  Err.noteAt(3, "a note");
  EXPECT_EQ(Err.count(), 0u); // notes are not errors
  EXPECT_EQ(formatLocation(Err.where(3)), "db.json:2:2");
  EXPECT_EQ(Diags.lines(), std::vector<std::string>{"db.json:2:2: note: a note"});
}

TEST(JsonLocator, ReadingADirectorySaysWhy) {
  llvm::ErrorOr<std::string> Text = readTextFile("/");
  ASSERT_FALSE(Text);
  EXPECT_EQ(Text.getError(), std::errc::is_a_directory);
  EXPECT_FALSE(readTextFile("/nonexistent/evy"));
}

} // namespace
} // namespace evy
