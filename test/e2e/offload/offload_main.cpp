// Ten threads each call slow_io (a C function that blocks 200 ms) and
// slow_void. Greened with the slowlib offload rule, the calls run on evy's
// pool and overlap although every green thread shares one OS thread; the
// results and errno are those of the calls. Usage: offload_main overlap|serial
// (what the most callers inside slowlib at once must show: >1 or exactly 1).
#include "slowlib.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

int main(int argc, char **argv) {
  const bool want_overlap = argc > 1 && std::strcmp(argv[1], "overlap") == 0;
  const int n = 10;
  std::vector<int> results(n, -1), errors(n, 0);
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([i, &results, &errors] {
      errno = 0;
      results[i] = slow_io(i);
      errors[i] = errno;
      slow_void();
    });
  for (std::thread &t : threads)
    t.join();
  int sum = 0, bad_errno = 0;
  for (int i = 0; i < n; ++i) {
    sum += results[i];
    bad_errno += errors[i] != 1000 + i;
  }
  const int most = slow_max_concurrent();
  std::printf("sum=%d bad_errno=%d max_concurrent=%d\n", sum, bad_errno, most);
  const bool overlapped = most > 1;
  return sum == 285 && bad_errno == 0 && overlapped == want_overlap ? 0 : 1;
}
