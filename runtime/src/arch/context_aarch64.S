/* Fiber context switch for AArch64 (AAPCS64). Layout: context_aarch64.h. */
#include "context_aarch64.h"

        .text

/* void evy_context_switch(struct evy_context *from, const struct evy_context *to)
 * Saves the callee-saved registers, FPCR, sp and the link register into
 * *from, loads *to and returns into it through its x30. FPCR is written
 * only when it differs (writing it can be slow; glibc's fesetround skips
 * an unchanged write for the same reason). */
        .globl  evy_context_switch
        .hidden  evy_context_switch  /* internal to libevy, also when shared */
        .type   evy_context_switch, %function
        .p2align 4
evy_context_switch:
        .cfi_startproc
        stp     x19, x20, [x0, #EVY_CONTEXT_X19]
        stp     x21, x22, [x0, #EVY_CONTEXT_X21]
        stp     x23, x24, [x0, #EVY_CONTEXT_X23]
        stp     x25, x26, [x0, #EVY_CONTEXT_X25]
        stp     x27, x28, [x0, #EVY_CONTEXT_X27]
        stp     x29, x30, [x0, #EVY_CONTEXT_X29]
        mov     x9, sp
        str     x9, [x0, #EVY_CONTEXT_SP]
        stp     d8, d9, [x0, #EVY_CONTEXT_D8]
        stp     d10, d11, [x0, #EVY_CONTEXT_D10]
        stp     d12, d13, [x0, #EVY_CONTEXT_D12]
        stp     d14, d15, [x0, #EVY_CONTEXT_D14]
        mrs     x10, fpcr
        str     x10, [x0, #EVY_CONTEXT_FPCR]

        ldp     x19, x20, [x1, #EVY_CONTEXT_X19]
        ldp     x21, x22, [x1, #EVY_CONTEXT_X21]
        ldp     x23, x24, [x1, #EVY_CONTEXT_X23]
        ldp     x25, x26, [x1, #EVY_CONTEXT_X25]
        ldp     x27, x28, [x1, #EVY_CONTEXT_X27]
        ldp     x29, x30, [x1, #EVY_CONTEXT_X29]
        ldr     x9, [x1, #EVY_CONTEXT_SP]
        mov     sp, x9
        ldp     d8, d9, [x1, #EVY_CONTEXT_D8]
        ldp     d10, d11, [x1, #EVY_CONTEXT_D10]
        ldp     d12, d13, [x1, #EVY_CONTEXT_D12]
        ldp     d14, d15, [x1, #EVY_CONTEXT_D14]
        ldr     x11, [x1, #EVY_CONTEXT_FPCR]
        cmp     x10, x11
        b.eq    1f
        msr     fpcr, x11
1:      ret
        .cfi_endproc
        .size   evy_context_switch, .-evy_context_switch

/* First code of every fiber: context.cpp seeds x19 = entry, x20 = argument
 * and a 16-byte aligned sp. `entry` never returns. The CFI marks the end of
 * the stack for unwinders and debuggers. */
        .globl  evy_context_trampoline
        .hidden  evy_context_trampoline  /* internal to libevy, also when shared */
        .type   evy_context_trampoline, %function
        .p2align 4
evy_context_trampoline:
        .cfi_startproc
        .cfi_undefined x30
        mov     x29, xzr
        mov     x0, x20
        blr     x19
        brk     #0
        .cfi_endproc
        .size   evy_context_trampoline, .-evy_context_trampoline

        .section .note.GNU-stack,"",%progbits
