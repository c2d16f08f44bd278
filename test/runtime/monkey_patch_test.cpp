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

#ifdef EVY_SSL_ERROR_QUEUE_PER_FIBER
namespace {
// socket.h includes ssl.h; this binary does not link libcrypto, so it links
// only because the error-queue hook references OpenSSL weakly, and no hook
// is installed.
TEST(MonkeyPatchTest, SocketWithoutLibcryptoLinksAndInstallsNoSslHook) {
  EXPECT_FALSE(evy::detail::install_ssl_error_queue_hook());
  evy::spawn([] { evy::yield(); }).join(); // switches with no hook
}
} // namespace
#endif
