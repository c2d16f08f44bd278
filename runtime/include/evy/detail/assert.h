// EVY_ASSERT(condition): checks an internal precondition of the runtime in
// debug builds (NDEBUG not defined, or EVY_ENABLE_ASSERTS defined) and
// compiles to nothing otherwise. A failed check prints where and aborts:
// it is a bug in libevy or a broken contract, never a user error to report.
// C++11 (public headers use it).
#pragma once

#if !defined(NDEBUG) || defined(EVY_ENABLE_ASSERTS)
#include <cstdio>
#include <cstdlib>

namespace evy {
namespace detail {
[[noreturn]] inline void assertion_failed(const char *condition, const char *file,
                                          int line) noexcept {
  std::fprintf(stderr, "evy: internal check failed: %s (%s:%d)\n", condition, file, line);
  std::abort();
}
} // namespace detail
} // namespace evy

#define EVY_ASSERT(condition)                                                                      \
  ((condition) ? static_cast<void>(0)                                                              \
               : ::evy::detail::assertion_failed(#condition, __FILE__, __LINE__))
#else
#define EVY_ASSERT(condition) static_cast<void>(0)
#endif
