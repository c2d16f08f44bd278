// The hub's yield round trip that switch_bench.cpp (BM_YieldThroughHub_Evy)
// and switch_hook_bench.cpp (the same loop with the ssl switch hook) time.
#pragma once

#include <evy/evy.h>

#include <benchmark/benchmark.h>

// yield_through_hub() times evy::yield() between two fibers through the hub
// (each iteration: main yields, the other fiber runs once and yields).
inline void yield_through_hub(benchmark::State &state) {
  bool stop = false;
  evy::GreenThread other = evy::spawn([&stop] {
    while (!stop)
      evy::yield();
  });
  for (auto _ : state)
    evy::yield();
  stop = true;
  other.join();
}
