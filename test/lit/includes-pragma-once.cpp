// After "#pragma once" (and with no other include), the patched include goes
// below the pragma. With an include block, it joins the block.
// RUN: %evy-rewrite --patch=time %s -- -std=c++20 -Wno-pragma-once-outside-header > %t.out.cpp
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: grep -c '^#include' %t.out.cpp | FileCheck %s --check-prefix=COUNT
// RUN: %compiles
// RUN: %evy-rewrite --patch=time %inputs/pragma-once-block.cpp -- -std=c++20 -Wno-pragma-once-outside-header > %t.block.cpp
// RUN: FileCheck %s --check-prefix=BLOCK --input-file=%t.block.cpp

#pragma once
// CHECK-NOT: {{^}}#include
// CHECK: {{^}}#pragma once
// CHECK: {{^}}#include <evy/patched/time.h>
// CHECK: {{^}}extern "C" unsigned int sleep(unsigned int);
// COUNT: {{^}}1{{$}}

extern "C" unsigned int sleep(unsigned int);

inline void f() { sleep(1); }
// CHECK: {{^}}inline void f() { evy::green::sleep(1); }

// With an include block below the pragma, the include joins the block.
// BLOCK: {{^}}#pragma once
// BLOCK-EMPTY:
// BLOCK-NEXT: {{^}}#include <evy/patched/time.h>
// BLOCK-NEXT: {{^}}#include <stdio.h>
// BLOCK-NEXT: {{^}}#include <unistd.h>
// BLOCK-EMPTY:
// BLOCK-NEXT: {{^}}inline void g() { evy::green::sleep(1); }
