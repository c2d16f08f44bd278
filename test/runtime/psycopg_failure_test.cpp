// Green libpq against a real PostgreSQL server when things go wrong:
// PQreset, a terminated backend, the server stopped mid-query, a wrong
// password, connect_timeout against a silent listener, TLS verify-full,
// host names. Each transcript of plain libpq on a thread must match the
// green one run as a fiber.
#include "psycopg_server_test.h"
#include "test_support.h"

#include <evy/tpool.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>

namespace evy::test {
namespace {

using PsycopgFailureTest = RuntimeTest;

template <class Api> std::string reset_and_terminate(std::string conninfo) {
  Transcript t;
  PGconn *conn = Api::connectdb(conninfo.c_str());
  t.conn("connect", conn);
  Api::reset(conn);
  t.conn("reset", conn);
  t.result("query", Api::exec(conn, "SELECT 1"));
  // The backend ends itself: the error, then the lost connection.
  t.result("terminate", Api::exec(conn, "SELECT pg_terminate_backend(pg_backend_pid())"));
  t.conn("terminated", conn);
  t.result("again", Api::exec(conn, "SELECT 1"));
  t.conn("again", conn);
  Api::reset(conn);
  t.conn("reset", conn);
  // Terminated by another connection while idle: seen at the next query.
  PGconn *killer = Api::connectdb(conninfo.c_str());
  const std::string kill = "SELECT pg_terminate_backend(" + std::to_string(::PQbackendPID(conn)) +
                           ") AND pg_sleep(0.2) IS NOT NULL";
  t.result("kill", Api::exec(killer, kill.c_str()));
  t.result("after kill", Api::exec(conn, "SELECT 1"));
  t.conn("after kill", conn);
  // And while waiting in PQgetResult.
  Api::reset(conn);
  t << "send=" << ::PQsendQuery(conn, "SELECT pg_sleep(5)") << "\n";
  const std::string kill2 = "SELECT pg_terminate_backend(" + std::to_string(::PQbackendPID(conn)) +
                            ") AND pg_sleep(0.2) IS NOT NULL";
  t.result("kill", Api::exec(killer, kill2.c_str()));
  while (PGresult *r = Api::getResult(conn))
    t.result("result", r);
  t.conn("after", conn);
  ::PQfinish(killer);
  ::PQfinish(conn);
  return t.str();
}

TEST_F(PsycopgFailureTest, ResetAndATerminatedBackendSayWhatLibpqSays) {
  const std::string conninfo = pg_cluster().tcp();
  expect_same(on_thread([&] { return reset_and_terminate<PlainPq>(conninfo); }),
              reset_and_terminate<GreenPq>(conninfo));
}

TEST_F(PsycopgFailureTest, ATerminatedBackendOverTlsSaysWhatLibpqSays) {
  const std::string conninfo = "host=localhost hostaddr=127.0.0.1 port=" +
                               std::to_string(pg_cluster().port()) +
                               " user=postgres dbname=postgres gssencmode=disable "
                               "sslmode=verify-full sslrootcert=" + pg_cluster().ca_file();
  expect_same(on_thread([&] { return reset_and_terminate<PlainPq>(conninfo); }),
              reset_and_terminate<GreenPq>(conninfo));
}

// The server stops (immediately) while the query runs, then starts again.
template <class Api> std::string server_stopped_mid_query() {
  Transcript t;
  PGconn *conn = Api::connectdb(pg_cluster().tcp().c_str());
  collect_notices(conn, t);
  t.conn("connect", conn);
  std::thread stopper([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    pg_cluster().stop_immediately();
  });
  t.result("sleep", Api::exec(conn, "SELECT pg_sleep(10)"));
  stopper.join();
  t.conn("stopped", conn);
  t.result("again", Api::exec(conn, "SELECT 1"));
  Api::reset(conn);
  t.conn("reset while stopped", conn);
  t << "ping=" << static_cast<long>(Api::ping(pg_cluster().tcp().c_str())) << "\n";
  pg_cluster().start();
  Api::reset(conn);
  t.conn("reset after start", conn);
  t.result("query", Api::exec(conn, "SELECT 2"));
  ::PQfinish(conn);
  return t.str();
}

TEST_F(PsycopgFailureTest, TheServerStoppedMidQuery) {
  Ticker ticker(std::chrono::milliseconds(1));
  expect_same(on_thread(server_stopped_mid_query<PlainPq>), server_stopped_mid_query<GreenPq>());
  EXPECT_GE(ticker.stop(), 2); // it woke from a sleep while the other fiber waited
}

template <class Api> std::string passwords() {
  Transcript t;
  const std::string port = std::to_string(pg_cluster().port());
  const std::string base = "host=127.0.0.1 port=" + port +
                           " dbname=postgres user=evy sslmode=disable gssencmode=disable";
  for (const char *password : {"wrong", PgCluster::password}) {
    t.attempt("conninfo", Api::connectdb((base + " password=" + password).c_str()));
    const char *keywords[] = {"host", "port", "dbname", "user", "password", "sslmode", "gssencmode",
                              nullptr};
    const char *values[] = {"127.0.0.1", port.c_str(), "postgres", "evy", password, "disable",
                            "disable", nullptr};
    t.attempt("params", Api::connectdbParams(keywords, values, 0));
    t.attempt("setdbLogin", Api::setdbLogin("127.0.0.1", port.c_str(), nullptr, nullptr,
                                            "dbname=postgres sslmode=disable gssencmode=disable",
                                            "evy", password));
  }
  t.attempt("no password", Api::connectdb((base + " password=").c_str()));
  t.attempt("refused", Api::connectdb("host=127.0.0.1 port=1 sslmode=disable gssencmode=disable"));
  t.attempt("bad option", Api::connectdb("port=notanumber"));
  return t.str();
}

TEST_F(PsycopgFailureTest, WrongPasswordsAndBadTargets) {
  expect_same(on_thread(passwords<PlainPq>), passwords<GreenPq>());
}

// SilentListener accepts connections in the kernel and never answers.
class SilentListener {
public:
  SilentListener()
      : fd_(::socket(AF_INET, SOCK_STREAM, 0)), port_(test_support::listen_on_loopback(fd_, 64)) {}
  ~SilentListener() { ::close(fd_); }
  std::string port() const { return std::to_string(port_); }

private:
  int fd_;
  int port_;
};

// Every way of asking for connect_timeout; the plain and green connects
// run at the same time (each waits 2 or 4 s).
template <class Api> std::string connect_timeouts(const std::string &p1, const std::string &p2) {
  Transcript t;
  const std::string base = "host=127.0.0.1 sslmode=disable gssencmode=disable port=";
  t.attempt("conninfo", Api::connectdb((base + p1 + " connect_timeout=2").c_str()));
  const char *keywords[] = {"host", "port", "connect_timeout", "sslmode", "gssencmode", nullptr};
  const char *values[] = {"127.0.0.1", p1.c_str(), "1", "disable", "disable", nullptr};
  t.attempt("params", Api::connectdbParams(keywords, values, 0)); // 1 s counts as 2
  t.attempt("two hosts", // 2 s each
            Api::connectdb(("host=127.0.0.1,127.0.0.1 sslmode=disable gssencmode=disable "
                            "connect_timeout=2 port=" + p1 + "," + p2).c_str()));
  t.attempt("bad value", Api::connectdb((base + p1 + " connect_timeout=nope").c_str()));
  return t.str();
}

TEST_F(PsycopgFailureTest, ConnectTimeoutAgainstASilentListener) {
  SilentListener one, two;
  Ticker ticker(std::chrono::milliseconds(1));
  std::string plain;
  std::thread oracle([&] { plain = connect_timeouts<PlainPq>(one.port(), two.port()); });
  const auto start = std::chrono::steady_clock::now();
  const std::string green = connect_timeouts<GreenPq>(one.port(), two.port());
  const auto waited = elapsed_since(start);
  oracle.join();
  expect_same(plain, green);
  EXPECT_NE(green.find("timeout expired"), std::string::npos) << green;
  EXPECT_GE(waited.count(), 8000); // 2 + 2 + 2 * 2 s, as libpq waits
  EXPECT_GE(ticker.stop(), 2);     // and the hub ran meanwhile
}

TEST_F(PsycopgFailureTest, PgconnectTimeoutFromTheEnvironment) {
  SilentListener listener;
  const std::string conninfo =
      "host=127.0.0.1 sslmode=disable gssencmode=disable port=" + listener.port();
  ::setenv("PGCONNECT_TIMEOUT", "2", 1);
  std::string plain;
  std::thread oracle([&] {
    Transcript t;
    t.attempt("env", ::PQconnectdb(conninfo.c_str()));
    plain = t.str();
  });
  Transcript green;
  green.attempt("env", evy::green::PQconnectdb(conninfo.c_str()));
  oracle.join();
  ::unsetenv("PGCONNECT_TIMEOUT");
  expect_same(plain, green.str());
}

template <class Api> std::string tls_and_names() {
  Transcript t;
  const std::string port = std::to_string(pg_cluster().port());
  const std::string tls = " port=" + port + " user=postgres dbname=postgres gssencmode=disable "
                          "sslmode=verify-full sslrootcert=" + pg_cluster().ca_file();
  for (const std::string target : {"host=localhost hostaddr=127.0.0.1", "host=localhost",
                                   "host=127.0.0.1", "host=localhost sslrootcert=/nonexistent"}) {
    PGconn *conn = Api::connectdb((target + tls).c_str());
    t.conn(target.c_str(), conn);
    t << "ssl=" << ::PQsslInUse(conn) << "\n";
    if (::PQstatus(conn) == CONNECTION_OK)
      t.result("query", Api::exec(conn, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"));
    ::PQfinish(conn);
  }
  PGconn *conn = Api::connectdb(("host=localhost sslmode=disable gssencmode=disable port=" + port +
                                 " user=postgres dbname=postgres").c_str());
  t.conn("a host name", conn);
  Api::reset(conn);
  t.conn("its reset", conn);
  ::PQfinish(conn);
  t.attempt("no such host", Api::connectdb("host=nonexistent.invalid port=5432 sslmode=disable"));
  return t.str();
}

TEST_F(PsycopgFailureTest, TlsVerifyFullAndHostNames) {
  Ticker ticker;
  expect_same(on_thread(tls_and_names<PlainPq>), tls_and_names<GreenPq>());
  EXPECT_GT(ticker.stop(), 0);
}

} // namespace
} // namespace evy::test
