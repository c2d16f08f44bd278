// <evy/patched/ssl.h>: green OpenSSL handshakes, reads, writes, shutdown.
//
// Header-only on purpose: the wrappers call OpenSSL from the including
// translation unit, so libevy itself never links libssl; a program that
// calls SSL_read links OpenSSL already. Each wrapper makes the SSL's socket
// non-blocking inside the runtime and turns SSL_ERROR_WANT_READ/WANT_WRITE
// into a fiber wait on that fd, then retries with the same arguments (as
// OpenSSL requires). A caller whose socket is non-blocking in its own view
// gets WANT_READ/WANT_WRITE back at once, as before; SO_RCVTIMEO and
// SO_SNDTIMEO end the wait with the original's WANT_READ/WANT_WRITE result.
// SSLs without a socket fd (memory BIOs) are passed straight through.
#pragma once

#include <evy/monkey_patch.h>
#include <evy/patched/detail/green_io.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>

#include <cstddef>

namespace evy {
namespace detail {
// retry_ssl() runs op until it succeeds, fails for good, or must give up
// waiting; it returns op's last result exactly as OpenSSL produced it.
// zero_is_final: SSL_shutdown's 0 means "in progress", not an error.
template <class Op> int retry_ssl(SSL *ssl, Op op, bool zero_is_final = false) {
  const int fd = ::SSL_get_fd(ssl);
  const evy::detail::FdView view = fd >= 0 ? adopt_fd(fd) : FdView{};
  Deadline read_deadline{}, write_deadline{};
  bool read_armed = false, write_armed = false;
  for (;;) {
    const int result = op();
    if (result > 0 || (result == 0 && zero_is_final) || !view.waitable || view.caller_nonblocking)
      return result;
    const int error = ::SSL_get_error(ssl, result);
    FdEvents events;
    Deadline deadline;
    if (error == SSL_ERROR_WANT_READ) {
      if (!read_armed) {
        read_deadline = timeout_deadline(view.receive_timeout);
        read_armed = true;
      }
      events = POLLIN;
      deadline = read_deadline;
    } else if (error == SSL_ERROR_WANT_WRITE) {
      if (!write_armed) {
        write_deadline = timeout_deadline(view.send_timeout);
        write_armed = true;
      }
      events = POLLOUT;
      deadline = write_deadline;
    } else {
      return result; // a real error or a clean close: the caller's to see
    }
    switch (wait_fd(fd, events, deadline, Interruptible::yes)) {
    case FdWaitResult::ready:
      continue;
    case FdWaitResult::interrupted:
      throw_timeout_error();
    case FdWaitResult::timed_out:
    case FdWaitResult::closed:
    case FdWaitResult::bad_fd:
      return result; // what a blocking socket with a timeout reports
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
