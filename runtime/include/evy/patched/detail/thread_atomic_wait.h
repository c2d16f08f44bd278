// Green waits on atomics (C++20): atomic_wait, atomic_wait_explicit,
// atomic_notify_one, atomic_notify_all, with std's signatures, and
// atomic_flag_wait/notify for std::atomic_flag. A wait parks the calling
// fiber, so a notifier that is a fiber of the same OS thread can run.
// Part of <evy/patched/thread.h>; include that header, not this one.
//
// The rewriter maps the free functions; the member calls a.wait(old),
// a.notify_one(), a.notify_all() (and atomic_flag's) are what these free
// functions do: see docs/thread.md for how they are reached.
#pragma once

#include <atomic>
#include <cstring>
#if __has_include(<version>) // the feature-test macros (C++20; libstdc++ has it earlier)
#include <version>
#endif

#if defined(__cpp_lib_atomic_wait)

namespace evy {
namespace green {
namespace detail {

// AtomicUnchanged says whether the atomic at `atomic` still holds the value
// representation at `old` (std compares representations, not with ==).
typedef bool (*AtomicUnchanged)(const void *atomic, const void *old, std::memory_order order);

// atomic_wait_address() parks the calling fiber while unchanged(atomic, old)
// holds, woken by atomic_notify_address() on the same address.
void atomic_wait_address(const void *atomic, AtomicUnchanged unchanged, const void *old,
                         std::memory_order order) noexcept;
// atomic_notify_address() wakes one (all: every) fiber waiting on atomic.
void atomic_notify_address(const void *atomic, bool all) noexcept;

template <class T> struct AtomicCompare {
  static bool unchanged(const void *atomic, const void *old, std::memory_order order) {
    const T now = static_cast<const std::atomic<T> *>(atomic)->load(order);
    return std::memcmp(static_cast<const void *>(&now), old, sizeof(T)) == 0;
  }
};

inline bool flag_unchanged(const void *flag, const void *old, std::memory_order order) {
  return static_cast<const std::atomic_flag *>(flag)->test(order) == *static_cast<const bool *>(old);
}

} // namespace detail

// atomic_wait() is std::atomic_wait: parks the fiber until *a's value is
// no longer old and a notify came (spurious wake-ups re-check).
template <class T>
void atomic_wait(const std::atomic<T> *a, typename std::atomic<T>::value_type old) noexcept {
  detail::atomic_wait_address(a, &detail::AtomicCompare<T>::unchanged, &old,
                              std::memory_order_seq_cst);
}
// atomic_wait_explicit() is atomic_wait() loading with order.
template <class T>
void atomic_wait_explicit(const std::atomic<T> *a, typename std::atomic<T>::value_type old,
                          std::memory_order order) noexcept {
  detail::atomic_wait_address(a, &detail::AtomicCompare<T>::unchanged, &old, order);
}
// atomic_notify_one() wakes one fiber waiting on *a (from any OS thread).
template <class T> void atomic_notify_one(std::atomic<T> *a) noexcept {
  detail::atomic_notify_address(a, false);
}
// atomic_notify_all() wakes every fiber waiting on *a.
template <class T> void atomic_notify_all(std::atomic<T> *a) noexcept {
  detail::atomic_notify_address(a, true);
}

// atomic_flag_wait() parks the fiber while flag->test() == old.
inline void atomic_flag_wait(const std::atomic_flag *flag, bool old) noexcept {
  detail::atomic_wait_address(flag, &detail::flag_unchanged, &old, std::memory_order_seq_cst);
}
// atomic_flag_wait_explicit() is atomic_flag_wait() testing with order.
inline void atomic_flag_wait_explicit(const std::atomic_flag *flag, bool old,
                                      std::memory_order order) noexcept {
  detail::atomic_wait_address(flag, &detail::flag_unchanged, &old, order);
}
// atomic_flag_notify_one() wakes one fiber waiting on *flag.
inline void atomic_flag_notify_one(std::atomic_flag *flag) noexcept {
  detail::atomic_notify_address(flag, false);
}
// atomic_flag_notify_all() wakes every fiber waiting on *flag.
inline void atomic_flag_notify_all(std::atomic_flag *flag) noexcept {
  detail::atomic_notify_address(flag, true);
}

} // namespace green
} // namespace evy

#endif // __cpp_lib_atomic_wait: green waits exactly where std's exist
