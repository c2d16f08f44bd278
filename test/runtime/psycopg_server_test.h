// Shared pieces of the psycopg tests against a real PostgreSQL server.
//
// Every scenario is written once, as a template over an API policy: Plain
// calls libpq itself (run on a real thread: the oracle), Green calls
// evy::green (run as a fiber). A scenario returns a transcript of
// everything the calls returned and said; the two must be identical.
#pragma once

#include "pg_cluster.h"
#include "runtime_test.h"

#include <evy/patched/psycopg.h>
#include <evy/patched/select.h>

#include <libpq-fe.h>

#include <poll.h>

#include <string>
#include <thread>
#include <utility>

namespace evy::test {

struct PlainPq {
  static constexpr bool green = false;
  static PGconn *connectdb(const char *c) { return ::PQconnectdb(c); }
  static PGconn *connectdbParams(const char *const *k, const char *const *v, int e) {
    return ::PQconnectdbParams(k, v, e);
  }
  static PGconn *setdbLogin(const char *h, const char *p, const char *o, const char *t,
                            const char *d, const char *l, const char *w) {
    return ::PQsetdbLogin(h, p, o, t, d, l, w);
  }
  static PGresult *exec(PGconn *c, const char *q) { return ::PQexec(c, q); }
  static PGresult *execParams(PGconn *c, const char *q, int n, const Oid *t,
                              const char *const *v, const int *l, const int *f, int r) {
    return ::PQexecParams(c, q, n, t, v, l, f, r);
  }
  static PGresult *prepare(PGconn *c, const char *s, const char *q, int n, const Oid *t) {
    return ::PQprepare(c, s, q, n, t);
  }
  static PGresult *execPrepared(PGconn *c, const char *s, int n, const char *const *v,
                                const int *l, const int *f, int r) {
    return ::PQexecPrepared(c, s, n, v, l, f, r);
  }
  static PGresult *describePrepared(PGconn *c, const char *s) { return ::PQdescribePrepared(c, s); }
  static PGresult *describePortal(PGconn *c, const char *s) { return ::PQdescribePortal(c, s); }
  static PGresult *getResult(PGconn *c) { return ::PQgetResult(c); }
  static int getCopyData(PGconn *c, char **b, int a) { return ::PQgetCopyData(c, b, a); }
  static int putCopyData(PGconn *c, const char *b, int n) { return ::PQputCopyData(c, b, n); }
  static int putCopyEnd(PGconn *c, const char *e) { return ::PQputCopyEnd(c, e); }
  static int flush(PGconn *c) { return ::PQflush(c); }
  static int cancel(PGcancel *c, char *b, int n) { return ::PQcancel(c, b, n); }
  static void reset(PGconn *c) { ::PQreset(c); }
  static PGPing ping(const char *c) { return ::PQping(c); }
  static int poll(pollfd *f, nfds_t n, int t) { return ::poll(f, n, t); }
  static int select(int n, fd_set *r, fd_set *w, fd_set *e, timeval *t) {
    return ::select(n, r, w, e, t);
  }
  static void sleep_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }
};

struct GreenPq {
  static constexpr bool green = true;
  static PGconn *connectdb(const char *c) { return evy::green::PQconnectdb(c); }
  static PGconn *connectdbParams(const char *const *k, const char *const *v, int e) {
    return evy::green::PQconnectdbParams(k, v, e);
  }
  static PGconn *setdbLogin(const char *h, const char *p, const char *o, const char *t,
                            const char *d, const char *l, const char *w) {
    return evy::green::PQsetdbLogin(h, p, o, t, d, l, w);
  }
  static PGresult *exec(PGconn *c, const char *q) { return evy::green::PQexec(c, q); }
  static PGresult *execParams(PGconn *c, const char *q, int n, const Oid *t,
                              const char *const *v, const int *l, const int *f, int r) {
    return evy::green::PQexecParams(c, q, n, t, v, l, f, r);
  }
  static PGresult *prepare(PGconn *c, const char *s, const char *q, int n, const Oid *t) {
    return evy::green::PQprepare(c, s, q, n, t);
  }
  static PGresult *execPrepared(PGconn *c, const char *s, int n, const char *const *v,
                                const int *l, const int *f, int r) {
    return evy::green::PQexecPrepared(c, s, n, v, l, f, r);
  }
  static PGresult *describePrepared(PGconn *c, const char *s) {
    return evy::green::PQdescribePrepared(c, s);
  }
  static PGresult *describePortal(PGconn *c, const char *s) {
    return evy::green::PQdescribePortal(c, s);
  }
  static PGresult *getResult(PGconn *c) { return evy::green::PQgetResult(c); }
  static int getCopyData(PGconn *c, char **b, int a) { return evy::green::PQgetCopyData(c, b, a); }
  static int putCopyData(PGconn *c, const char *b, int n) {
    return evy::green::PQputCopyData(c, b, n);
  }
  static int putCopyEnd(PGconn *c, const char *e) { return evy::green::PQputCopyEnd(c, e); }
  static int flush(PGconn *c) { return evy::green::PQflush(c); }
  static int cancel(PGcancel *c, char *b, int n) { return evy::green::PQcancel(c, b, n); }
  static void reset(PGconn *c) { evy::green::PQreset(c); }
  static PGPing ping(const char *c) { return evy::green::PQping(c); }
  static int poll(pollfd *f, nfds_t n, int t) { return evy::green::poll(f, n, t); }
  static int select(int n, fd_set *r, fd_set *w, fd_set *e, timeval *t) {
    return evy::green::select(n, r, w, e, t);
  }
  static void sleep_ms(int ms) { evy::sleep(std::chrono::milliseconds(ms)); }
};

// on_thread() runs f on a new OS thread (plain libpq blocks it) and returns its result.
template <class F> auto on_thread(F f) -> decltype(f()) {
  decltype(f()) result{};
  std::thread thread([&] { result = f(); });
  thread.join();
  return result;
}

// Transcript collects what a scenario saw, one line per call.
class Transcript {
public:
  Transcript &operator<<(const std::string &text) {
    text_ += text;
    return *this;
  }
  Transcript &operator<<(long value) { return *this << std::to_string(value); }
  // result() records and clears a result: status, error, rows, columns.
  Transcript &result(const char *what, PGresult *result);
  // conn() records a connection's status and error message.
  Transcript &conn(const char *what, PGconn *conn);
  // attempt() records a connection attempt's outcome, as conn(), and
  // closes the connection.
  Transcript &attempt(const char *what, PGconn *connection) {
    conn(what, connection);
    ::PQfinish(connection);
    return *this;
  }
  const std::string &str() const { return text_; }

private:
  std::string text_;
};

// collect_notices() sends a connection's notices into a transcript.
void collect_notices(PGconn *conn, Transcript &into);

// expect_same() checks that the green transcript is the plain one.
inline void expect_same(const std::string &plain, const std::string &green) {
  EXPECT_EQ(plain, green) << "--- libpq on a thread:\n" << plain << "--- green:\n" << green;
}

} // namespace evy::test
