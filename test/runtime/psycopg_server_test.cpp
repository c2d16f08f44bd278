// Green libpq against a real PostgreSQL server: queries, prepared
// statements, COPY in every mode, LISTEN/NOTIFY, cancel, and 200
// connections sleeping together in one OS thread. Each scenario runs with
// plain libpq on a thread and green as a fiber; the transcripts must match.
#include "psycopg_server_test.h"

#include <pthread.h>

#include <algorithm>
#include <cstdlib>

#include <vector>

namespace evy::test {
namespace {

using PsycopgServerTest = RuntimeTest;

// Side runs f beside the scenario: a thread for Plain, a fiber for Green.
class Side {
public:
  template <class Api, class F> static Side start(F f) {
    Side side;
    if constexpr (Api::green)
      side.fiber_ = evy::spawn(std::move(f));
    else
      side.thread_ = std::thread(std::move(f));
    return side;
  }
  void join() {
    if (thread_.joinable())
      thread_.join();
    if (fiber_.joinable())
      fiber_.join();
  }

private:
  std::thread thread_;
  GreenThread fiber_;
};

template <class Api> std::string params_and_prepared() {
  Transcript t;
  PGconn *conn = Api::connectdb(pg_cluster().tcp().c_str());
  t.conn("connect", conn);
  const char *values[] = {"41", "hello"};
  const char *bad[] = {"x"};
  t.result("params", Api::execParams(conn, "SELECT $1::int + 1, upper($2)", 2, nullptr, values,
                                     nullptr, nullptr, 0));
  t.result("binary", Api::execParams(conn, "SELECT $1::int4", 1, nullptr, values, nullptr,
                                     nullptr, 1));
  t.result("bad value", Api::execParams(conn, "SELECT $1::int", 1, nullptr, bad, nullptr,
                                        nullptr, 0));
  t.conn("after a server error", conn);
  t.result("nParams -1", Api::execParams(conn, "SELECT 1", -1, nullptr, nullptr, nullptr,
                                         nullptr, 0));
  t.conn("after a refusal", conn);
  t.result("null query", Api::exec(conn, nullptr));
  t.conn("after a null query", conn);
  const Oid types[] = {23, 25};
  t.result("prepare", Api::prepare(conn, "s1", "SELECT $1::int * 2, $2", 2, types));
  t.result("prepare again", Api::prepare(conn, "s1", "SELECT 1", 0, nullptr));
  t.conn("after a duplicate", conn);
  t.result("null name", Api::prepare(conn, nullptr, "SELECT 1", 0, nullptr));
  t.conn("after a null name", conn);
  t.result("exec prepared", Api::execPrepared(conn, "s1", 2, values, nullptr, nullptr, 0));
  PGresult *described = Api::describePrepared(conn, "s1");
  t << "param types " << static_cast<long>(::PQparamtype(described, 0)) << ","
    << static_cast<long>(::PQparamtype(described, 1)) << " field type "
    << static_cast<long>(::PQftype(described, 0)) << "\n";
  t.result("describe", described);
  t.result("describe missing", Api::describePrepared(conn, "nope"));
  t.result("exec missing", Api::execPrepared(conn, "nope", 0, nullptr, nullptr, nullptr, 0));
  t.conn("after missing", conn);
  t.result("begin", Api::exec(conn, "BEGIN; DECLARE c CURSOR FOR SELECT 1 AS one"));
  t.result("portal", Api::describePortal(conn, "c"));
  t.result("commit", Api::exec(conn, "COMMIT"));
  t.result("two statements", Api::exec(conn, "SELECT 1; SELECT 2"));
  ::PQfinish(conn);
  return t.str();
}

TEST_F(PsycopgServerTest, ExecParamsAndPreparedStatementsAreLibpqs) {
  expect_same(on_thread(params_and_prepared<PlainPq>), params_and_prepared<GreenPq>());
}

// copy_out() reads a COPY OUT to its end, waiting in PQgetCopyData (async
// 0) or with Api::poll on the socket (async 1).
template <class Api> void copy_out(Transcript &t, PGconn *conn, int async) {
  long rows = 0, bytes = 0;
  int length;
  for (;;) {
    char *row = nullptr;
    length = Api::getCopyData(conn, &row, async);
    if (length > 0) {
      ++rows;
      bytes += length;
      ::PQfreemem(row);
    } else if (length == 0) {
      pollfd fd{::PQsocket(conn), POLLIN, 0};
      Api::poll(&fd, 1, -1);
      ::PQconsumeInput(conn);
    } else {
      break;
    }
  }
  t << "async " << async << ": rows=" << rows << " bytes=" << bytes << " end=" << length << "\n";
  t.result("copy out done", Api::getResult(conn));
}

// copy_in() sends rows of about 1 KB (2 MB in all, more than a socket
// takes at once), in the connection's current mode.
template <class Api> void copy_in(Transcript &t, PGconn *conn, int first) {
  long sent = 0;
  for (int i = first; i < first + 2000; ++i) {
    const std::string row = std::to_string(i) + "\t" + std::string(1000, char('a' + i % 26)) + "\n";
    int r;
    while ((r = Api::putCopyData(conn, row.data(), static_cast<int>(row.size()))) == 0) {
      pollfd fd{::PQsocket(conn), POLLOUT, 0};
      Api::poll(&fd, 1, -1);
    }
    sent += r;
  }
  t << "put " << sent << " end=" << Api::putCopyEnd(conn, nullptr) << "\n";
  int pending;
  while ((pending = Api::flush(conn)) > 0) {
    pollfd fd{::PQsocket(conn), POLLOUT | POLLIN, 0};
    Api::poll(&fd, 1, -1);
    ::PQconsumeInput(conn);
  }
  t << "flush=" << pending << "\n";
  t.result("copy in done", Api::getResult(conn));
  t.result("then", Api::getResult(conn));
}

template <class Api> std::string copy_in_and_out() {
  Transcript t;
  PGconn *conn = Api::connectdb(pg_cluster().tcp().c_str());
  collect_notices(conn, t);
  t.result("create", Api::exec(conn, "CREATE TEMP TABLE t(a int, b text)"));
  t.result("copy in", Api::exec(conn, "COPY t FROM STDIN"));
  copy_in<Api>(t, conn, 0);
  ::PQsetnonblocking(conn, 1);
  t.result("copy in, non-blocking", Api::exec(conn, "COPY t FROM STDIN"));
  copy_in<Api>(t, conn, 2000);
  ::PQsetnonblocking(conn, 0);
  for (int async = 0; async < 2; ++async) {
    t.result("copy out", Api::exec(conn, "COPY (SELECT * FROM t ORDER BY a) TO STDOUT"));
    copy_out<Api>(t, conn, async);
  }
  // PQexec while a COPY is open: libpq ends it, then runs the query.
  t.result("copy in", Api::exec(conn, "COPY t FROM STDIN"));
  t << "put=" << Api::putCopyData(conn, "1\tx\n", 4) << "\n";
  t.result("exec during copy in", Api::exec(conn, "SELECT count(*) FROM t"));
  t.conn("after", conn);
  t.result("copy out", Api::exec(conn, "COPY t TO STDOUT"));
  char *row = nullptr;
  t << "first row length=" << Api::getCopyData(conn, &row, 0) << "\n";
  ::PQfreemem(row);
  t.result("exec during copy out", Api::exec(conn, "SELECT 42"));
  t.conn("after", conn);
  // The same after PQexecParams' extended protocol.
  t.result("copy in (extended)", Api::execParams(conn, "COPY t FROM STDIN", 0, nullptr, nullptr,
                                                 nullptr, nullptr, 0));
  t.result("exec during it", Api::exec(conn, "SELECT 43"));
  // Misuse outside any COPY.
  t << "put=" << Api::putCopyData(conn, "x", 1) << " end=" << Api::putCopyEnd(conn, nullptr)
    << " get=" << Api::getCopyData(conn, &row, 0) << "\n";
  t.conn("after misuse", conn);
  t.result("copy in", Api::exec(conn, "COPY t FROM STDIN"));
  t << "bad row=" << Api::putCopyData(conn, "oops\n", 5) << "\n";
  t << "end=" << Api::putCopyEnd(conn, nullptr) << "\n";
  t.result("bad row", Api::getResult(conn));
  t.result("copy in", Api::exec(conn, "COPY t FROM STDIN"));
  t << "end=" << Api::putCopyEnd(conn, "client gave up") << "\n";
  t.result("abandoned", Api::getResult(conn));
  t.result("count", Api::exec(conn, "SELECT count(*), sum(length(b)) FROM t"));
  ::PQfinish(conn);
  return t.str();
}

TEST_F(PsycopgServerTest, CopyInAndOutInEveryModeAreLibpqs) {
  expect_same(on_thread(copy_in_and_out<PlainPq>), copy_in_and_out<GreenPq>());
}

// The listener waits with select, then with poll, on PQsocket.
template <class Api> std::string listen_notify() {
  Transcript t;
  PGconn *listener = Api::connectdb(pg_cluster().tcp().c_str());
  t.result("listen", Api::exec(listener, "LISTEN evy_channel"));
  int sender_pid = 0;
  Side sender = Side::start<Api>([&] {
    PGconn *conn = Api::connectdb(pg_cluster().tcp().c_str());
    sender_pid = ::PQbackendPID(conn);
    Api::sleep_ms(100);
    ::PQclear(Api::exec(conn, "NOTIFY evy_channel, 'first'"));
    Api::sleep_ms(100);
    ::PQclear(Api::exec(conn, "SELECT pg_notify('evy_channel', 'second')"));
    ::PQfinish(conn);
  });
  std::vector<int> pids;
  for (int got = 0; got < 2;) {
    const int fd = ::PQsocket(listener);
    if (got == 0) {
      fd_set readable;
      FD_ZERO(&readable);
      FD_SET(fd, &readable);
      t << "select=" << Api::select(fd + 1, &readable, nullptr, nullptr, nullptr) << "\n";
    } else {
      pollfd polled{fd, POLLIN, 0};
      t << "poll=" << Api::poll(&polled, 1, -1) << "\n";
    }
    t << "consume=" << ::PQconsumeInput(listener) << "\n";
    while (PGnotify *n = ::PQnotifies(listener)) {
      t << "notify " << n->relname << " '" << n->extra << "'\n";
      pids.push_back(n->be_pid);
      ::PQfreemem(n);
      ++got;
    }
  }
  sender.join();
  for (int pid : pids)
    t << "from the sender: " << (pid == sender_pid ? "yes" : "no") << "\n";
  ::PQfinish(listener);
  return t.str();
}

TEST_F(PsycopgServerTest, ListenNotifyWaitedWithGreenSelectAndPoll) {
  expect_same(on_thread(listen_notify<PlainPq>), listen_notify<GreenPq>());
}

template <class Api> std::string cancel_a_query() {
  Transcript t;
  PGconn *conn = Api::connectdb(pg_cluster().tcp().c_str());
  PGcancel *cancel = ::PQgetCancel(conn);
  int cancelled = 0;
  char error[256] = "";
  Side canceller = Side::start<Api>([&] {
    Api::sleep_ms(300);
    cancelled = Api::cancel(cancel, error, sizeof error);
  });
  t.result("sleep", Api::exec(conn, "SELECT pg_sleep(10)"));
  canceller.join();
  t << "cancel=" << cancelled << " error='" << error << "'\n";
  t.result("after", Api::exec(conn, "SELECT 1"));
  ::PQfreeCancel(cancel);
  ::PQfinish(conn);
  return t.str();
}

TEST_F(PsycopgServerTest, CancelRunsBesideTheQuery) {
  expect_same(on_thread(cancel_a_query<PlainPq>), cancel_a_query<GreenPq>());
}

// The server stops in the middle of a COPY OUT until another green thread
// of this OS thread releases an advisory lock: PQgetCopyData (async 0) and
// PQgetResult must wait as fibers, else this never ends.
TEST_F(PsycopgServerTest, CopyOutWaitsAsAFiberWhileAnotherReleasesTheServer) {
  PGconn *holder = evy::green::PQconnectdb(pg_cluster().tcp().c_str());
  ::PQclear(evy::green::PQexec(holder, "SELECT pg_advisory_lock(4242)"));
  PGconn *conn = evy::green::PQconnectdb(pg_cluster().tcp().c_str());
  ::PQclear(evy::green::PQexec(conn, "CREATE FUNCTION pg_temp.wait_for_lock() RETURNS text AS "
                                     "$$ BEGIN PERFORM pg_advisory_lock(4242); RETURN 'x'; END $$ "
                                     "LANGUAGE plpgsql"));
  bool released = false;
  GreenThread releaser = evy::spawn([&] {
    evy::sleep(std::chrono::milliseconds(200));
    released = true;
    ::PQclear(evy::green::PQexec(holder, "SELECT pg_advisory_unlock(4242)"));
  });
  // Rows before the 500th fill more than the server's 8 KB output buffer:
  // the client has some of them before the server stops.
  PGresult *copy = evy::green::PQexec(
      conn, "COPY (SELECT g, repeat('x', 100), CASE WHEN g = 500 THEN pg_temp.wait_for_lock() END "
            "FROM generate_series(1, 1000) g) TO STDOUT");
  EXPECT_EQ(::PQresultStatus(copy), PGRES_COPY_OUT) << ::PQerrorMessage(conn);
  ::PQclear(copy);
  int rows = 0, length;
  char *row = nullptr;
  while ((length = evy::green::PQgetCopyData(conn, &row, 0)) > 0) {
    ++rows;
    ::PQfreemem(row);
  }
  EXPECT_TRUE(released);
  EXPECT_EQ(length, -1);
  EXPECT_EQ(rows, 1000);
  PGresult *done = evy::green::PQgetResult(conn);
  EXPECT_EQ(::PQresultStatus(done), PGRES_COMMAND_OK) << ::PQresultErrorMessage(done);
  ::PQclear(done);
  releaser.join();
  ::PQfinish(conn);
  ::PQfinish(holder);
}

// 200 fibers of one OS thread, each on its own connection, sleep in the
// server at once: a separate connection sees them all in pg_stat_activity.
TEST_F(PsycopgServerTest, TwoHundredConnectionsSleepTogetherInOneThread) {
  constexpr int kSleepers = 200;
  const std::string conninfo = pg_cluster().unix_socket("application_name=evy_sleeper");
  const std::string expected = on_thread([&] {
    Transcript t;
    PGconn *conn = ::PQconnectdb(conninfo.c_str());
    t.result("sleep", ::PQexec(conn, "SELECT pg_sleep(0.5)"));
    ::PQfinish(conn);
    return t.str();
  });
  const pthread_t self = ::pthread_self();
  int other_thread = 0, started = 0;
  std::vector<std::string> transcripts(kSleepers);
  std::vector<GreenThread> sleepers;
  for (int i = 0; i < kSleepers; ++i) {
    sleepers.push_back(evy::spawn([&, i] {
      Transcript t;
      PGconn *conn = evy::green::PQconnectdb(conninfo.c_str());
      ++started;
      while (started < kSleepers) // connect all first, then sleep together
        evy::sleep(std::chrono::milliseconds(5));
      t.result("sleep", evy::green::PQexec(conn, "SELECT pg_sleep(0.5)"));
      other_thread += !::pthread_equal(self, ::pthread_self());
      ::PQfinish(conn);
      transcripts[static_cast<std::size_t>(i)] = t.str();
    }));
  }
  PGconn *watcher = evy::green::PQconnectdb(pg_cluster().unix_socket().c_str());
  long most = 0;
  for (int round = 0; round < 400 && most < kSleepers; ++round) {
    PGresult *r = evy::green::PQexec(watcher, "SELECT count(*) FROM pg_stat_activity WHERE "
                                              "application_name = 'evy_sleeper' AND "
                                              "wait_event = 'PgSleep'");
    most = std::max(most, std::atol(::PQgetvalue(r, 0, 0)));
    ::PQclear(r);
    evy::sleep(std::chrono::milliseconds(10));
  }
  ::PQfinish(watcher);
  for (GreenThread &sleeper : sleepers)
    sleeper.join();
  EXPECT_EQ(most, kSleepers);
  EXPECT_EQ(other_thread, 0);
  for (const std::string &transcript : transcripts)
    ASSERT_EQ(transcript, expected);
}

} // namespace
} // namespace evy::test
