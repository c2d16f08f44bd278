// Green threads: thread's out-of-line members and this_thread.
#include <evy/patched/detail/thread_thread.h>
#include <evy/sleep.h>
#include <evy/stats.h>

#include <cstdint>
#include <exception>
#include <system_error>
#include <thread>

#if defined(EVY_ASAN)
#include <sanitizer/asan_interface.h>
#include <unistd.h>
#endif

namespace evy::green {

namespace detail {

void on_green_thread_start(const void *callable) noexcept {
#if defined(EVY_ASAN)
  // Workaround for the core: a pooled fiber stack keeps the ASan shadow of
  // its previous fiber's last frames (a finished fiber never returns from
  // them), and ASan's own __asan_handle_no_return then reports false
  // stack-use-after-scope errors when this fiber throws or finishes. The
  // stack is [high - fiber_stack_size(), high), high the page end above the
  // callable (spawn() puts the callable and the fiber record in its top).
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const auto at = reinterpret_cast<std::uintptr_t>(callable);
  const std::uintptr_t high = (at + page - 1) & ~(page - 1);
  const std::uintptr_t low = high - fiber_stack_size();
  __asan_unpoison_memory_region(reinterpret_cast<void *>(low), at - low);
#else
  (void)callable;
#endif
}

} // namespace detail

thread::~thread() {
  if (joinable())
    std::terminate(); // as std::thread: neither joined nor detached
}

thread &thread::operator=(thread &&other) noexcept {
  if (joinable())
    std::terminate();
  fiber_ = std::move(other.fiber_);
  return *this;
}

void thread::join() {
  if (!joinable())
    throw std::system_error(std::make_error_code(std::errc::invalid_argument),
                            "evy::green::thread::join");
  if (fiber_.id() == current_fiber_id())
    throw std::system_error(std::make_error_code(std::errc::resource_deadlock_would_occur),
                            "evy::green::thread::join");
  fiber_.join();
}

void thread::detach() {
  if (!joinable())
    throw std::system_error(std::make_error_code(std::errc::invalid_argument),
                            "evy::green::thread::detach");
  fiber_.detach();
}

unsigned int thread::hardware_concurrency() noexcept {
  return std::thread::hardware_concurrency();
}

namespace this_thread {

void yield() noexcept { evy::yield(); }

thread::id get_id() noexcept { return thread::id(current_fiber_id()); }

} // namespace this_thread
} // namespace evy::green
