/* SPDX-License-Identifier: MIT */
/**
 * @file
 * coherent/device.h - what the DMA world needs to know about one device.
 *
 * A device descriptor is plain data owned by the caller (no allocation):
 * whether the device snoops the CPU caches, which bus addresses it can reach
 * (its DMA mask), how CPU physical addresses translate to bus addresses
 * (devicetree "dma-ranges"), and the limits of its scatter-gather engine.
 * Statistics accumulate in it.
 *
 * Concurrency: a device is configured before first use and then only read,
 * except its statistics, which are updated with relaxed atomics: the
 * maintenance counters without a locked instruction, exact while one
 * context at a time maintains for the device (COH_STATS_EXACT in
 * coherent/config.h says what two CPUs at once can lose), the others with
 * atomic adds, exact.
 *
 * Interrupt context: coh_device_init(), coh_device_set_mask_bits() are
 * set-up; coh_stats_get(), coh_stats_reset(), coh_dma_mask_try() and
 * coh_device_is_coherent() take no lock: any context.
 */
#ifndef COHERENT_DEVICE_H
#define COHERENT_DEVICE_H

#include "coherent/types.h"

/* coh_device.flags */
#define COH_DEV_COHERENT  (1u << 0) /**< snoops CPU caches: no maintenance (devicetree dma-coherent) */
#define COH_DEV_UNTRUSTED (1u << 1) /**< never expose bytes outside a mapping (strict bounce) */

/** What to do with a streaming buffer whose edges share cache lines with other data. */
enum coh_edge_policy {
	COH_EDGE_BOUNCE = 0,	/**< copy through the bounce region (default) */
	COH_EDGE_REFUSE = 1,	/**< fail the map with -COH_EINVAL */
	COH_EDGE_ALLOW = 2,	/**< map in place, count and report it */
};

/** Per-device counters.  Native word size: they wrap on 32-bit targets. */
struct coh_stats {
	unsigned long release_calls;	/**< coh_release and the calls built on it */
	unsigned long acquire_calls;	/**< coh_acquire and the calls built on it */
	unsigned long flush_calls;	/**< coh_flush and the calls built on it */
	unsigned long lines_cleaned;	/**< lines written back */
	unsigned long lines_invalidated;	/**< lines dropped */
	unsigned long lines_flushed;	/**< cleaned and invalidated in one step */
	unsigned long maps;		/**< streaming maps made */
	unsigned long bounces;		/**< maps that went through a bounce buffer */
	unsigned long bounce_bytes;	/**< bytes copied to or from bounce buffers */
	unsigned long allocs;		/**< coherent allocations made */
	unsigned long reports;		/**< checker reports raised for this device */
	unsigned long maint_errors;	/**< maintenance that failed inside an accessor, a bulk
					   copy or an allocation (counted whatever COH_STATS;
					   each also returned or reported with file:line) */
};

/**
 * One DMA-capable device as the library sees it.  Caller-owned storage,
 * filled by coh_device_init(); the fields above stats may be adjusted
 * before first use (the devicetree's view of the device).
 */
struct coh_device {
	const char *name;		/**< printed in diagnostics (kept by pointer) */
	unsigned int flags;		/**< COH_DEV_* */
	uint64_t dma_mask;		/**< highest bus address the device can reach */
	uint64_t bus_offset;		/**< bus address = CPU physical + bus_offset (mod 2^64) */
	size_t max_seg_size;		/**< largest scatter-gather segment (0: unlimited) */
	uint64_t seg_boundary_mask;	/**< a segment must not cross a (mask+1) boundary (~0: none) */
	size_t min_align;		/**< alignment the device needs for buffers (power of two) */
	enum coh_edge_policy edge_policy;	/**< streaming buffers with shared edge lines */
	struct coh_stats stats;		/**< counters (coh_stats_get()) */
	void *bounce;			/**< struct coh_stream *, set by coh_device_set_stream() */
	void *check;			/**< debug-build checker state, owned by the library */
};

/**
 * @brief Initialise a device descriptor with safe defaults.
 *
 * Defaults: 32-bit DMA mask, bus offset 0, unlimited segments, no boundary,
 * alignment 1, COH_EDGE_BOUNCE, zeroed statistics.
 *
 * @param dev   descriptor to fill (caller-owned storage)
 * @param name  printed in diagnostics (kept by pointer)
 * @param flags COH_DEV_* flags
 * @retval 0 success
 * @retval -COH_EINVAL dev is NULL or flags has unknown bits
 */
int coh_device_init(struct coh_device *dev, const char *name,
		    unsigned int flags);

/** @brief true if the device snoops CPU caches (no maintenance is done for it). */
static inline bool coh_device_is_coherent(const struct coh_device *dev)
{
	return (dev->flags & COH_DEV_COHERENT) != 0;
}

/**
 * @brief DMA mask of `bits` address bits, for a constant width: a width of
 * 0 or above 64 is a build error ("negative width in bit-field"), and so is
 * a width that is not a constant.  Widths known only at run time go through
 * coh_dma_mask_try().
 */
#define COH_DMA_MASK(bits)                                                     \
	(0 * sizeof(struct {                                                   \
		int coh_dma_mask_width_must_be_1_to_64                         \
			: ((bits) >= 1 && (bits) <= 64) ? 1 : -1;              \
	}) + ((bits) >= 64 ? ~(uint64_t)0                                      \
			   : (((uint64_t)1 << ((bits) & 63)) - 1)))

/**
 * @brief Run-time checked DMA mask.
 * @retval 0 and *mask set
 * @retval -COH_EINVAL bits is 0 or greater than 64
 */
int coh_dma_mask_try(unsigned int bits, uint64_t *mask);

/** @brief Set the device's mask from a width. Same errors as coh_dma_mask_try(). */
int coh_device_set_mask_bits(struct coh_device *dev, unsigned int bits);

/* Internal: run-time branch of COH_DMA_MASK; returns 0 for a bad width. */
uint64_t coh__dma_mask_rt(unsigned int bits);

/** @brief Zero the device's statistics. */
void coh_stats_reset(struct coh_device *dev);

/**
 * @brief Copy the statistics out (each counter read atomically; counters
 * are read one by one, not as one snapshot).
 */
void coh_stats_get(const struct coh_device *dev, struct coh_stats *out);

#endif /* COHERENT_DEVICE_H */
