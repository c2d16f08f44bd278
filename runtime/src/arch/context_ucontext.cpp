// The portable fallback: POSIX ucontext. Slower than the assembly (glibc's
// swapcontext also saves the signal mask with a system call), but it runs
// wherever glibc does. Selected with -DEVY_FIBER_BACKEND=ucontext.
#include "context.h"

#include <cstdint>
#include <cstdlib>

namespace evy::detail {
namespace {
// makecontext() passes int arguments only: split the two pointers.
void ucontext_entry(unsigned entry_high, unsigned entry_low, unsigned argument_high,
                    unsigned argument_low) {
  const auto join = [](unsigned high, unsigned low) {
    return (static_cast<std::uintptr_t>(high) << 32) | low;
  };
  auto entry = reinterpret_cast<ContextEntry>(join(entry_high, entry_low));
  entry(reinterpret_cast<void *>(join(argument_high, argument_low)));
  std::abort(); // entry() leaves by switching away, never by returning
}
} // namespace

void context_init(FiberContext &ctx, void *stack_low, std::size_t stack_size, ContextEntry entry,
                  void *argument) noexcept {
  if (getcontext(&ctx.native) != 0)
    std::abort();
  ctx.native.uc_stack.ss_sp = stack_low;
  ctx.native.uc_stack.ss_size = stack_size;
  ctx.native.uc_link = nullptr;
  const auto e = reinterpret_cast<std::uintptr_t>(entry);
  const auto a = reinterpret_cast<std::uintptr_t>(argument);
  makecontext(&ctx.native, reinterpret_cast<void (*)()>(&ucontext_entry), 4,
              static_cast<unsigned>(e >> 32), static_cast<unsigned>(e),
              static_cast<unsigned>(a >> 32), static_cast<unsigned>(a));
}

const char *context_backend() noexcept { return "ucontext"; }

} // namespace evy::detail

extern "C" void evy_context_switch(evy_context *from, const evy_context *to) {
  if (swapcontext(&from->native, &to->native) != 0)
    std::abort();
}

// swapcontext() saves and loads the whole floating-point environment every
// time: a neutral context needs nothing more.
extern "C" void evy_context_switch_to_neutral(evy_context *from, evy_context *to) {
  evy_context_switch(from, to);
}
extern "C" void evy_context_switch_from_neutral(evy_context *from, const evy_context *to) {
  evy_context_switch(from, to);
}
