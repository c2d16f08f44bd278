// dlsym("recv")-style late binding of a patched name cannot be rewritten: it
// is reported with file:line:col (at the string), and the string is left
// alone. A name no module patches, or a module not chosen, says nothing.
// RUN: %evy-rewrite --patch=socket,time %s -- -std=c++20 > %t.out.cpp 2> %t.err
// RUN: diff %s %t.out.cpp
// RUN: FileCheck %s --input-file=%t.err
// RUN: %compiles
// RUN: %evy-rewrite --patch=os %s -- -std=c++20 2>&1 >/dev/null | count 0

#include <dlfcn.h>

void *lookups(void *lib) {
  void *r = dlsym(RTLD_NEXT, "recv");
  // CHECK: {{.*}}late-binding-dlsym.cpp:[[@LINE-1]]:30: warning: {{.*}}'recv'{{.*}} [evy-late-binding]
  void *s = ::dlsym(lib, "sleep");
  // CHECK: {{.*}}late-binding-dlsym.cpp:[[@LINE-1]]:26: warning: {{.*}}'sleep'{{.*}} [evy-late-binding]
  void *o = dlsym(lib, "strlen");
  // CHECK-NOT: strlen
  return r ? r : s ? s : o;
}
