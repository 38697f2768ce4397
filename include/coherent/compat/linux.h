/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief Linux DMA-API names on top of coherent, for drivers ported from Linux.
 *
 * Optional: include it instead of <linux/dma-mapping.h> and a driver's
 * dma_map_single()/dma_sync_*()/dma_alloc_coherent() calls compile
 * unchanged, run on any coherent backend and, on the simulator, under its
 * sanitizer.  Every call is a macro, so diagnostics and simulator reports
 * name the driver's own file:line.
 *
 * The device: Linux passes a struct device *.  Unless the platform defines
 * COH_LINUX_DEV(dev) (a struct coh_device * from its own struct device),
 * this header defines struct device as a wrapper around struct coh_device
 * (member `coh`), which the port's glue initialises with coh_device_init().
 *
 * Semantics follow Linux's (Documentation/core-api/dma-api.rst), with the
 * differences below, all of them checked rather than silent:
 *  - a streaming map needs streaming state attached to the device
 *    (coh_stream_init(), coh_device_set_stream()): no hidden allocation;
 *  - dma_sync_single_for_cpu()/_for_device() take the handle that
 *    dma_map_single() returned (not an address inside the mapping): use
 *    dma_sync_single_range_for_cpu()/_for_device() for part of a mapping;
 *  - dma_alloc_coherent() memory is coherent for plain C accesses, so for
 *    a non-coherent device it comes from an uncached region only
 *    (coh_region_add() with COH_REGION_UNCACHED); with none it returns NULL.
 *    At most COH_LINUX_COHERENT_MAX such allocations live at once;
 *  - gfp flags are accepted and ignored (nothing here sleeps or allocates
 *    from a heap).
 * Context: as the coherent calls underneath: the streaming calls and the
 * barriers may run in interrupt context; dma_alloc_coherent(),
 * dma_free_coherent() and dma_set_mask_and_coherent() take locks and belong
 * in probe/remove paths.
 */
#ifndef COHERENT_COMPAT_LINUX_H
#define COHERENT_COMPAT_LINUX_H

#include "coherent/coherent.h"

#if !defined(COH_LINUX_DEV)
/** @brief The device a ported driver passes around; the glue fills `coh`. */
struct device {
	struct coh_device coh; /**< the coherent device descriptor */
};
/** @brief The struct coh_device of a struct device (a platform may redefine it). */
#define COH_LINUX_DEV(dev) (&(dev)->coh)
#endif

/** @brief Linux's DMA address type: a bus address. */
typedef coh_bus_t dma_addr_t;

/** @brief Linux's transfer directions; the values are coherent's. */
enum dma_data_direction {
	DMA_BIDIRECTIONAL = COH_BIDIRECTIONAL, /**< device reads and writes */
	DMA_TO_DEVICE = COH_TO_DEVICE,         /**< device reads */
	DMA_FROM_DEVICE = COH_FROM_DEVICE,     /**< device writes */
	DMA_NONE = 3                           /**< refused by every call (-COH_EINVAL) */
};

#if !defined(GFP_KERNEL)
/** @brief Allocation flags: accepted and ignored. */
typedef unsigned int gfp_t;
/** @brief May sleep (ignored: nothing here sleeps). */
#define GFP_KERNEL 0u
/** @brief Must not sleep (ignored: nothing here sleeps). */
#define GFP_ATOMIC 1u
#endif

/** @brief A mask of the low n address bits, 1 <= n <= 64 (run-time n allowed). */
#define DMA_BIT_MASK(n) ((n) >= 64 ? ~0ull : (1ull << ((n) & 63)) - 1)

/** @brief Linux's scatterlist is coherent's struct coh_sg (ptr/len in, bus/bus_len out). */
#define scatterlist coh_sg

/** @brief Zero n entries of a scatter-gather table. */
static inline void sg_init_table(struct coh_sg *sg, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		sg[i] = (struct coh_sg){ 0 };
}

/** @brief Point an entry at [buf, buf+len). */
static inline void sg_set_buf(struct coh_sg *sg, const void *buf, unsigned int len)
{
	sg->ptr = (void *)(uintptr_t)buf;
	sg->len = len;
}

