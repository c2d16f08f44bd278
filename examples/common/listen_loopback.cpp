#include "listen_loopback.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

int listen_from_args(const char *program, int argc, char **argv, const char *usage,
                     int type_flags) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s %s\n", argv[0], usage);
    std::exit(2);
  }
  int listener = socket(AF_INET, SOCK_STREAM | type_flags, 0);
  int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(std::atoi(argv[1]));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(listener, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 ||
      listen(listener, 4096) != 0) {
    std::perror((std::string(program) + ": bind/listen").c_str());
    std::exit(1);
  }
  socklen_t len = sizeof addr;
  getsockname(listener, reinterpret_cast<sockaddr *>(&addr), &len);
  std::printf("%s: listening on 127.0.0.1:%d\n", program, ntohs(addr.sin_port));
  std::fflush(stdout);
  return listener;
}
