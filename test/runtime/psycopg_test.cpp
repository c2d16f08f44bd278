// Green libpq against a tiny fake PostgreSQL server running as a fiber in
// the same OS thread: if any libpq call blocked the thread, the server
// could never answer and the test would hang (ctest's timeout catches it).
#include "runtime_test.h"
#include "test_support.h"

#include <evy/patched/psycopg.h>
#include <evy/patched/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace evy::test {
namespace {

using namespace std::chrono_literals;
using PsycopgTest = RuntimeTest;

// Just enough of the v3 protocol: trust authentication, simple queries
// (each answered with one text row holding the query's text), and an
// error for anything of the extended protocol, reported at its Sync.
class FakePostgres {
public:
  FakePostgres() {
    listener_ = evy::green::socket(AF_INET, SOCK_STREAM, 0);
    port_ = test_support::listen_on_loopback(listener_, 16);
    acceptor_ = evy::spawn([this] { accept_loop(); });
  }
  ~FakePostgres() {
    evy::green::close(listener_); // wakes the acceptor with EBADF
    acceptor_.join();
    for (GreenThread &session : sessions_)
      session.join();
  }
  std::string conninfo() const {
    return "host=127.0.0.1 port=" + std::to_string(port_) +
           " dbname=evy user=evy sslmode=disable gssencmode=disable";
  }
  int port() const { return port_; }
  int queries() const { return queries_; }

private:
  void accept_loop() {
    for (;;) {
      const int client = evy::green::accept(listener_, nullptr, nullptr);
      if (client < 0)
        return;
      sessions_.push_back(evy::spawn([this, client] { serve(client); }));
    }
  }

  static bool read_exact(int fd, void *into, std::size_t size) {
    return evy::green::recv(fd, into, size, MSG_WAITALL) == static_cast<ssize_t>(size);
  }

  static void put32(std::string &out, std::uint32_t v) {
    v = htonl(v);
    out.append(reinterpret_cast<const char *>(&v), 4);
  }
  static void put16(std::string &out, std::uint16_t v) {
    v = htons(v);
    out.append(reinterpret_cast<const char *>(&v), 2);
  }
  static void message(std::string &out, char type, const std::string &body) {
    out += type;
    put32(out, static_cast<std::uint32_t>(body.size() + 4));
    out += body;
  }

  void serve(int fd) {
    std::uint32_t length;
    if (!read_exact(fd, &length, 4)) {
      evy::green::close(fd);
      return;
    }
    std::vector<char> startup(ntohl(length) - 4);
    read_exact(fd, startup.data(), startup.size());
    std::string out, body;
    put32(body, 0);
    message(out, 'R', body); // AuthenticationOk
    for (const char *parameter : {"server_version\0"
                                  "15.0",
                                  "client_encoding\0"
                                  "UTF8",
                                  "standard_conforming_strings\0"
                                  "on",
                                  "integer_datetimes\0"
                                  "on"}) {
      const std::string name = parameter;
      const std::string value = parameter + name.size() + 1;
      message(out, 'S', name + '\0' + value + '\0');
    }
    body.clear();
    put32(body, 4242);
    put32(body, 99);
    message(out, 'K', body);
    message(out, 'Z', "I");
    evy::green::send(fd, out.data(), out.size(), 0);
    for (;;) {
      char type;
      if (!read_exact(fd, &type, 1) || !read_exact(fd, &length, 4))
        break;
      std::vector<char> payload(ntohl(length) - 4);
      if (!payload.empty() && !read_exact(fd, payload.data(), payload.size()))
        break;
      if (type == 'X')
        break;
      if (type == 'S') { // Sync of an extended-protocol exchange
        out.clear();
        message(out, 'E',
                std::string("SERROR") + '\0' + "C0A000" + '\0' +
                    "Mnot supported by the fake server" + '\0' + '\0');
        message(out, 'Z', "I");
        evy::green::send(fd, out.data(), out.size(), 0);
        continue;
      }
      if (type != 'Q')
        continue;
      ++queries_;
      const std::string query(payload.data());
      evy::sleep(30ms); // a slow server: the client must wait as a fiber
      out.clear();
      body.clear();
      put16(body, 1);
      body += std::string("value") + '\0';
      put32(body, 0);
      put16(body, 0);
      put32(body, 25); // text
      put16(body, static_cast<std::uint16_t>(-1));
      put32(body, static_cast<std::uint32_t>(-1));
      put16(body, 0);
      message(out, 'T', body);
      body.clear();
      put16(body, 1);
      put32(body, static_cast<std::uint32_t>(query.size()));
      body += query;
      message(out, 'D', body);
      message(out, 'C', std::string("SELECT 1") + '\0');
      message(out, 'Z', "I");
      evy::green::send(fd, out.data(), out.size(), 0);
    }
    evy::green::close(fd);
  }

