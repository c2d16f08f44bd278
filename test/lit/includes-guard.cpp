// In a file wrapped in an include guard, the patched include goes inside the
// guard (after #define), never before #ifndef or after #endif.
// RUN: %evy-rewrite --patch=time %s -- -std=c++20 > %t.out.cpp
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: grep -c '^#include' %t.out.cpp | FileCheck %s --check-prefix=COUNT
// RUN: %compiles

#ifndef EVY_TEST_INCLUDES_GUARD_H
#define EVY_TEST_INCLUDES_GUARD_H
// CHECK-NOT: {{^}}#include
// CHECK: {{^}}#ifndef EVY_TEST_INCLUDES_GUARD_H
// CHECK-NEXT: {{^}}#define EVY_TEST_INCLUDES_GUARD_H
// CHECK: {{^}}#include <evy/patched/time.h>
// CHECK: {{^}}extern "C" unsigned int sleep(unsigned int);
// CHECK: {{^}}  evy::green::sleep(1);
// CHECK: {{^}}#endif // EVY_TEST_INCLUDES_GUARD_H
// CHECK-NOT: {{^}}#include
// COUNT: {{^}}1{{$}}

extern "C" unsigned int sleep(unsigned int);

inline void f() {
  sleep(1);
}

#endif // EVY_TEST_INCLUDES_GUARD_H
