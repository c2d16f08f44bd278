// A TLS echo server and 100 clients, all green in one OS thread, while one
// more green thread keeps leaving errors in its OpenSSL error queue (issue
// 10): with SSL_MODE_AUTO_RETRY on and off, every echo must come back
// whole and no SSL call may fail. Before error queues were per green
// thread, another fiber's leftovers turned healthy reads into failures.
#include "ssl_test_support.h"

#include <netinet/in.h>

#include <atomic>
#include <string>
#include <vector>

namespace evy::test {
namespace {

constexpr int kClients = 100;
constexpr int kMessages = 5;

class SslEchoTest : public RuntimeTest, public ::testing::WithParamInterface<bool> {};

// Failures seen by any fiber: SSL calls that failed, wrong echoes.
struct Tally {
  std::atomic<int> ssl_failures{0}, wrong_echoes{0}, echoes{0};
};

// wait_readable() is what a caller does on WANT_READ: poll, then retry.
bool wait_for(SSL *ssl, int result, Tally &tally) {
  const int error = SSL_get_error(ssl, result);
  if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
    pollfd pfd{SSL_get_fd(ssl), static_cast<short>(error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT),
               0};
    return evy::green::poll(&pfd, 1, 5000) == 1;
  }
  if (error != SSL_ERROR_ZERO_RETURN)
    tally.ssl_failures.fetch_add(1);
  return false;
}

// read_some() reads at least one byte, or returns <= 0 at the end.
int read_some(SSL *ssl, char *buffer, int size, Tally &tally) {
  for (;;) {
    const int n = evy::green::SSL_read(ssl, buffer, size);
    if (n > 0 || !wait_for(ssl, n, tally))
      return n;
  }
}

void serve(SSL_CTX *ctx, int fd, Tally &tally) {
  SSL *ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  if (evy::green::SSL_accept(ssl) == 1) {
    char buffer[512];
    for (int n; (n = read_some(ssl, buffer, sizeof buffer, tally)) > 0;)
      if (evy::green::SSL_write(ssl, buffer, n) != n)
        tally.ssl_failures.fetch_add(1);
    evy::green::SSL_shutdown(ssl);
  } else {
    tally.ssl_failures.fetch_add(1);
  }
  SSL_free(ssl);
  evy::green::close(fd);
}

void client(SSL_CTX *ctx, sockaddr_in address, int id, Tally &tally) {
  const int fd = evy::green::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_EQ(evy::green::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address), 0);
  SSL *ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  if (evy::green::SSL_connect(ssl) != 1)
    tally.ssl_failures.fetch_add(1);
  for (int m = 0; m < kMessages; ++m) {
    const std::string sent = "client " + std::to_string(id) + " message " + std::to_string(m) +
                             std::string(static_cast<std::size_t>(id % 7) * 40, '.');
    if (evy::green::SSL_write(ssl, sent.data(), static_cast<int>(sent.size())) !=
        static_cast<int>(sent.size()))
      tally.ssl_failures.fetch_add(1);
    std::string got;
    char buffer[512];
    while (got.size() < sent.size()) {
      const int n = read_some(ssl, buffer, sizeof buffer, tally);
      if (n <= 0)
        break;
      got.append(buffer, static_cast<std::size_t>(n));
    }
    (got == sent ? tally.echoes : tally.wrong_echoes).fetch_add(1);
  }
  evy::green::SSL_shutdown(ssl);
  SSL_free(ssl);
  evy::green::close(fd);
}

// leave_errors() fails a call and switches away with the error queued,
// over and over; its own queue must hold its errors every time it is back.
void leave_errors(const std::atomic<bool> &stop, std::atomic<int> &lost) {
  SSL_CTX *ctx = SSL_CTX_new(TLS_method());
  while (!stop.load()) {
    SSL_CTX_use_certificate_file(ctx, "/nonexistent", SSL_FILETYPE_PEM);
    evy::yield();
    evy::green::usleep(200);
    if (ERR_GET_LIB(ERR_peek_error()) != ERR_LIB_SYS)
      lost.fetch_add(1);
    ERR_clear_error();
  }
  SSL_CTX_free(ctx);
}

TEST_P(SslEchoTest, HundredClientsEchoWhileAFiberLeavesErrors) {
  const bool auto_retry = GetParam();
  TlsContexts contexts;
  ASSERT_TRUE(contexts.ok);
  for (SSL_CTX *ctx : {contexts.server, contexts.client})
    auto_retry ? SSL_CTX_set_mode(ctx, SSL_MODE_AUTO_RETRY)
               : SSL_CTX_clear_mode(ctx, SSL_MODE_AUTO_RETRY);
  const int listener = evy::green::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr *>(&address), size), 0);
  ASSERT_EQ(::listen(listener, kClients), 0);
  ASSERT_EQ(getsockname(listener, reinterpret_cast<sockaddr *>(&address), &size), 0);

  Tally tally;
  std::atomic<bool> stop{false};
  std::atomic<int> lost{0};
  GreenThread errors = evy::spawn([&] { leave_errors(stop, lost); });
  GreenThread server = evy::spawn([&] {
    std::vector<GreenThread> handlers;
    for (int i = 0; i < kClients; ++i) {
      const int fd = evy::green::accept(listener, nullptr, nullptr);
      ASSERT_GE(fd, 0);
      handlers.push_back(evy::spawn([&, fd] { serve(contexts.server, fd, tally); }));
    }
    for (GreenThread &handler : handlers)
      handler.join();
  });
  std::vector<GreenThread> clients;
  for (int i = 0; i < kClients; ++i)
    clients.push_back(evy::spawn([&, i] { client(contexts.client, address, i, tally); }));
  for (GreenThread &c : clients)
    c.join();
  server.join();
  stop = true;
  errors.join();
  evy::green::close(listener);

  EXPECT_EQ(tally.echoes.load(), kClients * kMessages);
  EXPECT_EQ(tally.wrong_echoes.load(), 0);
  EXPECT_EQ(tally.ssl_failures.load(), 0);
  EXPECT_EQ(lost.load(), 0) << "the erring fiber lost its own errors";
  EXPECT_EQ(ERR_peek_error(), 0u) << "another fiber's errors leaked into main's queue";
}

INSTANTIATE_TEST_SUITE_P(AutoRetry, SslEchoTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool> &info) {
                           return info.param ? "On" : "Off";
                         });

} // namespace
} // namespace evy::test
