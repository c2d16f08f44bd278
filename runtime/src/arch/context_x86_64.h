/* Register save area of a suspended fiber on x86-64 (System V ABI).
 * Shared by context_x86_64.S and C++; context.cpp checks the offsets with
 * static_assert(offsetof). Only the callee-saved state is kept: rbx, rbp,
 * r12-r15, rsp and the resume address. Not saved: MXCSR and the x87
 * control word (the ABI makes their control bits callee-saved, but fibers
 * that change rounding modes are not supported, as in marl), and the
 * caller-saved registers, which the compiler already spilled at the call. */
#ifndef EVY_ARCH_CONTEXT_X86_64_H
#define EVY_ARCH_CONTEXT_X86_64_H

#define EVY_CONTEXT_RBX 0x00
#define EVY_CONTEXT_RBP 0x08
#define EVY_CONTEXT_R12 0x10
#define EVY_CONTEXT_R13 0x18
#define EVY_CONTEXT_R14 0x20
#define EVY_CONTEXT_R15 0x28
#define EVY_CONTEXT_RSP 0x30
#define EVY_CONTEXT_RIP 0x38
#define EVY_CONTEXT_SIZE 0x40

#ifndef __ASSEMBLER__
#include <stdint.h>
struct evy_context {
  uint64_t rbx, rbp, r12, r13, r14, r15, rsp, rip;
};
#endif

#endif
