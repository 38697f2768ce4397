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

/* Single LDR/STR with a plain base register (no writeback addressing). */
static inline uint8_t coh_arch_read8(const volatile void *a)
{
	uint32_t v;

	__asm__ volatile("ldrb %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return (uint8_t)v;
}

static inline uint16_t coh_arch_read16(const volatile void *a)
{
	uint32_t v;

	__asm__ volatile("ldrh %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return (uint16_t)v;
}

static inline uint32_t coh_arch_read32(const volatile void *a)
{
	uint32_t v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

/* LDRD/STRD: single-copy atomic for aligned doublewords with LPAE (A7/A15). */
static inline uint64_t coh_arch_read64(const volatile void *a)
{
	uint64_t v;

	__asm__ volatile("ldrd %Q0, %R0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline void coh_arch_write8(volatile void *a, uint8_t v)
{
	__asm__ volatile("strb %0, [%1]" : : "r"((uint32_t)v), "r"(a) : "memory");
}

static inline void coh_arch_write16(volatile void *a, uint16_t v)
{
	__asm__ volatile("strh %0, [%1]" : : "r"((uint32_t)v), "r"(a) : "memory");
}

static inline void coh_arch_write32(volatile void *a, uint32_t v)
{
	__asm__ volatile("str %0, [%1]" : : "r"(v), "r"(a) : "memory");
}

static inline void coh_arch_write64(volatile void *a, uint64_t v)
{
	__asm__ volatile("strd %Q0, %R0, [%1]" : : "r"(v), "r"(a) : "memory");
}

#endif
