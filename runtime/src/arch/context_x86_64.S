/* Fiber context switch for x86-64 System V. Layout: context_x86_64.h. */
#include "context_x86_64.h"

        .text

/* The callee-saved registers, the stack pointer as it will be after this
 * call returns, and the return address go into *from (%rdi); rax and rcx
 * are clobbered. */
.macro SAVE_REGISTERS
        movq    (%rsp), %rax            /* resume address of `from` */
        leaq    8(%rsp), %rcx           /* its stack pointer after returning */
        movq    %rbx, EVY_CONTEXT_RBX(%rdi)
        movq    %rbp, EVY_CONTEXT_RBP(%rdi)
        movq    %r12, EVY_CONTEXT_R12(%rdi)
        movq    %r13, EVY_CONTEXT_R13(%rdi)
        movq    %r14, EVY_CONTEXT_R14(%rdi)
        movq    %r15, EVY_CONTEXT_R15(%rdi)
        movq    %rcx, EVY_CONTEXT_RSP(%rdi)
        movq    %rax, EVY_CONTEXT_RIP(%rdi)
.endm

/* Loads *to (%rsi) and jumps to its resume address. */
.macro LOAD_REGISTERS_AND_JUMP
        movq    EVY_CONTEXT_RBX(%rsi), %rbx
        movq    EVY_CONTEXT_RBP(%rsi), %rbp
        movq    EVY_CONTEXT_R12(%rsi), %r12
        movq    EVY_CONTEXT_R13(%rsi), %r13
        movq    EVY_CONTEXT_R14(%rsi), %r14
        movq    EVY_CONTEXT_R15(%rsi), %r15
        movq    EVY_CONTEXT_RSP(%rsi), %rsp
        jmpq    *EVY_CONTEXT_RIP(%rsi)
.endm

/* Compares the control state recorded at \current(%rdi) with to's and
 * loads to's where they differ. Loading MXCSR or the x87 control word
 * costs more than the rest of the switch together, and fibers almost never
 * differ in them. MXCSR's exception flags (bits 0-5) stay with the OS
 * thread: only its control bits are compared and loaded. */
.macro LOAD_CONTROL_IF_DIFFERENT name
        movl    EVY_CONTEXT_MXCSR(%rdi), %eax
        xorl    EVY_CONTEXT_MXCSR(%rsi), %eax
        testl   $EVY_MXCSR_CONTROL, %eax
        jnz     .Lload_mxcsr_\name
.Lmxcsr_done_\name:
        movzwl  EVY_CONTEXT_FPUCW(%rdi), %eax
        cmpw    EVY_CONTEXT_FPUCW(%rsi), %ax
        jne     .Lload_fpucw_\name
.Lfpucw_done_\name:
.endm

/* The out-of-line halves of LOAD_CONTROL_IF_DIFFERENT. The current MXCSR
 * is read again for its flags, which may have changed since it was
 * recorded. The red zone below rsp is still the leaf's own stack. */
.macro LOAD_CONTROL_SLOW_PATHS name
.Lload_mxcsr_\name:
        stmxcsr -8(%rsp)
        movl    -8(%rsp), %eax
        movl    EVY_CONTEXT_MXCSR(%rsi), %edx
        andl    $EVY_MXCSR_CONTROL, %edx
        andl    $~EVY_MXCSR_CONTROL, %eax
        orl     %eax, %edx
        movl    %edx, -8(%rsp)
        ldmxcsr -8(%rsp)
        jmp     .Lmxcsr_done_\name
.Lload_fpucw_\name:
        fldcw   EVY_CONTEXT_FPUCW(%rsi)
        jmp     .Lfpucw_done_\name
.endm

/* void evy_context_switch(struct evy_context *from, struct evy_context *to)
 * Saves the registers, MXCSR and the x87 control word into *from; then
 * loads *to (its control state only where it differs) and resumes it. */
        .globl  evy_context_switch
        .hidden  evy_context_switch  /* internal to libevy, also when shared */
        .type   evy_context_switch, @function
        .p2align 4
evy_context_switch:
        .cfi_startproc
        SAVE_REGISTERS
        stmxcsr EVY_CONTEXT_MXCSR(%rdi)
        fnstcw  EVY_CONTEXT_FPUCW(%rdi)
        LOAD_CONTROL_IF_DIFFERENT any
        LOAD_REGISTERS_AND_JUMP
        LOAD_CONTROL_SLOW_PATHS any
        .cfi_endproc
        .size   evy_context_switch, .-evy_context_switch

/* void evy_context_switch_to_neutral(struct evy_context *from,
 *                                    struct evy_context *to)
 * `to` is neutral (context.h): it runs with the control state it is given.
 * from's state is read (stmxcsr first: it is the slow instruction, and
 * nothing waits on it) and recorded in both contexts; nothing is loaded. */
        .globl  evy_context_switch_to_neutral
        .hidden  evy_context_switch_to_neutral
        .type   evy_context_switch_to_neutral, @function
        .p2align 4
evy_context_switch_to_neutral:
        .cfi_startproc
        stmxcsr EVY_CONTEXT_MXCSR(%rdi)
        fnstcw  EVY_CONTEXT_FPUCW(%rdi)
        SAVE_REGISTERS
        movl    EVY_CONTEXT_MXCSR(%rdi), %eax
        movl    %eax, EVY_CONTEXT_MXCSR(%rsi)
        movzwl  EVY_CONTEXT_FPUCW(%rdi), %eax
        movw    %ax, EVY_CONTEXT_FPUCW(%rsi)
        LOAD_REGISTERS_AND_JUMP
        .cfi_endproc
        .size   evy_context_switch_to_neutral, .-evy_context_switch_to_neutral

/* void evy_context_switch_from_neutral(struct evy_context *from,
 *                                      struct evy_context *to)
 * `from` is neutral: the control state recorded in it when it was entered
 * is still the thread's, so it is compared with to's without reading the
 * registers (the read, not the compare, is what costs). */
        .globl  evy_context_switch_from_neutral
        .hidden  evy_context_switch_from_neutral
        .type   evy_context_switch_from_neutral, @function
        .p2align 4
evy_context_switch_from_neutral:
        .cfi_startproc
        SAVE_REGISTERS
        LOAD_CONTROL_IF_DIFFERENT neutral
        LOAD_REGISTERS_AND_JUMP
        LOAD_CONTROL_SLOW_PATHS neutral
        .cfi_endproc
        .size   evy_context_switch_from_neutral, .-evy_context_switch_from_neutral

/* First code of every fiber: context.cpp seeds r12 = entry, r13 = argument
 * and a stack pointer that is 16-byte aligned here, so that the call below
 * enters `entry` with the ABI's alignment. `entry` never returns. The CFI
 * marks the end of the stack for unwinders and debuggers. */
        .globl  evy_context_trampoline
        .hidden  evy_context_trampoline  /* internal to libevy, also when shared */
        .type   evy_context_trampoline, @function
        .p2align 4
evy_context_trampoline:
        .cfi_startproc
        .cfi_undefined rip
        xorl    %ebp, %ebp
        movq    %r13, %rdi
        callq   *%r12
        ud2
        .cfi_endproc
        .size   evy_context_trampoline, .-evy_context_trampoline

        .section .note.GNU-stack,"",@progbits
