// TimerHeap: a binary min-heap of intrusive TimerNodes ordered by deadline.
// Each node knows its index, so cancelling is O(log n) without searching.
#pragma once

#include <evy/detail/assert.h>
#include <evy/timeout.h>

#include <cstddef>
#include <vector>

namespace evy::detail {

class TimerHeap {
public:
  static constexpr std::size_t kNotArmed = static_cast<std::size_t>(-1);

  bool empty() const noexcept { return nodes_.empty(); }
  std::size_t size() const noexcept { return nodes_.size(); }
  // earliest() is the deadline that fires next; the heap must not be empty.
  Deadline earliest() const noexcept {
    EVY_ASSERT(!nodes_.empty());
    return nodes_.front()->when;
  }

  // add() arms node (which must not be armed) at node.when.
  void add(TimerNode &node);
  // remove() disarms node if armed.
  void remove(TimerNode &node) noexcept;
  // pop_due() disarms and returns the earliest node due at `now`, or nullptr.
  TimerNode *pop_due(Deadline now) noexcept;

private:
  void sift_up(std::size_t index) noexcept;
  void sift_down(std::size_t index) noexcept;
  void place(std::size_t index, TimerNode *node) noexcept {
    nodes_[index] = node;
    node->heap_index = index;
  }
  std::vector<TimerNode *> nodes_;
};

} // namespace evy::detail
