// Internal: one OpenSSL error queue per green thread, as per OS thread.
// Not a public API: names and semantics may change with the runtime.
//
// OpenSSL keeps its error queue per OS thread, and code relies on that:
// SSL_get_error() reads it, so an error a sleeping fiber left behind would
// turn another fiber's healthy SSL_read into a failure. This header installs
// a fiber switch hook (fiber_switch_hook.h): when a fiber switches away with
// errors queued, they are drained into the fiber (ERR_get_error_all) and
// raised again, oldest first, when it runs next (ERR_new, ERR_set_debug,
// ERR_set_error, ERR_add_error_data). OpenSSL 3.0 has no public API to swap
// the queue itself. Costs: where OpenSSL 3.0's ERR_STATE layout is visible
// (err.h, unless OPENSSL_NO_DEPRECATED_3_0), two loads per switch of every
// fiber while queues are empty: the thread's ERR_STATE is looked up once
// per OS thread (fibers never change threads) and an empty queue is
// top == bottom; ERR_peek_error() decides the rest. Otherwise one
// ERR_peek_error() per switch (20 ns on an AMD EPYC: a thread-local lookup
// behind OpenSSL's init checks). A copy of the entries (code, file, line,
// function, text) when not empty. What is lost:
// ERR_set_mark() marks across a switch, and the text of an entry is always
// re-raised as allocated text (ERR_TXT_MALLOCED | ERR_TXT_STRING).
//
// The ERR_* functions are referenced weakly: <evy/patched/socket.h>
// includes this header wherever OpenSSL's headers exist, and a socket-only
// program that does not link libcrypto must still link. Without libcrypto
// (or before OpenSSL 3.0) no hook is installed.
#pragma once

#include <evy/detail/fiber_switch_hook.h>

#include <openssl/err.h>
#include <openssl/opensslv.h>

#include <cerrno>
#include <new>
#include <string>
#include <vector>

#if OPENSSL_VERSION_NUMBER >= 0x30000000L
#define EVY_SSL_ERROR_QUEUE_PER_FIBER 1

extern "C" {
unsigned long ERR_peek_error(void) __attribute__((weak));
unsigned long ERR_get_error_all(const char **file, int *line, const char **func,
                                const char **data, int *flags) __attribute__((weak));
void ERR_new(void) __attribute__((weak));
void ERR_set_debug(const char *file, int line, const char *func) __attribute__((weak));
void ERR_set_error(int lib, int reason, const char *fmt, ...) __attribute__((weak));
void ERR_add_error_data(int num, ...) __attribute__((weak));
void ERR_clear_error(void) __attribute__((weak));
#if defined(ERR_NUM_ERRORS) // struct err_state_st is visible
ERR_STATE *ERR_get_state(void) __attribute__((weak));
#endif
}

namespace evy {
namespace detail {

struct SavedSslError {
  unsigned long code;
  int line;
  bool has_text;
  std::string file, function, text;
};
typedef std::vector<SavedSslError> SavedSslErrors;

// ssl_error_queue_empty() is ERR_peek_error() == 0, cheap in the common
// case. The thread's ERR_STATE lives until the thread stops (or
// OPENSSL_cleanup() for the main thread, after which no fiber may use
// OpenSSL either).
inline bool ssl_error_queue_empty() {
#if defined(ERR_NUM_ERRORS)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  static thread_local ERR_STATE *state = nullptr;
  if (state == nullptr && &::ERR_get_state != nullptr)
    state = ::ERR_get_state();
#pragma GCC diagnostic pop
  if (state != nullptr && state->top == state->bottom)
    return true; // entries between them may be cleared ones: ask OpenSSL
#endif
  return ::ERR_peek_error() == 0;
}

// save_ssl_errors() drains the thread's queue into *slot (fiber switch out).
inline void save_ssl_errors(void **slot, bool finished) {
  if (ssl_error_queue_empty())
    return; // the common case
  const int saved_errno = errno;
  if (finished) {
    ::ERR_clear_error(); // a finished fiber's queue dies with it
    errno = saved_errno;
    return;
  }
  SavedSslErrors *saved = new (std::nothrow) SavedSslErrors;
  const char *file = nullptr, *function = nullptr, *text = nullptr;
  int line = 0, flags = 0;
  while (const unsigned long code = ::ERR_get_error_all(&file, &line, &function, &text, &flags)) {
    if (saved == nullptr)
      continue; // out of memory: the entries are dropped, not shared
    try {
      const bool has_text = (flags & ERR_TXT_STRING) != 0 && text != nullptr;
      saved->push_back(SavedSslError{code, line, has_text, file ? file : "",
                                     function ? function : "", has_text ? text : ""});
    } catch (...) {
    }
  }
  *slot = saved;
  errno = saved_errno;
}

// restore_ssl_errors() raises the saved entries again (fiber switch in).
inline void restore_ssl_errors(void **slot) {
  SavedSslErrors *saved = static_cast<SavedSslErrors *>(*slot);
  *slot = nullptr;
  const int saved_errno = errno;
  for (const SavedSslError &entry : *saved) {
    ::ERR_new();
    ::ERR_set_debug(entry.file.c_str(), entry.line, entry.function.c_str());
    // ERR_GET_LIB/REASON undo ERR_set_error's packing, system errors too.
    ::ERR_set_error(ERR_GET_LIB(entry.code), ERR_GET_REASON(entry.code), nullptr);
    if (entry.has_text)
      ::ERR_add_error_data(1, entry.text.c_str()); // no length limit, unlike a format
  }
  delete saved;
  errno = saved_errno;
}

// install_ssl_error_queue_hook() runs once per translation unit that
// includes <evy/patched/ssl.h>; true when the hook is in place.
inline bool install_ssl_error_queue_hook() {
  if (&::ERR_peek_error == nullptr || &::ERR_get_error_all == nullptr ||
      &::ERR_new == nullptr || &::ERR_set_debug == nullptr || &::ERR_set_error == nullptr ||
      &::ERR_add_error_data == nullptr || &::ERR_clear_error == nullptr)
    return false; // libcrypto is not linked: no OpenSSL state to keep apart
  FiberSwitchHook hook;
  hook.save = &save_ssl_errors;
  hook.restore = &restore_ssl_errors;
  return install_fiber_switch_hook(hook);
}

} // namespace detail
} // namespace evy

// Not in libevy's own objects: a shared libevy would then install the hook
// in every program that happens to load libcrypto.
#ifndef EVY_BUILDING_RUNTIME
namespace {
const bool evy_ssl_error_queue_hook_installed __attribute__((unused)) =
    ::evy::detail::install_ssl_error_queue_hook();
}
#endif
#endif // OpenSSL 3.0