/** @brief Bus address of a mapped segment (valid for the first dma_map_sg() result entries). */
#define sg_dma_address(sg) ((sg)->bus)
/** @brief Length of a mapped segment. */
#define sg_dma_len(sg) ((sg)->bus_len)
/** @brief Walk nr entries: for_each_sg(sgl, sg, count, i). */
#define for_each_sg(sglist, sg, nr, i)                                         \
	for ((i) = 0, (sg) = (sglist); (i) < (nr); (i)++, (sg)++)

/**
 * @brief Map a buffer for one transfer: coh_map_single().
 * @return the handle, or an error value dma_mapping_error() recognises.
 * Ownership: the device owns the buffer until dma_unmap_single() or
 * dma_sync_single_for_cpu().  Any context.
 */
#define dma_map_single(dev, ptr, size, dir)                                    \
	coh_map_single_at(COH_LINUX_DEV(dev), (ptr), (size), (enum coh_dir)(dir), COH_HERE)

/**
 * @brief 0 if the handle is good, -COH_ENOMEM if the map failed (Linux
 * returns -ENOMEM).  Debug builds record that the check was made.  Any context.
 */
#define dma_mapping_error(dev, addr)                                           \
	(coh_mapping_error(COH_LINUX_DEV(dev), (addr)) ? -COH_ENOMEM : 0)

/**
 * @brief End a mapping: coh_unmap_single().  Ownership: the CPU's again.
 * A wrong handle, size or direction is reported (diagnostic handler), as
 * Linux's DMA-API debug would.  Any context.
 */
#define dma_unmap_single(dev, addr, size, dir)                                 \
	((void)coh_unmap_single_at(COH_LINUX_DEV(dev), (addr), (size),          \
				   (enum coh_dir)(dir), COH_HERE))

/**
 * @brief Give a mapping back to the CPU: coh_sync_for_cpu() of its first
 * size bytes.  addr is the handle.  Ownership: the CPU's until
 * dma_sync_single_for_device().  Errors are reported.  Any context.
 */
#define dma_sync_single_for_cpu(dev, addr, size, dir)                          \
	((void)coh_sync_for_cpu_at(COH_LINUX_DEV(dev), (addr), 0, (size),       \
				   (enum coh_dir)(dir), COH_HERE))

/** @brief Hand a mapping back to the device: coh_sync_for_device().  Ownership: the device's again.  Any context. */
#define dma_sync_single_for_device(dev, addr, size, dir)                       \
	((void)coh_sync_for_device_at(COH_LINUX_DEV(dev), (addr), 0, (size),    \
				      (enum coh_dir)(dir), COH_HERE))

/** @brief dma_sync_single_for_cpu() of [off, off+size) of the mapping; ownership of those bytes: the CPU's. */
#define dma_sync_single_range_for_cpu(dev, addr, off, size, dir)               \
	((void)coh_sync_for_cpu_at(COH_LINUX_DEV(dev), (addr), (off), (size),   \
				   (enum coh_dir)(dir), COH_HERE))

/** @brief dma_sync_single_for_device() of [off, off+size) of the mapping; ownership of those bytes: the device's. */
#define dma_sync_single_range_for_device(dev, addr, off, size, dir)            \
	((void)coh_sync_for_device_at(COH_LINUX_DEV(dev), (addr), (off), (size), \
				      (enum coh_dir)(dir), COH_HERE))

/**
 * @brief Map a scatterlist: coh_map_sg().
 * @return the number of bus segments (physically contiguous entries are
 * merged), 0 on failure, as Linux.  Ownership: every entry is the device's.
 * Any context.
 */
#define dma_map_sg(dev, sg, nents, dir)                                        \
	({                                                                     \
		int n__ = coh_map_sg_at(COH_LINUX_DEV(dev), (sg), (int)(nents), \
					(enum coh_dir)(dir), COH_HERE);        \
		n__ < 0 ? 0 : n__;                                             \
	})

