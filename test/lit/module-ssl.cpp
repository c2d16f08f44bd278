// Every member of the ssl module (rules/ssl.json) is rewritten.
// RUN: %evy-rewrite --patch=ssl %s -- -std=c++20 > %t.out.cpp
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: FileCheck %s --check-prefix=INC --input-file=%t.out.cpp
// RUN: %compiles

#include <openssl/ssl.h>
// INC: {{^}}#include <evy/patched/ssl.h>
// INC-NOT: {{^}}#include <evy/patched/

long members(SSL *s, char *buf) {
  size_t done = 0;
  long n = SSL_connect(s);
  // CHECK: {{^}}  long n = evy::green::SSL_connect(s);
  n += SSL_accept(s);
  // CHECK: {{^}}  n += evy::green::SSL_accept(s);
  n += SSL_do_handshake(s);
  // CHECK: {{^}}  n += evy::green::SSL_do_handshake(s);
  n += SSL_read(s, buf, 1);
  // CHECK: {{^}}  n += evy::green::SSL_read(s, buf, 1);
  n += SSL_read_ex(s, buf, 1, &done);
  // CHECK: {{^}}  n += evy::green::SSL_read_ex(s, buf, 1, &done);
  n += SSL_write(s, buf, 1);
  // CHECK: {{^}}  n += evy::green::SSL_write(s, buf, 1);
  n += SSL_write_ex(s, buf, 1, &done);
  // CHECK: {{^}}  n += evy::green::SSL_write_ex(s, buf, 1, &done);
  n += SSL_peek(s, buf, 1);
  // CHECK: {{^}}  n += evy::green::SSL_peek(s, buf, 1);
  n += SSL_peek_ex(s, buf, 1, &done);
  // CHECK: {{^}}  n += evy::green::SSL_peek_ex(s, buf, 1, &done);
  n += SSL_shutdown(s);
  // CHECK: {{^}}  n += evy::green::SSL_shutdown(s);
  return n;
}
