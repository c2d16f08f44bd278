// Spawn + join of a fiber whose stack comes from the hub's pool, against
// creating and joining an OS thread (the thing it replaces).
#include <evy/evy.h>

#include <benchmark/benchmark.h>

#include <thread>

#if defined(EVY_BENCH_BOOST_CONTEXT)
#include <boost/context/fiber.hpp>
#include <boost/context/pooled_fixedsize_stack.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>
#endif

namespace {

void BM_SpawnJoin_Evy(benchmark::State &state) {
  evy::spawn([] {}).join(); // warm: one stack in the pool
  int counter = 0;
  for (auto _ : state)
    evy::spawn([&counter] { ++counter; }).join();
  benchmark::DoNotOptimize(counter);
}
BENCHMARK(BM_SpawnJoin_Evy);

void BM_SpawnJoin_StdThread(benchmark::State &state) {
  int counter = 0;
  for (auto _ : state)
    std::thread([&counter] { ++counter; }).join();
  benchmark::DoNotOptimize(counter);
}
BENCHMARK(BM_SpawnJoin_StdThread);

#if defined(EVY_BENCH_BOOST_CONTEXT)
// Boost.Context: create a fiber on a pooled stack and run it to its end.
void BM_SpawnJoin_BoostFiberPooled(benchmark::State &state) {
  namespace ctx = boost::context;
  ctx::pooled_fixedsize_stack stacks(256 * 1024);
  int counter = 0;
  for (auto _ : state) {
    ctx::fiber fiber{std::allocator_arg, stacks, [&counter](ctx::fiber &&caller) {
                       ++counter;
                       return std::move(caller);
                     }};
    std::move(fiber).resume();
  }
  benchmark::DoNotOptimize(counter);
}
BENCHMARK(BM_SpawnJoin_BoostFiberPooled);
#endif

} // namespace
