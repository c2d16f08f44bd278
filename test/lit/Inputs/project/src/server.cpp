#include "net/conn.h"
#include "../third_party/httplib.h"

#include <thread>

int serve(int fd) {
  char buf[16];
  std::thread t([fd] { lib_wait(fd); });
  t.join();
  return static_cast<int>(read_some(fd, buf, sizeof buf));
}
