// Green OpenSSL: a TLS handshake and echo between two fibers of one OS
// thread (impossible if any SSL call blocked the thread).
#include "green_socket_pair.h"
#include "runtime_test.h"

#include <evy/patched/socket.h>
#include <evy/patched/ssl.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

namespace evy::test {
namespace {

using namespace std::chrono_literals;
using SslTest = RuntimeTest;

// A throw-away self-signed certificate, made in memory.
struct Identity {
  EVP_PKEY *key = nullptr;
  X509 *certificate = nullptr;
  Identity() {
    key = EVP_EC_gen("P-256");
    certificate = X509_new();
    ASN1_INTEGER_set(X509_get_serialNumber(certificate), 1);
    X509_gmtime_adj(X509_getm_notBefore(certificate), 0);
    X509_gmtime_adj(X509_getm_notAfter(certificate), 3600);
    X509_set_pubkey(certificate, key);
    X509_NAME *name = X509_get_subject_name(certificate);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char *>("evy-test"), -1, -1, 0);
    X509_set_issuer_name(certificate, name);
    X509_sign(certificate, key, EVP_sha256());
  }
  ~Identity() {
    X509_free(certificate);
    EVP_PKEY_free(key);
  }
};

struct Contexts {
  SSL_CTX *server = SSL_CTX_new(TLS_server_method());
  SSL_CTX *client = SSL_CTX_new(TLS_client_method());
  explicit Contexts(const Identity &identity) {
    SSL_CTX_use_certificate(server, identity.certificate);
    SSL_CTX_use_PrivateKey(server, identity.key);
    SSL_CTX_set_verify(client, SSL_VERIFY_NONE, nullptr);
  }
  ~Contexts() {
    SSL_CTX_free(server);
    SSL_CTX_free(client);
  }
};

TEST_F(SslTest, HandshakeAndEchoBetweenFibersOfOneThread) {
  Identity identity;
  ASSERT_NE(identity.key, nullptr);
  Contexts contexts(identity);
  GreenSocketPair pair;
  ASSERT_EQ(pair.made, 0);
  Ticker ticker;
  std::string server_got, client_got;
  GreenThread server = evy::spawn([&] {
    SSL *ssl = SSL_new(contexts.server);
    SSL_set_fd(ssl, pair.sv[0]);
    ASSERT_EQ(evy::green::SSL_accept(ssl), 1) << ERR_error_string(ERR_get_error(), nullptr);
    char buffer[64];
    const int n = evy::green::SSL_read(ssl, buffer, sizeof buffer);
    ASSERT_GT(n, 0);
    server_got.assign(buffer, static_cast<std::size_t>(n));
    size_t written = 0;
    EXPECT_EQ(evy::green::SSL_write_ex(ssl, buffer, static_cast<size_t>(n), &written), 1);
    EXPECT_EQ(written, static_cast<size_t>(n));
    EXPECT_GE(evy::green::SSL_shutdown(ssl), 0);
    SSL_free(ssl);
  });
  GreenThread client = evy::spawn([&] {
    SSL *ssl = SSL_new(contexts.client);
    SSL_set_fd(ssl, pair.sv[1]);
    ASSERT_EQ(evy::green::SSL_connect(ssl), 1) << ERR_error_string(ERR_get_error(), nullptr);
    EXPECT_EQ(evy::green::SSL_write(ssl, "hello tls", 9), 9);
    char buffer[64];
    size_t got = 0;
    EXPECT_EQ(evy::green::SSL_peek_ex(ssl, buffer, sizeof buffer, &got), 1);
    EXPECT_EQ(evy::green::SSL_read_ex(ssl, buffer, sizeof buffer, &got), 1);
    client_got.assign(buffer, got);
    SSL_free(ssl);
  });
  server.join();
  client.join();
  EXPECT_EQ(server_got, "hello tls");
  EXPECT_EQ(client_got, "hello tls");
  EXPECT_GT(ticker.stop(), 0);
}

TEST_F(SslTest, CallerNonblockingSocketGetsWantReadAtOnce) {
  Identity identity;
  Contexts contexts(identity);
  GreenSocketPair pair(SOCK_STREAM | SOCK_NONBLOCK);
  ASSERT_EQ(pair.made, 0);
  SSL *ssl = SSL_new(contexts.client);
  SSL_set_fd(ssl, pair.sv[1]);
  const int result = evy::green::SSL_connect(ssl); // nobody answers
  EXPECT_EQ(result, -1);
  EXPECT_EQ(SSL_get_error(ssl, result), SSL_ERROR_WANT_READ);
  SSL_free(ssl);
}

TEST_F(SslTest, SoRcvtimeoEndsTheWaitWithWantRead) {
  Identity identity;
  Contexts contexts(identity);
  GreenSocketPair pair;
  ASSERT_EQ(pair.made, 0);
  const timeval timeout{0, 30000};
  ASSERT_EQ(evy::green::setsockopt(pair.sv[1], SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout),
            0);
  SSL *ssl = SSL_new(contexts.client);
  SSL_set_fd(ssl, pair.sv[1]);
  const auto start = std::chrono::steady_clock::now();
  const int result = evy::green::SSL_connect(ssl);
  EXPECT_EQ(result, -1);
  EXPECT_EQ(SSL_get_error(ssl, result), SSL_ERROR_WANT_READ);
  EXPECT_GE(elapsed_since(start), 30ms);
  SSL_free(ssl);
}

} // namespace
} // namespace evy::test
