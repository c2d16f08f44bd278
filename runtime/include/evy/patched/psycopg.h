// <evy/patched/psycopg.h>: green libpq (what psycopg2 wraps).
//
// Header-only on purpose: the wrappers call libpq from the including
// translation unit, so libevy itself never links libpq. Each blocking libpq
// call is rebuilt from libpq's asynchronous API (PQconnectStart/
// PQconnectPoll, PQsend*/PQflush/PQconsumeInput/PQisBusy/PQgetResult) with
// the fiber waiting on PQsocket() in between, so results, error messages and
// connection states are libpq's own. PQping has no asynchronous form and
// runs on evy::tpool. Compile with -I/usr/include/postgresql (pg_config
// --includedir) and link -lpq, as for libpq itself.
//
// Limits (libpq's, documented for PQconnectStart): the host name is resolved
// inside PQconnectPoll, i.e. blocking (use hostaddr= or /etc/hosts names),
// and connect_timeout is not applied by the asynchronous API.
#pragma once

#include <evy/monkey_patch.h>
#include <evy/patched/detail/green_io.h>
#include <evy/tpool.h>

#include <libpq-fe.h>
#include <poll.h>

namespace evy {
namespace detail {

// pq_wait_socket() waits for the connection's socket; false if it cannot.
inline bool pq_wait_socket(PGconn *conn, FdEvents events) {
  const int fd = ::PQsocket(conn);
  if (fd < 0)
    return false;
  switch (wait_fd(fd, events, no_deadline, Interruptible::yes)) {
  case FdWaitResult::ready:
    return true;
  case FdWaitResult::interrupted:
    throw_timeout_error();
  default:
    return false;
  }
}

// pq_finish_connect() drives PQconnectPoll/PQresetPoll to OK or FAILED.
template <class Poll> void pq_finish_connect(PGconn *conn, Poll poll) {
  // As if the poll function had just returned PGRES_POLLING_WRITING (libpq docs).
  PostgresPollingStatusType state = PGRES_POLLING_WRITING;
  while (state != PGRES_POLLING_OK && state != PGRES_POLLING_FAILED) {
    if (state == PGRES_POLLING_READING || state == PGRES_POLLING_WRITING) {
      if (!pq_wait_socket(conn, state == PGRES_POLLING_READING ? POLLIN : POLLOUT))
        return; // the socket vanished: PQconnectPoll reports why
    }
    state = poll(conn);
  }
}

// pq_connected() finishes an asynchronous start the way PQconnectdb would.
inline PGconn *pq_connected(PGconn *conn) {
  if (conn != nullptr && ::PQstatus(conn) != CONNECTION_BAD)
    pq_finish_connect(conn, ::PQconnectPoll);
  return conn;
}

// pq_flush_all() sends what libpq has buffered, waiting for room as a fiber.
inline bool pq_flush_all(PGconn *conn) {
  for (;;) {
    const int pending = ::PQflush(conn);
    if (pending <= 0)
      return pending == 0;
    // Read too while flushing: the server may be waiting for us to read.
    if (!pq_wait_socket(conn, POLLIN | POLLOUT))
      return false;
    if (!::PQconsumeInput(conn))
      return false;
  }
}

// PqNonblockingScope switches the connection to non-blocking mode so that
// PQsend* never blocks the thread in its internal flush, and restores the
// caller's mode afterwards (PQexec ignores that mode, so must we).
class PqNonblockingScope {
public:
  explicit PqNonblockingScope(PGconn *conn)
      : conn_(conn), was_nonblocking_(::PQisnonblocking(conn) == 1) {
    if (!was_nonblocking_)
      ::PQsetnonblocking(conn_, 1);
  }
  ~PqNonblockingScope() {
    if (!was_nonblocking_)
      ::PQsetnonblocking(conn_, 0);
  }
  PqNonblockingScope(const PqNonblockingScope &) = delete;
  PqNonblockingScope &operator=(const PqNonblockingScope &) = delete;

private:
  PGconn *conn_;
  bool was_nonblocking_;
};

inline PGresult *pq_get_result(PGconn *conn);

// pq_exec() is libpq's PQexec skeleton: discard what a previous query left,
// send, then keep the last result (stopping at COPY or a broken connection).
template <class Send> PGresult *pq_exec(PGconn *conn, Send send) {
  if (conn == nullptr)
    return nullptr;
  PqNonblockingScope nonblocking(conn);
  while (PGresult *stale = pq_get_result(conn)) {
    const ExecStatusType status = ::PQresultStatus(stale);
    ::PQclear(stale);
    if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH ||
        ::PQstatus(conn) == CONNECTION_BAD)
      return nullptr; // PQexec refuses to run while COPY is in progress
  }
  if (!send(conn) || !pq_flush_all(conn))
    return nullptr;
  PGresult *last = nullptr;
  while (PGresult *result = pq_get_result(conn)) {
    ::PQclear(last);
    last = result;
    const ExecStatusType status = ::PQresultStatus(result);
    if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH ||
        ::PQstatus(conn) == CONNECTION_BAD)
      break;
  }
  return last;
}

