// ResultSlot<R>: room for one result of type R, built in place later, for
// the green futures' shared state and the thread pool's calls (std::optional
// is C++17). References are kept as pointers, void keeps nothing. Whoever
// owns the slot fills it at most once, and reads it only after that.
// C++11 (public headers use it).
#pragma once

#include <memory>
#include <new>
#include <utility>

namespace evy {
namespace detail {

// emplace(a...) builds the value from a..., fill(f) stores f()'s result;
// get() reads the stored value, take() moves it out.
template <class R> class ResultSlot {
public:
  ResultSlot() noexcept {}
  ResultSlot(const ResultSlot &) = delete;
  ResultSlot &operator=(const ResultSlot &) = delete;
  ~ResultSlot() {
    if (value_ != nullptr)
      value_->~R();
  }
  template <class... A> void emplace(A &&...a) {
    value_ = ::new (static_cast<void *>(bytes_)) R(std::forward<A>(a)...);
  }
  template <class F> void fill(F &f) { value_ = ::new (static_cast<void *>(bytes_)) R(f()); }
  R &get() noexcept { return *value_; }
  R take() { return std::move(*value_); }

private:
  alignas(R) unsigned char bytes_[sizeof(R)];
  R *value_ = nullptr;
};

template <class R> class ResultSlot<R &> {
public:
  void emplace(R &r) noexcept { value_ = std::addressof(r); }
  template <class F> void fill(F &f) { value_ = std::addressof(f()); }
  R &get() noexcept { return *value_; }
  R &take() noexcept { return *value_; }

private:
  R *value_ = nullptr;
};

template <class R> class ResultSlot<R &&> {
public:
  void emplace(R &&r) noexcept { value_ = std::addressof(r); }
  template <class F> void fill(F &f) {
    R &&r = f(); // named, the reference f() returned is an lvalue
    value_ = std::addressof(r);
  }
  R &get() noexcept { return *value_; }
  R &&take() noexcept { return static_cast<R &&>(*value_); }

private:
  R *value_ = nullptr;
};

template <> class ResultSlot<void> {
public:
  void emplace() noexcept {}
  template <class F> void fill(F &f) { f(); }
  void get() noexcept {}
  void take() noexcept {}
};

} // namespace detail
} // namespace evy