  int listener_ = -1;
  int port_ = 0;
  int queries_ = 0;
  GreenThread acceptor_;
  std::vector<GreenThread> sessions_;
};

TEST_F(PsycopgTest, ConnectAndQueryWhileTheServerRunsInTheSameThread) {
  FakePostgres server;
  Ticker ticker(1ms);
  PGconn *conn = evy::green::PQconnectdb(server.conninfo().c_str());
  ASSERT_NE(conn, nullptr);
  ASSERT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  EXPECT_EQ(PQbackendPID(conn), 4242);
  EXPECT_EQ(PQisnonblocking(conn), 0);

  PGresult *result = evy::green::PQexec(conn, "select 'green'");
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(PQresultStatus(result), PGRES_TUPLES_OK) << PQresultErrorMessage(result);
  ASSERT_EQ(PQntuples(result), 1);
  EXPECT_EQ(std::string(PQgetvalue(result, 0, 0)), "select 'green'");
  PQclear(result);
  EXPECT_EQ(PQisnonblocking(conn), 0); // the caller's mode is restored

  ASSERT_EQ(PQsendQuery(conn, "second"), 1);
  result = evy::green::PQgetResult(conn);
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(std::string(PQgetvalue(result, 0, 0)), "second");
  PQclear(result);
  EXPECT_EQ(evy::green::PQgetResult(conn), nullptr);

  PQfinish(conn);
  EXPECT_EQ(server.queries(), 2);
  EXPECT_GE(ticker.stop(), 2); // it woke from a sleep while this fiber waited on the server
}

TEST_F(PsycopgTest, SetdbLoginAndResetReconnect) {
  FakePostgres server;
  const std::string port = std::to_string(server.port());
  PGconn *conn =
      evy::green::PQsetdbLogin("127.0.0.1", port.c_str(), nullptr, nullptr,
                               "dbname=evy sslmode=disable gssencmode=disable", "evy", nullptr);
  ASSERT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  evy::green::PQreset(conn);
  EXPECT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  // The fake server refuses the extended protocol: the error comes back
  // exactly as libpq reports it.
  PGresult *result =
      evy::green::PQexecParams(conn, "select $1", 0, nullptr, nullptr, nullptr, nullptr, 0);
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(PQresultStatus(result), PGRES_FATAL_ERROR);
  EXPECT_NE(std::string(PQresultErrorMessage(result)).find("not supported"), std::string::npos);
  PQclear(result);
  result = evy::green::PQexec(conn, "after the error");
  EXPECT_EQ(PQresultStatus(result), PGRES_TUPLES_OK);
  PQclear(result);
  PQfinish(conn);
}

TEST_F(PsycopgTest, PingRunsOnThePoolAndRefusalIsReported) {
  FakePostgres server;
  EXPECT_EQ(evy::green::PQping(server.conninfo().c_str()), PQPING_OK);
  int refused_port;
  {
    FakePostgres gone;
    refused_port = gone.port();
  }
  const std::string nowhere =
      "host=127.0.0.1 port=" + std::to_string(refused_port) + " sslmode=disable gssencmode=disable";
  PGconn *conn = evy::green::PQconnectdb(nowhere.c_str());
  EXPECT_EQ(PQstatus(conn), CONNECTION_BAD);
  PQfinish(conn);
  EXPECT_EQ(evy::green::PQping(nowhere.c_str()), PQPING_NO_RESPONSE);
}

// PQcancel connects and waits for the server's answer itself: green, it
// runs on evy::tpool, so the fake server (a fiber of this thread) answers.
TEST_F(PsycopgTest, CancelRunsOnThePoolWhileTheServerAnswersInThisThread) {
  FakePostgres server;
  PGconn *conn = evy::green::PQconnectdb(server.conninfo().c_str());
  ASSERT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  PGcancel *cancel = PQgetCancel(conn);
  char error[256] = "";
  EXPECT_EQ(evy::green::PQcancel(cancel, error, sizeof error), 1) << error;
  EXPECT_STREQ(error, "");
  PQfreeCancel(cancel);
  PQfinish(conn);
}

} // namespace
} // namespace evy::test
