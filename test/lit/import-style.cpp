// Import style: without --patch, a file's own #include <evy/patched/X.h>
// chooses its modules (plus what they imply): this file includes socket.h,
// so recv and SSL_read are greened and sleep is not. A file with no patched
// include is left alone, and the report says so. --patch overrides both.
// RUN: %evy-rewrite %s -- -std=c++20 > %t.out.cpp
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: %compiles
// RUN: %evy-rewrite --report %s -- -std=c++20 | FileCheck %s --check-prefix=REPORT
// RUN: %evy-rewrite --report=json %s -- -std=c++20 | FileCheck %s --check-prefix=JSON
// RUN: %evy-rewrite --patch=time %s -- -std=c++20 | FileCheck %s --check-prefix=PATCH
// RUN: echo '#include <unistd.h>' > %t.plain.cpp
// RUN: echo 'void f() { sleep(1); }' >> %t.plain.cpp
// RUN: %evy-rewrite %t.plain.cpp -- -std=c++20 > %t.plain.out.cpp
// RUN: diff %t.plain.cpp %t.plain.out.cpp
// RUN: %evy-rewrite --check %t.plain.cpp -- -std=c++20
// RUN: %evy-rewrite --report %t.plain.cpp -- -std=c++20 | FileCheck %s --check-prefix=NONE
// RUN: %evy-rewrite --report=json %t.plain.cpp -- -std=c++20 | FileCheck %s --check-prefix=NONE-JSON

#include <evy/patched/socket.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>
// The implied ssl module is now used too, so its header is added; time's is not.
// CHECK-NOT: {{^}}#include <evy/patched/time.h>
// CHECK: {{^}}#include <evy/patched/socket.h>
// CHECK-NEXT: {{^}}#include <evy/patched/ssl.h>
// CHECK-NOT: {{^}}#include <evy/patched/

long f(int fd, char *buf, SSL *s) {
  long n = recv(fd, buf, 1, 0);
  // CHECK: {{^}}  long n = evy::green::recv(fd, buf, 1, 0);
  // PATCH: {{^}}  long n = recv(fd, buf, 1, 0);
  n += SSL_read(s, buf, 1);
  // CHECK: {{^}}  n += evy::green::SSL_read(s, buf, 1);
  n += sleep(1);
  // CHECK: {{^}}  n += sleep(1);
  // PATCH: {{^}}  n += evy::green::sleep(1);
  return n;
}

// REPORT: import-style.cpp: uses socket, ssl, time; patched: socket, ssl (from {{.*}}includes)
// REPORT: : sleep left blocking: module 'time' not patched
// JSON: "patched": [
// JSON-NEXT: "socket",
// JSON-NEXT: "ssl"
// JSON-NEXT: ],
// JSON-NEXT: "patched_by": "includes",
// NONE: plain.cpp: uses time; patched: none ({{.*}}no <evy/patched/...> include{{.*}}left alone)
// NONE: : sleep left blocking: module 'time' not patched
// NONE-JSON: "changed": false,
// NONE-JSON: "patched": [],
// NONE-JSON-NEXT: "patched_by": "",
