// Fiber: one suspended or running execution context of a hub.
#pragma once

#include "arch/context.h"
#include "sanitizers.h"
#include "stack.h"

#include <evy/spawn.h>
#include <evy/spin_lock.h>
#include <evy/timeout.h>
#include <evy/waiter.h>

#include <atomic>
#include <cstdint>
#include <typeinfo>

namespace evy::detail {

class Hub;

// ParkState is the handshake between a fiber that parks and whoever wakes
// it, possibly from another OS thread, possibly before it finished parking.
enum class ParkState : std::uint32_t {
  running,      // not parked (or on its way to the scheduler)
  parked,       // suspended; resume() makes it runnable
  wake_pending, // resumed before it had parked: do not suspend it
};

// AfterSwitch tells the scheduler what to do with the fiber that just
// switched to it (done there, because a fiber cannot queue or free itself
// while still running on its own stack).
// SignalWait says how a signal handled on the thread ends the fiber's
// current wait (signal(7)): not at all (waits that are not a green system
// call), EINTR unless every handler has SA_RESTART (read, recv, send...),
// or always EINTR (poll, sleeps, calls under SO_RCVTIMEO/SO_SNDTIMEO).
enum class SignalWait : std::uint8_t { none, restartable, always };

enum class AfterSwitch : std::uint8_t { nothing, requeue, park, finish };

// Hidden although <evy/spawn.h> declares it (under libevy's default
// visibility for public declarations): only libevy touches its members.
// Laid out for a loaded server, where every request resumes a fiber whose
// lines went cold while a thousand others ran: what a green call and its
// wait touch fills exactly the first two cache lines (the saved registers,
// then the control words and the wait's fields), so a wake-up and a
// switch cost two lines of this record, which the hub prefetches.
class [[gnu::visibility("hidden")]] alignas(64) Fiber {
public:
  Fiber(Hub &owner, FiberId fiber_id) noexcept : hub(&owner), id(fiber_id) {}
  Fiber(const Fiber &) = delete;
  Fiber &operator=(const Fiber &) = delete;

  // resume() makes the fiber runnable after a park(); any OS thread may
  // call it, exactly once per park (Waiter::finish arbitrates that).
  static void resume(Fiber &fiber) noexcept;
  // interrupt() is what an expiring Timeout does to its fiber.
  static void interrupt(Fiber &fiber, Timeout &expired) noexcept;
  // signal() ends the fiber's signal-interruptible wait (signalled).
  static void signal(Fiber &fiber) noexcept;

  // ---- first line: the registers; second line: the rest of the context
  // and what every wait reads or writes.
  FiberContext context{};
  // The hub it runs on, for life once it has run; a green thread not
  // started yet may be taken by an idle hub (Hub::steal_fresh), which
  // sets this before it first runs.
  Hub *hub;
  Fiber *run_next = nullptr; // run-queue link
  std::atomic<ParkState> park_state{ParkState::running};
  AfterSwitch after_switch = AfterSwitch::nothing;
  // Signals: what the next wait asks for (set by SignalWaitScope), and
  // while parked with it, the wait and when it began (Hub::deliver_signal).
  SignalWait signal_wait = SignalWait::none;
  // In the hub's list of fibers that ever made a signal-interruptible wait
  // (linked at the first, unlinked when the fiber ends); read by every such
  // wait, so kept on this line, in what was padding.
  bool signal_listed = false;
  Waiter *signal_waiter = nullptr;
  std::uint64_t signal_wait_number = 0;
  // The timeout that expired and was not raised yet; the interruptible
  // wait in progress.
  Timeout *expired_timeout = nullptr;
  Waiter *interruptible_wait = nullptr;

  // ---- the rest: touched when a fiber starts, ends, or arms a Timeout.
  const FiberId id;
  // Timeouts armed by this fiber, innermost first.
  Timeout *innermost_timeout = nullptr;
  // Links of that list (signal_listed).
  Fiber *signal_prev = nullptr;
  Fiber *signal_next = nullptr;

  // Spawned fibers only: their stack (which also holds this object and
  // the callable), the callable, and the references of body and handle.
  Stack stack{};
  void *callable = nullptr;
  void (*run)(void *) noexcept = nullptr;
  const std::type_info *function = nullptr;
  std::atomic<int> references{0};
  // A green thread (spawn_thread: an OS thread in the original program).
  bool green_thread = false;
  // The green thread that called fork(), in the child: the original's
  // only thread there, whose end ends the process (with status 0).
  bool ends_process = false;
  SpinLock join_guard;
  bool finished = false;    // guarded by join_guard
  Waiter *joiner = nullptr; // guarded by join_guard

  // What the fiber switch hook saved of the thread's state (OpenSSL's
  // error queue) while this fiber was switched away; see switch_hook.h.
  void *switch_hook_slot = nullptr;

  SanitizerFiber sanitizer;
};

} // namespace evy::detail
