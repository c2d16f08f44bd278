// INVOKE for every standard: what spawn() and green::thread call a function
// with. std::invoke and std::apply are C++17 and std::index_sequence C++14;
// these are the C++11 equivalents, spelled the same at every standard so
// that inline code built at different standards is one definition.
// Not a public API: names may change with the runtime.
#pragma once

#include <cstddef>
#include <functional> // std::reference_wrapper
#include <tuple>
#include <type_traits>
#include <utility>

namespace evy {
namespace detail {

// Ranked overloads: a RankN argument prefers the RankN overload over lower ones.
struct Rank0 {};
struct Rank1 : Rank0 {};
struct Rank2 : Rank1 {};

// object_of() is the object a pointer to a member of C is applied to: the
// argument itself, what a reference_wrapper refers to, or *argument.
template <class C, class T>
auto object_of(T &&t, Rank2) -> typename std::enable_if<
    std::is_base_of<C, typename std::decay<T>::type>::value, T &&>::type {
  return std::forward<T>(t);
}
template <class C, class U> U &object_of(std::reference_wrapper<U> t, Rank1) { return t.get(); }
template <class C, class T> auto object_of(T &&t, Rank0) -> decltype(*std::forward<T>(t)) {
  return *std::forward<T>(t);
}

// invoke() is std::invoke: callables, pointers to member functions and to
// data members (on objects, references, reference_wrappers and pointers).
template <class F, class... A>
auto invoke(F &&f, A &&...a) -> decltype(std::forward<F>(f)(std::forward<A>(a)...)) {
  return std::forward<F>(f)(std::forward<A>(a)...);
}
template <class M, class C, class T, class... A,
          class = typename std::enable_if<std::is_function<M>::value>::type>
auto invoke(M C::*pm, T &&obj, A &&...a)
    -> decltype((object_of<C>(std::forward<T>(obj), Rank2()).*pm)(std::forward<A>(a)...)) {
  return (object_of<C>(std::forward<T>(obj), Rank2()).*pm)(std::forward<A>(a)...);
}
template <class M, class C, class T,
          class = typename std::enable_if<!std::is_function<M>::value>::type>
auto invoke(M C::*pm, T &&obj) -> decltype(object_of<C>(std::forward<T>(obj), Rank2()).*pm) {
  return object_of<C>(std::forward<T>(obj), Rank2()).*pm;
}

// IsInvocable<F, A...>::value is std::is_invocable_v<F, A...>.
template <class... T> struct VoidOf {
  typedef void type;
};
template <class Void, class F, class... A> struct IsInvocableImpl : std::false_type {};
template <class F, class... A>
struct IsInvocableImpl<
    typename VoidOf<decltype(detail::invoke(std::declval<F>(), std::declval<A>()...))>::type, F,
    A...> : std::true_type {};
template <class F, class... A> struct IsInvocable : IsInvocableImpl<void, F, A...> {};

// Indices<0, ..., N-1> is std::make_index_sequence<N>.
template <std::size_t... I> struct Indices {};
template <std::size_t N, std::size_t... I> struct MakeIndices : MakeIndices<N - 1, N - 1, I...> {};
template <std::size_t... I> struct MakeIndices<0, I...> {
  typedef Indices<I...> type;
};

// BoundCall is a function and its decay-copied arguments, called once as
// INVOKE(move(fn), move(args)...): what std::thread runs.
// The Binding tag keeps the forwarding constructor from posing as a copy or
// move constructor.
struct Binding {};
template <class Fn, class... Args> struct BoundCall {
  template <class F, class... A>
  BoundCall(Binding, F &&f, A &&...a) : fn(std::forward<F>(f)), args(std::forward<A>(a)...) {}
  void operator()() { call(typename MakeIndices<sizeof...(Args)>::type()); }

  Fn fn;
  std::tuple<Args...> args;

private:
  template <std::size_t... I> void call(Indices<I...>) {
    detail::invoke(std::move(fn), std::move(std::get<I>(args))...);
  }
};

} // namespace detail
} // namespace evy
