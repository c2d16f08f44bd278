/* See slowlib.h. The count of callers inside at once is what shows
   whether calls overlapped: no clock is read. */
#include "slowlib.h"

#include <errno.h>
#include <unistd.h>

static int inside, most;

static void enter(void) {
  int now = __atomic_add_fetch(&inside, 1, __ATOMIC_SEQ_CST);
  int seen = __atomic_load_n(&most, __ATOMIC_SEQ_CST);
  while (now > seen && !__atomic_compare_exchange_n(&most, &seen, now, 0, __ATOMIC_SEQ_CST,
                                                    __ATOMIC_SEQ_CST)) {
  }
  usleep(200 * 1000);
  __atomic_sub_fetch(&inside, 1, __ATOMIC_SEQ_CST);
}

int slow_io(int x) {
  enter();
  errno = 1000 + x;
  return x * x;
}

void slow_void(void) { enter(); }

int slow_max_concurrent(void) { return __atomic_load_n(&most, __ATOMIC_SEQ_CST); }
