// A call that exists only inside a system macro cannot be rewritten: it is
// reported as a warning at the use (file:line:col), and the file is left
// exactly as it was (no edit, no include). Under --check it fails the gate.
// RUN: %evy-rewrite --patch=socket,time %s -- -std=c++20 -isystem %inputs > %t.out.cpp 2> %t.err
// RUN: diff %s %t.out.cpp
// RUN: FileCheck %s --check-prefix=WARN --input-file=%t.err
// RUN: %compiles
// RUN: not %evy-rewrite --check --patch=socket,time %s -- -std=c++20 -isystem %inputs 2>&1 | FileCheck %s --check-prefix=WARN
// RUN: %evy-rewrite --report=json --patch=socket,time %s -- -std=c++20 -isystem %inputs | FileCheck %s --check-prefix=JSON

#include <evy-test-system-macros.h>

void f(int fd, char *buf) {
  SYS_NAP(1);
  // WARN: {{.*}}macros-system.cpp:[[@LINE-1]]:3: warning: 'sleep' is used inside the system macro 'SYS_NAP' and cannot be rewritten
  int n = SYS_RECV_ONE(fd, buf);
  // WARN: {{.*}}macros-system.cpp:[[@LINE-1]]:11: warning: 'recv' is used inside the system macro 'SYS_RECV_ONE'
  (void)n;
}
// JSON: "findings": [
// JSON: "check": "evy-system-macro"
// JSON: "line": 14
