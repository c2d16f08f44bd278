// A "system" header for the macro tests (included through -isystem %inputs):
// its macros spell blocking calls the tool cannot rewrite.
#pragma once
#include <sys/socket.h>
#include <unistd.h>

#define SYS_NAP(n) sleep(n)
#define SYS_RECV_ONE(fd, buf) recv((fd), (buf), 1, 0)
#define SYS_WRAP(x) (x)
