// Green threads: thread's out-of-line members and this_thread.
#include <evy/patched/detail/thread_thread.h>
#include <evy/sleep.h>

#include <exception>
#include <system_error>
#include <thread>

namespace evy::green {

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
  const FiberId id = fiber_.id();
  fiber_.join();
  detail::handle_released(id);
}

void thread::detach() {
  if (!joinable())
    throw std::system_error(std::make_error_code(std::errc::invalid_argument),
                            "evy::green::thread::detach");
  detail::handle_released(fiber_.id());
  fiber_.detach();
}

unsigned int thread::hardware_concurrency() noexcept { return std::thread::hardware_concurrency(); }

namespace this_thread {

void yield() noexcept { evy::yield(); }

thread::id get_id() noexcept { return thread::id(current_fiber_id()); }

} // namespace this_thread
} // namespace evy::green
