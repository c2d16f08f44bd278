/* Fiber context switch for AArch64 (AAPCS64). Layout: context_aarch64.h. */
#include "context_aarch64.h"

        .text

/* The callee-saved registers, sp and the link register go into *from (x0);
 * x9 is clobbered. */
.macro SAVE_REGISTERS
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
.endm

/* Loads *to (x1) but its FPCR; x9 is clobbered. */
.macro LOAD_REGISTERS
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
.endm

/* x10 holds the current FPCR: write to's only when it differs (writing it
 * can be slow; glibc's fesetround skips an unchanged write for the same
 * reason); then return into `to` through its x30. */
.macro LOAD_FPCR_IF_DIFFERENT_AND_RETURN
        ldr     x11, [x1, #EVY_CONTEXT_FPCR]
        cmp     x10, x11
        b.eq    1f
        msr     fpcr, x11
1:      ret
.endm

/* void evy_context_switch(struct evy_context *from, const struct evy_context *to)
 * Saves the callee-saved registers, FPCR, sp and the link register into
 * *from, loads *to and returns into it through its x30. */
        .globl  evy_context_switch
        .hidden  evy_context_switch  /* internal to libevy, also when shared */
        .type   evy_context_switch, %function
        .p2align 4
evy_context_switch:
        .cfi_startproc
        SAVE_REGISTERS
        mrs     x10, fpcr
        str     x10, [x0, #EVY_CONTEXT_FPCR]
        LOAD_REGISTERS
        LOAD_FPCR_IF_DIFFERENT_AND_RETURN
        .cfi_endproc
        .size   evy_context_switch, .-evy_context_switch

/* evy_context_switch_to_neutral(from, to): `to` is neutral (context.h);
 * from's FPCR is recorded in both contexts and nothing is loaded. */
        .globl  evy_context_switch_to_neutral
        .hidden  evy_context_switch_to_neutral
        .type   evy_context_switch_to_neutral, %function
        .p2align 4
evy_context_switch_to_neutral:
        .cfi_startproc
        SAVE_REGISTERS
        mrs     x10, fpcr
        str     x10, [x0, #EVY_CONTEXT_FPCR]
        str     x10, [x1, #EVY_CONTEXT_FPCR]
        LOAD_REGISTERS
        ret
        .cfi_endproc
        .size   evy_context_switch_to_neutral, .-evy_context_switch_to_neutral

/* evy_context_switch_from_neutral(from, to): `from` is neutral; the FPCR
 * recorded in it when it was entered is still the thread's. */
        .globl  evy_context_switch_from_neutral
        .hidden  evy_context_switch_from_neutral
        .type   evy_context_switch_from_neutral, %function
        .p2align 4
evy_context_switch_from_neutral:
        .cfi_startproc
        SAVE_REGISTERS
        ldr     x10, [x0, #EVY_CONTEXT_FPCR]
        LOAD_REGISTERS
        LOAD_FPCR_IF_DIFFERENT_AND_RETURN
        .cfi_endproc
        .size   evy_context_switch_from_neutral, .-evy_context_switch_from_neutral

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
