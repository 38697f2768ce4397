/* SPDX-License-Identifier: MIT */
/*
 * arch/armv7m - Cortex-M7 L1 D-cache through the memory-mapped SCB cache
 * maintenance registers (ARMv7-M architectural, System Control Space):
 * a store of an address to DCCMVAC, DCIMVAC or DCCIMVAC maintains the line
 * holding it, to the point of coherency.  One DSB; ISB after the loop.
 * Privileged code only (the SCS is not accessible unprivileged).
 * Cores without a cache (M3/M4) take no harm: the registers are RAZ/WI.
 */
#ifndef COHERENT_ARCH_ARMV7M_H
#define COHERENT_ARCH_ARMV7M_H

#include <stddef.h>
#include <stdint.h>

#define COH_ARCH_NAME "armv7m"
#define COH_ARCH_CAN_MAINTAIN 1
#define COH_ARCH_FLUSH_ONLY 0

#define COH__M_CLIDR    ((volatile uint32_t *)0xE000ED78u)
#define COH__M_CCSIDR   ((volatile uint32_t *)0xE000ED80u)
#define COH__M_CSSELR   ((volatile uint32_t *)0xE000ED84u)
#define COH__M_DCIMVAC  ((volatile uint32_t *)0xE000EF5Cu)
#define COH__M_DCCMVAC  ((volatile uint32_t *)0xE000EF68u)
#define COH__M_DCCIMVAC ((volatile uint32_t *)0xE000EF70u)

/*
 * CCSIDR of the level 1 data cache: LineSize (bits 2:0) is log2(words) - 2.
 * Reading it needs CSSELR = 0 (level 1, data or unified) first, and an ISB
 * so the read sees the selection.  No level 1 data cache in CLIDR: 0.
 */
static inline size_t coh_arch_line_size_hw(void)
{
	uint32_t ctype1 = *COH__M_CLIDR & 7u, ccsidr;

	if (ctype1 < 2) /* 0: no cache, 1: instruction only */
		return 0;
	*COH__M_CSSELR = 0;
	/* the CSSELR write takes effect before the CCSIDR read */
	__asm__ volatile("dsb sy\n\tisb sy" ::: "memory");
	ccsidr = *COH__M_CCSIDR;
	return (size_t)16 << (ccsidr & 7u);
}

static inline void coh_arch_clean_lines(uintptr_t s, uintptr_t e, size_t l)
{
	for (; s < e; s += l)
		*COH__M_DCCMVAC = (uint32_t)s;
}

static inline void coh_arch_inval_lines(uintptr_t s, uintptr_t e, size_t l)
{
	for (; s < e; s += l)
		*COH__M_DCIMVAC = (uint32_t)s;
}

static inline void coh_arch_flush_lines(uintptr_t s, uintptr_t e, size_t l)
{
	for (; s < e; s += l)
		*COH__M_DCCIMVAC = (uint32_t)s;
}

static inline void coh_arch_maint_done(void)
{
	/*
	 * DSB: the maintenance stores above complete before any later access
	 * or MMIO; ISB: later instructions are fetched after it (CMSIS
	 * SCB_*DCache_by_Addr does the same).  M-profile has only the SY option.
	 */
	__asm__ volatile("dsb sy\n\tisb sy" ::: "memory");
}

static inline void coh_arch_wmb(void)
{
	/* earlier stores to DMA memory observed before later ones */
	__asm__ volatile("dmb sy" ::: "memory");
}

static inline void coh_arch_rmb(void)
{
	/* earlier loads of DMA memory before later loads and stores */
	__asm__ volatile("dmb sy" ::: "memory");
}

static inline void coh_arch_dma_mb(void)
{
	/* earlier loads and stores of DMA memory before later ones (M: SY only) */
	__asm__ volatile("dmb sy" ::: "memory");
}

static inline void coh_arch_mb(void)
{
	/* every earlier access, memory or MMIO, completes before any later one */
	__asm__ volatile("dsb sy" ::: "memory");
}

static inline void coh_arch_io_wmb(void)
{
	/*
	 * earlier stores to memory complete (leave the M7 store buffer and the
	 * AXI write path) before the following MMIO store starts the DMA
	 */
	__asm__ volatile("dsb sy" ::: "memory");
}

static inline void coh_arch_io_rmb(void)
{
	/* the preceding MMIO load completes before later loads of DMA memory */
	__asm__ volatile("dmb sy" ::: "memory");
}

#include "../arm32-common/coh_arm32_io.h"

#endif
