// GreenSocketPair: an AF_UNIX socket pair made and, at scope exit, closed
// with the green calls (the gtest suite's socket, select, ssl and plan
// cache tests).
#pragma once

#include <evy/patched/socket.h>

#include <gtest/gtest.h>

#include <sys/socket.h>

namespace evy::test {

// type: SOCK_STREAM or SOCK_DGRAM, or'ed with SOCK_NONBLOCK if wanted;
// made is socketpair's result (a failure also fails the test).
struct GreenSocketPair {
  int sv[2] = {-1, -1};
  int made;
  explicit GreenSocketPair(int type = SOCK_STREAM)
      : made(evy::green::socketpair(AF_UNIX, type, 0, sv)) {
    EXPECT_EQ(made, 0);
  }
  GreenSocketPair(const GreenSocketPair &) = delete;
  GreenSocketPair &operator=(const GreenSocketPair &) = delete;
  ~GreenSocketPair() {
    if (made == 0) {
      evy::green::close(sv[0]);
      evy::green::close(sv[1]);
    }
  }
};

} // namespace evy::test
