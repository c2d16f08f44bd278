// One probe unit; CMake compiles it at each standard with EVY_PROBE_NAME
// set to that standard's layouts_cxxNN (see layout_probe.h).
#include "layout_probe.h"

#include <evy/evy.h>
#include <evy/patched/detail/green_io.h>
#include <evy/patched/os.h>
#include <evy/patched/select.h>
#include <evy/patched/socket.h>
#include <evy/patched/time.h>

#include <mutex>

#define EVY_STRINGIFY(x) #x
#define EVY_STANDARD_NAME(x) EVY_STRINGIFY(x)
#define EVY_LAYOUT(...) {#__VA_ARGS__, sizeof(__VA_ARGS__), alignof(__VA_ARGS__)},

namespace evy_probe {
namespace {

const TypeLayout kLayouts[] = {
    // The runtime's own vocabulary, visible at every standard.
    EVY_LAYOUT(evy::Deadline)
    EVY_LAYOUT(evy::SpinLock)
    EVY_LAYOUT(evy::Waiter)
    EVY_LAYOUT(evy::WaitQueue)
    EVY_LAYOUT(evy::GreenThread)
    EVY_LAYOUT(evy::Timeout)
    EVY_LAYOUT(evy::TimeoutError)
    EVY_LAYOUT(evy::RuntimeStats)
    EVY_LAYOUT(evy::BlockingReport)
    EVY_LAYOUT(evy::detail::TimerNode)
    EVY_LAYOUT(evy::detail::SpawnRequest)
    EVY_LAYOUT(evy::detail::FdView)
    EVY_LAYOUT(evy::tpool::detail::Job)
    // The green thread module at every standard.
    EVY_LAYOUT(evy::green::thread)
    EVY_LAYOUT(evy::green::thread::id)
    EVY_LAYOUT(evy::green::mutex)
    EVY_LAYOUT(evy::green::timed_mutex)
    EVY_LAYOUT(evy::green::recursive_mutex)
    EVY_LAYOUT(evy::green::recursive_timed_mutex)
    EVY_LAYOUT(evy::green::condition_variable)
    EVY_LAYOUT(evy::green::condition_variable_any)
    EVY_LAYOUT(evy::green::detail::MutexCore)
    EVY_LAYOUT(evy::green::detail::CondCore)
    EVY_LAYOUT(evy::green::detail::RwCore)
    EVY_LAYOUT(evy::green::detail::SemaphoreCore)
    EVY_LAYOUT(evy::green::detail::BarrierCore)
    EVY_LAYOUT(evy::green::detail::LockRef)
    EVY_LAYOUT(evy::green::detail::StopRef)
    // Only where the standard library has the original.
#if defined(__cpp_lib_shared_timed_mutex)
    EVY_LAYOUT(evy::green::shared_timed_mutex)
#endif
#if defined(__cpp_lib_shared_mutex)
    EVY_LAYOUT(evy::green::shared_mutex)
#endif
#if defined(__cpp_lib_latch)
    EVY_LAYOUT(evy::green::latch)
#endif
#if defined(__cpp_lib_semaphore)
    EVY_LAYOUT(evy::green::counting_semaphore<>)
    EVY_LAYOUT(evy::green::binary_semaphore)
#endif
#if defined(__cpp_lib_barrier)
    EVY_LAYOUT(evy::green::barrier<>)
#endif
#if defined(__cpp_lib_jthread)
    EVY_LAYOUT(evy::green::jthread)
#endif
};

void write_value(evy::green::mutex *m, evy::green::condition_variable *cv, int *slot, int value) {
  std::lock_guard<evy::green::mutex> lock(*m);
  *slot = value;
  cv->notify_all();
}

evy::green::thread start_writer(evy::green::mutex &m, evy::green::condition_variable &cv,
                                int *slot, int value) {
  return evy::green::thread(write_value, &m, &cv, slot, value);
}

} // namespace

LayoutTable EVY_PROBE_NAME() {
  LayoutTable table = {EVY_STANDARD_NAME(EVY_PROBE_NAME), kLayouts,
                       sizeof(kLayouts) / sizeof(kLayouts[0]), start_writer};
  return table;
}

} // namespace evy_probe
