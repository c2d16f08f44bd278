// SpinLock's contended path (see <evy/spin_lock.h>).
#include <evy/spin_lock.h>

#include <sched.h>

namespace evy {

void SpinLock::wait_until_free() noexcept {
  for (int spins = 0; locked_.load(std::memory_order_relaxed); ++spins) {
    if (spins < 64) {
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#elif defined(__aarch64__)
      asm volatile("yield");
#endif
    } else {
      ::sched_yield(); // the holder may be preempted: give it the CPU
    }
  }
}

} // namespace evy
