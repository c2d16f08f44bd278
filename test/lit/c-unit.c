// A unit compiled as C is left alone with a warning: the replacements are C++.
// RUN: %evy-rewrite --patch %s -- -std=c11 > %t.out.c 2> %t.err
// RUN: diff %s %t.out.c
// RUN: FileCheck %s < %t.err
// RUN: not %evy-rewrite --patch --check %s -- -std=c11
// CHECK: c-unit.c:1:1: warning: this unit is compiled as C; evy rewrites C++ only and left it alone [evy-c-unit]
#include <unistd.h>

int main(void) {
  sleep(1);
  return 0;
}
