/* Register save area of a suspended fiber on AArch64 (AAPCS64).
 * Shared by context_aarch64.S and C++; context.cpp checks the offsets with
 * static_assert(offsetof). Only the callee-saved state is kept: x19-x28,
 * the frame pointer x29, the link register x30 (the resume address), sp,
 * the low halves d8-d15 of v8-v15, and FPCR (rounding mode, flush-to-zero,
 * default NaN, trap enables), which AAPCS64 makes callee-saved: a fiber owns
 * its rounding mode as a thread does. A fresh context starts with the FPCR
 * current in context_init(), i.e. that of the fiber that spawns it (C11 7.6:
 * a new thread starts with its creator's floating-point environment). Not
 * saved: FPSR (the cumulative exception flags, which the ABI does not
 * preserve across calls) and the caller-saved registers, which the compiler
 * already spilled at the call. */
#ifndef EVY_ARCH_CONTEXT_AARCH64_H
#define EVY_ARCH_CONTEXT_AARCH64_H

#define EVY_CONTEXT_X19 0x00
#define EVY_CONTEXT_X21 0x10
#define EVY_CONTEXT_X23 0x20
#define EVY_CONTEXT_X25 0x30
#define EVY_CONTEXT_X27 0x40
#define EVY_CONTEXT_X29 0x50 /* x29 then x30 */
#define EVY_CONTEXT_SP 0x60
#define EVY_CONTEXT_D8 0x68
#define EVY_CONTEXT_D10 0x78
#define EVY_CONTEXT_D12 0x88
#define EVY_CONTEXT_D14 0x98
#define EVY_CONTEXT_FPCR 0xa8
#define EVY_CONTEXT_SIZE 0xb0

#ifndef __ASSEMBLER__
#include <stdint.h>
struct evy_context {
  uint64_t x19, x20, x21, x22, x23, x24, x25, x26, x27, x28;
  uint64_t x29, x30;
  uint64_t sp;
  uint64_t d8, d9, d10, d11, d12, d13, d14, d15;
  uint64_t fpcr;
};
#endif

#endif
