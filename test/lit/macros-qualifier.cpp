// A qualifier that comes from a macro ("#define NS std", then "NS::mutex")
// is spelled in two places no single edit can span: reported, and the file
// stays as it was (the edit must never run from the #define to the use).
// RUN: %evy-rewrite --patch=thread %s -- -std=c++20 > %t.out.cpp 2> %t.err
// RUN: diff %s %t.out.cpp
// RUN: FileCheck %s --input-file=%t.err
// RUN: %compiles

#include <mutex>
#include <thread>
#define NS std
#if 1
#define STDNS std
#endif

NS::mutex m;
// CHECK: macros-qualifier.cpp:[[@LINE-1]]:5: warning: 'std::mutex' is spelled across a macro boundary or by token pasting and cannot be rewritten [evy-macro-spelling]
static STDNS::thread *t;
// CHECK-NEXT: macros-qualifier.cpp:[[@LINE-1]]:15: warning: 'std::thread' is spelled across a macro boundary or by token pasting and cannot be rewritten [evy-macro-spelling]
// CHECK-NOT: #define
int main() { m.lock(); }
