/* SPDX-License-Identifier: MIT */
/**
 * @file
 * coherent/mmio.h - register access and DMA barriers.
 *
 * Context: every accessor and barrier here may run in any context,
 * interrupt handlers included; none blocks.
 *
 * Ordered accessors (the default, as Linux readl/writel):
 *   coh_mmio_writeN: every memory write made before it (descriptors,
 *     buffers already released) reaches the device before the register
 *     write does - the doorbell cannot overtake the descriptor.
 *   coh_mmio_readN: the register read completes before any later memory
 *     read - reading a status register then a DMA-written buffer sees data
 *     at least as new as the status.
 * Relaxed accessors (*_relaxed) give no ordering against memory; use them
 * for back-to-back register programming.
 *
 * coh_dma_wmb/coh_dma_rmb order accesses to memory the device sees without
 * maintenance (uncached or coherent): e.g. buffer address before OWN bit.
 * coh_dma_mb orders every earlier load and store of such memory before every
 * later one, store-to-load included (Linux dma_mb/virt_mb): e.g. a VirtIO
 * driver writes the avail index, then reads used_event to decide whether to
 * notify.  It does not order MMIO: that is coh_mb.
 *
 * These are inline and come from the backend the library was built for:
 * compile drivers with the same backend folder on the include path.
 *
 * Interrupt context: all of them, always (no lock, no call into the library).
 */
#ifndef COHERENT_MMIO_H
#define COHERENT_MMIO_H

#include "coherent/types.h"
#include "coherent/backend.h"

/** @brief Order earlier writes to DMA-visible memory before later ones. */
static inline void coh_dma_wmb(void)
{
	coh_arch_wmb();
}

/** @brief Order earlier reads of DMA-visible memory before later ones. */
static inline void coh_dma_rmb(void)
{
	coh_arch_rmb();
}

/**
 * @brief Full DMA barrier: every earlier load and store of DMA-visible
 * memory (coherent or uncached) before every later one, as observed by the
 * CPU and the devices.  Cheaper than coh_mb() where the ISA allows
 * (aarch64/armv7-a "dmb osh", RISC-V "fence rw,rw"); x86 "mfence".
 * Any context.
 */
static inline void coh_dma_mb(void)
{
	coh_arch_dma_mb();
}

/**
 * @brief Order earlier stores to write-combining memory (a framebuffer
 * allocated with COH_ATTR_WRITE_COMBINE from a COH_REGION_WC region)
 * before later stores and MMIO: the doorbell or flip after drawing.  x86:
 * SFENCE (coh_dma_wmb() does not drain WC buffers there); Arm, RISC-V: as
 * the ordered MMIO write's own barrier.  Batches and coh_put() on such
 * memory issue it themselves.  Any context.
 */
static inline void coh_wc_wmb(void)
{
	coh_arch_wc_wmb();
}

/** @brief Full barrier: all earlier memory and MMIO accesses before all later ones. */
static inline void coh_mb(void)
{
	coh_arch_mb();
}

#define COH__MMIO_ACCESSORS(N)                                                 \
	static inline uint##N##_t coh_mmio_read##N##_relaxed(                  \
		const volatile void *addr)                                     \
	{                                                                      \
		return coh_arch_read##N(addr);                                 \
	}                                                                      \
	static inline void coh_mmio_write##N##_relaxed(volatile void *addr,    \
						       uint##N##_t v)          \
	{                                                                      \
		coh_arch_write##N(addr, v);                                    \
	}                                                                      \
	static inline uint##N##_t coh_mmio_read##N(const volatile void *addr)  \
	{                                                                      \
		uint##N##_t v = coh_arch_read##N(addr);                        \
		/* the register read completes before later memory reads */    \
		coh_arch_io_rmb();                                             \
		return v;                                                      \
	}                                                                      \
	static inline void coh_mmio_write##N(volatile void *addr,              \
					     uint##N##_t v)                    \
	{                                                                      \
		/* earlier memory writes reach the device before this one */   \
		coh_arch_io_wmb();                                             \
		coh_arch_write##N(addr, v);                                    \
	}

COH__MMIO_ACCESSORS(8)
COH__MMIO_ACCESSORS(16)
COH__MMIO_ACCESSORS(32)
COH__MMIO_ACCESSORS(64)

#endif /* COHERENT_MMIO_H */
