/* SPDX-License-Identifier: MIT */
/*
 * arch/x86_64 - PCIe DMA on x86 snoops the caches, so devices flagged
 * COH_DEV_COHERENT (the normal case) cost a compiler barrier.  Devices that
 * are not coherent (some integrated agents, non-snooped transactions) get
 * CLFLUSHOPT (CLFLUSH where absent) on every line, completed by one fence:
 * SFENCE after a release, MFENCE after an acquire or a flush.
 * x86 has no unprivileged invalidate-without-write-back, so clean and
 * invalidate are both clean+invalidate (COH_ARCH_FLUSH_ONLY).
 */
#ifndef COHERENT_ARCH_X86_64_H
#define COHERENT_ARCH_X86_64_H

#include <stddef.h>
#include <stdint.h>

#define COH_ARCH_NAME "x86_64"
#define COH_ARCH_CAN_MAINTAIN 1
#define COH_ARCH_FLUSH_ONLY 1

/* CPUID.1:EBX[15:8] * 8 is the CLFLUSH line size; also sets the flag below. */
size_t coh__x86_line_size(void);
extern int coh__x86_clflushopt;

static inline size_t coh_arch_line_size_hw(void)
{
	return coh__x86_line_size();
}

static inline void coh_arch_flush_lines(uintptr_t s, uintptr_t e, size_t l)
{
	if (coh__x86_clflushopt) {
		for (; s < e; s += l)
			/* clflushopt: 66-prefixed clflush, no -mclflushopt needed */
			__asm__ volatile(".byte 0x66; clflush %0"
					 : "+m"(*(volatile char *)s));
	} else {
		for (; s < e; s += l)
			__asm__ volatile("clflush %0" : "+m"(*(volatile char *)s));
	}
}

static inline void coh_arch_clean_lines(uintptr_t s, uintptr_t e, size_t l)
{
	coh_arch_flush_lines(s, e, l);
}

static inline void coh_arch_inval_lines(uintptr_t s, uintptr_t e, size_t l)
{
	coh_arch_flush_lines(s, e, l);
}

static inline void coh_arch_maint_done(void)
{
	/* CLFLUSHOPTs complete and are ordered before later loads, stores, MMIO */
	__asm__ volatile("mfence" ::: "memory");
}

/*
 * A release must only order its flushes before later stores: the doorbell
 * that starts the DMA is a store (UC MMIO), and so is the owner word a ring
 * writes after releasing the fields.  SFENCE orders every earlier
 * CLFLUSHOPT (and CLFLUSH, and store) before every later store (Intel SDM
 * vol. 2, CLFLUSHOPT and SFENCE; AMD APM vol. 3, CLFLUSHOPT), and costs
 * less than MFENCE, which also waits for later loads that a release does
 * not care about: the CPU reading its own data early sees its own data.
 * Not covered: a device started by an MMIO read, which no DMA engine we
 * know of does; a driver with one would call coh_mb() before that read.
 */
#define coh_arch_clean_done coh_arch_clean_done
static inline void coh_arch_clean_done(void)
{
	/* CLFLUSHOPTs complete and ordered before later stores and MMIO stores */
	__asm__ volatile("sfence" ::: "memory");
}

/* TSO: stores are not reordered with stores, loads not with loads. */
static inline void coh_arch_wmb(void)
{
	__asm__ volatile("" ::: "memory");
}

static inline void coh_arch_rmb(void)
{
	__asm__ volatile("" ::: "memory");
}

static inline void coh_arch_dma_mb(void)
{
	/*
	 * TSO lets a later load pass an earlier store; MFENCE orders them (and
	 * write-combining stores, which a locked instruction would not)
	 */
	__asm__ volatile("mfence" ::: "memory");
}

static inline void coh_arch_mb(void)
{
	__asm__ volatile("mfence" ::: "memory");
}

/*
 * WC stores are weakly ordered and may wait in the write-combining buffers:
 * SFENCE drains them before every later store, the doorbell's UC store
 * included (Intel SDM vol. 3, 11.3.1 and 8.2.5).
 */
#define coh_arch_wc_wmb coh_arch_wc_wmb
static inline void coh_arch_wc_wmb(void)
{
	__asm__ volatile("sfence" ::: "memory");
}

/* UC MMIO stores are ordered after earlier WB stores; a compiler barrier suffices. */
static inline void coh_arch_io_wmb(void)
{
	__asm__ volatile("" ::: "memory");
}

static inline void coh_arch_io_rmb(void)
{
	__asm__ volatile("" ::: "memory");
}

#define COH__X86_IO(N)                                                         \
	static inline uint##N##_t coh_arch_read##N(const volatile void *a)     \
	{                                                                      \
		return *(const volatile uint##N##_t *)a;                       \
	}                                                                      \
	static inline void coh_arch_write##N(volatile void *a, uint##N##_t v)  \
	{                                                                      \
		*(volatile uint##N##_t *)a = v;                                \
	}
COH__X86_IO(8)
COH__X86_IO(16)
COH__X86_IO(32)
COH__X86_IO(64)

#endif