// pq_get_result() is PQgetResult that waits as a fiber while libpq is busy.
inline PGresult *pq_get_result(PGconn *conn) {
  if (conn == nullptr)
    return nullptr;
  while (::PQisBusy(conn)) {
    const int pending = ::PQflush(conn);
    if (pending < 0)
      break;
    if (!pq_wait_socket(conn, pending > 0 ? (POLLIN | POLLOUT) : POLLIN))
      break;
    if (!::PQconsumeInput(conn))
      break; // PQgetResult turns the failure into an error result
  }
  return ::PQgetResult(conn);
}

} // namespace detail
} // namespace evy

namespace evy {
namespace green {

// PQconnectdb() is ::PQconnectdb; the fiber waits while connecting.
inline PGconn *PQconnectdb(const char *conninfo) {
  return evy::detail::pq_connected(::PQconnectStart(conninfo));
}
// PQconnectdbParams() is ::PQconnectdbParams; the fiber waits while connecting.
inline PGconn *PQconnectdbParams(const char *const *keywords, const char *const *values,
                                 int expand_dbname) {
  return evy::detail::pq_connected(::PQconnectStartParams(keywords, values, expand_dbname));
}
// PQsetdbLogin() is ::PQsetdbLogin (dbName may be a conninfo string, as
// there); pgtty is ignored, as libpq does.
inline PGconn *PQsetdbLogin(const char *pghost, const char *pgport, const char *pgoptions,
                            const char *pgtty, const char *dbName, const char *login,
                            const char *pwd) {
  (void)pgtty;
  const char *const keywords[] = {"dbname", "host", "port", "options", "user", "password", nullptr};
  const char *const values[] = {dbName, pghost, pgport, pgoptions, login, pwd, nullptr};
  return evy::detail::pq_connected(::PQconnectStartParams(keywords, values, 1));
}
// PQexec() is ::PQexec; the fiber waits for the results.
inline PGresult *PQexec(PGconn *conn, const char *query) {
  return evy::detail::pq_exec(conn, [&](PGconn *c) { return ::PQsendQuery(c, query); });
}
// PQexecParams() is ::PQexecParams; the fiber waits for the results.
inline PGresult *PQexecParams(PGconn *conn, const char *command, int nParams, const Oid *paramTypes,
                              const char *const *paramValues, const int *paramLengths,
                              const int *paramFormats, int resultFormat) {
  return evy::detail::pq_exec(conn, [&](PGconn *c) {
    return ::PQsendQueryParams(c, command, nParams, paramTypes, paramValues, paramLengths,
                               paramFormats, resultFormat);
  });
}
// PQprepare() is ::PQprepare; the fiber waits for the result.
inline PGresult *PQprepare(PGconn *conn, const char *stmtName, const char *query, int nParams,
                           const Oid *paramTypes) {
  return evy::detail::pq_exec(
      conn, [&](PGconn *c) { return ::PQsendPrepare(c, stmtName, query, nParams, paramTypes); });
}
// PQexecPrepared() is ::PQexecPrepared; the fiber waits for the results.
inline PGresult *PQexecPrepared(PGconn *conn, const char *stmtName, int nParams,
                                const char *const *paramValues, const int *paramLengths,
                                const int *paramFormats, int resultFormat) {
  return evy::detail::pq_exec(conn, [&](PGconn *c) {
    return ::PQsendQueryPrepared(c, stmtName, nParams, paramValues, paramLengths, paramFormats,
                                 resultFormat);
  });
}
// PQdescribePrepared() is ::PQdescribePrepared; the fiber waits.
inline PGresult *PQdescribePrepared(PGconn *conn, const char *stmt) {
  return evy::detail::pq_exec(conn, [&](PGconn *c) { return ::PQsendDescribePrepared(c, stmt); });
}
// PQdescribePortal() is ::PQdescribePortal; the fiber waits.
inline PGresult *PQdescribePortal(PGconn *conn, const char *portal) {
  return evy::detail::pq_exec(conn, [&](PGconn *c) { return ::PQsendDescribePortal(c, portal); });
}
// PQgetResult() is ::PQgetResult; the fiber waits while the connection is busy.
inline PGresult *PQgetResult(PGconn *conn) { return evy::detail::pq_get_result(conn); }
// PQreset() is ::PQreset; the fiber waits while reconnecting.
inline void PQreset(PGconn *conn) {
  if (conn != nullptr && ::PQresetStart(conn))
    evy::detail::pq_finish_connect(conn, ::PQresetPoll);
}
// PQping() is ::PQping run on evy::tpool (libpq has no asynchronous ping).
inline PGPing PQping(const char *conninfo) {
  return evy::tpool::execute([conninfo] { return ::PQping(conninfo); });
}

} // namespace green
} // namespace evy

EVY_REGISTER_PATCHED_MODULE("psycopg", psycopg)