/** @brief Unmap a scatterlist (nents as passed to dma_map_sg()).  Ownership: every entry the CPU's again.  Any context. */
#define dma_unmap_sg(dev, sg, nents, dir)                                      \
	((void)coh_unmap_sg_at(COH_LINUX_DEV(dev), (sg), (int)(nents),          \
			       (enum coh_dir)(dir), COH_HERE))

/** @brief Every entry of a mapped list back to the CPU (ownership: the CPU's).  Any context. */
#define dma_sync_sg_for_cpu(dev, sg, nents, dir)                               \
	((void)coh_sync_sg_for_cpu_at(COH_LINUX_DEV(dev), (sg), (int)(nents),   \
				      (enum coh_dir)(dir), COH_HERE))

/** @brief Every entry of a mapped list back to the device (ownership: the device's).  Any context. */
#define dma_sync_sg_for_device(dev, sg, nents, dir)                            \
	((void)coh_sync_sg_for_device_at(COH_LINUX_DEV(dev), (sg), (int)(nents), \
					 (enum coh_dir)(dir), COH_HERE))

/**
 * @brief Memory CPU and device share without maintenance (descriptor rings
 * written with plain C): uncached for a non-coherent device, any region for
 * a coherent one.  Zeroed.  Ownership: shared, for its whole life.
 * @return the CPU address with *handle set to the bus address, or NULL
 * (reported): no reachable region with room, no uncached region for a
 * non-coherent device, size 0, COH_LINUX_COHERENT_MAX allocations live.
 * Probe context: takes the allocator's lock.
 */
#define dma_alloc_coherent(dev, size, handle, gfp)                             \
	coh_linux_alloc_coherent(COH_LINUX_DEV(dev), (size), (handle), (gfp), COH_HERE)

/**
 * @brief Free what dma_alloc_coherent() returned, with the same size and
 * handle.  A pointer it did not return, or a different handle or size, is
 * reported and nothing is freed.  Debug builds also refuse (and report)
 * memory the device still owns.  Remove context: takes the allocator's lock.
 */
#define dma_free_coherent(dev, size, cpu, handle)                              \
	coh_linux_free_coherent(COH_LINUX_DEV(dev), (size), (cpu), (handle), COH_HERE)

/**
 * @brief Set the device's DMA mask (the same for streaming and coherent
 * memory, as in coherent).
 * @retval 0 success
 * @retval -COH_EIO the mask is not of the form DMA_BIT_MASK(n), as Linux
 *         refuses a mask it cannot support; the old mask stays
 * Probe context.
 */
#define dma_set_mask_and_coherent(dev, mask)                                   \
	coh_linux_set_mask(COH_LINUX_DEV(dev), (mask))
/** @brief As dma_set_mask_and_coherent(). */
#define dma_set_mask(dev, mask) coh_linux_set_mask(COH_LINUX_DEV(dev), (mask))

/** @brief Orders CPU writes to coherent memory (descriptor fields before the OWN bit): coh_dma_wmb(). */
#define dma_wmb() coh_dma_wmb()
/** @brief Orders CPU reads of coherent memory (OWN bit before the fields): coh_dma_rmb(). */
#define dma_rmb() coh_dma_rmb()

/** @brief Ordered 32-bit register read (Linux readl): coh_mmio_read32().  Any context. */
#define readl(addr) coh_mmio_read32(addr)
/** @brief Ordered 32-bit register write (Linux writel): earlier memory writes first. */
#define writel(val, addr) coh_mmio_write32((addr), (val))
/** @brief Unordered 32-bit register read (Linux readl_relaxed). */
#define readl_relaxed(addr) coh_mmio_read32_relaxed(addr)
/** @brief Unordered 32-bit register write (Linux writel_relaxed). */
#define writel_relaxed(val, addr) coh_mmio_write32_relaxed((addr), (val))

/* ---- pages, attributes, pools, peer MMIO, segment limits ---- */

#if !defined(COH_LINUX_PAGE)
/**
 * @brief A page: a pointer to one is the CPU address of its first byte
 * (a platform with a real page array defines COH_LINUX_PAGE and these).
 */
