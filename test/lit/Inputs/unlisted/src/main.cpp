// Listed in the database; its flags come from build/flags.rsp only.
#include "h.h"
#ifndef EVY_FROM_RSP
#error "the response file was not expanded"
#endif

int main() {
  nap();
  return (int)sleep(1);
}
