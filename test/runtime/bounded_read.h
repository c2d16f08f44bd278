// A green read for tests of waits that must not hang (os module).
#pragma once

#include <evy/evy.h>
#include <evy/patched/os.h>

#include <gtest/gtest.h>

#include <chrono>

namespace evy::test {

// read_one_byte_or_fail() is a green read of one byte that may not hang:
// after 5 s it fails the test (saying `hang`) instead of stalling it.
inline ssize_t read_one_byte_or_fail(int fd, char &c, const char *hang) {
  try {
    evy::Timeout bound(std::chrono::seconds(5));
    return evy::green::read(fd, &c, 1);
  } catch (const evy::TimeoutError &) {
    ADD_FAILURE() << hang;
    return -1;
  }
}

} // namespace evy::test
