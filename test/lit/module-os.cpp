// Every member of the os module (rules/os.json) is rewritten, and the file
// gains <evy/patched/os.h> and nothing else.
// RUN: %evy-rewrite --patch=os %s -- -std=c++20 > %t.out.cpp
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: FileCheck %s --check-prefix=INC --input-file=%t.out.cpp
// RUN: %compiles

#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
// INC: {{^}}#include <evy/patched/os.h>
// INC-NOT: {{^}}#include <evy/patched/{{socket|select|ssl|thread|time|psycopg}}.h>
// INC: {{^}}#include <sys/uio.h>
// INC-NOT: {{^}}#include <evy/patched/

long members(int fd, char *buf, struct iovec *iov) {
  int status = 0;
  long n = read(fd, buf, 1);
  // CHECK: {{^}}  long n = evy::green::read(fd, buf, 1);
  n += write(fd, buf, 1);
  // CHECK: {{^}}  n += evy::green::write(fd, buf, 1);
  n += readv(fd, iov, 1);
  // CHECK: {{^}}  n += evy::green::readv(fd, iov, 1);
  n += writev(fd, iov, 1);
  // CHECK: {{^}}  n += evy::green::writev(fd, iov, 1);
  pid_t p = wait(&status);
  // CHECK: {{^}}  pid_t p = evy::green::wait(&status);
  p = waitpid(p, &status, 0);
  // CHECK: {{^}}  p = evy::green::waitpid(p, &status, 0);
  int copy = dup(fd);
  // CHECK: {{^}}  int copy = evy::green::dup(fd);
  copy = dup2(fd, copy);
  // CHECK: {{^}}  copy = evy::green::dup2(fd, copy);
  copy = dup3(fd, copy, 0);
  // CHECK: {{^}}  copy = evy::green::dup3(fd, copy, 0);
  copy += close_range(3, 10, 0);
  // CHECK: {{^}}  copy += evy::green::close_range(3, 10, 0);
  closefrom(copy);
  // CHECK: {{^}}  evy::green::closefrom(copy);
  return n + p + copy;
}