struct page;
/** @brief The CPU address of a page. */
#define page_address(pg) ((void *)(pg))
/** @brief The page holding a CPU address. */
#define virt_to_page(va) ((struct page *)((uintptr_t)(va) & ~(uintptr_t)(COH_PAGE_SIZE - 1)))
/** @brief A CPU address's offset in its page. */
#define offset_in_page(va) ((size_t)((uintptr_t)(va) & (COH_PAGE_SIZE - 1)))
#endif
#if !defined(PAGE_SIZE)
/** @brief The page size (coherent/config.h: COH_PAGE_SIZE). */
#define PAGE_SIZE COH_PAGE_SIZE
#endif

/**
 * @brief Map [offset, offset+size) of a page: dma_map_single() of
 * page_address(page) + offset.  Ownership and errors as dma_map_single();
 * any context.
 */
#define dma_map_page(dev, page, offset, size, dir)                             \
	coh_map_single_at(COH_LINUX_DEV(dev),                                  \
			  (unsigned char *)page_address(page) + (offset), (size), \
			  (enum coh_dir)(dir), COH_HERE)
/** @brief End a dma_map_page() mapping: dma_unmap_single().  Ownership: the CPU's again.  Any context. */
#define dma_unmap_page(dev, addr, size, dir) dma_unmap_single((dev), (addr), (size), (dir))

/* Linux's DMA attributes (include/linux/dma-mapping.h values) */
#define DMA_ATTR_WEAK_ORDERING (1ul << 1)      /**< accepted, ignored */
#define DMA_ATTR_WRITE_COMBINE (1ul << 2)      /**< prefer a write-combining region */
#define DMA_ATTR_NO_KERNEL_MAPPING (1ul << 4)  /**< refused: coherent memory is always mapped */
#define DMA_ATTR_SKIP_CPU_SYNC (1ul << 5)      /**< streaming: COH_ATTR_SKIP_CPU_SYNC */
#define DMA_ATTR_FORCE_CONTIGUOUS (1ul << 6)   /**< accepted: allocations are contiguous */
#define DMA_ATTR_ALLOC_SINGLE_PAGES (1ul << 7) /**< accepted, ignored */
#define DMA_ATTR_NO_WARN (1ul << 8)            /**< no diagnostic when the allocation fails */
#define DMA_ATTR_PRIVILEGED (1ul << 9)         /**< accepted, ignored */

/**
 * @brief dma_alloc_coherent() with attributes (DMA_ATTR_*).
 * @return as dma_alloc_coherent(); also NULL (reported) for
 * DMA_ATTR_NO_KERNEL_MAPPING or an unknown bit.  Ownership: shared for its
 * whole life.  Probe context.
 */
#define dma_alloc_attrs(dev, size, handle, gfp, attrs)                         \
	coh_linux_alloc_attrs(COH_LINUX_DEV(dev), (size), (handle), (gfp), (attrs), COH_HERE)
/** @brief Free what dma_alloc_attrs() returned (as dma_free_coherent(); attrs unused).  Ownership: back to its region.  Remove context. */
#define dma_free_attrs(dev, size, cpu, handle, attrs)                          \
	((void)(attrs), coh_linux_free_coherent(COH_LINUX_DEV(dev), (size), (cpu), (handle), COH_HERE))

/**
 * @brief Pages for streaming DMA, mapped for dir until dma_free_pages():
 * cached memory (any registered region the device reaches) the driver
 * hands back and forth with dma_sync_single_for_cpu()/_for_device() on
 * *handle, as Linux.  Ownership: the device's after the call.
 * @return the page (page_address() gives the CPU address), or NULL
 * (reported): no region with room, size 0, bad dir,
 * COH_LINUX_COHERENT_MAX allocations live.  Probe context.
 */
#define dma_alloc_pages(dev, size, handle, dir, gfp)                           \
	((struct page *)coh_linux_alloc_pages(COH_LINUX_DEV(dev), (size), (handle), \
					      (int)(dir), (gfp), COH_HERE))
/**
 * @brief Unmap and free what dma_alloc_pages() returned (same size, handle
 * and dir; a mismatch is reported and nothing is freed).  Ownership: back
 * to its region.  Remove context.
 */
