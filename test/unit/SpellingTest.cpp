#include "Spelling.h"

#include <gtest/gtest.h>

namespace evy {
namespace {

TEST(Spelling, IdentifierCharacters) {
  EXPECT_TRUE(isIdentifierChar('a'));
  EXPECT_TRUE(isIdentifierChar('Z'));
  EXPECT_TRUE(isIdentifierChar('0'));
  EXPECT_TRUE(isIdentifierChar('_'));
  EXPECT_FALSE(isIdentifierChar(':'));
  EXPECT_FALSE(isIdentifierChar(' '));
  EXPECT_FALSE(isIdentifierChar('\xe9'));
}

TEST(Spelling, SpellsNamePlainAndQualified) {
  EXPECT_TRUE(spellsName("recv", "recv"));
  EXPECT_TRUE(spellsName("::recv", "recv"));
  EXPECT_TRUE(spellsName("std::mutex", "mutex"));
  EXPECT_TRUE(spellsName("std :: mutex", "mutex"));
  EXPECT_TRUE(spellsName("::std::\n  mutex", "mutex"));
  EXPECT_TRUE(spellsName("std::this_thread::sleep_for", "sleep_for"));
}

TEST(Spelling, SpellsNameRejectsOtherText) {
  EXPECT_FALSE(spellsName("", "recv"));
  EXPECT_FALSE(spellsName("::", "recv"));
  EXPECT_FALSE(spellsName("std::", "mutex"));
  EXPECT_FALSE(spellsName("recvmsg", "recv"));
  EXPECT_FALSE(spellsName("recv(", "recv"));
  EXPECT_FALSE(spellsName("std::mutex::", "mutex"));
  EXPECT_FALSE(spellsName("a:: ::mutex", "mutex"));
  // A qualifier from a macro definition joined to the name at its use.
  EXPECT_FALSE(spellsName("std\nNS::mutex", "mutex"));
  EXPECT_FALSE(spellsName("std::mutex", "std::mutex")); // Name is unqualified
  EXPECT_FALSE(spellsName("RECV", "recv"));
}

TEST(Spelling, Unqualified) {
  EXPECT_EQ(unqualified("recv"), "recv");
  EXPECT_EQ(unqualified("std::mutex"), "mutex");
  EXPECT_EQ(unqualified("std::this_thread::sleep_for"), "sleep_for");
}

unsigned qualifierOf(llvm::StringRef Text, llvm::StringRef Name) {
  return backOverQualifier(Text, static_cast<unsigned>(Text.rfind(Name)));
}

TEST(Spelling, BackOverQualifier) {
  EXPECT_EQ(qualifierOf("auto t = thread(f);", "thread"), 9u);
  EXPECT_EQ(qualifierOf("auto t = std::thread(f);", "thread"), 9u);
  EXPECT_EQ(qualifierOf("auto t = ::std::thread(f);", "thread"), 9u);
  EXPECT_EQ(qualifierOf("auto t = ::thread(f);", "thread"), 9u);
  EXPECT_EQ(qualifierOf("auto t = a :: b ::\n thread(f);", "thread"), 9u);
  EXPECT_EQ(qualifierOf("std::thread", "thread"), 0u);
  EXPECT_EQ(qualifierOf("::thread", "thread"), 0u);
  EXPECT_EQ(qualifierOf("(x)::thread", "thread"), 3u);
}

bool keptAt(llvm::StringRef Text, llvm::StringRef Where) {
  return isLineKept(Text, static_cast<unsigned>(Text.find(Where)), clang::LangOptions());
}

TEST(Spelling, LineKeptByAComment) {
  EXPECT_TRUE(keptAt("sleep(1); // evy: keep\n", "sleep"));
  EXPECT_TRUE(keptAt("sleep(1); //evy:keep because\n", "sleep"));
  EXPECT_TRUE(keptAt("sleep(1); /* evy: keep */ x();\n", "sleep"));
  EXPECT_TRUE(keptAt("a();\nsleep(1); // evy: keep", "sleep"));
  EXPECT_TRUE(keptAt("a();\r\nsleep(1); // evy: keep\r\nb();\r\n", "sleep"));
}

TEST(Spelling, LineNotKept) {
  EXPECT_FALSE(keptAt("sleep(1);\n", "sleep"));
  EXPECT_FALSE(keptAt("sleep(1); // evy: keeper\n", "sleep"));
  EXPECT_FALSE(keptAt("sleep(1); // see evy: keep\n", "sleep"));
  EXPECT_FALSE(keptAt("puts(\"// evy: keep\"); sleep(1);\n", "sleep"));
  // The comment must be on the reference's own line.
  EXPECT_FALSE(keptAt("// evy: keep\nsleep(1);\n", "sleep"));
  EXPECT_FALSE(keptAt("sleep(1);\nx(); // evy: keep\n", "sleep"));
}

} // namespace
} // namespace evy
