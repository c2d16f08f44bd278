// Every member of the socket module (rules/socket.json) is rewritten; the
// file gains <evy/patched/socket.h> only (ssl is implied but not used here).
// RUN: %evy-rewrite --patch=socket %s -- -std=c++20 > %t.out.cpp
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: FileCheck %s --check-prefix=INC --input-file=%t.out.cpp
// RUN: %compiles

#include <fcntl.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>
// INC: {{^}}#include <evy/patched/socket.h>
// INC-NOT: {{^}}#include <evy/patched/

long members(int fd, char *buf, struct sockaddr *sa, socklen_t *len, struct msghdr *msg) {
  int pair[2];
  int opt = 1;
  struct addrinfo *ai = nullptr;
  struct hostent he, *res = nullptr;
  char host[64], serv[16];
  int herr = 0;
  long n = socket(AF_INET, SOCK_STREAM, 0);
  // CHECK: {{^}}  long n = evy::green::socket(AF_INET, SOCK_STREAM, 0);
  n += socketpair(AF_UNIX, SOCK_STREAM, 0, pair);
  // CHECK: {{^}}  n += evy::green::socketpair(AF_UNIX, SOCK_STREAM, 0, pair);
  n += accept(fd, sa, len);
  // CHECK: {{^}}  n += evy::green::accept(fd, sa, len);
  n += accept4(fd, sa, len, SOCK_CLOEXEC);
  // CHECK: {{^}}  n += evy::green::accept4(fd, sa, len, SOCK_CLOEXEC);
  n += connect(fd, sa, *len);
  // CHECK: {{^}}  n += evy::green::connect(fd, sa, *len);
  n += recv(fd, buf, 1, 0);
  // CHECK: {{^}}  n += evy::green::recv(fd, buf, 1, 0);
  n += recvfrom(fd, buf, 1, 0, sa, len);
  // CHECK: {{^}}  n += evy::green::recvfrom(fd, buf, 1, 0, sa, len);
  n += recvmsg(fd, msg, 0);
  // CHECK: {{^}}  n += evy::green::recvmsg(fd, msg, 0);
  n += send(fd, buf, 1, 0);
  // CHECK: {{^}}  n += evy::green::send(fd, buf, 1, 0);
  n += sendto(fd, buf, 1, 0, sa, *len);
  // CHECK: {{^}}  n += evy::green::sendto(fd, buf, 1, 0, sa, *len);
  n += sendmsg(fd, msg, 0);
  // CHECK: {{^}}  n += evy::green::sendmsg(fd, msg, 0);
  n += shutdown(fd, SHUT_RDWR);
  // CHECK: {{^}}  n += evy::green::shutdown(fd, SHUT_RDWR);
  n += fcntl(fd, F_SETFL, O_NONBLOCK);
  // CHECK: {{^}}  n += evy::green::fcntl(fd, F_SETFL, O_NONBLOCK);
  n += setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &opt, sizeof opt);
  // CHECK: {{^}}  n += evy::green::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &opt, sizeof opt);
  n += getsockopt(fd, SOL_SOCKET, SO_ERROR, &opt, len);
  // CHECK: {{^}}  n += evy::green::getsockopt(fd, SOL_SOCKET, SO_ERROR, &opt, len);
  n += getaddrinfo("localhost", "80", nullptr, &ai);
  // CHECK: {{^}}  n += evy::green::getaddrinfo("localhost", "80", nullptr, &ai);
  n += getnameinfo(sa, *len, host, sizeof host, serv, sizeof serv, 0);
  // CHECK: {{^}}  n += evy::green::getnameinfo(sa, *len, host, sizeof host, serv, sizeof serv, 0);
  n += gethostbyname("localhost") != nullptr;
  // CHECK: {{^}}  n += evy::green::gethostbyname("localhost") != nullptr;
  n += gethostbyname_r("localhost", &he, host, sizeof host, &res, &herr);
  // CHECK: {{^}}  n += evy::green::gethostbyname_r("localhost", &he, host, sizeof host, &res, &herr);
  n += gethostbyaddr(host, 4, AF_INET) != nullptr;
  // CHECK: {{^}}  n += evy::green::gethostbyaddr(host, 4, AF_INET) != nullptr;
  n += close(fd);
  // CHECK: {{^}}  n += evy::green::close(fd);
  return n;
}
