// A translation unit that does not parse is an error (exit status 2): clang's
// own diagnostic is shown with file:line:col, the tool says the unit failed,
// nothing goes to stdout, and no mode writes anything.
// RUN: cp %s %t.cpp
// RUN: %evy-rewrite --patch %t.cpp -- -std=c++20 > %t.out 2> %t.err; test $? = 2
// RUN: count 0 < %t.out
// RUN: FileCheck %s --input-file=%t.err
// RUN: %evy-rewrite -i --patch %t.cpp -- -std=c++20 2> /dev/null; test $? = 2
// RUN: diff %s %t.cpp
// RUN: %evy-rewrite --diff --patch %t.cpp -- -std=c++20 2> /dev/null > %t.diff; test $? = 2
// RUN: count 0 < %t.diff
// RUN: %evy-rewrite --check --patch %t.cpp -- -std=c++20 2> /dev/null; test $? = 2
// RUN: %evy-rewrite --report=json --patch %t.cpp -- -std=c++20 2> /dev/null > %t.json; test $? = 2
// RUN: count 0 < %t.json
// RUN: %evy-rewrite --export-fixes=%t.yaml --patch %t.cpp -- -std=c++20 2> /dev/null; test $? = 2
// RUN: test ! -e %t.yaml

#include <unistd.h>

void f() {
  sleep(1);
  int x = not_declared_anywhere;
  // CHECK: parse-failure.cpp.tmp.cpp:[[@LINE-1]]:11: error: use of undeclared identifier 'not_declared_anywhere'
  // CHECK: evy-rewrite: error: {{.*}}parse-failure.cpp.tmp.cpp{{.*}}
}
