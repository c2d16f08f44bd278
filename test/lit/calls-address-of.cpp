// Taking the address of a blocking function (&recv, ::close) and passing it
// as a callback (function-to-pointer decay) is rewritten too, as are
// parenthesized callees, template arguments naming a function, and calls in
// extern "C" blocks.
// RUN: %evy-rewrite --patch=socket,time %s -- -std=c++20 > %t.out.cpp
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: %compiles

#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

using RecvFn = ssize_t (*)(int, void *, size_t, int);

unsigned call(unsigned (*fn)(unsigned), unsigned arg) { return fn(arg); }

template <RecvFn F> ssize_t call_template(int fd, void *buf) { return F(fd, buf, 1, 0); }

void taking_addresses() {
  RecvFn r = &recv;
  // CHECK: {{^}}  RecvFn r = &evy::green::recv;
  RecvFn r2 = &::recv;
  // CHECK: {{^}}  RecvFn r2 = &evy::green::recv;
  int (*c)(int) = close;
  // CHECK: {{^}}  int (*c)(int) = evy::green::close;
  call(sleep, 0);
  // CHECK: {{^}}  call(evy::green::sleep, 0);
  call(&::sleep, 0);
  // CHECK: {{^}}  call(&evy::green::sleep, 0);
  auto s = send;
  // CHECK: {{^}}  auto s = evy::green::send;
  (void)r; (void)r2; (void)c; (void)s;
}

void other_forms(int fd, char *buf) {
  (sleep)(1);
  // CHECK: {{^}}  (evy::green::sleep)(1);
  (::usleep)(1);
  // CHECK: {{^}}  (evy::green::usleep)(1);
  call_template<&recv>(fd, buf);
  // CHECK: {{^}}  call_template<&evy::green::recv>(fd, buf);
  call_template<recv>(fd, buf);
  // CHECK: {{^}}  call_template<evy::green::recv>(fd, buf);
}

extern "C" {
void c_linkage() { sleep(2); }
// CHECK: {{^}}void c_linkage() { evy::green::sleep(2); }
}
