/* SPDX-License-Identifier: MIT */
/*
 * M-mode trap entry for the riscv64-virt test platform: saves x1..x31 in a
 * frame (x0 slot zero, x2 slot the interrupted sp) so the C handler can read
 * any source register by number, then returns with mret to the mepc the
 * handler chose.
 */
	.section .text.rv_trap_entry, "ax"
	.balign 4
	.globl rv_trap_entry
rv_trap_entry:
	addi	sp, sp, -256
	sd	x0, 0(sp)
	sd	x1, 8(sp)
	.irp	n, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	sd	x\n, (\n * 8)(sp)
	.endr
	addi	t0, sp, 256
	sd	t0, 16(sp)
	mv	a0, sp
	call	rv_trap
	ld	x1, 8(sp)
	.irp	n, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	x\n, (\n * 8)(sp)
	.endr
	addi	sp, sp, 256
	mret
