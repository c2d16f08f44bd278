// Internal: per-fiber copies of per-OS-thread library state.
// Not a public API: names and semantics may change with the runtime.
//
// Some libraries keep state per OS thread that their users rely on being
// private (OpenSSL's error queue). All fibers of a hub share that thread, so
// a header-only green module can install a hook that moves the state out of
// the thread when a fiber switches away and back in when it runs again.
// libevy itself calls the hook through a pointer and so never links the
// library; with no hook installed a switch costs one load and a branch.
#pragma once

namespace evy {
namespace detail {

struct FiberSwitchHook {
  // save(slot, finished): the running fiber is about to switch away. Move
  // the thread's state into *slot (which is nullptr on entry) or leave it
  // null when there is none. A finished fiber's state is discarded instead,
  // as an exiting thread's is. Runs on the fiber's stack; must not switch,
  // throw, or change errno.
  void (*save)(void **slot, bool finished);
  // restore(slot): the fiber runs again; *slot is non-null. Move it back
  // into the thread and set *slot to nullptr. Same rules as save().
  void (*restore)(void **slot);
};

// install_fiber_switch_hook() sets the process's hook (one: the ssl
// module's); installing the same functions again is a no-op. Returns false
// when a different hook is installed already. Call it before fibers run
// (a static initializer); state saved by no hook is shared, as before.
bool install_fiber_switch_hook(const FiberSwitchHook &hook) noexcept;

} // namespace detail
} // namespace evy
