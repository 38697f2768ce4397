/* SPDX-License-Identifier: MIT */
/*
 * arch/armv7a - ARMv7-A (Cortex-A7/A9/A15): CP15 maintenance by MVA to the
 * point of coherency (DCCMVAC, DCIMVAC, DCCIMVAC), one DSB after the loop.
 * PL1 only: the CP15 cache operations are UNDEFINED in user mode.
 *
 * An outer cache that is not maintained by these operations (PL310 on a
 * Cortex-A9) needs its own backend; Cortex-A7/A15 integrated L2 is covered.
 */
#ifndef COHERENT_ARCH_ARMV7A_H
#define COHERENT_ARCH_ARMV7A_H

#include <stddef.h>
#include <stdint.h>

#define COH_ARCH_NAME "armv7a"
#define COH_ARCH_CAN_MAINTAIN 1
#define COH_ARCH_FLUSH_ONLY 0

/* CTR.DminLine (bits 19:16): log2 of the smallest D-line in words. */
static inline size_t coh_arch_line_size_hw(void)
{
	uint32_t ctr;

	__asm__ volatile("mrc p15, 0, %0, c0, c0, 1" : "=r"(ctr));
	return (size_t)4 << ((ctr >> 16) & 0xf);
}

static inline void coh_arch_clean_lines(uintptr_t s, uintptr_t e, size_t l)
{
	for (; s < e; s += l) /* DCCMVAC */
		__asm__ volatile("mcr p15, 0, %0, c7, c10, 1" : : "r"(s) : "memory");
}

static inline void coh_arch_inval_lines(uintptr_t s, uintptr_t e, size_t l)
{
	for (; s < e; s += l) /* DCIMVAC */
		__asm__ volatile("mcr p15, 0, %0, c7, c6, 1" : : "r"(s) : "memory");
}

static inline void coh_arch_flush_lines(uintptr_t s, uintptr_t e, size_t l)
{
	for (; s < e; s += l) /* DCCIMVAC */
		__asm__ volatile("mcr p15, 0, %0, c7, c14, 1" : : "r"(s) : "memory");
}

static inline void coh_arch_maint_done(void)
{
	/* the CP15 operations above complete before any later access or MMIO */
	__asm__ volatile("dsb sy" ::: "memory");
}

static inline void coh_arch_wmb(void)
{
	/* earlier stores to DMA memory before later ones, for outer observers */
	__asm__ volatile("dmb oshst" ::: "memory");
}

static inline void coh_arch_rmb(void)
{
	/* earlier loads of DMA memory before later accesses, outer domain */
	__asm__ volatile("dmb osh" ::: "memory");
}

static inline void coh_arch_dma_mb(void)
{
	/* earlier loads and stores of DMA memory before later ones, outer domain */
	__asm__ volatile("dmb osh" ::: "memory");
}

static inline void coh_arch_mb(void)
{
	/* every earlier access, memory or MMIO, completes before any later one */
	__asm__ volatile("dsb sy" ::: "memory");
}

static inline void coh_arch_io_wmb(void)
{
	/*
	 * earlier stores to normal memory (possibly buffered, non-cacheable DMA
	 * memory) complete before the following MMIO store: DSB ST, as the
	 * 32-bit Linux writel() does, since DMB does not drain write buffers
	 * towards a device the store to the register then starts.
	 */
	__asm__ volatile("dsb st" ::: "memory");
}

static inline void coh_arch_io_rmb(void)
{
	/* the preceding MMIO load completes before later loads of DMA memory */
	__asm__ volatile("dsb sy" ::: "memory");
}

#include "../arm32-common/coh_arm32_io.h"

#endif
