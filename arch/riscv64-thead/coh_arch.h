/* SPDX-License-Identifier: MIT */
/*
 * arch/riscv64-thead - T-Head XTheadCMO (C906/C910: Allwinner D1, TH1520,
 * SG2042), which predates Zicbom: th.dcache.cva / th.dcache.iva /
 * th.dcache.civa by virtual address, completed by th.sync.s.  M or S mode
 * (S needs the MXSTATUS.UCME/THEADISAEE setup the vendor firmware does).
 * Line size 64 on every T-Head core with this extension.
 *
 * Raw encodings (custom-0 opcode 0x0b, funct3 0, rd x0), so any assembler
 * builds it:
 *   th.dcache.cva  rs1  funct7 1, rs2 field 5   0x0250000b | rs1 << 15
 *   th.dcache.iva  rs1  funct7 1, rs2 field 6   0x0260000b | rs1 << 15
 *   th.dcache.civa rs1  funct7 1, rs2 field 7   0x0270000b | rs1 << 15
 *   th.sync.s           funct7 0, rs2 field 25  0x0190000b
 */
#ifndef COHERENT_ARCH_RISCV64_THEAD_H
#define COHERENT_ARCH_RISCV64_THEAD_H

#include "../riscv64-common/coh_riscv.h"

#define COH_ARCH_NAME "riscv64-thead"
#define COH_ARCH_CAN_MAINTAIN 1
#define COH_ARCH_FLUSH_ONLY 0

static inline size_t coh_arch_line_size_hw(void)
{
	return 64;
}

#define COH__TH_DCACHE(fn, addr)                                               \
	__asm__ volatile(".insn r 0x0b, 0, 1, x0, %0, x" #fn : : "r"(addr)     \
			 : "memory")

static inline void coh_arch_clean_lines(uintptr_t s, uintptr_t e, size_t l)
{
	for (; s < e; s += l)
		COH__TH_DCACHE(5, s); /* th.dcache.cva */
}

static inline void coh_arch_inval_lines(uintptr_t s, uintptr_t e, size_t l)
{
	for (; s < e; s += l)
		COH__TH_DCACHE(6, s); /* th.dcache.iva */
}

static inline void coh_arch_flush_lines(uintptr_t s, uintptr_t e, size_t l)
{
	for (; s < e; s += l)
		COH__TH_DCACHE(7, s); /* th.dcache.civa */
}

static inline void coh_arch_maint_done(void)
{
	/*
	 * th.sync.s: every earlier instruction, the cache operations included,
	 * completes (and is broadcast to the other harts) before any later one
	 * executes, so later memory and MMIO accesses follow the maintenance.
	 */
	__asm__ volatile(".insn r 0x0b, 0, 0, x0, x0, x25" ::: "memory");
}

#endif
