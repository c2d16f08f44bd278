// Units built at different standards share green objects: a green type has
// one size and alignment at every standard that declares it, and a green
// thread started by one unit's inline code meets a mutex and condition
// variable of another unit's, in one OS thread.
#include "layout_probe.h"

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace {

std::vector<evy_probe::LayoutTable> all_tables() {
  return {evy_probe::layouts_cxx11(), evy_probe::layouts_cxx14(), evy_probe::layouts_cxx17(),
          evy_probe::layouts_cxx20(), evy_probe::layouts_cxx23()};
}

TEST(StandardsLayout, EveryGreenTypeHasOneLayoutAtEveryStandard) {
  struct Seen {
    std::string standard;
    std::size_t size, align;
  };
  std::map<std::string, Seen> first;
  for (const evy_probe::LayoutTable &table : all_tables()) {
    for (std::size_t i = 0; i < table.count; ++i) {
      const evy_probe::TypeLayout &t = table.types[i];
      auto [it, inserted] = first.emplace(t.name, Seen{table.standard, t.size, t.align});
      if (inserted)
        continue;
      EXPECT_EQ(t.size, it->second.size)
          << "sizeof(" << t.name << ") at " << table.standard << " vs " << it->second.standard;
      EXPECT_EQ(t.align, it->second.align)
          << "alignof(" << t.name << ") at " << table.standard << " vs " << it->second.standard;
    }
  }
}

// Each newer standard sees what the older ones see, and more exactly where
// libstdc++ adds the original: shared_timed_mutex (14), shared_mutex (17),
// latch, semaphores, barrier and jthread (20).
TEST(StandardsLayout, NewerStandardsSeeMoreGreenTypes) {
  std::vector<std::size_t> counts;
  for (const evy_probe::LayoutTable &table : all_tables())
    counts.push_back(table.count);
  ASSERT_EQ(counts.size(), 5u);
  EXPECT_EQ(counts[1], counts[0] + 1);
  EXPECT_EQ(counts[2], counts[1] + 1);
  EXPECT_EQ(counts[3], counts[2] + 5);
  EXPECT_EQ(counts[4], counts[3]);
}

TEST(StandardsLayout, GreenThreadsOfEveryStandardShareOneMutex) {
  evy::green::mutex m;
  evy::green::condition_variable cv;
  int slot = 0;
  int expected = 0;
  for (const evy_probe::LayoutTable &table : all_tables()) {
    ++expected;
    evy::green::thread writer = table.start_writer(m, cv, &slot, expected);
    {
      std::unique_lock<evy::green::mutex> lock(m);
      cv.wait(lock, [&] { return slot == expected; });
    }
    writer.join();
    EXPECT_EQ(slot, expected) << table.standard;
  }
}

} // namespace
