// yield() and sleep().
#include "hub.h"

#include <evy/detail/green_io.h>
#include <evy/sleep.h>

#include <cmath>

namespace evy {

using detail::Fiber;
using detail::Hub;

void yield() noexcept { Hub::current().yield(); }

void sleep_until(Deadline deadline) {
  if (deadline <= std::chrono::steady_clock::now()) {
    // A zero sleep is a switch: let the others run, as eventlet.sleep(0).
    Hub &hub = Hub::current();
    hub.yield();
    if (hub.running().expired_timeout != nullptr)
      detail::throw_timeout_error();
    return;
  }
  Waiter waiter;
  detail::throw_if_interrupted(waiter.wait(deadline, Interruptible::yes));
}

void sleep(double seconds) {
  if (!(seconds > 0)) { // also NaN
    sleep_until(std::chrono::steady_clock::now());
    return;
  }
  sleep_until(deadline_after(std::chrono::duration<double>(seconds)));
}

} // namespace evy
