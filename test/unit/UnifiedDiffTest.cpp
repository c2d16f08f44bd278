#include "UnifiedDiff.h"

#include <gtest/gtest.h>

namespace evy {
namespace {

TEST(UnifiedDiff, SameTextIsEmpty) { EXPECT_EQ(unifiedDiff("a\nb\n", "a\nb\n", "x", "y"), ""); }

TEST(UnifiedDiff, OneChangedLineWithContext) {
  std::string Before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
  std::string After = "1\n2\n3\n4\nFIVE\n6\n7\n8\n9\n";
  EXPECT_EQ(unifiedDiff(Before, After, "a/f", "b/f"),
            "--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+FIVE\n 6\n 7\n 8\n");
}

TEST(UnifiedDiff, InsertionAtTopAndFarApartChangesMakeTwoHunks) {
  std::string Before, After = "new\n";
  for (int I = 1; I <= 20; ++I) {
    Before += std::to_string(I) + "\n";
    After += (I == 18 ? std::string("x") : std::to_string(I)) + "\n";
  }
  std::string D = unifiedDiff(Before, After, "a", "b");
  EXPECT_EQ(D.rfind("--- a\n+++ b\n@@ -1,3 +1,4 @@\n+new\n 1\n 2\n 3\n", 0), 0u) << D;
  EXPECT_NE(D.find("@@ -15,6 +16,6 @@\n 15\n 16\n 17\n-18\n+x\n 19\n 20\n"), std::string::npos) << D;
}

TEST(UnifiedDiff, MissingNewlineAtEnd) {
  EXPECT_EQ(unifiedDiff("a", "b", "x", "y"),
            "--- x\n+++ y\n@@ -1,1 +1,1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline "
            "at end of file\n");
}

} // namespace
} // namespace evy
