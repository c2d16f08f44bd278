// What a unit built at one standard sees of the green types: each probe
// unit (layout_probe.cpp, compiled once per standard) reports the size and
// alignment of every green type it can see, and starts a green thread with
// its own copy of the inline code, so that one program mixes all of them.
#pragma once

#include <evy/patched/thread.h>

#include <cstddef>

namespace evy_probe {

struct TypeLayout {
  const char *name;
  std::size_t size;
  std::size_t align;
};

struct LayoutTable {
  const char *standard;
  const TypeLayout *types;
  std::size_t count;
  // start_writer() starts, with this unit's inline spawn() and green::thread,
  // a green thread that stores value in *slot under m and notifies cv.
  evy::green::thread (*start_writer)(evy::green::mutex &m, evy::green::condition_variable &cv,
                                     int *slot, int value);
};

LayoutTable layouts_cxx11();
LayoutTable layouts_cxx14();
LayoutTable layouts_cxx17();
LayoutTable layouts_cxx20();
LayoutTable layouts_cxx23();

} // namespace evy_probe
