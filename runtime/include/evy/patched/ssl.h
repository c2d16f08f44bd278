// <evy/patched/ssl.h>: green OpenSSL handshakes, reads, writes, shutdown.
//
// Header-only on purpose: the wrappers call OpenSSL from the including
// translation unit, so libevy itself never links libssl; a program that
// calls SSL_read links OpenSSL already. Each wrapper makes the SSL's socket
// non-blocking inside the runtime and calls OpenSSL. The fiber waits only
// where the original would have blocked in the socket: the socket BIO's
// last read or write failed with EAGAIN (OpenSSL clears errno before each),
// and SSL_want() says which way. Then it waits on the fd and retries with
// the same arguments (as OpenSSL requires). Any other WANT_READ/WANT_WRITE
// (SSL_MODE_AUTO_RETRY cleared, after a TLS 1.3 ticket) comes back at once,
// as from the original. A caller whose socket is non-blocking in its own view
// gets WANT_READ/WANT_WRITE at once too; SO_RCVTIMEO and SO_SNDTIMEO bound
// the whole call's wait, once, and end it with the original's result
// (WANT_READ/WANT_WRITE, errno EAGAIN). SSLs without a socket fd (memory
// BIOs) are passed straight through. Each green thread has its own OpenSSL
// error queue (detail/ssl_error_queue.h).
#pragma once

#include <evy/monkey_patch.h>
#include <evy/detail/green_io.h>
#include <evy/patched/detail/ssl_error_queue.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>

#include <cerrno>
#include <cstddef>

namespace evy {
namespace detail {

// ssl_wait_events() says what the original would have blocked on in the
// socket (POLLIN, POLLOUT) given op()'s errno, or 0 if it would not block.
inline FdEvents ssl_wait_events(SSL *ssl, int op_errno) {
  if (op_errno != EAGAIN && op_errno != EWOULDBLOCK)
    return 0; // no socket call would block: OpenSSL's own answer stands
  const int want = ::SSL_want(ssl);
  return want == SSL_READING ? POLLIN : want == SSL_WRITING ? POLLOUT : 0;
}

// retry_ssl() runs op until it succeeds, fails for good, or must give up
// waiting; it returns op's last result exactly as OpenSSL produced it.
// zero_is_final: SSL_shutdown's 0 means "in progress", not an error.
template <class Op> int retry_ssl(SSL *ssl, Op op, bool zero_is_final = false) {
  const int fd = ::SSL_get_fd(ssl);
  const evy::detail::FdView view = fd >= 0 ? adopt_fd(fd) : FdView{};
  if (!view.waitable || view.caller_nonblocking)
    return op(); // the original never blocks here: nothing to wait for
  Deadline read_deadline = no_deadline, write_deadline = no_deadline;
  bool read_armed = false, write_armed = false;
  for (;;) {
    errno = 0; // as the socket BIO does before each read and write
    const int result = op();
    const int op_errno = errno;
    if (result > 0 || (result == 0 && zero_is_final))
      return result;
    const FdEvents events = ssl_wait_events(ssl, op_errno);
    Deadline deadline;
    if (events == POLLIN) {
      if (!read_armed)
        read_deadline = timeout_deadline(view.receive_timeout);
      read_armed = true;
      deadline = read_deadline;
    } else if (events == POLLOUT) {
      if (!write_armed)
        write_deadline = timeout_deadline(view.send_timeout);
      write_armed = true;
      deadline = write_deadline;
    } else {
      return result; // done, failed, or a WANT_ the original returns too
    }
    // The socket BIO's own read or write said EAGAIN: the hub's
    // registration of fd can be trusted without asking the kernel.
    const bool after_eagain = op_errno == EAGAIN || op_errno == EWOULDBLOCK;
    const FdWaitResult waited = throw_if_interrupted(
        after_eagain ? wait_fd_after_eagain(fd, events, deadline, Interruptible::yes)
                     : wait_fd(fd, events, deadline, Interruptible::yes));
    // timed_out, closed, bad_fd (signalled is not asked for here):
    if (waited != FdWaitResult::ready) {
      errno = op_errno; // what a blocking socket with a timeout reports
      return result;
    }
  }
}

} // namespace detail
} // namespace evy

namespace evy {
namespace green {

// SSL_connect() is ::SSL_connect; the fiber waits during the handshake.
inline int SSL_connect(SSL *ssl) {
  return evy::detail::retry_ssl(ssl, [&] { return ::SSL_connect(ssl); });
}
// SSL_accept() is ::SSL_accept; the fiber waits during the handshake.
inline int SSL_accept(SSL *ssl) {
  return evy::detail::retry_ssl(ssl, [&] { return ::SSL_accept(ssl); });
}
// SSL_do_handshake() is ::SSL_do_handshake; the fiber waits meanwhile.
inline int SSL_do_handshake(SSL *s) {
  return evy::detail::retry_ssl(s, [&] { return ::SSL_do_handshake(s); });
}
// SSL_read() is ::SSL_read; the fiber waits for a record.
inline int SSL_read(SSL *ssl, void *buf, int num) {
  return evy::detail::retry_ssl(ssl, [&] { return ::SSL_read(ssl, buf, num); });
}
// SSL_read_ex() is ::SSL_read_ex; the fiber waits for a record.
inline int SSL_read_ex(SSL *ssl, void *buf, size_t num, size_t *readbytes) {
  return evy::detail::retry_ssl(ssl, [&] { return ::SSL_read_ex(ssl, buf, num, readbytes); });
}
// SSL_write() is ::SSL_write; the fiber waits for room.
inline int SSL_write(SSL *ssl, const void *buf, int num) {
  return evy::detail::retry_ssl(ssl, [&] { return ::SSL_write(ssl, buf, num); });
}
// SSL_write_ex() is ::SSL_write_ex; the fiber waits for room.
inline int SSL_write_ex(SSL *s, const void *buf, size_t num, size_t *written) {
  return evy::detail::retry_ssl(s, [&] { return ::SSL_write_ex(s, buf, num, written); });
}
// SSL_peek() is ::SSL_peek; the fiber waits for a record.
inline int SSL_peek(SSL *ssl, void *buf, int num) {
  return evy::detail::retry_ssl(ssl, [&] { return ::SSL_peek(ssl, buf, num); });
}
// SSL_peek_ex() is ::SSL_peek_ex; the fiber waits for a record.
inline int SSL_peek_ex(SSL *ssl, void *buf, size_t num, size_t *readbytes) {
  return evy::detail::retry_ssl(ssl, [&] { return ::SSL_peek_ex(ssl, buf, num, readbytes); });
}
// SSL_shutdown() is ::SSL_shutdown; the fiber waits to send close_notify.
// A result of 0 ("sent, peer's not yet seen") is returned as is.
inline int SSL_shutdown(SSL *s) {
  return evy::detail::retry_ssl(
      s, [&] { return ::SSL_shutdown(s); }, /*zero_is_final=*/true);
}

} // namespace green
} // namespace evy

EVY_REGISTER_PATCHED_MODULE("ssl", ssl)
