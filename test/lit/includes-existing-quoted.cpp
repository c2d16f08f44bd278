// A patched header included with quotes counts as included: the angled
// form is not added beside it.
// RUN: %evy-rewrite --patch=time %s -- -std=c++20 -I %evy_include > %t.out.cpp
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: grep -c '^#include .evy/patched/time.h.' %t.out.cpp | FileCheck %s --check-prefix=ONCE
// RUN: %compiles

#include "evy/patched/time.h"
#include <unistd.h>
// CHECK: {{^}}#include "evy/patched/time.h"
// CHECK-NEXT: {{^}}#include <unistd.h>
// ONCE: {{^}}1{{$}}

void nap() { sleep(1); }
// CHECK: {{^}}void nap() { evy::green::sleep(1); }
