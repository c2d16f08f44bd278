// Fiber switch: evy's context switch against Boost.Context's, round trips
// (there and back, two switches) per iteration, same run, same stacks.
#include "arch/context.h"
#include "yield_loop.h"

#include <evy/evy.h>

#include <benchmark/benchmark.h>

#include <memory>

#if defined(EVY_BENCH_BOOST_CONTEXT)
#include <boost/context/detail/fcontext.hpp>
#include <boost/context/fiber.hpp>
#endif

namespace {

constexpr std::size_t kStackSize = 64 * 1024;

evy::detail::FiberContext bench_main_context, bench_fiber_context;

void evy_bounce(void *) {
  for (;;)
    evy::detail::context_switch(bench_fiber_context, bench_main_context);
}

// evy's machine-level switch: what Boost.Context's jump_fcontext is.
void BM_SwitchRoundTrip_Evy(benchmark::State &state) {
  auto stack = std::make_unique<char[]>(kStackSize);
  evy::detail::context_init(bench_fiber_context, stack.get(), kStackSize, &evy_bounce, nullptr);
  for (auto _ : state)
    evy::detail::context_switch(bench_main_context, bench_fiber_context);
}
BENCHMARK(BM_SwitchRoundTrip_Evy);

void evy_bounce_to_neutral(void *) {
  for (;;)
    evy::detail::context_switch_to_neutral(bench_fiber_context, bench_main_context);
}

// The hub's round trip: a fiber switches to the scheduler, a neutral
// context (arch/context.h), which switches back; the floating-point control
// state is read once per round trip instead of twice.
void BM_SwitchRoundTrip_EvyThroughNeutral(benchmark::State &state) {
  auto stack = std::make_unique<char[]>(kStackSize);
  evy::detail::context_init(bench_fiber_context, stack.get(), kStackSize, &evy_bounce_to_neutral,
                            nullptr);
  // Only for the control state it records, as a neutral context's creation
  // does; the first switch overwrites the rest.
  evy::detail::context_init(bench_main_context, stack.get(), kStackSize, &evy_bounce, nullptr);
  for (auto _ : state)
    evy::detail::context_switch_from_neutral(bench_main_context, bench_fiber_context);
}
BENCHMARK(BM_SwitchRoundTrip_EvyThroughNeutral);

#if defined(EVY_BENCH_BOOST_CONTEXT)
namespace bcd = boost::context::detail;

void boost_bounce(bcd::transfer_t from) {
  for (;;)
    from = bcd::jump_fcontext(from.fctx, nullptr);
}

// The anchor: Boost.Context's own machine-level switch.
void BM_SwitchRoundTrip_BoostFcontext(benchmark::State &state) {
  auto stack = std::make_unique<char[]>(kStackSize);
  bcd::fcontext_t fiber = bcd::make_fcontext(stack.get() + kStackSize, kStackSize, &boost_bounce);
  bcd::transfer_t back = bcd::jump_fcontext(fiber, nullptr);
  for (auto _ : state)
    back = bcd::jump_fcontext(back.fctx, nullptr);
}
BENCHMARK(BM_SwitchRoundTrip_BoostFcontext);

// Boost.Context's public API (fiber::resume), for reference.
void BM_SwitchRoundTrip_BoostFiber(benchmark::State &state) {
  namespace ctx = boost::context;
  bool stop = false;
  ctx::fiber fiber{[&stop](ctx::fiber &&caller) {
    while (!stop)
      caller = std::move(caller).resume();
    return std::move(caller);
  }};
  for (auto _ : state)
    fiber = std::move(fiber).resume();
  stop = true;
  fiber = std::move(fiber).resume();
}
BENCHMARK(BM_SwitchRoundTrip_BoostFiber);
#endif

// What user code pays: evy::yield() between two fibers through the hub
// (each iteration: main yields, the other fiber runs once and yields).
void BM_YieldThroughHub_Evy(benchmark::State &state) { yield_through_hub(state); }
BENCHMARK(BM_YieldThroughHub_Evy);

} // namespace
