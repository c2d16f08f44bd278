// No value (bare --patch) and "all" mean every module; "-name" and
// "all,-name" mean every module but that one. Exclusion wins over
// implication, and an excluded module's calls stay blocking.
// RUN: %evy-rewrite --patch %s -- -std=c++20 > %t.out.cpp
// RUN: FileCheck %s --check-prefix=ALL --input-file=%t.out.cpp
// RUN: %compiles
// RUN: %evy-rewrite --patch=all %s -- -std=c++20 | diff %t.out.cpp -
// RUN: %evy-rewrite --patch=-socket %s -- -std=c++20 > %t.minus.cpp
// RUN: FileCheck %s --check-prefix=MINUS --input-file=%t.minus.cpp
// RUN: %evy-rewrite --patch=all,-socket %s -- -std=c++20 | diff %t.minus.cpp -
// RUN: %evy-rewrite --report --patch %s -- -std=c++20 | FileCheck %s --check-prefix=ALL-REPORT
// RUN: %evy-rewrite --report --patch=-socket %s -- -std=c++20 | FileCheck %s --check-prefix=MINUS-REPORT
// RUN: %evy-rewrite --report --patch=all,-socket,-thread %s -- -std=c++20 | FileCheck %s --check-prefix=MINUS2-REPORT

#include <mutex>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>
// ALL: {{^}}#include <evy/patched/socket.h>
// ALL-NEXT: {{^}}#include <evy/patched/ssl.h>
// ALL-NEXT: {{^}}#include <evy/patched/thread.h>
// ALL-NEXT: {{^}}#include <evy/patched/time.h>
// MINUS-NOT: {{^}}#include <evy/patched/socket.h>
// MINUS: {{^}}#include <evy/patched/ssl.h>
// MINUS-NEXT: {{^}}#include <evy/patched/thread.h>
// MINUS-NEXT: {{^}}#include <evy/patched/time.h>
// MINUS-NOT: {{^}}#include <evy/patched/socket.h>

std::mutex m;
// ALL: {{^}}evy::green::mutex m;
// MINUS: {{^}}evy::green::mutex m;

long f(int fd, char *buf, SSL *s) {
  long n = recv(fd, buf, 1, 0);
  // ALL: {{^}}  long n = evy::green::recv(fd, buf, 1, 0);
  // MINUS: {{^}}  long n = recv(fd, buf, 1, 0);
  n += SSL_read(s, buf, 1);
  // ALL: {{^}}  n += evy::green::SSL_read(s, buf, 1);
  // MINUS: {{^}}  n += evy::green::SSL_read(s, buf, 1);
  n += sleep(1);
  // ALL: {{^}}  n += evy::green::sleep(1);
  // MINUS: {{^}}  n += evy::green::sleep(1);
  return n;
}

// ALL-REPORT: patched: os, psycopg, select, socket, ssl, thread, time (from --patch)
// MINUS-REPORT: patched: os, psycopg, select, ssl, thread, time (from --patch)
// MINUS2-REPORT: patched: os, psycopg, select, ssl, time (from --patch)
