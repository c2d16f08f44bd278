/* Fiber context switch for x86-64 System V. Layout: context_x86_64.h. */
#include "context_x86_64.h"

        .text

/* void evy_context_switch(struct evy_context *from, const struct evy_context *to)
 * Saves the callee-saved registers, MXCSR and the x87 control word, the
 * stack pointer as it will be after this call returns, and the return
 * address into *from; then loads *to and jumps to its resume address. */
        .globl  evy_context_switch
        .hidden  evy_context_switch  /* internal to libevy, also when shared */
        .type   evy_context_switch, @function
        .p2align 4
evy_context_switch:
        .cfi_startproc
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
        stmxcsr EVY_CONTEXT_MXCSR(%rdi)
        fnstcw  EVY_CONTEXT_FPUCW(%rdi)

        /* Loading MXCSR or the x87 control word costs more than the rest
         * of the switch together, and fibers almost never differ in them:
         * load only when they do. MXCSR's exception flags (bits 0-5) stay
         * with the OS thread: compare and load only its control bits. */
        movl    EVY_CONTEXT_MXCSR(%rdi), %eax
        movl    EVY_CONTEXT_MXCSR(%rsi), %edx
        xorl    %eax, %edx
        testl   $EVY_MXCSR_CONTROL, %edx
        jnz     .Lload_mxcsr
.Lmxcsr_done:
        movzwl  EVY_CONTEXT_FPUCW(%rdi), %eax
        cmpw    EVY_CONTEXT_FPUCW(%rsi), %ax
        jne     .Lload_fpucw
.Lfpucw_done:
        movq    EVY_CONTEXT_RBX(%rsi), %rbx
        movq    EVY_CONTEXT_RBP(%rsi), %rbp
        movq    EVY_CONTEXT_R12(%rsi), %r12
        movq    EVY_CONTEXT_R13(%rsi), %r13
        movq    EVY_CONTEXT_R14(%rsi), %r14
        movq    EVY_CONTEXT_R15(%rsi), %r15
        movq    EVY_CONTEXT_RSP(%rsi), %rsp
        jmpq    *EVY_CONTEXT_RIP(%rsi)

.Lload_mxcsr:   /* eax: the current MXCSR; keep its flags, take to's controls */
        movl    EVY_CONTEXT_MXCSR(%rsi), %edx
        andl    $EVY_MXCSR_CONTROL, %edx
        andl    $~EVY_MXCSR_CONTROL, %eax
        orl     %eax, %edx
        movl    %edx, -8(%rsp)          /* red zone: still the leaf's stack */
        ldmxcsr -8(%rsp)
        jmp     .Lmxcsr_done
.Lload_fpucw:
        fldcw   EVY_CONTEXT_FPUCW(%rsi)
        jmp     .Lfpucw_done
        .cfi_endproc
        .size   evy_context_switch, .-evy_context_switch

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
