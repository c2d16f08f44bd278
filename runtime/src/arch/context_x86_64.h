/* Register save area of a suspended fiber on x86-64 (System V ABI).
 * Shared by context_x86_64.S and C++; context.cpp checks the offsets with
 * static_assert(offsetof). Kept: the callee-saved state, i.e. rbx, rbp,
 * r12-r15, rsp, the resume address, and the floating-point control state
 * the ABI makes callee-saved: MXCSR's control bits (rounding,
 * flush-to-zero, denormals-are-zero, exception masks; its status flags,
 * bits 0-5, stay with the OS thread, as the ABI does not preserve them
 * across calls) and the x87 control word (rounding and precision of x87
 * arithmetic; the x87 status word is not kept). A fiber therefore owns its
 * rounding mode as a thread
 * does. A fresh context starts with the values current in context_init(),
 * i.e. those of the fiber that spawns it (C11 7.6: a new thread starts with
 * its creator's floating-point environment). Not saved: the caller-saved
 * registers, which the compiler already spilled at the call. */
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
#define EVY_CONTEXT_MXCSR 0x40 /* 32 bits */
#define EVY_CONTEXT_FPUCW 0x44 /* 16 bits */
#define EVY_CONTEXT_SIZE 0x48
/* MXCSR's control bits (masks, rounding, FTZ, DAZ); bits 0-5 are flags. */
#define EVY_MXCSR_CONTROL 0xffc0

#ifndef __ASSEMBLER__
#include <stdint.h>
struct evy_context {
  uint64_t rbx, rbp, r12, r13, r14, r15, rsp, rip;
  uint32_t mxcsr;
  uint16_t fpucw;
  uint16_t unused;
};
#endif

#endif
