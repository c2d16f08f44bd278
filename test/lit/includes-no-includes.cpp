// A file with no #include lines gets its patched include at the top, after
// the leading comment, exactly once however many calls it rewrites.
// RUN: %evy-rewrite --patch=time %s -- -std=c++20 > %t.out.cpp
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: grep -c '^#include' %t.out.cpp | FileCheck %s --check-prefix=COUNT
// RUN: %compiles

// CHECK: {{^}}// A file with no #include lines
// CHECK: {{^}}#include <evy/patched/time.h>
// CHECK: {{^}}extern "C" unsigned int sleep(unsigned int);
// COUNT: {{^}}1{{$}}

extern "C" unsigned int sleep(unsigned int);
extern "C" int usleep(unsigned int);

void f() {
  sleep(1);
  // CHECK: {{^}}  evy::green::sleep(1);
  usleep(1);
  // CHECK: {{^}}  evy::green::usleep(1);
}