#define dma_free_pages(dev, size, page, handle, dir)                           \
	coh_linux_free_pages(COH_LINUX_DEV(dev), (size), page_address(page), (handle), \
			     (int)(dir), COH_HERE)

#if !defined(COH_LINUX_POOL_MAX)
/** dma_pool_create() pools live at once (a static table: no heap). */
#define COH_LINUX_POOL_MAX 8
#endif
#if !defined(COH_LINUX_POOL_BLOCKS)
/** Blocks in each dma_pool (fixed at creation: nothing grows), at most 64. */
#define COH_LINUX_POOL_BLOCKS 32
#endif

/** @brief A pool of coherent blocks (dma_pool_create()); contents are the library's. */
struct dma_pool;

/**
 * @brief A pool of COH_LINUX_POOL_BLOCKS blocks of size bytes, each aligned
 * to align (a power of two; 0: 1) and not crossing a multiple of boundary
 * (a power of two, 0: none), in memory coherent for plain C as
 * dma_alloc_coherent()'s.
 * @return the pool, or NULL (reported): bad sizes, COH_LINUX_POOL_MAX
 * pools live, no memory.  Probe context.
 */
#define dma_pool_create(name, dev, size, align, boundary)                      \
	coh_linux_pool_create((name), COH_LINUX_DEV(dev), (size), (align), (boundary), COH_HERE)
/**
 * @brief A block of the pool, and its bus address in *handle; NULL when the
 * pool is empty (not reported: retry after a free).  Ownership: shared, as
 * dma_alloc_coherent() memory.  Any context (the pool's lock).
 */
#define dma_pool_alloc(pool, gfp, handle) coh_linux_pool_alloc((pool), (gfp), (handle), false)
/** @brief dma_pool_alloc(), zeroed.  Ownership: shared.  Any context. */
#define dma_pool_zalloc(pool, gfp, handle) coh_linux_pool_alloc((pool), (gfp), (handle), true)
/**
 * @brief Give a block back (a block the pool did not hand out, or a wrong
 * handle, is reported and nothing changes).  Ownership: back to the pool.
 * Any context.
 */
#define dma_pool_free(pool, vaddr, addr) coh_linux_pool_free((pool), (vaddr), (addr), COH_HERE)
/**
 * @brief Destroy a pool (NULL: nothing).  Ownership: the pool's memory goes
 * back to its region.  Blocks still out are reported and the pool stays
 * (nothing is freed under a driver).  Remove context.
 */
#define dma_pool_destroy(pool) coh_linux_pool_destroy((pool), COH_HERE)

/**
 * @brief Map peer MMIO at physical address phys (another device's BAR):
 * coh_map_resource(), no maintenance.  attrs accepted and ignored.
 * @return the bus address, or an error value dma_mapping_error() recognises.
 * No ownership change.  Any context.
 */
#define dma_map_resource(dev, phys, size, dir, attrs)                          \
	((void)(attrs), coh_map_resource_at(COH_LINUX_DEV(dev), (phys), (size),  \
					    (enum coh_dir)(dir), COH_HERE))
/** @brief End a dma_map_resource() mapping (nothing to undo).  No ownership change.  Any context. */
#define dma_unmap_resource(dev, addr, size, dir, attrs)                        \
	((void)(attrs), (void)coh_unmap_resource_at(COH_LINUX_DEV(dev), (addr), \
						    (size), (enum coh_dir)(dir), COH_HERE))

/**
 * @brief The device's largest scatter-gather segment (dev->max_seg_size),
 * which dma_map_sg() merges within.
 * @retval 0 success (also for 0: no limit, coherent's convention)
 * Probe context.
 */
#define dma_set_max_seg_size(dev, size) coh_linux_set_max_seg_size(COH_LINUX_DEV(dev), (size))
/** @brief The limit dma_set_max_seg_size() set; with none, UINT32_MAX (no limit).  Any context. */
#define dma_get_max_seg_size(dev) coh_linux_get_max_seg_size(COH_LINUX_DEV(dev))

