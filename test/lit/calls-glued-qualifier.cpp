// A qualified spelling glued to the token before it ("return::sleep",
// "new::std::mutex", "NS::sleep" with NS an empty macro) gets a space, so
// the tokens stay apart: "returnevy::green::sleep" would not compile.
// RUN: %evy-rewrite --patch=thread,time %s -- -std=c++20 > %t.out.cpp
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: %compiles
// RUN: %evy-rewrite --patch=thread,time %t.out.cpp -- -std=c++20 -I %evy_include | diff %t.out.cpp -

#include <mutex>
#include <unistd.h>
#define NS

unsigned nap() { return::sleep(1); }
// CHECK: {{^}}unsigned nap() { return evy::green::sleep(1); }
auto *made = new::std::mutex;
// CHECK: {{^}}auto *made = new evy::green::mutex;
const::std::mutex *seen = made;
// CHECK: {{^}}const evy::green::mutex *seen = made;
void twice(bool b) {
  if (b)
    ::sleep(1);
  else::sleep(2);
  // CHECK: {{^}}  else evy::green::sleep(2);
  NS::sleep(3);
  // CHECK: {{^}}  NS evy::green::sleep(3);
}
