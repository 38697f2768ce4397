/* SPDX-License-Identifier: MIT */
/**
 * @file
 * coherent/region.h - DMA-capable memory the platform hands to the library.
 *
 * There is no hidden allocation in coherent: the platform (boot code, an
 * RTOS memory map, a devicetree "reserved-memory" node) registers regions
 * of memory that devices can reach, with their CPU address, physical
 * address and mapping.  Coherent allocations, pools and bounce buffers are
 * carved from regions.  A region mapped uncached (or write-combining) needs
 * no cache maintenance: handles from it skip it.
 *
 * Allocator: a binary buddy system over granules of COH_REGION_GRANULE
 * bytes (a multiple of COH_MAX_LINE, so no allocation ever shares a cache
 * line with another).  The buddy grid is laid on physical address space:
 * it starts at the region's physical address rounded down to the largest
 * power of two not above the region's size (the granules before the
 * region, and the bitmaps, are never free), so a block of 2^k granules is
 * aligned to its own size physically.  That gives every alignment up to
 * the largest block a region can hold, and a no-cross boundary for free:
 * a block no larger than a power-of-two boundary never crosses it.  Its free bitmaps (2 bits per granule) live at the
 * start of the region itself, in CPU-only memory that no allocation
 * overlaps.  Allocation scans the per-order bitmaps (O(granules / word
 * size) worst case, O(1) typical with the per-order hint); freeing is
 * O(log n) (buddy merging).  Fragmentation: an allocation of n granules
 * takes the next power of two; free neighbours merge back eagerly, so a
 * region returns to one block when everything is freed.
 *
 * Concurrency: allocation and freeing on one region are serialised by the
 * library lock (coherent/lock.h); regions are added and removed while no
 * other call uses them.
 *
 * Interrupt context: coh_region_add()/coh_region_remove() are set-up (not
 * in interrupt context); coh_region_find(), coh_virt_to_phys(),
 * coh_phys_to_bus() and coh_dma_reachable() only read: any context.
 */
#ifndef COHERENT_REGION_H
#define COHERENT_REGION_H

#include "coherent/types.h"

/** Allocation granule of a region, bytes (a knob like those of config.h). */
#if !defined(COH_REGION_GRANULE)
#define COH_REGION_GRANULE COH_MAX_LINE
#endif

/* coh_region flags */
#define COH_REGION_UNCACHED (1u << 0) /**< mapped uncached: CPU and device see the same bytes */
#define COH_REGION_WC       (1u << 1) /**< write-combining: no maintenance, needs coh_dma_wmb */

struct coh_device;

/** DMA-capable memory handed to the library (coh_region_add()); caller-owned storage. */
struct coh_region {
	/* set by coh_region_add(), read-only afterwards */
	uintptr_t cpu;			/**< CPU address of the first byte */
	uint64_t phys;			/**< physical address of the first byte */
	size_t size;			/**< bytes */
	unsigned int flags;		/**< COH_REGION_* */
	/* allocator state: private */
	uintptr_t heap;			/**< first granule handed out */
	size_t ngran;			/**< granules in the buddy grid (first included) */
	size_t first;			/**< library-private: grid index of heap */
	uint64_t grid_phys;		/**< library-private: physical address of grid index 0 */
	unsigned int max_order;	/**< library-private */
	uint64_t *bitmap;		/**< free bitmaps, one per order */
	size_t *order_off;		/**< word offset of each order's bitmap */
	size_t order_off_store[48];	/**< library-private */
	size_t hint[48];		/**< lowest word that may hold a free block */
	size_t free_gran;		/**< granules free */
	size_t live;			/**< live allocations */
	int lock;	/**< library-private */
	struct coh_region *next;	/**< library-private */
};

/**
 * @brief Register DMA-capable memory.
 *
 * @param r     caller-owned descriptor, valid until coh_region_remove()
 * @param cpu   CPU address (aligned to COH_REGION_GRANULE)
 * @param phys  physical address of cpu (aligned to COH_REGION_GRANULE)
 * @param size  bytes; must hold the bitmaps and at least one granule
 * @param flags COH_REGION_*
 * @retval 0 success: the region's memory now belongs to the library
 * @retval -COH_EINVAL NULL, misaligned, unknown flags, already registered
 * @retval -COH_EOVERFLOW cpu+size or phys+size wraps
 * @retval -COH_ENOMEM too small to hold the bitmaps and one granule
 */
int coh_region_add(struct coh_region *r, void *cpu, uint64_t phys, size_t size,
		   unsigned int flags);
/** @brief coh_region_add() with the call site explicit, named by its
 * diagnostics; same errors, ownership effect and context. */
int coh_region_add_at(struct coh_region *r, void *cpu, uint64_t phys, size_t size,
		      unsigned int flags, const struct coh_where *where);
/** @brief coh_region_add() naming the caller's line in its diagnostics
 * (the function stays, for callers that take its address); same errors,
 * ownership effect and context. */
#define coh_region_add(r, cpu, phys, size, flags)                              \
	coh_region_add_at((r), (cpu), (phys), (size), (flags), COH_HERE)

/**
 * @brief Unregister a region.
 * @retval 0 success
 * @retval -COH_EBUSY allocations are still live (nothing changes)
 * @retval -COH_EINVAL not registered
 */
int coh_region_remove(struct coh_region *r);
/** @brief coh_region_remove() with the call site explicit, named by its
 * diagnostics; same errors and context. */
int coh_region_remove_at(struct coh_region *r, const struct coh_where *where);
/** @brief coh_region_remove() naming the caller's line in its
 * diagnostics (the function stays, for callers that take its address);
 * same errors and context. */
#define coh_region_remove(r) coh_region_remove_at((r), COH_HERE)

/** @brief The region containing [cpu, cpu+len), or NULL. */
struct coh_region *coh_region_find(const void *cpu, size_t len);

/** @brief Free bytes in a region (granule multiples). */
size_t coh_region_free_bytes(const struct coh_region *r);

/**
 * @brief Translate a CPU address to physical: through the registered
 * regions, else through the backend (identity on bare metal, the
 * simulator's map on the host).
 * @retval 0 and *phys set
 * @retval -COH_EFAULT the address is not known memory
 */
int coh_virt_to_phys(const void *cpu, uint64_t *phys);

/** @brief Bus address of physical address `phys` for `dev` (adds its bus offset). */
static inline coh_bus_t coh_phys_to_bus(const struct coh_device *dev,
					uint64_t phys);

#include "coherent/device.h"

static inline coh_bus_t coh_phys_to_bus(const struct coh_device *dev,
					uint64_t phys)
{
	return phys + dev->bus_offset;
}

/**
 * @brief true if [bus, bus+len) is reachable by dev (within its DMA mask,
 * without wrapping).
 */
static inline bool coh_dma_reachable(const struct coh_device *dev, coh_bus_t bus,
				     size_t len)
{
	return len && bus <= dev->dma_mask && len - 1 <= dev->dma_mask - bus;
}

#endif /* COHERENT_REGION_H */
