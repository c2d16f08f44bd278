// Third-party code we cannot annotate: greened by .evy-rewrite.json rules.
#pragma once
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

inline int lib_wait(int fd) {
  pollfd p{fd, POLLIN, 0};
  usleep(10);
  return poll(&p, 1, 0) > 0 ? static_cast<int>(send(fd, "x", 1, 0)) : 0;
}
