// --patch=LIST greens only the listed modules plus what they imply (socket
// implies ssl); aliases name their module (threading, queue -> thread).
// Modules not chosen stay blocking and the report says so.
// RUN: %evy-rewrite --patch=socket,select %s -- -std=c++20 > %t.out.cpp
// RUN: FileCheck %s --check-prefix=LIST --input-file=%t.out.cpp
// RUN: %compiles
// RUN: %evy-rewrite --report --patch=socket,select %s -- -std=c++20 | FileCheck %s --check-prefix=LIST-REPORT
// RUN: %evy-rewrite --report --patch=socket %s -- -std=c++20 | FileCheck %s --check-prefix=IMPLIED
// RUN: %evy-rewrite --report --patch=threading %s -- -std=c++20 | FileCheck %s --check-prefix=ALIAS
// RUN: %evy-rewrite --report --patch=queue,time %s -- -std=c++20 | FileCheck %s --check-prefix=QUEUE
// RUN: %evy-rewrite --patch=threading %s -- -std=c++20 | FileCheck %s --check-prefix=ALIAS-OUT
// RUN: %evy-rewrite --report --patch=socket,-ssl %s -- -std=c++20 | FileCheck %s --check-prefix=NO-SSL
// RUN: %evy-rewrite --report '--patch= time , os ' %s -- -std=c++20 | FileCheck %s --check-prefix=SPACES

#include <mutex>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

std::mutex m;
// LIST: {{^}}std::mutex m;
// ALIAS-OUT: {{^}}evy::green::mutex m;

long f(int fd, char *buf, SSL *s, struct pollfd *p) {
  long n = recv(fd, buf, 1, 0);
  // LIST: {{^}}  long n = evy::green::recv(fd, buf, 1, 0);
  // ALIAS-OUT: {{^}}  long n = recv(fd, buf, 1, 0);
  n += SSL_read(s, buf, 1);
  // LIST: {{^}}  n += evy::green::SSL_read(s, buf, 1);
  n += poll(p, 1, 0);
  // LIST: {{^}}  n += evy::green::poll(p, 1, 0);
  n += sleep(1);
  // LIST: {{^}}  n += sleep(1);
  n += read(fd, buf, 1);
  // LIST: {{^}}  n += read(fd, buf, 1);
  return n;
}

// LIST-REPORT: patch-list.cpp: uses os, select, socket, ssl, thread, time; patched: select, socket, ssl (from --patch)
// LIST-REPORT-DAG: : recv -> evy::green::recv [socket]
// LIST-REPORT-DAG: : SSL_read -> evy::green::SSL_read [ssl]
// LIST-REPORT-DAG: : poll -> evy::green::poll [select]
// LIST-REPORT-DAG: : sleep left blocking: module 'time' not patched
// LIST-REPORT-DAG: : read left blocking: module 'os' not patched
// LIST-REPORT-DAG: : std::mutex left blocking: module 'thread' not patched
// IMPLIED: patched: socket, ssl (from --patch)
// IMPLIED: : SSL_read -> evy::green::SSL_read [ssl]
// ALIAS: patched: thread (from --patch)
// ALIAS: : std::mutex -> evy::green::mutex [thread]
// QUEUE: patched: thread, time (from --patch)
// NO-SSL: patched: socket (from --patch)
// NO-SSL: : SSL_read left blocking: module 'ssl' not patched
// SPACES: patched: os, time (from --patch)
