// A thread-per-connection echo server, written the ordinary blocking way.
// evy-rewrite turns it into one that serves every connection from fibers
// on a single OS thread; the source keeps its shape.
//
// usage: echo_server PORT [CONNECTIONS]   (PORT 0: any free port, printed)
//   serves until CONNECTIONS connections have come and gone (0: forever),
//   then prints how many bytes it echoed.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

namespace {

std::mutex stats_mutex;
long long bytes_echoed = 0;
long connections_done = 0;

void serve(int fd) {
  char buf[4096];
  long long mine = 0;
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0)
      break;
    ssize_t off = 0;
    while (off < n) {
      ssize_t w = send(fd, buf + off, n - off, MSG_NOSIGNAL);
      if (w <= 0)
        break;
      off += w;
    }
    mine += n;
  }
  close(fd);
  std::lock_guard<std::mutex> lock(stats_mutex);
  bytes_echoed += mine;
  ++connections_done;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s PORT [CONNECTIONS]\n", argv[0]);
    return 2;
  }
  int port = std::atoi(argv[1]);
  long wanted = argc > 2 ? std::atol(argv[2]) : 0;

  int listener = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(listener, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 ||
      listen(listener, 4096) != 0) {
    std::perror("echo_server: bind/listen");
    return 1;
  }
  socklen_t len = sizeof addr;
  getsockname(listener, reinterpret_cast<sockaddr *>(&addr), &len);
  std::printf("echo_server: listening on 127.0.0.1:%d\n", ntohs(addr.sin_port));
  std::fflush(stdout);

  std::vector<std::thread> workers;
  for (long accepted = 0; wanted == 0 || accepted < wanted; ++accepted) {
    int fd = accept(listener, nullptr, nullptr);
    if (fd < 0) {
      std::perror("echo_server: accept");
      break;
    }
    workers.emplace_back(serve, fd);
  }
  for (std::thread &t : workers)
    t.join();
  close(listener);
  std::printf("echo_server: %ld connections, %lld bytes echoed\n", connections_done, bytes_echoed);
  return 0;
}
