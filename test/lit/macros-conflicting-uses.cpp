// A user macro whose body spells a call that one expansion sends to the
// blocking function and another to a user overload (by argument-dependent
// lookup): rewriting the definition would break the second expansion, so
// the spelling is left alone and reported. A macro whose expansions all
// agree is rewritten in its definition as usual.
// RUN: %evy-rewrite --patch=socket %s -- -std=c++20 > %t.out.cpp 2> %t.err
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: FileCheck %s --check-prefix=WARN --input-file=%t.err
// RUN: %compiles
// RUN: not %evy-rewrite --check --patch=socket %s -- -std=c++20 > /dev/null 2>&1

#include <unistd.h>

namespace n {
struct H {};
inline int close(H) { return 0; }
} // namespace n

#define CL(x) close(x)
// CHECK: {{^}}#define CL(x) close(x)
// WARN: macros-conflicting-uses.cpp:[[@LINE-2]]:15: warning: 'close' here is the blocking call for one use but names 'n::close' for another (one spelling, several uses: a macro expanded more than once?), so it was left alone; call evy::green::close explicitly where the blocking one is meant [evy-conflicting-uses]
#define CLOSE_FD(fd) close(fd)
// CHECK: {{^}}#define CLOSE_FD(fd) evy::green::close(fd)

int f(n::H h) { return CL(3) + CL(h) + CLOSE_FD(4) + CLOSE_FD(5); }
// WARN-NOT: warning:
