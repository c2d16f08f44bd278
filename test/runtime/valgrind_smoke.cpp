// A small program run under valgrind when libevy is built with
// EVY_VALGRIND=ON: fibers on registered stacks must produce no errors.
#include <evy/evy.h>
#include <evy/patched/socket.h>

#include <cstdio>
#include <vector>

int main() {
  using namespace std::chrono_literals;
  int sv[2];
  if (evy::green::socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
    return 2;
  int sum = 0;
  std::vector<evy::GreenThread> fibers;
  fibers.push_back(evy::spawn([&] {
    for (int i = 1; i <= 100; ++i) {
      int value = 0;
      if (evy::green::recv(sv[0], &value, sizeof value, MSG_WAITALL) != sizeof value)
        return;
      sum += value;
    }
  }));
  fibers.push_back(evy::spawn([&] {
    for (int i = 1; i <= 100; ++i) {
      evy::green::send(sv[1], &i, sizeof i, 0);
      if (i % 10 == 0)
        evy::sleep(1ms);
    }
  }));
  for (int i = 0; i < 50; ++i)
    fibers.push_back(evy::spawn([] { evy::yield(); }));
  for (evy::GreenThread &fiber : fibers)
    fiber.join();
  evy::green::close(sv[0]);
  evy::green::close(sv[1]);
  std::printf("sum %d\n", sum);
  return sum == 5050 ? 0 : 1;
}
