/* int evy_test_callee_saved_survive(struct evy_context *from, struct evy_context *to)
 * Loads known values into rbx, rbp, r12-r15, switches to `to` and, once
 * switched back, returns 1 if all six still hold them. Preserves the
 * caller's callee-saved registers itself. */
        .text
        .globl  evy_test_callee_saved_survive
        .type   evy_test_callee_saved_survive, @function
evy_test_callee_saved_survive:
        pushq   %rbx
        pushq   %rbp
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        subq    $8, %rsp                /* 16-byte alignment at the call */
        movq    $0x1b1b, %rbx
        movq    $0x1e1e, %rbp
        movq    $0x1212, %r12
        movq    $0x1313, %r13
        movq    $0x1414, %r14
        movq    $0x1515, %r15
        callq   evy_context_switch
        xorl    %eax, %eax
        cmpq    $0x1b1b, %rbx
        jne     1f
        cmpq    $0x1e1e, %rbp
        jne     1f
        cmpq    $0x1212, %r12
        jne     1f
        cmpq    $0x1313, %r13
        jne     1f
        cmpq    $0x1414, %r14
        jne     1f
        cmpq    $0x1515, %r15
        jne     1f
        movl    $1, %eax
1:      addq    $8, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbp
        popq    %rbx
        ret
        .size   evy_test_callee_saved_survive, .-evy_test_callee_saved_survive

        .section .note.GNU-stack,"",@progbits
