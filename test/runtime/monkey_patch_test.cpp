// is_monkey_patched() in a program whose only green TU uses socket: this
// binary links nothing else that includes a patched header.
#include <evy/evy.h>
#include <evy/patched/socket.h>

#include <gtest/gtest.h>

namespace {

TEST(MonkeyPatchTest, SocketAndTheSslItImpliesAreReported) {
  EXPECT_TRUE(evy::is_monkey_patched("socket"));
  EXPECT_TRUE(evy::is_monkey_patched("ssl"));
}

TEST(MonkeyPatchTest, ModulesNoTranslationUnitIncludesAreNot) {
  for (const char *module :
       {"os", "select", "thread", "threading", "queue", "time", "psycopg", "MySQLdb", "", "Socket"})
    EXPECT_FALSE(evy::is_monkey_patched(module)) << module;
}

} // namespace
