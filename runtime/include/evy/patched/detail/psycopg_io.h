// Internal helpers of <evy/patched/psycopg.h>: libpq's blocking loops
// (pqWait + pqReadData/pqSendSome) rebuilt on its asynchronous API, with
// the fiber waiting on PQsocket() in between. Not a public API.
//
// Two libpq details shape this file:
//  * PQsetnonblocking() clears the connection's error message when no
//    command is queued (and flushes in the current mode), so the mode is
//    switched only where libpq clears it anyway or a command is queued.
//  * A read that fails must be libpq's own read inside PQgetResult: after a
//    failed PQconsumeInput the socket is gone and PQgetResult would add an
//    "invalid socket" line. pq_read_would_fail() looks before reading.
#pragma once

#include <evy/fd_wait.h>
#include <evy/detail/green_io.h>

#include <libpq-fe.h>

#include <cerrno>
#include <dlfcn.h>
#include <poll.h>
#include <sys/socket.h>

namespace evy {
namespace detail {

// pq_wait_socket() waits for the connection's socket; false if it cannot.
inline bool pq_wait_socket(PGconn *conn, FdEvents events) {
  const int fd = ::PQsocket(conn);
  if (fd < 0)
    return false;
  return wait_fd_or_throw(fd, events) == FdWaitResult::ready;
}

// pq_tls_read_would_fail() asks OpenSSL whether the bytes waiting are an
// end of the TLS session (close_notify, an alert) rather than data. The
// SSL calls are looked up at run time (libpq loaded libssl), so that green
// libpq users need not link OpenSSL. A close_notify stays seen, so libpq's
// own SSL_read then reports exactly what it would have.
inline bool pq_tls_read_would_fail(PGconn *conn) {
  using Peek = int (*)(void *, void *, int);
  using GetError = int (*)(const void *, int);
  using ClearErrors = void (*)();
  static const Peek peek = reinterpret_cast<Peek>(::dlsym(RTLD_DEFAULT, "SSL_peek"));
  static const GetError get_error =
      reinterpret_cast<GetError>(::dlsym(RTLD_DEFAULT, "SSL_get_error"));
  static const ClearErrors clear_errors =
      reinterpret_cast<ClearErrors>(::dlsym(RTLD_DEFAULT, "ERR_clear_error"));
  void *ssl = ::PQsslStruct(conn, "OpenSSL");
  if (peek == nullptr || get_error == nullptr || clear_errors == nullptr || ssl == nullptr)
    return false;
  char byte;
  const int n = peek(ssl, &byte, 1);
  if (n > 0)
    return false;
  const int error = get_error(ssl, n);
  constexpr int want_read = 2, want_write = 3; // SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE
  if (error == want_read || error == want_write)
    return false;
  clear_errors(); // libpq clears the queue before its own SSL_read anyway
  return true;
}

// pq_read_would_fail() is true when the readable socket is at end of file
// or in error (or, over TLS, the session ended): then libpq must make the
// failing read itself.
inline bool pq_read_would_fail(PGconn *conn) {
  const int fd = ::PQsocket(conn);
  if (fd < 0)
    return true;
  const int saved = errno;
  char byte;
  const ssize_t n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  bool fails = n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
  if (n > 0 && ::PQsslInUse(conn))
    fails = pq_tls_read_would_fail(conn);
  errno = saved;
  return fails;
}

// pq_flush_all() is libpq's blocking pqFlush for a connection in
// non-blocking mode: PQflush (which reads too when the socket is full, as
// pqSendSome does) until nothing is pending. Returns 0 or -1, as pqFlush.
inline int pq_flush_all(PGconn *conn) {
  for (;;) {
    const int pending = ::PQflush(conn);
    if (pending <= 0)
      return pending;
    if (!pq_wait_socket(conn, POLLIN | POLLOUT))
      return ::PQflush(conn) < 0 ? -1 : 0; // the socket is gone: libpq says why
  }
}

// PqNonblockingScope puts a connection in blocking mode into libpq's
// non-blocking mode, so that libpq's own flushes never wait in poll(), and
// restore() puts it back. Use it only where a command is queued or where
// libpq clears the error message anyway (see the top of this file), and
// restore only with nothing left to send (else the switch fails).
class PqNonblockingScope {
public:
  explicit PqNonblockingScope(PGconn *conn)
      : conn_(conn), switched_(::PQisnonblocking(conn) == 0 && ::PQsetnonblocking(conn, 1) == 0) {}
  ~PqNonblockingScope() { restore(); }
  void restore() {
    if (switched_)
      ::PQsetnonblocking(conn_, 0);
    switched_ = false;
  }
  bool active() const { return switched_; }
  PqNonblockingScope(const PqNonblockingScope &) = delete;
  PqNonblockingScope &operator=(const PqNonblockingScope &) = delete;

private:
  PGconn *conn_;
  bool switched_;
};

// pq_get_result() is PQgetResult that waits as a fiber while libpq is busy.
inline PGresult *pq_get_result(PGconn *conn) {
  if (conn == nullptr)
    return nullptr;
  while (::PQisBusy(conn)) {
    const int pending = ::PQflush(conn); // only a caller's non-blocking mode leaves any
    if (pending < 0)
      break;
    if (!pq_wait_socket(conn, pending > 0 ? (POLLIN | POLLOUT) : POLLIN))
      break;
    if (pending == 0 && pq_read_would_fail(conn))
      break; // PQgetResult's own read fails at once, with libpq's message
    if (!::PQconsumeInput(conn))
      break; // PQgetResult turns the failure into an error result
  }
  return ::PQgetResult(conn);
}

// pq_drain_copy_out() ends a COPY OUT as PQexec does, dropping the rows:
// afterwards PQgetResult reads the COPY's completion.
inline void pq_drain_copy_out(PGconn *conn) {
  for (;;) {
    char *row = nullptr;
    const int length = ::PQgetCopyData(conn, &row, 1);
    if (row != nullptr)
      ::PQfreemem(row);
    if (length > 0)
      continue;
    if (length < 0 || !pq_wait_socket(conn, POLLIN) || !::PQconsumeInput(conn))
      return; // ended, or the connection broke (PQgetResult reports it)
  }
}

// PqStart says how libpq's PQexecStart would end.
enum class PqStart { ok, failed, copy_both };

// pq_exec_start() is PQexecStart's loop: drop what a previous command left,
// ending a COPY IN (PQputCopyEnd) or COPY OUT (its rows dropped) on the way.
// flush: the caller is in blocking mode, where PQputCopyEnd flushes.
inline PqStart pq_exec_start(PGconn *conn, bool flush) {
  while (PGresult *stale = pq_get_result(conn)) {
    const ExecStatusType status = ::PQresultStatus(stale);
    ::PQclear(stale);
    if (status == PGRES_COPY_IN) {
      // libpq's own words (translated by libpq where a locale is set).
      if (::PQputCopyEnd(conn, "COPY terminated by new PQexec") < 0 ||
          (flush && pq_flush_all(conn) < 0))
        return PqStart::failed;
    } else if (status == PGRES_COPY_OUT) {
      pq_drain_copy_out(conn);
    } else if (status == PGRES_COPY_BOTH) {
      return PqStart::copy_both;
    }
    if (::PQstatus(conn) == CONNECTION_BAD)
      return PqStart::failed;
  }
  return PqStart::ok;
}

// pq_exec_finish() is PQexecFinish: keep the last result, stopping at COPY
// or a broken connection.
inline PGresult *pq_exec_finish(PGconn *conn) {
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

// pq_exec() is libpq's PQexec skeleton around send (a PQsend* call).
template <class Send> PGresult *pq_exec(PGconn *conn, Send send) {
  if (conn == nullptr)
    return nullptr;
  if (::PQpipelineStatus(conn) != PQ_PIPELINE_OFF)
    return ::PQexec(conn, ""); // PQexecStart refuses at once, with its message
  // PQexecStart clears the error message (when no command is queued); so
  // does each switch of PQsetnonblocking, under the same condition.
  const bool caller_nonblocking = ::PQisnonblocking(conn) == 1;
  if (caller_nonblocking && ::PQsetnonblocking(conn, 0) == 0)
    ::PQsetnonblocking(conn, 1);
  PqNonblockingScope nonblocking(conn);
  switch (pq_exec_start(conn, !caller_nonblocking)) {
  case PqStart::failed:
    return nullptr;
  case PqStart::copy_both:
    nonblocking.restore();
    return ::PQexec(conn, ""); // PQexecStart refuses at once, with its message
  case PqStart::ok:
    break;
  }
  if (!send(conn)) {
    // Refused before anything was sent (bad arguments): restoring the mode
    // clears the message, and the same call in blocking mode says it again.
    if (::PQstatus(conn) == CONNECTION_BAD || !nonblocking.active())
      return nullptr;
    nonblocking.restore();
    if (!send(conn))
      return nullptr;
  } else if (pq_flush_all(conn) < 0) {
    return nullptr;
  }
  nonblocking.restore(); // the command is queued: no message is cleared
  return pq_exec_finish(conn);
}

} // namespace detail
} // namespace evy
