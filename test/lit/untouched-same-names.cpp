// Matching is by canonical declaration, never by spelling: the user's own
// functions and methods named like blocking APIs, a variable named select,
// comments and string literals are never touched. With nothing blocking
// left, the file is unchanged.
// RUN: %evy-rewrite --patch %s -- -std=c++20 > %t.out.cpp 2> %t.err
// RUN: diff %s %t.out.cpp
// RUN: count 0 < %t.err
// RUN: %compiles
// RUN: %evy-rewrite --check --patch %s -- -std=c++20

#include <stdio.h>
#include <string>

namespace mine {
unsigned sleep(unsigned s) { return s; } // not ::sleep
struct mutex {};
} // namespace mine

struct Socket {
  long recv(char *, unsigned long n) { return static_cast<long>(n); }
  long send(const char *, unsigned long n) { return static_cast<long>(n); }
  void close() {}
};

struct thread {}; // a user type called thread, at global scope

int user_code() {
  int select = 3;                  // a variable named select
  Socket sock;
  char buf[4];
  long n = sock.recv(buf, 1) + sock.send(buf, 1);
  sock.close();
  mine::sleep(1);                  // sleep(1) in a comment: untouched
  mine::mutex m;
  thread t;
  std::string s = "recv(fd, buf, 1, 0); sleep(1); std::thread t;";
  /* send(fd, buf, 1, 0); std::mutex m; */
  puts("close(fd)");
  (void)m;
  (void)t;
  return select + static_cast<int>(n) + static_cast<int>(s.size());
}

namespace other {
using namespace mine;
void g() { sleep(2); }           // mine::sleep through a using-directive
} // namespace other
