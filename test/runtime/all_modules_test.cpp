// is_monkey_patched() with every patched header linked in (signature_test.cpp
// includes them all into this binary).
#include <evy/monkey_patch.h>

#include <gtest/gtest.h>

namespace {

TEST(AllModulesTest, EveryModuleAndMemberNameAnswers) {
  for (const char *module :
       {"os", "select", "socket", "ssl", "thread", "threading", "queue", "time", "psycopg"})
    EXPECT_TRUE(evy::is_monkey_patched(module)) << module;
  EXPECT_FALSE(evy::is_monkey_patched("subprocess"));
}

} // namespace
