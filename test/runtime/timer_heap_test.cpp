// TimerHeap (runtime/src/timer_heap.h) on its own, without a hub: nodes come
// out in deadline order, pop_due() hands out only what is due, remove()
// disarms exactly one node, and long random runs agree with a std::multimap.
#include "timer_heap.h" // runtime/src: the internal heap

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <map>
#include <random>
#include <set>
#include <vector>

namespace evy::test {
namespace {

using detail::TimerHeap;
using detail::TimerNode;
using std::chrono::milliseconds;

// at() is a deadline `ms` after an arbitrary epoch: the heap only compares.
Deadline at(int ms) { return Deadline{} + milliseconds(ms); }

// nodes_at() makes one unarmed node per deadline.
std::vector<TimerNode> nodes_at(std::initializer_list<int> deadlines_ms) {
  std::vector<TimerNode> nodes;
  for (int ms : deadlines_ms)
    nodes.push_back(TimerNode{at(ms)});
  return nodes;
}

// drain() pops everything due at `now`, in the order the heap gives it.
std::vector<TimerNode *> drain(TimerHeap &heap, Deadline now) {
  std::vector<TimerNode *> popped;
  while (TimerNode *node = heap.pop_due(now))
    popped.push_back(node);
  return popped;
}

TEST(TimerHeapTest, PopsInDeadlineOrderWhateverTheAddOrder) {
  std::vector<TimerNode> nodes = nodes_at({50, 10, 40, 20, 30, 60, 0});
  TimerHeap heap;
  for (TimerNode &node : nodes)
    heap.add(node);
  EXPECT_EQ(heap.size(), nodes.size());
  EXPECT_EQ(heap.earliest(), at(0));
  std::vector<Deadline> order;
  for (TimerNode *node : drain(heap, at(1000))) {
    order.push_back(node->when);
    EXPECT_EQ(node->heap_index, TimerHeap::kNotArmed);
  }
  EXPECT_EQ(order, (std::vector<Deadline>{at(0), at(10), at(20), at(30), at(40), at(50), at(60)}));
  EXPECT_TRUE(heap.empty());
  EXPECT_EQ(heap.pop_due(at(1000)), nullptr);
}

TEST(TimerHeapTest, PopDueHandsOutOnlyWhatIsDue) {
  std::vector<TimerNode> nodes = nodes_at({30, 10, 20});
  TimerHeap heap;
  for (TimerNode &node : nodes)
    heap.add(node);
  EXPECT_EQ(heap.pop_due(at(9)), nullptr);
  EXPECT_EQ(heap.pop_due(at(10)), &nodes[1]); // due exactly at its deadline
  EXPECT_EQ(heap.pop_due(at(19)), nullptr);
  EXPECT_EQ(heap.size(), 2u);
  EXPECT_EQ(heap.earliest(), at(20));
  EXPECT_EQ(heap.pop_due(at(25)), &nodes[2]);
  EXPECT_EQ(heap.pop_due(at(25)), nullptr);
  EXPECT_EQ(heap.earliest(), at(30));
}

TEST(TimerHeapTest, EqualDeadlinesAreAllDueTogether) {
  std::vector<TimerNode> nodes = nodes_at({20, 20, 10, 20, 30});
  TimerHeap heap;
  for (TimerNode &node : nodes)
    heap.add(node);
  EXPECT_EQ(heap.pop_due(at(15)), &nodes[2]);
  const std::vector<TimerNode *> due = drain(heap, at(20));
  // Among equal deadlines the heap promises no order: compare as sets.
  EXPECT_EQ(std::set<TimerNode *>(due.begin(), due.end()),
            (std::set<TimerNode *>{&nodes[0], &nodes[1], &nodes[3]}));
  EXPECT_EQ(due.size(), 3u);
  ASSERT_EQ(heap.size(), 1u);
  EXPECT_EQ(heap.earliest(), at(30));
}

TEST(TimerHeapTest, RemoveDisarmsExactlyThatNode) {
  std::vector<TimerNode> nodes = nodes_at({10, 20, 30, 40, 50, 60, 70});
  TimerHeap heap;
  for (TimerNode &node : nodes)
    heap.add(node);
  heap.remove(nodes[0]); // the root
  heap.remove(nodes[3]); // an inner node
  heap.remove(nodes[6]); // a leaf
  for (int i : {0, 3, 6})
    EXPECT_EQ(nodes[i].heap_index, TimerHeap::kNotArmed);
  heap.remove(nodes[3]); // not armed any more: nothing happens
  EXPECT_EQ(heap.size(), 4u);
  std::vector<TimerNode *> expected{&nodes[1], &nodes[2], &nodes[4], &nodes[5]};
  EXPECT_EQ(drain(heap, at(1000)), expected);
}

TEST(TimerHeapTest, ANodeCanBeArmedAgainAfterItFiredOrWasRemoved) {
  std::vector<TimerNode> nodes = nodes_at({10, 20});
  TimerHeap heap;
  heap.add(nodes[0]);
  heap.add(nodes[1]);
  ASSERT_EQ(heap.pop_due(at(10)), &nodes[0]);
  heap.remove(nodes[1]);
  nodes[0].when = at(40);
  nodes[1].when = at(30);
  heap.add(nodes[0]);
  heap.add(nodes[1]);
  EXPECT_EQ(drain(heap, at(100)), (std::vector<TimerNode *>{&nodes[1], &nodes[0]}));
}

// The oracle: a multimap from deadline to node holds what the heap should.
class OracleRun {
public:
  explicit OracleRun(std::size_t node_count) : nodes_(node_count) {}

