// spawn() and GreenThread: start a fiber on this OS thread's hub, join it.
#pragma once

#include <evy/deadline.h>
#include <evy/detail/internal_classes.h>
#include <evy/invoke.h>

#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>
#include <typeinfo>

namespace evy {

namespace detail {

// How spawn() hands a type-erased callable to the runtime: the runtime
// reserves `size` bytes (aligned to `align`) at the top of the new fiber's
// stack, asks `relocate` to move the callable there, and later calls `run`,
// which invokes and destroys it. No heap allocation per fiber.
struct SpawnRequest {
  std::size_t size;
  std::size_t align;
  void *source;
  void (*relocate)(void *from, void *to) noexcept;
  void (*run)(void *callable) noexcept;
  const std::type_info *function; // for diagnostics (blocking detector)
};

Fiber *spawn_fiber(const SpawnRequest &request);
// spawn_placed_fiber() is spawn_fiber() on the hub the placement picks
// (see spawn_thread()).
Fiber *spawn_placed_fiber(const SpawnRequest &request);
} // namespace detail

// FiberId identifies a fiber for its whole life; ids are never reused. The
// root fiber of an OS thread (main, or a plain thread's own stack) has one too.
using FiberId = std::uint64_t;

// current_fiber_id() returns the id of the calling fiber.
FiberId current_fiber_id() noexcept;

// GreenThread is the handle spawn() returns, like eventlet's GreenThread.
// Destroying a joinable handle detaches the fiber (it keeps running).
class GreenThread {
public:
  GreenThread() noexcept = default;
  explicit GreenThread(detail::Fiber *fiber) noexcept : fiber_(fiber) {}
  GreenThread(GreenThread &&other) noexcept : fiber_(other.fiber_) { other.fiber_ = nullptr; }
  GreenThread &operator=(GreenThread &&other) noexcept {
    if (this != &other) {
      detach();
      fiber_ = other.fiber_;
      other.fiber_ = nullptr;
    }
    return *this;
  }
  ~GreenThread() { detach(); }

  // joinable() tells whether this handle still refers to a fiber.
  bool joinable() const noexcept { return fiber_ != nullptr; }
  // id() returns the fiber's id, or 0 when not joinable.
  FiberId id() const noexcept;
  // done() tells whether the fiber has returned (false when not joinable).
  bool done() const noexcept;
  // join() parks the caller (any fiber, any OS thread) until the fiber
  // returned, then releases it; the handle is no longer joinable.
  void join() noexcept;
  // join_until() is join() with a deadline; false (still joinable) if it passed.
  bool join_until(Deadline deadline) noexcept;
  // detach() lets the fiber run on unobserved; its stack is recycled when it ends.
  void detach() noexcept;

private:
  detail::Fiber *fiber_ = nullptr;
};

namespace detail {
// EnableIfSpawnable<F, Args...> keeps spawn() and spawn_thread() to what
// can be called as the decay-copies of f(args...) would be.
template <class F, class... Args>
using EnableIfSpawnable = typename std::enable_if<
    IsInvocable<typename std::decay<F>::type, typename std::decay<Args>::type...>::value>::type;

// start_fiber() binds f(args...) into a SpawnRequest and hands it to start.
template <class F, class... Args>
GreenThread start_fiber(Fiber *(*start)(const SpawnRequest &), F &&f, Args &&...args) {
  typedef BoundCall<typename std::decay<F>::type, typename std::decay<Args>::type...> Bound;
  Bound bound(Binding(), std::forward<F>(f), std::forward<Args>(args)...);
  SpawnRequest request{sizeof(Bound),
                       alignof(Bound),
                       &bound,
                       [](void *from, void *to) noexcept {
                         ::new (to) Bound(std::move(*static_cast<Bound *>(from)));
                       },
                       [](void *callable) noexcept {
                         Bound &fn = *static_cast<Bound *>(callable);
                         fn();
                         fn.~Bound();
                       },
                       &typeid(typename std::decay<F>::type)};
  return GreenThread(start(request));
}
} // namespace detail

// spawn() starts f(args...) in a new fiber on the calling OS thread's hub.
// The fiber is queued, not entered: it first runs when the caller parks or
// yields. Arguments are decay-copied, as by std::thread. An exception that
// escapes f calls std::terminate.
template <class F, class... Args, class = detail::EnableIfSpawnable<F, Args...>>
GreenThread spawn(F &&f, Args &&...args) {
  return detail::start_fiber(&detail::spawn_fiber, std::forward<F>(f),
                             std::forward<Args>(args)...);
}

// spawn_thread() is spawn() for a new green thread (what evy::green::thread
// and pthread_create start): with EVY_HUBS=N above 1 it is placed on the
// least loaded of the N hubs, each its own OS thread, where it stays, and
// may run at once, in parallel with the caller. With EVY_HUBS=1, or called
// from an OS thread outside the hub group, it is spawn().
template <class F, class... Args, class = detail::EnableIfSpawnable<F, Args...>>
GreenThread spawn_thread(F &&f, Args &&...args) {
  return detail::start_fiber(&detail::spawn_placed_fiber, std::forward<F>(f),
                             std::forward<Args>(args)...);
}

} // namespace evy
