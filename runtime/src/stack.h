// Fiber stacks: mmap'd, with a PROT_NONE guard below, pooled per hub; and
// the SIGSEGV handler that turns a guard-page hit into a clear message.
#pragma once

#include <cstddef>
#include <vector>

namespace evy::detail {

// Stack is one mapping: [guard | usable stack], the stack growing down.
struct Stack {
  char *mapping = nullptr;      // lowest address: the guard starts here
  std::size_t mapping_size = 0; // guard + usable
  std::size_t guard_size = 0;
  unsigned valgrind_id = 0;
  bool counted = true; // in live_stack_count() (fiber stacks are; hub stacks not)

  explicit operator bool() const noexcept { return mapping != nullptr; }
  char *low() const noexcept { return mapping + guard_size; }
  char *high() const noexcept { return mapping + mapping_size; }
  std::size_t usable_size() const noexcept { return mapping_size - guard_size; }
  // in_guard() tells whether address lies in the guard area.
  bool in_guard(const void *address) const noexcept {
    const char *a = static_cast<const char *>(address);
    return a >= mapping && a < low();
  }
};

// map_stack() maps a stack with `usable` bytes (rounded up to pages); on
// failure it throws std::system_error whose message names vm.max_map_count.
Stack map_stack(std::size_t usable, bool counted = true);
// unmap_stack() returns the memory to the system.
void unmap_stack(Stack &stack) noexcept;

// StackPool caches released stacks of the default size for reuse, so that
// spawning a fiber costs no system call. Not thread-safe: one per hub.
class StackPool {
public:
  static constexpr std::size_t kCapacity = 64;
  StackPool() = default;
  StackPool(const StackPool &) = delete;
  StackPool &operator=(const StackPool &) = delete;
  ~StackPool() { release_all(); }

  // take() returns a pooled stack of the default size, or maps a new one.
  Stack take();
  // give() keeps a stack for reuse (or unmaps it when the pool is full).
  void give(Stack stack) noexcept;
  // release_all() unmaps every pooled stack.
  void release_all() noexcept;
  std::size_t size() const noexcept { return stacks_.size(); }

private:
  std::vector<Stack> stacks_;
};

// live_stack_count() and pooled_stack_count() are process-wide counters.
std::size_t live_stack_count() noexcept;
std::size_t pooled_stack_count() noexcept;

// install_overflow_handler() installs (once per process) the SIGSEGV
// handler and gives the calling thread an alternate signal stack for it.
void install_overflow_handler() noexcept;

// current_guarded_stack is what the overflow handler checks a fault
// address against: the stack of the fiber running on this thread (empty,
// so with no guard, for a thread's own).
// initial-exec: written at every switch (see Hub::this_thread_hub).
[[gnu::tls_model("initial-exec")]] extern constinit thread_local const Stack *current_guarded_stack;

} // namespace evy::detail
