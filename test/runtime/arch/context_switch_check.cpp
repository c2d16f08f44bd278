// The machine layer alone, without gtest, so that it also runs as a
// cross-compiled AArch64 binary under qemu-user: switch order, stack
// alignment at entry, and callee-saved registers preserved across switches.
// Exit status 0 on success; each failed check prints a line.
#include "arch/context.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

using evy::detail::FiberContext;

FiberContext main_context, fiber_context;
std::string order;
std::uintptr_t sp_at_entry = 0;
int failures = 0;

void check(bool ok, const char *what) {
  if (!ok) {
    std::printf("FAIL: %s\n", what);
    ++failures;
  }
}

// A 16-byte aligned local is placed relative to the stack pointer on the
// assumption that the ABI alignment held at entry; the compiler does not
// realign for it. Its address therefore exposes a misaligned entry.
[[gnu::noinline]] void note_sp() {
  alignas(16) volatile char probe[16];
  probe[0] = 0;
  sp_at_entry = reinterpret_cast<std::uintptr_t>(&probe[0]);
}

void fiber_body(void *argument) {
  check(argument == &order, "entry receives its argument");
  note_sp();
  order += 'f';
  evy::detail::context_switch(fiber_context, main_context);
  order += 'g';
  evy::detail::context_switch(fiber_context, main_context);
  std::abort(); // never resumed a third time
}

// callee_saved_*.S: fill every callee-saved register with a known value,
// switch to the fiber and back, and return 1 if all of them survived.
extern "C" int evy_test_callee_saved_survive(FiberContext *from, FiberContext *to);

} // namespace

int main() {
  static char stack[64 * 1024] __attribute__((aligned(16)));
  // An odd size: context_init must align the top itself.
  evy::detail::context_init(fiber_context, stack, sizeof stack - 24, &fiber_body, &order);
  order += 'm';
  evy::detail::context_switch(main_context, fiber_context);
  order += 'n';
  check(evy_test_callee_saved_survive(&main_context, &fiber_context) == 1,
        "callee-saved registers survive a switch");
  order += 'o';
  check(order == "mfngo", ("switch order is mfngo, got " + order).c_str());
  check(sp_at_entry % 16 == 0, "16-byte aligned stack in a callee of the entry");
  check(sp_at_entry > reinterpret_cast<std::uintptr_t>(stack) &&
            sp_at_entry < reinterpret_cast<std::uintptr_t>(stack) + sizeof stack,
        "the fiber runs on its own stack");
  std::printf("%s context switch (%s): %s\n", failures ? "FAILED" : "ok",
              evy::detail::context_backend(), order.c_str());
  return failures == 0 ? 0 : 1;
}
