#include "Diagnostics.h"

#include <gtest/gtest.h>

#include <thread>

namespace evy {
namespace {

TEST(Diagnostics, APlaceInAFileReadsLikeACompilersMessage) {
  EXPECT_EQ(formatDiagnostic({Severity::Error, Location{"a.json", 3, 7}, "bad"}),
            "a.json:3:7: error: bad");
  EXPECT_EQ(formatDiagnostic({Severity::Warning, Location{"x.cpp", 1, 1}, "w [evy-c]"}),
            "x.cpp:1:1: warning: w [evy-c]");
  EXPECT_EQ(formatDiagnostic({Severity::Note, Location{"db.json", 2, 5}, "n"}),
            "db.json:2:5: note: n");
}

TEST(Diagnostics, AFileWithoutALineIsNamedAlone) {
  EXPECT_EQ(formatDiagnostic({Severity::Error, Location{"rules"}, "no rule files"}),
            "rules: error: no rule files");
  EXPECT_EQ(formatLocation({"f.json", 0, 0}), "f.json");
  EXPECT_EQ(formatLocation({"f.json", 4, 2}), "f.json:4:2");
}

TEST(Diagnostics, AMessageAboutTheRunNamesTheTool) {
  EXPECT_EQ(formatDiagnostic({Severity::Error, std::nullopt, "no input files"}),
            "evy-rewrite: error: no input files");
  EXPECT_EQ(formatDiagnostic({Severity::Note, std::nullopt, "ignored"}), "evy-rewrite: note: ignored");
}

TEST(Diagnostics, PrintsEachMessageAsItArrivesAndCountsErrors) {
  std::string Text;
  llvm::raw_string_ostream Out(Text);
  Diagnostics Diags(Out);
  Diags.note("first");
  Diags.error(Location{"f", 1, 2}, "second");
  Diags.verbatim("clang's own line\n");
  Diags.warning(Location{"g", 3, 4}, "third");
  Out.flush();
  EXPECT_EQ(Text, "evy-rewrite: note: first\nf:1:2: error: second\nclang's own line\n"
                  "g:3:4: warning: third\n");
  EXPECT_EQ(Diags.errorCount(), 1u);
  EXPECT_TRUE(Diags.lines().empty()); // printed, not kept
}

TEST(Diagnostics, KeptMessagesReplayInOrder) {
  Diagnostics Kept(Diagnostics::Keep);
  Kept.error(Location{"c.json", 1, 1}, "bad");
  Kept.verbatim("text\n");
  Kept.note("after");
  EXPECT_EQ(Kept.lines(), (std::vector<std::string>{"c.json:1:1: error: bad", "text\n",
                                                    "evy-rewrite: note: after"}));
  std::string Text;
  llvm::raw_string_ostream Out(Text);
  Diagnostics Printed(Out);
  Kept.replayInto(Printed);
  Out.flush();
  EXPECT_EQ(Text, "c.json:1:1: error: bad\ntext\nevy-rewrite: note: after\n");
  EXPECT_EQ(Printed.errorCount(), 1u);
  EXPECT_TRUE(Kept.lines().empty());
}

TEST(Diagnostics, ThreadsMayReportTogether) {
  Diagnostics Kept(Diagnostics::Keep);
  std::vector<std::thread> Threads;
  for (int T = 0; T < 4; ++T)
    Threads.emplace_back([&] {
      for (int I = 0; I < 100; ++I)
        Kept.error("e");
    });
  for (std::thread &T : Threads)
    T.join();
  EXPECT_EQ(Kept.errorCount(), 400u);
  EXPECT_EQ(Kept.lines().size(), 400u);
}

} // namespace
} // namespace evy