/** @brief dma_set_max_seg_size()'s implementation.  @retval 0 always (never fails).  Probe context. */
static inline int coh_linux_set_max_seg_size(struct coh_device *dev, unsigned int size)
{
	dev->max_seg_size = size;
	return 0;
}

/** @brief dma_get_max_seg_size()'s implementation (never fails, any context). */
static inline unsigned int coh_linux_get_max_seg_size(const struct coh_device *dev)
{
	return dev->max_seg_size ? (unsigned int)dev->max_seg_size : 0xffffffffu;
}

/**
 * @brief The smallest DMA_BIT_MASK(n) reaching every byte of every
 * registered region and of the device's bounce pool, as bus addresses of
 * dev: the mask a driver needs so nothing bounces.  ~0 when nothing is
 * registered (the library cannot know the memory).  Any context.
 */
#define dma_get_required_mask(dev) coh_linux_required_mask(COH_LINUX_DEV(dev))

/**
 * @brief dma_alloc_coherent()'s implementation; where is the caller's site.
 * Ownership: the memory is shared for its whole life.
 * @return CPU address, or NULL (reported through the diagnostic handler).
 */
void *coh_linux_alloc_coherent(struct coh_device *dev, size_t size,
			       dma_addr_t *handle, unsigned int gfp,
			       const struct coh_where *where);

/**
 * @brief dma_free_coherent()'s implementation.  Ownership: the memory
 * returns to its region (it must not be the device's).  Misuse is reported through
 * the diagnostic handler and counted in dev->stats.reports.
 */
void coh_linux_free_coherent(struct coh_device *dev, size_t size, void *cpu,
			     dma_addr_t handle, const struct coh_where *where);

/**
 * @brief dma_set_mask_and_coherent()'s implementation.
 * @retval 0 success
 * @retval -COH_EIO not a contiguous low mask, or dev is NULL
 */
int coh_linux_set_mask(struct coh_device *dev, uint64_t mask);

/**
 * @brief dma_alloc_attrs()'s implementation.  Ownership: shared for its
 * whole life.  @return CPU address, or NULL (reported).
 */
void *coh_linux_alloc_attrs(struct coh_device *dev, size_t size,
			    dma_addr_t *handle, unsigned int gfp,
			    unsigned long attrs, const struct coh_where *where);

/**
 * @brief dma_alloc_pages()'s implementation.  Ownership: mapped for dir,
 * the device's.  @return CPU address, or NULL (reported).
 */
void *coh_linux_alloc_pages(struct coh_device *dev, size_t size,
			    dma_addr_t *handle, int dir, unsigned int gfp,
			    const struct coh_where *where);

/**
 * @brief dma_free_pages()'s implementation: unmapped, then freed.
 * Ownership: back to its region.  Misuse is reported, nothing freed.
 */
void coh_linux_free_pages(struct coh_device *dev, size_t size, void *cpu,
			  dma_addr_t handle, int dir,
			  const struct coh_where *where);

/** @brief dma_pool_create()'s implementation.  @return the pool, or NULL (reported). */
struct dma_pool *coh_linux_pool_create(const char *name, struct coh_device *dev,
				       size_t size, size_t align,
				       size_t boundary,
				       const struct coh_where *where);
/**
 * @brief dma_pool_alloc()'s implementation.  Ownership: shared.
 * @return a block, or NULL (empty pool, or pool NULL).
 */
void *coh_linux_pool_alloc(struct dma_pool *pool, unsigned int gfp,
			   dma_addr_t *handle, bool zero);
/** @brief dma_pool_free()'s implementation.  Ownership: back to the pool; misuse reported. */
void coh_linux_pool_free(struct dma_pool *pool, void *vaddr, dma_addr_t addr,
			 const struct coh_where *where);
/** @brief dma_pool_destroy()'s implementation.  Ownership: the pool's memory back to its region; blocks out: reported, kept. */
void coh_linux_pool_destroy(struct dma_pool *pool, const struct coh_where *where);

/** @brief dma_get_required_mask()'s implementation (never fails, any context). */
uint64_t coh_linux_required_mask(const struct coh_device *dev);

#endif /* COHERENT_COMPAT_LINUX_H */
