/* SPDX-License-Identifier: MIT */
/*
 * arch/riscv64-zicbom - the ratified RISC-V CMO extension (Zicbom):
 * cbo.clean / cbo.inval / cbo.flush on the cache block holding rs1, one
 * FENCE after the loop.  M-mode, or S/U-mode with menvcfg/senvcfg.CBIE/CBCFE
 * granted by the firmware (else the instructions trap).
 *
 * The block size is not discoverable from the ISA (it comes from the
 * devicetree "riscv,cbom-block-size"): line_size_hw reports 0, so the core
 * uses coh_set_cache_line_size() or COH_DEFAULT_LINE.
 *
 * Encoded with .insn (I-type, MISC-MEM, funct3 2, rd x0, imm = cbo
 * function) so that assemblers without Zicbom and -march=rv64gc build it.
 */
#ifndef COHERENT_ARCH_RISCV64_ZICBOM_H
#define COHERENT_ARCH_RISCV64_ZICBOM_H

#include "../riscv64-common/coh_riscv.h"

#define COH_ARCH_NAME "riscv64-zicbom"
#define COH_ARCH_CAN_MAINTAIN 1
#define COH_ARCH_FLUSH_ONLY 0

static inline size_t coh_arch_line_size_hw(void)
{
	return 0;
}

/* cbo.inval = imm 0, cbo.clean = imm 1, cbo.flush = imm 2 */
#define COH__CBO(fn, addr)                                                     \
	__asm__ volatile(".insn i 0x0f, 2, x0, %0, " #fn : : "r"(addr) : "memory")

static inline void coh_arch_clean_lines(uintptr_t s, uintptr_t e, size_t l)
{
	for (; s < e; s += l)
		COH__CBO(1, s);
}

static inline void coh_arch_inval_lines(uintptr_t s, uintptr_t e, size_t l)
{
	for (; s < e; s += l)
		COH__CBO(0, s);
}

static inline void coh_arch_flush_lines(uintptr_t s, uintptr_t e, size_t l)
{
	for (; s < e; s += l)
		COH__CBO(2, s);
}

static inline void coh_arch_maint_done(void)
{
	/*
	 * CBO operations are ordered as stores by FENCE: the maintenance above
	 * is performed before every later memory access and MMIO access.
	 */
	__asm__ volatile("fence iorw, iorw" ::: "memory");
}

#endif
