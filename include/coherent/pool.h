/* SPDX-License-Identifier: MIT */
/**
 * @file
 * coherent/pool.h - fixed-size DMA blocks (the dma_pool counterpart).
 *
 * A pool carves `nblocks` blocks of `block` bytes out of one allocation
 * from a registered region.  Each block is aligned to max(align, the
 * largest cache line) - so no two blocks share a line; align may be any
 * power of two a region's blocks reach (64 KiB and above) - and never
 * crosses a `boundary` (power of two, 0 = none) of the bus address.  Alloc and free are O(1) (a stack
 * of free indices kept in CPU-only bookkeeping memory, never in the blocks
 * a device can write; a freed pointer's block found by a shift or one
 * division, by a search only when boundary skips made the blocks uneven).
 * Blocks are raw memory under the fence contract: hand them over with
 * coh_give()/coh_take() or coh_release()/coh_acquire().
 *
 * Concurrency: alloc and free may run concurrently (library lock).
 *
 * Interrupt context: coh_pool_alloc()/coh_pool_free() take the pool's lock:
 * from an interrupt handler only with IRQ-save lock ops installed
 * (coherent/lock.h) or when nothing they can interrupt uses the pool.
 * coh_pool_bus() and coh_pool_avail() take no lock: any context.
 * coh_pool_create()/coh_pool_destroy(): set-up, not in interrupt context.
 */
#ifndef COHERENT_POOL_H
#define COHERENT_POOL_H

#include "coherent/mem.h"

/** A pool of equal DMA blocks (coh_pool_create()).  Contents are the library's. */
struct coh_pool {
	struct coh_mem chunk;		/**< the blocks */
	struct coh_mem meta;		/**< free stack + per-block owner bits */
	const char *name;	/**< library-private */
	size_t block;			/**< bytes per block */
	size_t nblocks;			/**< blocks in the pool */
	size_t top;			/**< library-private */
	uint32_t *stack;		/**< indices of free blocks */
	uint32_t *off;			/**< byte offset of each block in chunk */
	uint8_t *used;	/**< library-private */
	size_t stride;	/**< library-private: block i at i * stride (0: skips, search off) */
	unsigned int shift;	/**< library-private: log2(stride) + 1 when a power of two */
	int lock;	/**< library-private */
};

/**
 * @brief Create a pool for dev.
 * @retval 0 success
 * @retval -COH_EINVAL zero sizes, align or boundary not a power of two,
 *         block larger than boundary
 * @retval -COH_EOVERFLOW the sizes overflow
 * @retval -COH_ERANGE / -COH_ENOMEM as coherent allocation
 */
#define coh_pool_create(p, dev, name, block, align, boundary, nblocks)         \
	coh_pool_create_at((p), (dev), (name), (block), (align), (boundary),   \
			   (nblocks), COH_HERE)
/** @brief coh_pool_create() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_pool_create_at(struct coh_pool *p, struct coh_device *dev,
		       const char *name, size_t block, size_t align,
		       size_t boundary, size_t nblocks,
		       const struct coh_where *where);

/**
 * @brief Take a block: its CPU pointer, and its bus address in *bus.
 * Ownership: CPU.  Contents are not cleared.
 * @return the block, or NULL when the pool is exhausted (retry after a
 *         free) or p/bus is NULL; *bus = COH_BUS_ERROR then.
 */
void *coh_pool_alloc(struct coh_pool *p, coh_bus_t *bus);

/**
 * @brief Return a block.  Ownership: the block must be the CPU's (taken
 * back from the device); it belongs to the pool again.
 * @retval 0 success
 * @retval -COH_EINVAL not a block of this pool, or already free (double
 *         free: reported, nothing changes)
 * @retval -COH_EBUSY debug builds: bytes of the block were given to the
 *         device (coh_give) and not taken back; reported with the give's
 *         file:line, the block stays allocated
 */
#define coh_pool_free(p, blk) coh_pool_free_at((p), (blk), COH_HERE)
/** @brief coh_pool_free() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_pool_free_at(struct coh_pool *p, void *blk, const struct coh_where *where);

/**
 * @brief Bus address of any byte inside one of the pool's blocks, from its
 * CPU pointer (a block, or a field inside it): what a driver that kept
 * only the pointer programs into a descriptor.  Allocated or free blocks
 * alike (the translation does not depend on it); the padding between
 * blocks is not a block.
 * @retval 0 and *bus set
 * @retval -COH_EINVAL p, cpu or bus is NULL, or the pool is destroyed
 * @retval -COH_ERANGE cpu is not inside a block of this pool
 * On error *bus = COH_BUS_ERROR.  Any context: no lock (block offsets
 * never change while the pool lives).
 */
#define coh_pool_bus(p, cpu, bus) coh_pool_bus_at((p), (cpu), (bus), COH_HERE)
/** @brief coh_pool_bus() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_pool_bus_at(const struct coh_pool *p, const void *cpu, coh_bus_t *bus,
		    const struct coh_where *where);

/** @brief Blocks currently free. */
size_t coh_pool_avail(const struct coh_pool *p);

/**
 * @brief Destroy the pool.  Ownership: every block must be back; the
 * pool's memory returns to its region.
 * @retval 0; -COH_EBUSY while blocks are out, or (debug builds) while a
 *         block returned to the pool is still given to the device (no
 *         coh_take): reported, nothing freed.
 */
#define coh_pool_destroy(p) coh_pool_destroy_at((p), COH_HERE)
/** @brief coh_pool_destroy() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_pool_destroy_at(struct coh_pool *p, const struct coh_where *where);

#endif /* COHERENT_POOL_H */
