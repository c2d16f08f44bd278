// Each green thread has its own OpenSSL error queue, as each OS thread does.
// The scenario runs on two real threads with the original calls and on
// fibers of one OS thread with the green ones; the outcomes must be the
// same.
#include "ssl_test_support.h"

#include <atomic>
#include <string>
#include <vector>

namespace evy::test {
namespace {

using SslErrorQueueTest = RuntimeTest;

// One error queue entry, every field ERR_get_error_all reports.
struct QueuedError {
  unsigned long code = 0;
  std::string file, function, text;
  int line = 0;
  bool has_text = false;
  bool operator==(const QueuedError &) const = default;
};

std::vector<QueuedError> drain_error_queue() {
  std::vector<QueuedError> entries;
  const char *file, *function, *text;
  int line, flags;
  while (unsigned long code = ERR_get_error_all(&file, &line, &function, &text, &flags))
    entries.push_back({code, file, function, text, line, (flags & ERR_TXT_STRING) != 0});
  return entries;
}

struct QueueOutcome {
  int read_result = 0, read_error = -1;
  unsigned long reader_queue_before = 0, reader_queue_after = 0;
  std::vector<QueuedError> failer_errors; // after its sleep
  bool operator==(const QueueOutcome &) const = default;
};

// Thread B fails (leaving errors in its queue) and sleeps; meanwhile thread
// A reads from a healthy connection whose data a writer sends later, then
// clears its own queue, which must not touch B's.
template <class Api> QueueOutcome run_error_queue_scenario(const TlsContexts &contexts) {
  TlsPair pair = connect_pair<Api>(contexts);
  EXPECT_TRUE(pair.ok) << Api::name;
  QueueOutcome out;
  std::atomic<bool> failed{false};
  auto wait_for_failure = [&] {
    while (!failed.load())
      Api::sleep_ms(1);
  };
  Api::run({[&] {
              SSL_CTX *ctx = SSL_CTX_new(TLS_method());
              EXPECT_EQ(SSL_CTX_use_certificate_file(ctx, "/nonexistent", SSL_FILETYPE_PEM), 0);
              SSL_CTX_free(ctx);
              failed = true;
              Api::sleep_ms(60);
              out.failer_errors = drain_error_queue();
            },
            [&] {
              wait_for_failure();
              out.reader_queue_before = ERR_peek_error();
              char buffer[8];
              out.read_result = Api::read(pair.client, buffer, sizeof buffer);
              out.read_error = SSL_get_error(pair.client, out.read_result);
              out.reader_queue_after = ERR_peek_error();
              ERR_clear_error();
            },
            [&] {
              wait_for_failure();
              Api::sleep_ms(20);
              EXPECT_EQ(Api::write(pair.server, "hi", 2), 2);
            }});
  close_pair<Api>(pair);
  return out;
}

TEST_F(SslErrorQueueTest, AFailingGreenThreadsErrorsStayItsOwn) {
  TlsContexts contexts;
  ASSERT_TRUE(contexts.ok) << "openssl CLI or certificate loading failed";
  const QueueOutcome original = run_error_queue_scenario<PlainApi>(contexts);
  const QueueOutcome green = run_error_queue_scenario<GreenApi>(contexts);
  EXPECT_EQ(original.read_result, 2);
  EXPECT_EQ(original.read_error, SSL_ERROR_NONE);
  ASSERT_FALSE(original.failer_errors.empty());
  EXPECT_EQ(ERR_GET_LIB(original.failer_errors.front().code), ERR_LIB_SYS);
  EXPECT_EQ(green.read_result, original.read_result);
  EXPECT_EQ(green.read_error, original.read_error);
  EXPECT_EQ(green.reader_queue_before, 0u);
  EXPECT_EQ(green.reader_queue_after, 0u);
  ASSERT_EQ(green.failer_errors.size(), original.failer_errors.size());
  for (std::size_t i = 0; i < original.failer_errors.size(); ++i) {
    EXPECT_EQ(green.failer_errors[i].code, original.failer_errors[i].code) << i;
    EXPECT_EQ(ERR_GET_REASON(green.failer_errors[i].code),
              ERR_GET_REASON(original.failer_errors[i].code));
    EXPECT_EQ(green.failer_errors[i].file, original.failer_errors[i].file) << i;
    EXPECT_EQ(green.failer_errors[i].function, original.failer_errors[i].function) << i;
    EXPECT_EQ(green.failer_errors[i].line, original.failer_errors[i].line) << i;
    EXPECT_EQ(green.failer_errors[i].text, original.failer_errors[i].text) << i;
    EXPECT_EQ(green.failer_errors[i].has_text, original.failer_errors[i].has_text) << i;
  }
  EXPECT_TRUE(green == original);
}

// A thread's queue dies with it; so does a fiber's, and the spawner keeps
// its own entries across the child's life.
TEST_F(SslErrorQueueTest, AFinishedFibersErrorsDieWithIt) {
  ERR_clear_error();
  ERR_raise_data(ERR_LIB_SSL, SSL_R_BAD_LENGTH, "spawner's %d", 1);
  const unsigned long mine = ERR_peek_error();
  unsigned long child_saw = 1;
  evy::spawn([&] {
    child_saw = ERR_peek_error(); // a new thread's queue is empty
    ERR_raise(ERR_LIB_SSL, SSL_R_BAD_VALUE);
    evy::yield();
    EXPECT_EQ(ERR_GET_REASON(ERR_peek_error()), SSL_R_BAD_VALUE);
  }).join();
  EXPECT_EQ(child_saw, 0u);
  const std::vector<QueuedError> left = drain_error_queue();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].code, mine);
  EXPECT_EQ(left[0].text, "spawner's 1");
}

// Entries beyond a format's 1 KiB and many of them survive a switch whole;
// system errors (ERR_LIB_SYS) keep their errno.
TEST_F(SslErrorQueueTest, LongTextsAndSystemErrorsSurviveASwitch) {
  const std::string long_text(3000, 'x');
  std::vector<QueuedError> after;
  GreenThread other = evy::spawn([] {
    evy::green::usleep(500);
    ERR_clear_error(); // its own queue: empty, and the other's stays
  });
  evy::spawn([&] {
    ERR_raise(ERR_LIB_SYS, ECONNRESET);
    ERR_raise(ERR_LIB_SSL, SSL_R_BAD_LENGTH);
    ERR_add_error_data(1, long_text.c_str());
    ERR_raise(ERR_LIB_BIO, 7);
    errno = EPIPE;
    evy::green::usleep(1000);
    EXPECT_EQ(errno, EPIPE);
    after = drain_error_queue();
  }).join();
  other.join();
  ASSERT_EQ(after.size(), 3u);
  EXPECT_EQ(ERR_GET_LIB(after[0].code), ERR_LIB_SYS);
  EXPECT_EQ(ERR_GET_REASON(after[0].code), ECONNRESET);
  EXPECT_EQ(after[1].text, long_text);
  EXPECT_TRUE(after[1].has_text);
  EXPECT_EQ(ERR_GET_LIB(after[2].code), ERR_LIB_BIO);
  EXPECT_FALSE(after[2].has_text);
  EXPECT_NE(after[0].file, "");
  EXPECT_GT(after[0].line, 0);
}

} // namespace
} // namespace evy::test
