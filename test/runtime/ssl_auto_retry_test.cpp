// Green SSL_* wait only where the original blocks in the socket, and
// SO_RCVTIMEO bounds that wait once. After TLS 1.3 session tickets, SSL_read
// with SSL_MODE_AUTO_RETRY cleared returns WANT_READ at once on a blocking
// socket; the caller then polls itself. Each scenario runs with the original
// calls on real threads and with the green calls on fibers of one OS thread;
// the outcomes must be the same.
#include "ssl_test_support.h"

#include <cerrno>
#include <chrono>
#include <string>
#include <vector>

namespace evy::test {
namespace {

using namespace std::chrono_literals;
using SslAutoRetryTest = RuntimeTest;

constexpr int kTimeoutMs = 150; // the client's SO_RCVTIMEO

// One SSL_read as the caller sees it: result, SSL_get_error, errno (when
// not done) and how long it took.
struct ReadStep {
  int result = 0, error = 0, error_number = 0;
  std::chrono::milliseconds took{0};
  std::string describe() const {
    return std::to_string(result) + "/" + std::to_string(error) + "/" +
           std::to_string(error_number);
  }
};

struct RetryOutcome {
  std::vector<std::string> steps;  // ReadStep::describe() of every call
  std::vector<int> polls;          // the caller's poll() results
  std::chrono::milliseconds idle{0}; // from the first read to the idle poll's end
  std::chrono::milliseconds longest_read{0};
  std::string echoed; // what a read got once the server wrote
};

template <class Api> ReadStep timed_read(SSL *ssl, char *buffer, int size) {
  ReadStep step;
  const auto start = std::chrono::steady_clock::now();
  errno = 0;
  step.result = Api::read(ssl, buffer, size);
  step.error_number = step.result > 0 ? 0 : errno;
  step.error = SSL_get_error(ssl, step.result);
  step.took = elapsed_since(start);
  return step;
}

// The client reads with no application data coming (only the tickets),
// polling itself on WANT_READ, until a read or a poll times out; then the
// server writes and the client must get the data.
template <class Api> RetryOutcome run_idle_read(const TlsContexts &contexts, bool auto_retry) {
  TlsPair pair = connect_pair<Api>(contexts);
  EXPECT_TRUE(pair.ok) << Api::name;
  RetryOutcome out;
  if (auto_retry)
    SSL_set_mode(pair.client, SSL_MODE_AUTO_RETRY);
  else
    SSL_clear_mode(pair.client, SSL_MODE_AUTO_RETRY);
  const timeval timeout{0, kTimeoutMs * 1000};
  EXPECT_EQ(Api::setsockopt(pair.fds[1], SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout), 0);
  Api::run({[&] {
    char buffer[16];
    const auto start = std::chrono::steady_clock::now();
    for (int round = 0; round < 8; ++round) {
      const ReadStep step = timed_read<Api>(pair.client, buffer, sizeof buffer);
      out.steps.push_back(step.describe());
      out.longest_read = std::max(out.longest_read, step.took);
      if (step.error != SSL_ERROR_WANT_READ || step.error_number == EAGAIN)
        break; // the socket's own timeout ended the read
      pollfd pfd{pair.fds[1], POLLIN, 0};
      out.polls.push_back(Api::poll(&pfd, 1, kTimeoutMs));
      if (out.polls.back() == 0)
        break;
    }
    out.idle = elapsed_since(start);
  }});
  Api::run({[&] { EXPECT_EQ(Api::write(pair.server, "ping", 4), 4); },
            [&] {
              char buffer[16];
              const ReadStep step = timed_read<Api>(pair.client, buffer, sizeof buffer);
              if (step.result > 0)
                out.echoed.assign(buffer, static_cast<std::size_t>(step.result));
            }});
  close_pair<Api>(pair);
  return out;
}

void expect_same(const RetryOutcome &original, const RetryOutcome &green) {
  EXPECT_EQ(green.steps, original.steps);
  EXPECT_EQ(green.polls, original.polls);
  EXPECT_EQ(original.echoed, "ping");
  EXPECT_EQ(green.echoed, "ping");
}

TEST_F(SslAutoRetryTest, ClearedAutoRetryReturnsWantReadAtOnceAfterTickets) {
  TlsContexts contexts;
  ASSERT_TRUE(contexts.ok);
  const RetryOutcome original = run_idle_read<PlainApi>(contexts, /*auto_retry=*/false);
  const RetryOutcome green = run_idle_read<GreenApi>(contexts, /*auto_retry=*/false);
  // The tickets make the first read return WANT_READ with errno 0 (no
  // socket call would block); the caller's own poll then times out.
  ASSERT_FALSE(original.steps.empty());
  EXPECT_EQ(original.steps.front(), "-1/2/0");
  ASSERT_FALSE(original.polls.empty());
  EXPECT_EQ(original.polls.back(), 0);
  expect_same(original, green);
  // One SO_RCVTIMEO's worth of waiting in all, not one per layer.
  const auto timeout = std::chrono::milliseconds(kTimeoutMs);
  EXPECT_GE(green.idle, timeout);
  EXPECT_LT(green.idle, timeout * 18 / 10) << "the green SSL_read waited itself";
  EXPECT_LT(green.longest_read, timeout / 2) << "the green SSL_read waited itself";
}

TEST_F(SslAutoRetryTest, AutoRetryReadWaitsOnceForItsSoRcvtimeo) {
  TlsContexts contexts;
  ASSERT_TRUE(contexts.ok);
  const RetryOutcome original = run_idle_read<PlainApi>(contexts, /*auto_retry=*/true);
  const RetryOutcome green = run_idle_read<GreenApi>(contexts, /*auto_retry=*/true);
  // The read goes past the tickets and blocks in the socket until
  // SO_RCVTIMEO: WANT_READ with errno EAGAIN, the caller does not poll.
  ASSERT_EQ(original.steps.size(), 1u);
  EXPECT_EQ(original.steps.front(), "-1/2/" + std::to_string(EAGAIN));
  expect_same(original, green);
  const auto timeout = std::chrono::milliseconds(kTimeoutMs);
  EXPECT_GE(green.longest_read, timeout);
  EXPECT_LT(green.longest_read, timeout * 18 / 10);
}

// SSL_write on a blocking socket whose buffer is full: the write blocks
// until SO_SNDTIMEO, once, and reports WANT_WRITE with errno EAGAIN.
template <class Api> ReadStep run_full_write(const TlsContexts &contexts) {
  TlsPair pair = connect_pair<Api>(contexts);
  EXPECT_TRUE(pair.ok) << Api::name;
  const timeval timeout{0, kTimeoutMs * 1000};
  EXPECT_EQ(Api::setsockopt(pair.fds[1], SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout), 0);
  const std::string filler(4096, 'f'); // raw bytes: the peer never reads them
  while (Api::send(pair.fds[1], filler.data(), filler.size(), MSG_DONTWAIT) > 0) {
  }
  ReadStep step;
  Api::run({[&] {
    const auto start = std::chrono::steady_clock::now();
    errno = 0;
    step.result = Api::write(pair.client, "late", 4);
    step.error_number = errno;
    step.error = SSL_get_error(pair.client, step.result);
    step.took = elapsed_since(start);
  }});
  close_pair<Api>(pair);
  return step;
}

TEST_F(SslAutoRetryTest, WriteToAFullSocketWaitsOnceForItsSoSndtimeo) {
  TlsContexts contexts;
  ASSERT_TRUE(contexts.ok);
  const ReadStep original = run_full_write<PlainApi>(contexts);
  const ReadStep green = run_full_write<GreenApi>(contexts);
  EXPECT_EQ(original.describe(), "-1/3/" + std::to_string(EAGAIN));
  EXPECT_EQ(green.describe(), original.describe());
  const auto timeout = std::chrono::milliseconds(kTimeoutMs);
  EXPECT_GE(green.took, timeout);
  EXPECT_LT(green.took, timeout * 18 / 10);
}

} // namespace
} // namespace evy::test