  // step() does one random operation on both and checks that they agree.
  void step(std::mt19937 &random) {
    TimerNode &node = nodes_[random() % nodes_.size()];
    switch (random() % 3) {
    case 0:
      if (node.heap_index == TimerHeap::kNotArmed) {
        node.when = at(static_cast<int>(random() % 50)); // few values: many ties
        heap_.add(node);
        oracle_.emplace(node.when, &node);
      }
      break;
    case 1:
      if (node.heap_index != TimerHeap::kNotArmed)
        forget(node);
      heap_.remove(node);
      break;
    default:
      pop_due_and_compare(at(static_cast<int>(random() % 50)));
    }
    ASSERT_EQ(heap_.size(), oracle_.size());
    if (!oracle_.empty())
      ASSERT_EQ(heap_.earliest(), oracle_.begin()->first);
  }

private:
  void pop_due_and_compare(Deadline now) {
    TimerNode *popped = heap_.pop_due(now);
    const bool due = !oracle_.empty() && oracle_.begin()->first <= now;
    ASSERT_EQ(popped != nullptr, due);
    if (!popped)
      return;
    ASSERT_EQ(popped->when, oracle_.begin()->first); // one of the earliest
    ASSERT_EQ(popped->heap_index, TimerHeap::kNotArmed);
    forget(*popped);
  }
  void forget(TimerNode &node) {
    auto [first, last] = oracle_.equal_range(node.when);
    auto it = std::find_if(first, last, [&](const auto &entry) { return entry.second == &node; });
    ASSERT_NE(it, last) << "the heap held a node the oracle did not";
    oracle_.erase(it);
  }

  std::vector<TimerNode> nodes_;
  TimerHeap heap_;
  std::multimap<Deadline, TimerNode *> oracle_;
};

TEST(TimerHeapTest, RandomOperationsAgreeWithAMultimap) {
  for (unsigned seed : {1u, 2u, 3u}) {
    SCOPED_TRACE(seed);
    std::mt19937 random(seed);
    OracleRun run(seed == 1 ? 8 : 200); // a small heap churns its root
    for (int i = 0; i < 20000 && !::testing::Test::HasFatalFailure(); ++i)
      run.step(random);
  }
}

} // namespace
} // namespace evy::test
