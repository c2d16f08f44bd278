// TimerHeap: a binary min-heap of TimerNodes (see timer_heap.h).
#include "timer_heap.h"

namespace evy::detail {

void TimerHeap::add(TimerNode &node) {
  EVY_ASSERT(node.heap_index == kNotArmed);
  nodes_.push_back(&node);
  node.heap_index = nodes_.size() - 1;
  sift_up(node.heap_index);
}

void TimerHeap::remove(TimerNode &node) noexcept {
  const std::size_t index = node.heap_index;
  if (index == kNotArmed)
    return;
  EVY_ASSERT(index < nodes_.size() && nodes_[index] == &node); // armed here
  node.heap_index = kNotArmed;
  TimerNode *last = nodes_.back();
  nodes_.pop_back();
  if (index == nodes_.size())
    return; // it was the last one
  place(index, last);
  sift_up(index);
  sift_down(last->heap_index);
}

TimerNode *TimerHeap::pop_due(Deadline now) noexcept {
  if (nodes_.empty() || nodes_.front()->when > now)
    return nullptr;
  TimerNode *due = nodes_.front();
  remove(*due);
  return due;
}

void TimerHeap::sift_up(std::size_t index) noexcept {
  TimerNode *node = nodes_[index];
  while (index > 0) {
    const std::size_t parent = (index - 1) / 2;
    if (nodes_[parent]->when <= node->when)
      break;
    place(index, nodes_[parent]);
    index = parent;
  }
  place(index, node);
}

void TimerHeap::sift_down(std::size_t index) noexcept {
  TimerNode *node = nodes_[index];
  const std::size_t count = nodes_.size();
  for (;;) {
    std::size_t child = 2 * index + 1;
    if (child >= count)
      break;
    if (child + 1 < count && nodes_[child + 1]->when < nodes_[child]->when)
      ++child;
    if (node->when <= nodes_[child]->when)
      break;
    place(index, nodes_[child]);
    index = child;
  }
  place(index, node);
}

} // namespace evy::detail
