// Runtime statistics and tunables, for tests, benchmarks and monitoring.
#pragma once

#include <cstddef>

namespace evy {

// RuntimeStats are process-wide counters.
struct RuntimeStats {
  std::size_t live_stacks = 0;   // mapped fiber stacks, pooled ones included
  std::size_t pooled_stacks = 0; // stacks cached for reuse by the hubs
  std::size_t live_fibers = 0;   // fibers spawned and not yet released
  std::size_t hubs = 0;          // OS threads that have a hub
};

// runtime_stats() reads the counters (relaxed: exact when the runtime is idle).
RuntimeStats runtime_stats() noexcept;

// release_pooled_stacks() unmaps the stacks cached by this thread's hub.
void release_pooled_stacks() noexcept;

// fiber_stack_size() is the usable stack size of a new fiber in bytes:
// EVY_STACK_SIZE (bytes, or with a K/M suffix), default 256 KiB, rounded up
// to whole pages; a guard page below each stack comes on top.
std::size_t fiber_stack_size() noexcept;

} // namespace evy
