#include "CompileCommands.h"
#include "TestSupport.h"

#include "clang/Tooling/CompilationDatabase.h"

#include <gtest/gtest.h>

namespace evy {
namespace {

class OpenCompilations : public TempDirTest {
protected:
  std::optional<OpenedCompilations> open(const CompilationRequest &Request) {
    return openCompilations(Request, Fixed, Diags);
  }
  clang::tooling::FixedCompilationDatabase Fixed{".", {"-std=c++20"}};
  Diagnostics Diags{Diagnostics::Keep};
};

TEST_F(OpenCompilations, ACommandAfterDashDashWinsOverADatabase) {
  write("compile_commands.json", "[]");
  std::string Source = write("a.cpp", "");
  CompilationRequest Request;
  Request.FixedCommand = true;
  Request.Sources = {Source};
  auto Opened = open(Request);
  ASSERT_TRUE(Opened);
  EXPECT_EQ(Opened->Database, &Fixed);
  EXPECT_FALSE(Opened->Loaded);
  EXPECT_EQ(Opened->Sources, std::vector<std::string>{Source});
}

TEST_F(OpenCompilations, BuildPathWithoutADatabaseIsAnError) {
  CompilationRequest Request;
  Request.BuildPath = path("build");
  std::filesystem::create_directories(Dir / "build");
  if (findDatabaseDirectory(path("build")))
    GTEST_SKIP() << "a compile_commands.json above the temporary directory";
  EXPECT_FALSE(open(Request));
  EXPECT_EQ(Diags.lines(), std::vector<std::string>{"evy-rewrite: error: " + path("build") +
                                                    ": no compile_commands.json here or in a "
                                                    "parent directory"});
}

TEST_F(OpenCompilations, BuildPathAloneRunsEveryListedFileAndNotesStaleOnes) {
  std::string A = write("src/a.cpp", ""), B = write("src/b.cpp", "");
  write("build/compile_commands.json",
        "[{\"directory\": \"..\", \"file\": \"src/b.cpp\", \"command\": \"c++ -c src/b.cpp\"},\n"
        " {\"directory\": \"..\", \"file\": \"src/a.cpp\", \"command\": \"c++ -c src/a.cpp\"},\n"
        " {\"directory\": \"gone\", \"file\": \"" + path("gone.cpp") +
            "\", \"command\": \"c++ -c gone.cpp\"}]");
  CompilationRequest Request;
  Request.BuildPath = path("build/sub/..");
  Request.ExtraArgs = {"-DEXTRA"};
  auto Opened = open(Request);
  ASSERT_TRUE(Opened) << ::testing::PrintToString(Diags.lines());
  EXPECT_EQ(Opened->Sources, (std::vector<std::string>{A, B}));
  ASSERT_TRUE(Opened->Database);
  // A relative "directory" is resolved against the database's directory.
  auto Commands = Opened->Database->getCompileCommands(A);
  ASSERT_EQ(Commands.size(), 1u);
  EXPECT_EQ(Commands[0].Directory, Dir.string());
  EXPECT_EQ(Commands[0].CommandLine.back(), "-DEXTRA");
  std::string Database = path("build/compile_commands.json");
  EXPECT_EQ(Diags.lines(),
            (std::vector<std::string>{
                Database + ":3:16: note: directory \"gone\" does not exist; its commands run in " +
                    path("build") + " instead",
                "evy-rewrite: note: " + Database + " lists " + path("gone.cpp") +
                    ", which does not exist; skipped"}));
}

TEST_F(OpenCompilations, TheFirstFilesDirectoryAndItsParentsAreSearched) {
  write("compile_commands.json", "[{\"directory\": \".\", \"file\": \"src/a.cpp\", "
                                 "\"command\": \"c++ -DFOUND -c src/a.cpp\"}]");
  std::string A = write("src/a.cpp", "");
  CompilationRequest Request;
  Request.Sources = {A};
  auto Opened = open(Request);
  ASSERT_TRUE(Opened);
  ASSERT_TRUE(Opened->Loaded);
  auto Commands = Opened->Database->getCompileCommands(A);
  ASSERT_EQ(Commands.size(), 1u);
  EXPECT_NE(std::find(Commands[0].CommandLine.begin(), Commands[0].CommandLine.end(), "-DFOUND"),
            Commands[0].CommandLine.end());
}

TEST_F(OpenCompilations, AMalformedDatabaseIsPlaced) {
  write("compile_commands.json", "[\n  {\"directory\": }]");
  CompilationRequest Request;
  Request.BuildPath = Dir.string();
  EXPECT_FALSE(open(Request));
  ASSERT_EQ(Diags.lines().size(), 1u);
  EXPECT_EQ(Diags.lines()[0].rfind(path("compile_commands.json") + ":2:17: error: malformed JSON", 0),
            0u)
      << Diags.lines()[0];
}

TEST_F(OpenCompilations, NoFilesAndNoDatabaseIsNothingToRun) {
  CompilationRequest Request;
  Request.FixedCommand = true;
  auto Opened = open(Request);
  ASSERT_TRUE(Opened);
  EXPECT_FALSE(Opened->Database);
  EXPECT_TRUE(Diags.lines().empty());
}

} // namespace
} // namespace evy
