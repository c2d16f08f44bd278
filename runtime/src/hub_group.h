// The hub group: the EVY_HUBS hubs, one per OS thread, that new green
// threads are placed on. Slot 0 is the main thread's hub; the others run
// on threads of their own, started on first use and alive until the
// process exits.
#pragma once

#include <cstddef>

namespace evy::detail {

class Hub;

// configured_hub_count() is EVY_HUBS, or else the number of CPUs the
// process may run on (sched_getaffinity); at least 1.
std::size_t configured_hub_count() noexcept;

// hub_for_new_thread() is the hub a new green thread spawned by the
// calling thread starts on: the calling thread's own hub with one hub or
// outside the group, else the least loaded hub of the group (starting its
// thread if it has none yet).
Hub &hub_for_new_thread();

// group_size() is the number of slots of the group; group_hub(slot) the
// hub of a slot, or nullptr while the slot has no thread yet. For hubs of
// the group only (whose outlives_thread is set): they look for work to
// steal, and for idle hubs to wake, among each other.
std::size_t group_size() noexcept;
Hub *group_hub(std::size_t slot) noexcept;

} // namespace evy::detail
