/* SPDX-License-Identifier: MIT */
/*
 * arch/riscv64-sifive-ccache - SiFive composable cache (L2) controller, the
 * only maintenance FU740 and JH7110 offer to software: a 64-bit store of a
 * line's physical address to the Flush64 register (base + 0x200) writes the
 * line back and invalidates it.  There is no clean-only or invalidate-only
 * operation, so clean and invalidate are both flush (COH_ARCH_FLUSH_ONLY).
 *
 * The controller base comes at run time from coh_sifive_ccache_init()
 * (coherent/sifive_ccache.h); without it every maintenance call fails with
 * -COH_ENODEV through coh_arch_range_check.
 */
#ifndef COHERENT_ARCH_RISCV64_SIFIVE_CCACHE_H
#define COHERENT_ARCH_RISCV64_SIFIVE_CCACHE_H

#include "../riscv64-common/coh_riscv.h"
#include "coherent/config.h"
#include "coherent/error.h"

#define COH_ARCH_NAME "riscv64-sifive-ccache"
#define COH_ARCH_CAN_MAINTAIN 1
#define COH_ARCH_FLUSH_ONLY 1

#define COH__CCACHE_FLUSH64 0x200u

extern uintptr_t coh__sifive_ccache_base;

static inline size_t coh_arch_line_size_hw(void)
{
	return 64; /* the controller's block size on FU740 and JH7110 */
}

#define coh_arch_range_check coh_arch_range_check
static inline int coh_arch_range_check(uintptr_t start, uintptr_t end)
{
	(void)start;
	(void)end;
	if (!__atomic_load_n(&coh__sifive_ccache_base, __ATOMIC_RELAXED))
		return -COH_ENODEV;
	return 0;
}

static inline void coh_arch_flush_lines(uintptr_t s, uintptr_t e, size_t l)
{
	volatile void *reg = (volatile void *)(__atomic_load_n(
		&coh__sifive_ccache_base, __ATOMIC_RELAXED) + COH__CCACHE_FLUSH64);

	for (; s < e; s += l)
		coh_arch_write64(reg, (uint64_t)COH_VIRT_TO_PHYS(s));
}

static inline void coh_arch_clean_lines(uintptr_t s, uintptr_t e, size_t l)
{
	coh_arch_flush_lines(s, e, l);
}

static inline void coh_arch_inval_lines(uintptr_t s, uintptr_t e, size_t l)
{
	coh_arch_flush_lines(s, e, l);
}

#define coh_arch_maint_begin coh_arch_maint_begin
static inline void coh_arch_maint_begin(void)
{
	/*
	 * earlier CPU stores to the range (and reads of a DMA status) are
	 * performed before the first Flush64 store reaches the controller
	 */
	__asm__ volatile("fence iorw, iorw" ::: "memory");
}

static inline void coh_arch_maint_done(void)
{
	/* the Flush64 stores are performed before later memory and MMIO accesses */
	__asm__ volatile("fence iorw, iorw" ::: "memory");
}

#endif
