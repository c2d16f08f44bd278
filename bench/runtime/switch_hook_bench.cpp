// The ssl module's fiber switch hook (per-fiber OpenSSL error queues): the
// hub's yield round trip with it installed. A separate program because the
// hook is process-wide; evy_runtime_bench's BM_YieldThroughHub_Evy is the
// same loop without it.
#include <evy/evy.h>
#include <evy/patched/detail/ssl_error_queue.h>

#include "yield_loop.h"

#include <benchmark/benchmark.h>

namespace {

void BM_YieldThroughHub_SslHook(benchmark::State &state) {
  if (!evy::detail::install_ssl_error_queue_hook()) {
    state.SkipWithError("the ssl switch hook is not installed (libcrypto not linked?)");
    return;
  }
  yield_through_hub(state);
}
BENCHMARK(BM_YieldThroughHub_SslHook);

} // namespace
