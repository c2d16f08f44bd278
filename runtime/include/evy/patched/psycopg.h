// <evy/patched/psycopg.h>: green libpq (what psycopg2 wraps).
//
// Header-only on purpose: the wrappers call libpq from the including
// translation unit, so libevy itself never links libpq. Each blocking libpq
// call is rebuilt from libpq's asynchronous API (PQconnectStart/
// PQconnectPoll, PQsend*/PQflush/PQconsumeInput/PQisBusy/PQgetResult,
// PQgetCopyData(async)) with the fiber waiting on PQsocket() in between, so
// results, error messages and connection states are libpq's own. Calls
// libpq cannot make without blocking run libpq's own blocking call on
// evy::tpool: PQping, PQcancel, and a connect (or PQreset) that resolves a
// host name or has a connect_timeout (see detail/psycopg_connect.h).
// Compile with -I/usr/include/postgresql (pg_config --includedir) and link
// -lpq, as for libpq itself.
//
// Blocking mode is kept as the caller set it (PQsetnonblocking); while a
// green call runs, libpq's non-blocking mode is used underneath.
#pragma once

#include <evy/monkey_patch.h>
#include <evy/patched/detail/psycopg_connect.h>
#include <evy/patched/detail/psycopg_io.h>
#include <evy/tpool.h>

#include <libpq-fe.h>
#include <poll.h>

namespace evy {
namespace green {

// PQconnectdb() is ::PQconnectdb; the fiber waits while connecting.
inline PGconn *PQconnectdb(const char *conninfo) {
  if (evy::detail::pq_conninfo_needs_pool(conninfo))
    return evy::tpool::execute([conninfo] { return ::PQconnectdb(conninfo); });
  return evy::detail::pq_connected(::PQconnectStart(conninfo));
}
// PQconnectdbParams() is ::PQconnectdbParams; the fiber waits while connecting.
inline PGconn *PQconnectdbParams(const char *const *keywords, const char *const *values,
                                 int expand_dbname) {
  if (evy::detail::pq_params_need_pool(keywords, values, expand_dbname))
    return evy::tpool::execute(
        [=] { return ::PQconnectdbParams(keywords, values, expand_dbname); });
  return evy::detail::pq_connected(::PQconnectStartParams(keywords, values, expand_dbname));
}
// PQsetdbLogin() is ::PQsetdbLogin (dbName may be a conninfo string, as
// there); pgtty is ignored, as libpq does.
inline PGconn *PQsetdbLogin(const char *pghost, const char *pgport, const char *pgoptions,
                            const char *pgtty, const char *dbName, const char *login,
                            const char *pwd) {
  const char *const keywords[] = {"dbname", "host", "port", "options", "user", "password", nullptr};
  const char *const values[] = {dbName, pghost, pgport, pgoptions, login, pwd, nullptr};
  if (evy::detail::pq_params_need_pool(keywords, values, 1))
    return evy::tpool::execute(
        [=] { return ::PQsetdbLogin(pghost, pgport, pgoptions, pgtty, dbName, login, pwd); });
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

// PQgetCopyData() is ::PQgetCopyData; with async == 0 the fiber waits for a row.
inline int PQgetCopyData(PGconn *conn, char **buffer, int async) {
  if (conn == nullptr || async != 0)
    return ::PQgetCopyData(conn, buffer, async);
  for (;;) {
    const int length = ::PQgetCopyData(conn, buffer, 1);
    if (length != 0)
      return length;
    // Without a socket libpq's own wait fails at once, with its message.
    if (::PQsocket(conn) < 0 || !evy::detail::pq_wait_socket(conn, POLLIN))
      return ::PQgetCopyData(conn, buffer, 0);
    if (!::PQconsumeInput(conn))
      return -2; // pqReadData failed: libpq's message is set, as in its own loop
  }
}
// PQputCopyData() is ::PQputCopyData; in blocking mode the fiber waits
// until the data is sent.
inline int PQputCopyData(PGconn *conn, const char *buffer, int nbytes) {
  if (conn == nullptr || ::PQisnonblocking(conn))
    return ::PQputCopyData(conn, buffer, nbytes);
  // Zero bytes: libpq's own state check (and message), never any I/O.
  const int check = ::PQputCopyData(conn, buffer, 0);
  if (check < 0 || nbytes <= 0)
    return check;
  evy::detail::PqNonblockingScope nonblocking(conn); // COPY is queued: no message is cleared
  if (::PQputCopyData(conn, buffer, nbytes) <= 0)
    return -1;
  return evy::detail::pq_flush_all(conn) < 0 ? -1 : 1;
}
// PQputCopyEnd() is ::PQputCopyEnd; in blocking mode the fiber waits
// until the end of the COPY is sent.
inline int PQputCopyEnd(PGconn *conn, const char *errormsg) {
  if (conn == nullptr || ::PQisnonblocking(conn))
    return ::PQputCopyEnd(conn, errormsg);
  // libpq's own state check, whose message is PQputCopyEnd's too.
  if (::PQputCopyData(conn, "", 0) < 0)
    return -1;
  evy::detail::PqNonblockingScope nonblocking(conn);
  if (::PQputCopyEnd(conn, errormsg) <= 0)
    return -1;
  return evy::detail::pq_flush_all(conn) < 0 ? -1 : 1;
}
// PQflush() is ::PQflush; in blocking mode the fiber waits until the
// socket is writable first. libpq's blocking calls leave under 8 KB
// unsent (and green calls nothing), which a writable socket takes at once.
inline int PQflush(PGconn *conn) {
  if (conn != nullptr && !::PQisnonblocking(conn) && ::PQsocket(conn) >= 0)
    evy::detail::pq_wait_socket(conn, POLLOUT);
  return ::PQflush(conn);
}
// PQcancel() is ::PQcancel run on evy::tpool (it connects and waits itself).
inline int PQcancel(PGcancel *cancel, char *errbuf, int errbufsize) {
  return evy::tpool::execute([=] { return ::PQcancel(cancel, errbuf, errbufsize); });
}
// PQreset() is ::PQreset; the fiber waits while reconnecting.
inline void PQreset(PGconn *conn) {
  if (conn != nullptr && evy::detail::pq_conn_needs_pool(conn))
    return evy::tpool::execute([conn] { ::PQreset(conn); });
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
