// context_init() for the assembly backends, and the layout checks that keep
// the C++ view of a context in step with the offsets the assembly uses.
#include "context.h"

#include <cstddef>
#include <cstdint>

extern "C" void evy_context_trampoline();

namespace evy::detail {
namespace {
constexpr std::uintptr_t kStackAlignment = 16; // both ABIs

std::uintptr_t aligned_top(void *stack_low, std::size_t stack_size) {
  const auto top = reinterpret_cast<std::uintptr_t>(stack_low) + stack_size;
  return top & ~(kStackAlignment - 1);
}
} // namespace

#if defined(__x86_64__)
static_assert(offsetof(evy_context, rbx) == EVY_CONTEXT_RBX);
static_assert(offsetof(evy_context, rbp) == EVY_CONTEXT_RBP);
static_assert(offsetof(evy_context, r12) == EVY_CONTEXT_R12);
static_assert(offsetof(evy_context, r13) == EVY_CONTEXT_R13);
static_assert(offsetof(evy_context, r14) == EVY_CONTEXT_R14);
static_assert(offsetof(evy_context, r15) == EVY_CONTEXT_R15);
static_assert(offsetof(evy_context, rsp) == EVY_CONTEXT_RSP);
static_assert(offsetof(evy_context, rip) == EVY_CONTEXT_RIP);
static_assert(offsetof(evy_context, mxcsr) == EVY_CONTEXT_MXCSR);
static_assert(offsetof(evy_context, fpucw) == EVY_CONTEXT_FPUCW);
static_assert(sizeof(evy_context) == EVY_CONTEXT_SIZE);

void context_init(FiberContext &ctx, void *stack_low, std::size_t stack_size, ContextEntry entry,
                  void *argument) noexcept {
  ctx = FiberContext{};
  // The trampoline starts with rsp 16-byte aligned; its `call` then enters
  // `entry` with rsp + 8 aligned, exactly as after a normal call.
  ctx.rsp = aligned_top(stack_low, stack_size);
  ctx.rip = reinterpret_cast<std::uint64_t>(&evy_context_trampoline);
  ctx.r12 = reinterpret_cast<std::uint64_t>(entry);
  ctx.r13 = reinterpret_cast<std::uint64_t>(argument);
  // The new fiber inherits its creator's floating-point control state.
  __asm__ volatile("stmxcsr %0\n\tfnstcw %1" : "=m"(ctx.mxcsr), "=m"(ctx.fpucw));
}

const char *context_backend() noexcept { return "x86_64"; }

#elif defined(__aarch64__)
static_assert(offsetof(evy_context, x19) == EVY_CONTEXT_X19);
static_assert(offsetof(evy_context, x21) == EVY_CONTEXT_X21);
static_assert(offsetof(evy_context, x23) == EVY_CONTEXT_X23);
static_assert(offsetof(evy_context, x25) == EVY_CONTEXT_X25);
static_assert(offsetof(evy_context, x27) == EVY_CONTEXT_X27);
static_assert(offsetof(evy_context, x29) == EVY_CONTEXT_X29);
static_assert(offsetof(evy_context, x30) == EVY_CONTEXT_X29 + 8);
static_assert(offsetof(evy_context, sp) == EVY_CONTEXT_SP);
static_assert(offsetof(evy_context, d8) == EVY_CONTEXT_D8);
static_assert(offsetof(evy_context, d10) == EVY_CONTEXT_D10);
static_assert(offsetof(evy_context, d12) == EVY_CONTEXT_D12);
static_assert(offsetof(evy_context, d14) == EVY_CONTEXT_D14);
static_assert(offsetof(evy_context, fpcr) == EVY_CONTEXT_FPCR);
static_assert(sizeof(evy_context) == EVY_CONTEXT_SIZE);

void context_init(FiberContext &ctx, void *stack_low, std::size_t stack_size, ContextEntry entry,
                  void *argument) noexcept {
  ctx = FiberContext{};
  ctx.sp = aligned_top(stack_low, stack_size); // AArch64 sp is always 16-aligned
  ctx.x30 = reinterpret_cast<std::uint64_t>(&evy_context_trampoline);
  ctx.x19 = reinterpret_cast<std::uint64_t>(entry);
  ctx.x20 = reinterpret_cast<std::uint64_t>(argument);
  // The new fiber inherits its creator's floating-point control state.
  __asm__ volatile("mrs %0, fpcr" : "=r"(ctx.fpcr));
}

const char *context_backend() noexcept { return "aarch64"; }
#endif

} // namespace evy::detail
