// evy-blocking-call: a call the rule files list as blocking (rules/blocking.json)
// is reported in a greened file, as a warning on stderr, and makes --check
// fail; "// evy: keep" acknowledges it. A call whose green replacement
// exists ("unless": its module) is reported only where the file is greened
// without that module. An ungreened file is never reported.
// RUN: %evy-rewrite --patch=socket %s -- -std=c++20 > %t.out.cpp 2> %t.err
// RUN: FileCheck %s --input-file=%t.err --implicit-check-not=warning:
// RUN: %compiles
// RUN: %evy-rewrite --check --patch=socket %s -- -std=c++20 > /dev/null 2>&1; test $? = 1
// RUN: %evy-rewrite --patch=time,thread %s -- -std=c++20 2>&1 > /dev/null | FileCheck %s --check-prefix=ALL --implicit-check-not=warning:
// RUN: %evy-rewrite --report=text %s -- -std=c++20 | FileCheck %s --check-prefix=UNGREENED
// RUN: %evy-rewrite --check %s -- -std=c++20; test $? = 0

#include <curl/curl.h>
#include <fcntl.h>
#include <future>
#include <stdlib.h>
#include <thread>
#include <unistd.h>

void fetch(CURL *curl) {
  curl_easy_perform(curl);
  // CHECK: blocking-call.cpp:[[@LINE-1]]:3: warning: 'curl_easy_perform' blocks the OS thread and every green thread on it; offload it {{.*}}docs/rules.md{{.*}} [evy-blocking-call]
  // ALL: blocking-call.cpp:[[@LINE-2]]:3: warning: 'curl_easy_perform' blocks
  curl_easy_perform(curl); // evy: keep
}

int locks(int fd, struct flock *fl) {
  fcntl(fd, F_SETLKW, fl);
  // CHECK: blocking-call.cpp:[[@LINE-1]]:3: warning: 'fcntl' blocks the OS thread {{.*}}F_SETLK {{.*}}[evy-blocking-call]
  // ALL: blocking-call.cpp:[[@LINE-2]]:3: warning: 'fcntl' blocks
  fcntl(fd, F_OFD_SETLKW, fl);
  // CHECK: blocking-call.cpp:[[@LINE-1]]:3: warning: 'fcntl' blocks
  // ALL: blocking-call.cpp:[[@LINE-2]]:3: warning: 'fcntl' blocks
  fcntl(fd, F_SETLK, fl);
  return fcntl(fd, F_GETFL);
}

int shell() {
  return system("true") + system("false"); // evy: keep
}

void waits(std::future<int> &f) {
  sleep(1);
  // CHECK: blocking-call.cpp:[[@LINE-1]]:3: warning: 'sleep' blocks the OS thread and every green thread on it; module 'time' is not chosen for this file [evy-blocking-call]
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
  // CHECK: blocking-call.cpp:[[@LINE-1]]:3: warning: 'std::this_thread::sleep_for' blocks
  int v = f.get();
  // CHECK: blocking-call.cpp:[[@LINE-1]]:13: warning: 'std::future::get' blocks the OS thread and every green thread on it; module 'thread' is not chosen for this file [evy-blocking-call]
  f.wait();
  // CHECK: blocking-call.cpp:[[@LINE-1]]:5: warning: 'std::{{(__basic_)?}}future::wait' blocks
  (void)v;
}

// A user function of a listed name is not the library's.
namespace mine {
int system(const char *) { return 0; }
}
int notLibrary() { return mine::system("x"); }

// UNGREENED: blocking-call.cpp: uses {{.*}}; patched: none
// UNGREENED-NOT: warning
