/* SPDX-License-Identifier: MIT */
/*
 * arch/aarch64 - DC CVAC / DC IVAC / DC CIVAC by virtual address to the
 * point of coherency, completed by one DSB after the loop.  Runs at EL1 or
 * above: DC IVAC traps at EL0 (SCTLR_EL1.UCI does not cover it).
 *
 * Barrier choices follow the Linux arm64 DMA and MMIO semantics: the DMA
 * barriers only need the outer-shareable domain (devices are observers in
 * it); completion of cache maintenance needs a DSB.
 */
#ifndef COHERENT_ARCH_AARCH64_H
#define COHERENT_ARCH_AARCH64_H

#include <stddef.h>
#include <stdint.h>

#define COH_ARCH_NAME "aarch64"
#define COH_ARCH_CAN_MAINTAIN 1
#define COH_ARCH_FLUSH_ONLY 0

/* CTR_EL0.DminLine (bits 19:16) is log2 of the smallest D-line in words. */
static inline size_t coh_arch_line_size_hw(void)
{
	uint64_t ctr;

	__asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
	return (size_t)4 << ((ctr >> 16) & 0xf);
}

static inline void coh_arch_clean_lines(uintptr_t s, uintptr_t e, size_t l)
{
	for (; s < e; s += l)
		__asm__ volatile("dc cvac, %0" : : "r"(s) : "memory");
}

static inline void coh_arch_inval_lines(uintptr_t s, uintptr_t e, size_t l)
{
	for (; s < e; s += l)
		__asm__ volatile("dc ivac, %0" : : "r"(s) : "memory");
}

static inline void coh_arch_flush_lines(uintptr_t s, uintptr_t e, size_t l)
{
	for (; s < e; s += l)
		__asm__ volatile("dc civac, %0" : : "r"(s) : "memory");
}

static inline void coh_arch_maint_done(void)
{
	/*
	 * All DC ops above complete (data at the PoC, lines dropped) before any
	 * later load, store, MMIO access or DC op is performed.
	 */
	__asm__ volatile("dsb sy" ::: "memory");
}

static inline void coh_arch_wmb(void)
{
	/* earlier stores to DMA memory before later ones, as seen by devices */
	__asm__ volatile("dmb oshst" ::: "memory");
}

static inline void coh_arch_rmb(void)
{
	/* earlier loads of DMA memory before later loads and stores */
	__asm__ volatile("dmb oshld" ::: "memory");
}

static inline void coh_arch_dma_mb(void)
{
	/*
	 * every earlier load and store of DMA memory before every later one,
	 * store->load included, for outer-shareable observers (devices); no
	 * completion wait, unlike the DSB of coh_arch_mb
	 */
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
	 * earlier stores to normal memory are observed by devices before the
	 * following MMIO store (Device-nGnRE is in the outer-shareable domain)
	 */
	__asm__ volatile("dmb oshst" ::: "memory");
}

static inline void coh_arch_io_rmb(void)
{
	/* the preceding MMIO load completes before later loads of DMA memory */
	__asm__ volatile("dmb oshld" ::: "memory");
}

/*
 * Register accesses are single LDR/STR with a plain base register: no
 * writeback addressing, which a hypervisor could not emulate.
 */
static inline uint8_t coh_arch_read8(const volatile void *a)
{
	uint32_t v;

	__asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return (uint8_t)v;
}

static inline uint16_t coh_arch_read16(const volatile void *a)
{
	uint32_t v;

	__asm__ volatile("ldrh %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return (uint16_t)v;
}

static inline uint32_t coh_arch_read32(const volatile void *a)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline uint64_t coh_arch_read64(const volatile void *a)
{
	uint64_t v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline void coh_arch_write8(volatile void *a, uint8_t v)
{
	__asm__ volatile("strb %w0, [%1]" : : "rZ"(v), "r"(a) : "memory");
}

static inline void coh_arch_write16(volatile void *a, uint16_t v)
{
	__asm__ volatile("strh %w0, [%1]" : : "rZ"(v), "r"(a) : "memory");
}

static inline void coh_arch_write32(volatile void *a, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" : : "rZ"(v), "r"(a) : "memory");
}

static inline void coh_arch_write64(volatile void *a, uint64_t v)
{
	__asm__ volatile("str %x0, [%1]" : : "rZ"(v), "r"(a) : "memory");
}

#endif
