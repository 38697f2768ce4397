/* SPDX-License-Identifier: MIT */
/*
 * arch/riscv64-common - what the RISC-V backends share: the RVWMO barriers
 * and the register accessors.  Not a backend by itself (no coh_arch.h);
 * each riscv64-* backend includes it and adds its cache operations.
 *
 * FENCE predecessor/successor sets name what is ordered: r/w are memory
 * loads/stores, i/o are device input/output (MMIO loads/stores).
 */
#ifndef COHERENT_ARCH_RISCV64_COMMON_H
#define COHERENT_ARCH_RISCV64_COMMON_H

#include <stddef.h>
#include <stdint.h>

static inline void coh_arch_wmb(void)
{
	/* earlier stores to DMA memory before later stores to it */
	__asm__ volatile("fence w, w" ::: "memory");
}

static inline void coh_arch_rmb(void)
{
	/* earlier loads of DMA memory before later loads of it */
	__asm__ volatile("fence r, r" ::: "memory");
}

static inline void coh_arch_dma_mb(void)
{
	/* every earlier memory load and store before every later one (not MMIO) */
	__asm__ volatile("fence rw, rw" ::: "memory");
}

static inline void coh_arch_mb(void)
{
	/* every earlier memory and MMIO access before every later one */
	__asm__ volatile("fence iorw, iorw" ::: "memory");
}

static inline void coh_arch_io_wmb(void)
{
	/* earlier memory stores before the following MMIO store */
	__asm__ volatile("fence w, o" ::: "memory");
}

static inline void coh_arch_io_rmb(void)
{
	/* the preceding MMIO load before later memory loads */
	__asm__ volatile("fence i, r" ::: "memory");
}

#define COH__RISCV_IO(N, ld, st)                                               \
	static inline uint##N##_t coh_arch_read##N(const volatile void *a)     \
	{                                                                      \
		uint##N##_t v;                                                 \
		__asm__ volatile(ld " %0, 0(%1)" : "=r"(v) : "r"(a) : "memory"); \
		return v;                                                      \
	}                                                                      \
	static inline void coh_arch_write##N(volatile void *a, uint##N##_t v)  \
	{                                                                      \
		__asm__ volatile(st " %0, 0(%1)" : : "rJ"(v), "r"(a) : "memory"); \
	}
COH__RISCV_IO(8, "lbu", "sb")
COH__RISCV_IO(16, "lhu", "sh")
COH__RISCV_IO(32, "lw", "sw")
COH__RISCV_IO(64, "ld", "sd")

#endif
