#include "FileEdits.h"

#include <gtest/gtest.h>

namespace evy {
namespace {

const Mapping Recv{"recv", "evy::green::recv", "socket", false};
const Mapping Other{"recv", "other::recv", "socket", false};

class FileEdits : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    Diagnostics Diags(Diagnostics::Keep);
    Rules = new RuleSet(*RuleSet::load({EVY_TEST_RULES_DIR}, Diags));
  }
  static void TearDownTestSuite() { delete Rules; }
  static RuleSet *Rules;
  const std::string Code = "#include <sys/socket.h>\nint f(int s){char b;return recv(s,&b,1,0);}\n";
  unsigned RecvOffset = static_cast<unsigned>(Code.find("recv("));
  Reference at(const Mapping &M, unsigned Offset, unsigned Length = 4) {
    return {"/x.cpp", Offset, Length, 2, Offset - 24 + 1, &M, false};
  }
};
RuleSet *FileEdits::Rules = nullptr;

TEST_F(FileEdits, DuplicatesFromManyUnitsMergeIntoOneEdit) {
  std::vector<std::string> Errors;
  FilePlan Plan = buildFilePlan("/x.cpp", Code, {at(Recv, RecvOffset), at(Recv, RecvOffset)}, {}, {},
                                {{"socket"}, ChoiceOrigin::PatchOption}, *Rules, Errors);
  EXPECT_TRUE(Errors.empty());
  ASSERT_EQ(Plan.Rewrites.size(), 1u);
  EXPECT_EQ(Plan.AddedIncludes, std::vector<std::string>{"evy/patched/socket.h"});
  EXPECT_NE(Plan.Rewritten.find("return evy::green::recv(s,&b,1,0);"), std::string::npos);
  EXPECT_NE(Plan.Rewritten.find("#include <evy/patched/socket.h>\n#include <sys/socket.h>"),
            std::string::npos)
      << Plan.Rewritten;
}

TEST_F(FileEdits, OverlappingDifferentEditsAreAnErrorNamingBothSites) {
  std::vector<std::string> Errors;
  buildFilePlan("/x.cpp", Code, {at(Recv, RecvOffset), at(Other, RecvOffset)}, {}, {},
                {{"socket"}, ChoiceOrigin::PatchOption}, *Rules, Errors);
  ASSERT_EQ(Errors.size(), 1u);
  EXPECT_NE(Errors[0].find("/x.cpp:2:"), std::string::npos) << Errors[0];
  EXPECT_NE(Errors[0].find("conflicting edits: 'other::recv' here overlaps 'evy::green::recv'"),
            std::string::npos)
      << Errors[0];
}

TEST_F(FileEdits, ModulesNotChosenAndKeptLinesStayBlocking) {
  std::vector<std::string> Errors;
  Reference Kept = at(Recv, RecvOffset);
  Kept.Kept = true;
  FilePlan NotChosen = buildFilePlan("/x.cpp", Code, {at(Recv, RecvOffset)}, {}, {}, {{"time"}, ChoiceOrigin::PatchOption},
                                     *Rules, Errors);
  EXPECT_FALSE(NotChosen.changed());
  EXPECT_EQ(NotChosen.NotPatched.size(), 1u);
  FilePlan KeptPlan =
      buildFilePlan("/x.cpp", Code, {Kept}, {}, {}, {{"socket"}, ChoiceOrigin::PatchOption}, *Rules, Errors);
  EXPECT_FALSE(KeptPlan.changed());
  EXPECT_EQ(KeptPlan.Kept.size(), 1u);
  EXPECT_TRUE(Errors.empty());
}

TEST_F(FileEdits, ARewriteOfASpellingAnotherUnitNeedsKeptIsAnErrorNamingBoth) {
  std::vector<std::string> Errors;
  Reference Ref = at(Recv, RecvOffset);
  Ref.Unit = "/a.cpp";
  Pin Kept{"/x.cpp", RecvOffset, 4, 2, 21, "names 'mine::recv'", "/b.cpp"};
  FilePlan Plan =
      buildFilePlan("/x.cpp", Code, {Ref}, {}, {Kept}, {{"socket"}, ChoiceOrigin::PatchOption}, *Rules, Errors);
  ASSERT_EQ(Errors.size(), 1u);
  EXPECT_NE(Errors[0].find("/x.cpp:2:"), std::string::npos) << Errors[0];
  EXPECT_NE(Errors[0].find("'recv' becomes 'evy::green::recv' for /a.cpp, but in /b.cpp it "
                           "names 'mine::recv' (2:21)"),
            std::string::npos)
      << Errors[0];
  EXPECT_FALSE(Plan.changed());
}

TEST_F(FileEdits, AnEditGluedToAnIdentifierGetsASpace) {
  std::vector<std::string> Errors;
  const std::string Glued = "#include <sys/socket.h>\nint f(int s){char b;return::recv(s,&b,1,0);}\n";
  const unsigned Offset = static_cast<unsigned>(Glued.find("::recv("));
  FilePlan Plan = buildFilePlan("/x.cpp", Glued, {at(Recv, Offset, 6)}, {}, {},
                                {{"socket"}, ChoiceOrigin::PatchOption}, *Rules, Errors);
  EXPECT_TRUE(Errors.empty());
  EXPECT_NE(Plan.Rewritten.find("return evy::green::recv(s,&b,1,0);"), std::string::npos)
      << Plan.Rewritten;
}

TEST_F(FileEdits, AQuotedPatchedIncludeIsNotAddedAgain) {
  std::vector<std::string> Errors;
  const std::string Quoted = "#include \"evy/patched/socket.h\"\n" + Code;
  const unsigned Offset = static_cast<unsigned>(Quoted.find("recv("));
  FilePlan Plan = buildFilePlan("/x.cpp", Quoted, {at(Recv, Offset)}, {}, {},
                                {{"socket"}, ChoiceOrigin::PatchOption}, *Rules, Errors);
  EXPECT_TRUE(Plan.AddedIncludes.empty());
  EXPECT_EQ(Plan.Rewritten.find("<evy/patched/socket.h>"), std::string::npos) << Plan.Rewritten;
}

TEST_F(FileEdits, AnIncludeInACrLfFileEndsWithCrLf) {
  std::vector<std::string> Errors;
  const std::string CrLf = "#include <sys/socket.h>\r\nint f(int s){char b;return recv(s,&b,1,0);}\r\n";
  const unsigned Offset = static_cast<unsigned>(CrLf.find("recv("));
  FilePlan Plan = buildFilePlan("/x.cpp", CrLf, {at(Recv, Offset)}, {}, {},
                                {{"socket"}, ChoiceOrigin::PatchOption}, *Rules, Errors);
  EXPECT_EQ(Plan.Rewritten.find("#include <evy/patched/socket.h>\r\n#include <sys/socket.h>\r\n"),
            0u)
      << Plan.Rewritten;
}

} // namespace
} // namespace evy
