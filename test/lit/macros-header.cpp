// A mapped call spelled inside a macro that a user header defines, used in
// a rewritten file: without the header in --header-filter neither place can
// be edited, so it is reported at the use and nothing changes. With the
// header filtered in, the macro's definition is rewritten instead.
// RUN: rm -rf %t && mkdir -p %t/inc
// RUN: printf '#pragma once\n#include <unistd.h>\n#define NAP(n) sleep(n)\n' > %t/inc/nap.h
// RUN: cp %s %t/main.cpp
// RUN: cd %t && %evy-rewrite --patch=time main.cpp -- -std=c++20 > %t/main.out.cpp 2> %t/err
// RUN: diff %s %t/main.out.cpp
// RUN: FileCheck %s --check-prefix=WARN --input-file=%t/err
// RUN: cd %t && not %evy-rewrite --check --patch=time main.cpp -- -std=c++20 2>&1 | FileCheck %s --check-prefix=WARN
// RUN: cd %t && %evy-rewrite --patch=time --header-filter='inc/nap\.h' -i main.cpp -- -std=c++20 2> %t/err2
// RUN: count 0 < %t/err2
// RUN: FileCheck %s --check-prefix=HEADER --input-file=%t/inc/nap.h
// RUN: diff %s %t/main.cpp
// RUN: cd %t && %cxx-syntax main.cpp && %clangxx-syntax main.cpp

#include "inc/nap.h"

void nap() { NAP(1); }
// WARN: main.cpp:[[@LINE-1]]:14: warning: 'sleep' is used inside the macro 'NAP' from {{.*}}inc/nap.h, which this run does not rewrite (see --header-filter) [evy-header-macro]
// HEADER: #include <evy/patched/time.h>
// HEADER: #define NAP(n) evy::green::sleep(n)
