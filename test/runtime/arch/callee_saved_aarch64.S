/* int evy_test_callee_saved_survive(struct evy_context *from, struct evy_context *to)
 * Loads known values into x19-x29 (xN holds 0xN) and d8-d15 (dN holds N.0),
 * switches to `to` and, once switched back, returns 1 if all of them still
 * hold them. Preserves the caller's callee-saved registers itself. */

/* The caller's x19-x28 and d8-d15 in this frame, above its x29/x30:
 * `op` is stp to save them, ldp to restore them. */
.macro  callee_saved_pairs op
        \op     x19, x20, [sp, #16]
        \op     x21, x22, [sp, #32]
        \op     x23, x24, [sp, #48]
        \op     x25, x26, [sp, #64]
        \op     x27, x28, [sp, #80]
        \op     d8, d9, [sp, #96]
        \op     d10, d11, [sp, #112]
        \op     d12, d13, [sp, #128]
        \op     d14, d15, [sp, #144]
.endm

        .text
        .globl  evy_test_callee_saved_survive
        .type   evy_test_callee_saved_survive, %function
evy_test_callee_saved_survive:
        stp     x29, x30, [sp, #-160]!
        callee_saved_pairs stp
        .irp    n, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29
        mov     x\n, #0x\n
        .endr
        .irp    n, 8, 9, 10, 11, 12, 13, 14, 15
        fmov    d\n, #\n\().0
        .endr
        bl      evy_context_switch
        mov     w0, #0
        .irp    n, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29
        cmp     x\n, #0x\n
        b.ne    1f
        .endr
        .irp    n, 8, 9, 10, 11, 12, 13, 14, 15
        fmov    d0, #\n\().0
        fcmp    d\n, d0
        b.ne    1f
        .endr
        mov     w0, #1
1:      callee_saved_pairs ldp
        ldp     x29, x30, [sp], #160
        ret
        .size   evy_test_callee_saved_survive, .-evy_test_callee_saved_survive

        .section .note.GNU-stack,"",%progbits
