// The std-shaped lock() of the green mutexes reports a core's error number
// as std::system_error, in one way for all of them.
#pragma once

#include <cerrno>
#include <system_error>

namespace evy::green::detail {

// check_lock() throws for a lock that failed (error != 0): EDEADLK as
// resource_deadlock_would_occur, anything else as
// resource_unavailable_try_again; what names the call.
inline void check_lock(int error, const char *what) {
  if (error == 0)
    return;
  throw std::system_error(error == EDEADLK
                              ? std::make_error_code(std::errc::resource_deadlock_would_occur)
                              : std::make_error_code(std::errc::resource_unavailable_try_again),
                          what);
}

} // namespace evy::green::detail
