#include "RuleSet.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace evy {
namespace {

std::vector<std::string> errorsFor(const std::string &Text) {
  Diagnostics Diags(Diagnostics::Keep);
  EXPECT_FALSE(RuleSet::parseFile("r.json", Text, Diags));
  return Diags.lines();
}

/// Loads Paths; the errors, formatted, in Errors.
std::optional<RuleSet> load(const std::vector<std::string> &Paths,
                            std::vector<std::string> &Errors) {
  Diagnostics Diags(Diagnostics::Keep);
  std::optional<RuleSet> Rules = RuleSet::load(Paths, Diags);
  Errors = Diags.lines();
  return Rules;
}

TEST(RuleSet, LoadsTheShippedRules) {
  std::vector<std::string> Errors;
  auto Rules = load({EVY_TEST_RULES_DIR}, Errors);
  ASSERT_TRUE(Rules) << (Errors.empty() ? "" : Errors.front());
  EXPECT_EQ(Rules->moduleNames(),
            (std::vector<std::string>{"offload_libc", "os", "psycopg", "select", "socket", "ssl",
                                      "thread", "time"}));
  ASSERT_TRUE(Rules->findFunction("recv"));
  EXPECT_EQ(Rules->findFunction("recv")->To, "evy::green::recv");
  EXPECT_EQ(Rules->findFunction("recv")->Module, "socket");
  ASSERT_TRUE(Rules->findType("std::mutex"));
  EXPECT_EQ(Rules->findType("std::mutex")->To, "evy::green::mutex");
  EXPECT_EQ(Rules->findFunction("std::this_thread::sleep_for")->Module, "time");
  EXPECT_EQ(Rules->withImplied({"socket"}), (std::set<std::string>{"socket", "ssl"}));
  EXPECT_EQ(Rules->resolveModuleName("threading"), "thread");
  EXPECT_EQ(Rules->resolveModuleName("queue"), "thread");
  EXPECT_FALSE(Rules->resolveModuleName("sockets"));
}

TEST(RuleSet, MalformedJsonNamesLineAndColumn) {
  auto Errors = errorsFor("{\n  \"module\": \"x\",\n  \"header\": }\n");
  ASSERT_EQ(Errors.size(), 1u);
  EXPECT_EQ(Errors[0].rfind("r.json:3:13: error: malformed JSON", 0), 0u) << Errors[0];
}

TEST(RuleSet, UnknownKeyIsPositioned) {
  auto Errors = errorsFor(R"({"module": "x", "header": "h.h",
 "functions": {"a": "b::a"}, "funtions": {}})");
  ASSERT_EQ(Errors.size(), 1u);
  EXPECT_EQ(Errors[0], "r.json:2:30: error: unknown key 'funtions'; expected one of: aliases, "
                       "blocking, description, functions, header, implies, module, offload, "
                       "opt_in, types");
}

TEST(RuleSet, WrongTypes) {
  auto Errors = errorsFor(R"({"module": 3, "header": "h.h", "functions": []})");
  ASSERT_EQ(Errors.size(), 2u);
  EXPECT_EQ(Errors[0], "r.json:1:12: error: 'module' must be a string, not number");
  EXPECT_NE(Errors[1].find("r.json:1:45: error: 'functions' must be an object"), std::string::npos)
      << Errors[1];
}

TEST(RuleSet, EmptyAndSelfMappings) {
  auto Errors = errorsFor(R"({"module": "x", "header": "h.h", "functions": {}, "types": {"a": "a"}})");
  ASSERT_EQ(Errors.size(), 2u);
  EXPECT_NE(Errors[0].find("'functions' has no mappings"), std::string::npos);
  EXPECT_NE(Errors[1].find("'a' is mapped to itself"), std::string::npos);
}

TEST(RuleSet, DuplicateKeyInOneFile) {
  auto Errors = errorsFor("{\"module\": \"x\", \"header\": \"h.h\", \"functions\": {\n"
                          "  \"recv\": \"g::recv\",\n  \"recv\": \"g::recv2\"}}");
  ASSERT_EQ(Errors.size(), 1u);
  EXPECT_EQ(Errors[0], "r.json:3:3: error: duplicate key 'recv' (first at line 2)");
}

TEST(RuleSet, MissingKeysAndBadNames) {
  auto Errors = errorsFor(R"({"functions": {"::recv": "g::recv", "send": "g::"}})");
  ASSERT_EQ(Errors.size(), 4u);
  EXPECT_NE(Errors[0].find("missing required key 'module'"), std::string::npos);
  EXPECT_NE(Errors[1].find("missing required key 'header'"), std::string::npos);
  EXPECT_NE(Errors[2].find("'::recv' is not a qualified C++ name"), std::string::npos);
  EXPECT_NE(Errors[3].find("replacement 'g::' for 'send'"), std::string::npos);
}

class RuleDir : public ::testing::Test {
protected:
  void SetUp() override {
    Dir = std::filesystem::temp_directory_path() /
          ("evy-rules-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(Dir);
  }
  void TearDown() override { std::filesystem::remove_all(Dir); }
  std::string write(const std::string &Name, const std::string &Text) {
    std::ofstream(Dir / Name) << Text;
    return (Dir / Name).string();
  }
  std::filesystem::path Dir;
};

TEST_F(RuleDir, UnknownImpliedModule) {
  std::string File = write("a.json", R"({"module": "a", "implies": ["nope"], "header": "a.h",
  "functions": {"f": "g::f"}})");
  std::vector<std::string> Errors;
  EXPECT_FALSE(load({Dir.string()}, Errors));
  ASSERT_EQ(Errors.size(), 1u);
  EXPECT_EQ(Errors[0], File + ":1:29: error: implied module 'nope' has no rule file");
}

TEST_F(RuleDir, SameNameMappedByTwoModules) {
  write("a.json", R"({"module": "a", "header": "a.h", "functions": {"f": "g::f"}})");
  std::string B = write("b.json", R"({"module": "b", "header": "b.h", "functions": {"f": "g::f2"}})");
  std::vector<std::string> Errors;
  EXPECT_FALSE(load({Dir.string()}, Errors));
  ASSERT_EQ(Errors.size(), 1u);
  EXPECT_EQ(Errors[0].rfind(B + ":1:48: error: 'f' is already mapped by module 'a'", 0), 0u)
      << Errors[0];
}

TEST_F(RuleDir, LaterFileOverridesModule) {
  std::vector<std::string> Errors;
  std::string Override = write("socket.json", R"({"module": "socket", "implies": ["ssl"],
  "header": "evy/patched/socket.h", "functions": {"recv": "my::recv"}})");
  auto Rules = load({EVY_TEST_RULES_DIR, Override}, Errors);
  ASSERT_TRUE(Rules) << (Errors.empty() ? "" : Errors.front());
  EXPECT_EQ(Rules->findFunction("recv")->To, "my::recv");
  EXPECT_FALSE(Rules->findFunction("send")); // the whole module was replaced
  EXPECT_TRUE(Rules->findFunction("SSL_read"));
}

TEST_F(RuleDir, MissingPathIsAnError) {
  std::vector<std::string> Errors;
  EXPECT_FALSE(load({(Dir / "nope.json").string()}, Errors));
  ASSERT_EQ(Errors.size(), 1u);
  EXPECT_NE(Errors[0].find("no such rule file or directory"), std::string::npos);
}

} // namespace
} // namespace evy
