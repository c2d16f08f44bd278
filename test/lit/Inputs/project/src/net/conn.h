// A project header both units include: its edits must be merged, once.
#pragma once
#include <sys/socket.h>

inline long read_some(int fd, char *buf, unsigned long len) {
  return recv(fd, buf, len, 0);
}
