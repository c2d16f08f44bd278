// Small helpers that several runtime suites share (the gtest suite, the
// thread suite, the differential harness); each suite's own fixtures stay
// in its own header.
#pragma once

#include <chrono>
#include <ctime>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace evy::test_support {

// abstime_in() is now + d on clock, as a timespec: an absolute deadline for
// the timed POSIX calls.
inline timespec abstime_in(clockid_t clock, std::chrono::nanoseconds d) {
  timespec t{};
  clock_gettime(clock, &t);
  const long long ns = t.tv_nsec + d.count();
  t.tv_sec += static_cast<time_t>(ns / 1'000'000'000);
  t.tv_nsec = static_cast<long>(ns % 1'000'000'000);
  return t;
}

// listen_on_loopback() binds `fd`, a TCP socket, to 127.0.0.1 and a port
// the kernel picks, listens with `backlog`, and returns that port.
inline int listen_on_loopback(int fd, int backlog) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address);
  ::listen(fd, backlog);
  ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length);
  return ntohs(address.sin_port);
}

} // namespace evy::test_support
