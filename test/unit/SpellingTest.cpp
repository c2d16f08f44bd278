#include "Spelling.h"

#include <gtest/gtest.h>

namespace evy {
namespace {

TEST(Spelling, IdentifierCharacters) {
  for (char C : {'a', 'Z', '0', '_'})
    EXPECT_TRUE(isIdentifierChar(C)) << C;
  for (char C : {':', ' ', '(', '\xe9'})
    EXPECT_FALSE(isIdentifierChar(C)) << C;
}

struct TextAndName {
  const char *Text, *Name;
};

TEST(Spelling, SpellsNamePlainAndQualified) {
  for (auto [Text, Name] : {TextAndName{"recv", "recv"},
                            {"::recv", "recv"},
                            {"std::mutex", "mutex"},
                            {"std :: mutex", "mutex"},
                            {"::std::\n  mutex", "mutex"},
                            {"std::this_thread::sleep_for", "sleep_for"}})
    EXPECT_TRUE(spellsName(Text, Name)) << Text;
}

TEST(Spelling, SpellsNameRejectsOtherText) {
  for (auto [Text, Name] : {TextAndName{"", "recv"},
                            {"::", "recv"},
                            {"std::", "mutex"},
                            {"recvmsg", "recv"},
                            {"recv(", "recv"},
                            {"std::mutex::", "mutex"},
                            {"a:: ::mutex", "mutex"},
                            // A qualifier from a macro definition joined to
                            // the name at its use.
                            {"std\nNS::mutex", "mutex"},
                            {"std::mutex", "std::mutex"}, // Name is unqualified
                            {"RECV", "recv"}})
    EXPECT_FALSE(spellsName(Text, Name)) << Text;
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
  for (const char *Text : {"sleep(1); // evy: keep\n", "sleep(1); //evy:keep because\n",
                           "sleep(1); /* evy: keep */ x();\n", "a();\nsleep(1); // evy: keep",
                           "a();\r\nsleep(1); // evy: keep\r\nb();\r\n"})
    EXPECT_TRUE(keptAt(Text, "sleep")) << Text;
}

TEST(Spelling, LineNotKept) {
  for (const char *Text : {"sleep(1);\n", "sleep(1); // evy: keeper\n",
                           "sleep(1); // see evy: keep\n",
                           "puts(\"// evy: keep\"); sleep(1);\n",
                           // The comment must be on the reference's own line.
                           "// evy: keep\nsleep(1);\n", "sleep(1);\nx(); // evy: keep\n"})
    EXPECT_FALSE(keptAt(Text, "sleep")) << Text;
}

} // namespace
} // namespace evy
