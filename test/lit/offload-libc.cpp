// The bundled offload module offload_libc (rules/offload_libc.json) runs
// libc's file-lock, sync and NSS calls on evy's pool. It is opt-in:
// --patch=all leaves it out (and reports those calls as evy-blocking-call),
// --patch=all,offload_libc chooses it.
// RUN: %evy-rewrite --patch=all,offload_libc %s -- -std=c++20 > %t.out.cpp 2> %t.err
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: FileCheck %s --input-file=%t.err --check-prefix=CHOSEN --allow-empty --implicit-check-not=warning:
// RUN: %compiles
// RUN: %evy-rewrite --patch=all %s -- -std=c++20 2>&1 > /dev/null | FileCheck %s --check-prefix=ALL
// RUN: %evy-rewrite --patch=all %s -- -std=c++20 | FileCheck %s --check-prefix=UNCHANGED

// CHECK: {{^}}#include <evy/tpool.h>
#include <grp.h>
#include <pwd.h>
#include <sys/file.h>
#include <unistd.h>

int f(int fd) {
  struct passwd *pw = getpwnam("root");
  // CHECK: {{^}}  struct passwd *pw = evy::tpool::offload(::getpwnam)("root");
  // ALL: offload-libc.cpp:[[@LINE-2]]:23: warning: 'getpwnam' blocks the OS thread and every green thread on it; choose module 'offload_libc' (--patch=...,offload_libc) to run it on evy's thread pool [evy-blocking-call]
  // UNCHANGED: {{^}}  struct passwd *pw = getpwnam("root");
  struct group *gr = getgrgid(0);
  // CHECK: {{^}}  struct group *gr = evy::tpool::offload(::getgrgid)(0);
  // ALL: offload-libc.cpp:[[@LINE-2]]:22: warning: 'getgrgid' blocks
  if (flock(fd, LOCK_EX) != 0)
    // CHECK: {{^}}  if (evy::tpool::offload(::flock)(fd, LOCK_EX) != 0)
    // ALL: offload-libc.cpp:[[@LINE-2]]:7: warning: 'flock' blocks
    return -1;
  fsync(fd);
  // CHECK: {{^}}  evy::tpool::offload(::fsync)(fd);
  // ALL: offload-libc.cpp:[[@LINE-2]]:3: warning: 'fsync' blocks
  return pw && gr ? 0 : 1;
}
// CHOSEN-NOT: warning
