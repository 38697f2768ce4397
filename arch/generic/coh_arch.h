/* SPDX-License-Identifier: MIT */
/*
 * arch/generic - coherent systems only: C11-style fences, volatile MMIO.
 *
 * It cannot maintain caches, so a device not flagged COH_DEV_COHERENT makes
 * every maintenance call fail with -COH_ENOTSUP rather than pretend.
 */
#ifndef COHERENT_ARCH_GENERIC_H
#define COHERENT_ARCH_GENERIC_H

#include <stddef.h>
#include <stdint.h>

#define COH_ARCH_NAME "generic"
#define COH_ARCH_CAN_MAINTAIN 0
#define COH_ARCH_FLUSH_ONLY 0

static inline size_t coh_arch_line_size_hw(void)
{
	return 0;
}

static inline void coh_arch_clean_lines(uintptr_t s, uintptr_t e, size_t l)
{
	(void)s; (void)e; (void)l;
}

static inline void coh_arch_inval_lines(uintptr_t s, uintptr_t e, size_t l)
{
	(void)s; (void)e; (void)l;
}

static inline void coh_arch_flush_lines(uintptr_t s, uintptr_t e, size_t l)
{
	(void)s; (void)e; (void)l;
}

static inline void coh_arch_maint_done(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static inline void coh_arch_wmb(void)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static inline void coh_arch_rmb(void)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

static inline void coh_arch_dma_mb(void)
{
	/* loads and stores on both sides, store->load included */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static inline void coh_arch_mb(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static inline void coh_arch_io_wmb(void)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static inline void coh_arch_io_rmb(void)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

#define COH__GENERIC_IO(N)                                                     \
	static inline uint##N##_t coh_arch_read##N(const volatile void *a)     \
	{                                                                      \
		return *(const volatile uint##N##_t *)a;                       \
	}                                                                      \
	static inline void coh_arch_write##N(volatile void *a, uint##N##_t v)  \
	{                                                                      \
		*(volatile uint##N##_t *)a = v;                                \
	}
COH__GENERIC_IO(8)
COH__GENERIC_IO(16)
COH__GENERIC_IO(32)
COH__GENERIC_IO(64)

#endif
