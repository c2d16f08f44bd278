/* int evy_test_callee_saved_survive(struct evy_context *from, struct evy_context *to)
 * Loads known values into x19-x29 and d8-d15, switches to `to` and, once
 * switched back, returns 1 if all of them still hold them. Preserves the
 * caller's callee-saved registers itself. */
        .text
        .globl  evy_test_callee_saved_survive
        .type   evy_test_callee_saved_survive, %function
evy_test_callee_saved_survive:
        stp     x29, x30, [sp, #-160]!
        stp     x19, x20, [sp, #16]
        stp     x21, x22, [sp, #32]
        stp     x23, x24, [sp, #48]
        stp     x25, x26, [sp, #64]
        stp     x27, x28, [sp, #80]
        stp     d8, d9, [sp, #96]
        stp     d10, d11, [sp, #112]
        stp     d12, d13, [sp, #128]
        stp     d14, d15, [sp, #144]
        mov     x19, #0x19
        mov     x20, #0x20
        mov     x21, #0x21
        mov     x22, #0x22
        mov     x23, #0x23
        mov     x24, #0x24
        mov     x25, #0x25
        mov     x26, #0x26
        mov     x27, #0x27
        mov     x28, #0x28
        mov     x29, #0x29
        fmov    d8, #1.0
        fmov    d9, #2.0
        fmov    d10, #3.0
        fmov    d11, #4.0
        fmov    d12, #5.0
        fmov    d13, #6.0
        fmov    d14, #7.0
        fmov    d15, #8.0
        bl      evy_context_switch
        mov     w0, #0
        cmp     x19, #0x19
        b.ne    1f
        cmp     x20, #0x20
        b.ne    1f
        cmp     x21, #0x21
        b.ne    1f
        cmp     x22, #0x22
        b.ne    1f
        cmp     x23, #0x23
        b.ne    1f
        cmp     x24, #0x24
        b.ne    1f
        cmp     x25, #0x25
        b.ne    1f
        cmp     x26, #0x26
        b.ne    1f
        cmp     x27, #0x27
        b.ne    1f
        cmp     x28, #0x28
        b.ne    1f
        cmp     x29, #0x29
        b.ne    1f
        fmov    d0, #1.0
        fcmp    d8, d0
        b.ne    1f
        fmov    d0, #2.0
        fcmp    d9, d0
        b.ne    1f
        fmov    d0, #3.0
        fcmp    d10, d0
        b.ne    1f
        fmov    d0, #4.0
        fcmp    d11, d0
        b.ne    1f
        fmov    d0, #5.0
        fcmp    d12, d0
        b.ne    1f
        fmov    d0, #6.0
        fcmp    d13, d0
        b.ne    1f
        fmov    d0, #7.0
        fcmp    d14, d0
        b.ne    1f
        fmov    d0, #8.0
        fcmp    d15, d0
        b.ne    1f
        mov     w0, #1
1:      ldp     d14, d15, [sp, #144]
        ldp     d12, d13, [sp, #128]
        ldp     d10, d11, [sp, #112]
        ldp     d8, d9, [sp, #96]
        ldp     x27, x28, [sp, #80]
        ldp     x25, x26, [sp, #64]
        ldp     x23, x24, [sp, #48]
        ldp     x21, x22, [sp, #32]
        ldp     x19, x20, [sp, #16]
        ldp     x29, x30, [sp], #160
        ret
        .size   evy_test_callee_saved_survive, .-evy_test_callee_saved_survive

        .section .note.GNU-stack,"",%progbits
