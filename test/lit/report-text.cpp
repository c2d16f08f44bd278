// --report (=text by default) prints, per file, the modules it uses and the
// ones patched (and why), each rewrite, each kept or unpatched use and each
// finding with line:col, and the includes it would add. It rewrites
// nothing, exits 0 even with findings, and writes findings nowhere else.
// RUN: cp %s %t.cpp
// RUN: %evy-rewrite --report --patch=time,thread %t.cpp -- -std=c++20 > %t.report 2> %t.err
// RUN: FileCheck %s --input-file=%t.report
// RUN: count 0 < %t.err
// RUN: diff %s %t.cpp
// RUN: %evy-rewrite --report=text --patch=time,thread %t.cpp -- -std=c++20 | diff %t.report -
// RUN: %evy-rewrite --patch=time,thread %s -- -std=c++20 > %t.out.cpp 2> /dev/null
// RUN: %compiles

#include <mutex>
#include <sys/socket.h>
#include <unistd.h>

std::mutex m;
thread_local int tl;

void f(int fd, char *buf) {
  sleep(1);
  usleep(1); // evy: keep
  recv(fd, buf, 1, 0);
}
// CHECK: {{^}}{{.*}}report-text.cpp.tmp.cpp: uses socket, thread, time; patched: thread, time (from --patch)
// CHECK-DAG: {{^}}  [[@LINE-9]]:1: std::mutex -> evy::green::mutex [thread]
// CHECK-DAG: {{^}}  [[@LINE-6]]:3: sleep -> evy::green::sleep [time]
// CHECK-DAG: {{^}}  [[@LINE-6]]:3: usleep kept (evy: keep) [time]
// CHECK-DAG: {{^}}  [[@LINE-6]]:3: recv left blocking: module 'socket' not patched
// CHECK-DAG: {{^}}  + #include <evy/patched/thread.h>
// CHECK-DAG: {{^}}  + #include <evy/patched/time.h>
// CHECK-DAG: {{^}}  [[@LINE-14]]:18: warning: thread-local variable 'tl' {{.*}} [evy-thread-local]
// CHECK-NOT: socket.h
