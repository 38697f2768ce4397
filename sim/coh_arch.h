/* SPDX-License-Identifier: MIT */
/*
 * sim - the simulated non-coherent SoC as a backend.  Line operations and
 * MMIO go out of line into the model (sim/, one file per concern); coh_arch_op is the
 * scheduling point and the ownership tracker; coh_arch_range_check refuses
 * memory outside the simulated areas.  One simulated CPU; the library's
 * stores to shared memory (coh_arch_store) stay "pending" until a barrier
 * that orders stores, and a device may see pending stores in any order
 * (docs/simulator.md, "Store ordering").  Mirror image: device writes the
 * CPU reads directly are remembered until a barrier that orders loads, and
 * the library's loads (coh_arch_load) may be satisfied before them ("Load
 * ordering").
 */
#ifndef COHERENT_SIM_COH_ARCH_H
#define COHERENT_SIM_COH_ARCH_H

#include <stddef.h>
#include <stdint.h>

#define COH_ARCH_NAME "sim"
#define COH_ARCH_CAN_MAINTAIN 1
#define COH_ARCH_FLUSH_ONLY 0

struct coh_device;
struct coh_where;

size_t sim__line_size(void);
void sim__clean_lines(uintptr_t s, uintptr_t e);
void sim__inval_lines(uintptr_t s, uintptr_t e);
void sim__flush_lines(uintptr_t s, uintptr_t e);
uint64_t sim__mmio_read(const volatile void *a, unsigned size);
void sim__mmio_write(volatile void *a, uint64_t v, unsigned size);

static inline size_t coh_arch_line_size_hw(void)
{
	return sim__line_size();
}

/* the model works on its own line size; l is the library's, normally equal */
static inline void coh_arch_clean_lines(uintptr_t s, uintptr_t e, size_t l)
{
	(void)l;
	sim__clean_lines(s, e);
}

static inline void coh_arch_inval_lines(uintptr_t s, uintptr_t e, size_t l)
{
	(void)l;
	sim__inval_lines(s, e);
}

static inline void coh_arch_flush_lines(uintptr_t s, uintptr_t e, size_t l)
{
	(void)l;
	sim__flush_lines(s, e);
}

/*
 * Barriers that order earlier stores (wmb, mb, io_wmb, maint_done) are
 * ordering points of the store model: every store the library made before
 * them is visible to devices from then on.  Read barriers order no store.
 */
void sim__order(void);
/* Barriers that order loads (rmb, mb, io_rmb, maint_done) are the load model's. */
void sim__rorder(void);

static inline void coh_arch_maint_done(void)
{
	__asm__ volatile("" ::: "memory");
	sim__order();
	sim__rorder();
}

static inline void coh_arch_wmb(void)
{
	__asm__ volatile("" ::: "memory");
	sim__order();
}

static inline void coh_arch_rmb(void)
{
	__asm__ volatile("" ::: "memory");
	sim__rorder();
}

/* orders both the store and the load model, as coh_arch_mb */
static inline void coh_arch_dma_mb(void)
{
	__asm__ volatile("" ::: "memory");
	sim__order();
	sim__rorder();
}

static inline void coh_arch_mb(void)
{
	__asm__ volatile("" ::: "memory");
	sim__order();
	sim__rorder();
}

static inline void coh_arch_io_wmb(void)
{
	__asm__ volatile("" ::: "memory");
	sim__order();
}

static inline void coh_arch_io_rmb(void)
{
	__asm__ volatile("" ::: "memory");
	sim__rorder();
}

/* a library store to shared memory: a scheduling point, remembered until the next ordering point */
void coh_arch_store(const void *addr, size_t n, const struct coh_where *where);
#define coh_arch_store coh_arch_store

/* a library load from shared memory, just after it: may be given older bytes (not a scheduling point) */
void coh_arch_load(const void *addr, size_t n, void *val,
		   const struct coh_where *where);
#define coh_arch_load coh_arch_load

#define COH__SIM_IO(N)                                                         \
	static inline uint##N##_t coh_arch_read##N(const volatile void *a)     \
	{                                                                      \
		return (uint##N##_t)sim__mmio_read(a, N / 8);                  \
	}                                                                      \
	static inline void coh_arch_write##N(volatile void *a, uint##N##_t v)  \
	{                                                                      \
		sim__mmio_write(a, v, N / 8);                                  \
	}
COH__SIM_IO(8)
COH__SIM_IO(16)
COH__SIM_IO(32)
COH__SIM_IO(64)

int coh_arch_range_check(uintptr_t start, uintptr_t end);
#define coh_arch_range_check coh_arch_range_check
int coh_arch_op(int op, struct coh_device *dev, const void *ptr, size_t len,
		int dir, const struct coh_where *where);
#define coh_arch_op coh_arch_op
void coh_arch_op_end(int op);
#define coh_arch_op_end coh_arch_op_end

/* Streaming maps of memory outside registered regions: the simulator's map. */
uint64_t sim_virt_to_phys(const void *p);
static inline int coh_arch_virt_to_phys(const void *va, uint64_t *pa)
{
	uint64_t p = sim_virt_to_phys(va);

	if (p == ~(uint64_t)0)
		return -COH_EFAULT;
	*pa = p;
	return 0;
}
#define coh_arch_virt_to_phys coh_arch_virt_to_phys

/* Streaming unmap and sync of an in-place mapping: the buffer from its address. */
void *sim_phys_to_virt(uint64_t phys);
static inline void *coh_arch_phys_to_virt(uint64_t pa)
{
	return sim_phys_to_virt(pa);
}
#define coh_arch_phys_to_virt coh_arch_phys_to_virt

#endif
