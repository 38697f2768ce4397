/* SPDX-License-Identifier: MIT */
/**
 * @file
 * coherent/stream.h - streaming DMA: buffers that come from elsewhere.
 *
 * Packet buffers, block buffers and frames are not allocated by coherent;
 * they are lent to a device for one transfer and taken back.  A mapping
 * hands [ptr, ptr+len) to the device and returns the bus address the device
 * must use; sync calls pass ownership back and forth while the mapping
 * lives; unmap ends it.  Linux's dma_map_single, dma_sync_single_*,
 * dma_map_sg/swiotlb, with the same direction semantics:
 *
 *                 map / sync_for_device     sync_for_cpu / unmap
 *   TO_DEVICE     clean (release)           nothing
 *   FROM_DEVICE   clean+invalidate          invalidate (acquire) again
 *   BIDIRECTIONAL clean+invalidate          invalidate (acquire) again
 *
 * (the second invalidate throws away lines the CPU refilled speculatively
 * while the device owned the buffer).  A coherent device gets barriers only.
 *
 * Bouncing: a buffer is copied through the device's bounce pool when the
 * device cannot reach it (DMA mask), when its bus address breaks the
 * device's min_align, when it is FROM_DEVICE/BIDIRECTIONAL for a
 * non-coherent device and its edges share cache lines with other data
 * (policy dev->edge_policy: BOUNCE, REFUSE with -COH_EINVAL, ALLOW and
 * report), and, for COH_DEV_UNTRUSTED devices, whenever it is not exactly
 * whole cache lines.  Bouncing is transparent (as swiotlb since its
 * info-leak fix): every slot starts as a copy of the buffer, whatever the
 * direction, and every sync for the device copies the bytes it gives back,
 * so bytes the device does not write read back as the CPU left them (a
 * status sentinel, a header in front of the data, the tail of a partly
 * filled buffer); the rest of the slot's last line is zeroed, so the
 * device never sees a byte that is not the buffer's.  The cost: a
 * FROM_DEVICE map copies the buffer in as well as out.  Copies back cover
 * only the bytes synced.  Every bounce is counted in dev->stats (bounces,
 * bounce_bytes).
 *
 * Bookkeeping: no allocation, and none at all in place.  A mapping that
 * needs no bounce is what Linux's dma-direct makes it: the bus address is
 * the physical address plus dev->bus_offset, the mask is checked and the
 * maintenance done; nothing is recorded, and unmap and sync find the
 * buffer again from the bus address (through the registered regions, else
 * the backend's coh_arch_phys_to_virt(), default COH_PHYS_TO_VIRT).  Each
 * device using streaming DMA has a struct coh_stream attached
 * (coh_device_set_stream()), which holds a caller-provided array of records
 * and, optionally, the bounce pool.  Records exist for bounce slots (keyed
 * by the slot, as swiotlb's original-address table: an unmap or sync of a
 * pool address without a live record is refused, so the library never
 * copies memory it was not given) and, in debug builds, for the checker.
 * A full table fails only a bounced map; an in-place map never fails for
 * lack of records (debug builds: the mapping goes unchecked, reported once).
 * Physical contiguity is checked for every page the buffer spans (the
 * platform's page size: coh_arch_page_size(), default COH_PAGE_SIZE).
 *
 * Overlapping mappings: two live mappings of one buffer (a header and the
 * frame holding it, two queues sending one frame) map, sync and unmap
 * independently.  In place they share a bus address and nothing else;
 * bounced, each has its own slot.  The checker uses the record that
 * matches the type, direction and length the call names, so a real
 * mismatch is still reported.  Only TO_DEVICE mappings may overlap
 * without the simulator reporting it (two writers of one byte are a bug).
 *
 * Release and debug builds: in place, a release build takes the caller's
 * word for the mapping at unmap and sync (length, direction, that it was
 * mapped at all), as Linux without DMA-API debug does; a debug build's
 * checker refuses and reports a call that names no live mapping.  Bounced
 * mappings are checked in every build.
 *
 * Checker (debug builds, COH_DEBUG): each misuse below is reported through
 * the diagnostic handler, names both sides and the mapping's file:line, and
 * is counted in dev->stats.reports; see docs/streaming.md for the list.
 * The simulator backend additionally sees CPU accesses to device-owned
 * buffers, because every call here passes ownership (COH_OP_GIVE/TAKE) for
 * exactly the bytes the device owns: the buffer, or its bounce slot.
 *
 * Concurrency: map, sync and unmap may run on any number of threads for one
 * device, and in interrupt context.  The records are lock-free (each is
 * claimed and released with one compare-and-swap on its state word; sync
 * only reads); the bounce pool is protected by the stream's lock word
 * (coherent/lock.h), taken only by mappings that bounce.  Maintenance and
 * copies run outside any lock.  Two calls on the *same* mapping must not
 * race (as with Linux): a sync or unmap that races the unmap of its own
 * bounced mapping finds no record and fails with -COH_EINVAL, it never
 * touches another mapping's memory.
 */
#ifndef COHERENT_STREAM_H
#define COHERENT_STREAM_H

#include "coherent/device.h"
#include "coherent/mem.h"	/* COH_ATTR_SKIP_CPU_SYNC */

/* struct coh_stream flags */
#define COH_STREAM_FORCE_BOUNCE (1u << 0) /**< bounce every mapping (swiotlb=force) */

/** One live mapping (or scatter-gather entry).  Library-private contents. */
struct coh_map_rec {
	uint32_t st;			/**< state and generation (lock-free) */
	coh_bus_t bus;			/**< address the device was given */
	uintptr_t cpu;			/**< the caller's buffer */
	uintptr_t slot;			/**< bounce slot CPU address, 0: mapped in place */
	size_t len;			/**< bytes mapped */
	const struct coh_where *where;	/**< where it was mapped (debug builds) */
	uint32_t ngran;			/**< bounce granules held */
	uint32_t flags;			/**< 32-bit: atomic OR without libatomic */
	uint8_t dir;			/**< enum coh_dir of the mapping */
};

/** Streaming state of one device: mapping records and bounce pool. */
struct coh_stream {
	struct coh_map_rec *rec;	/**< caller's array, power-of-two entries */
	size_t nrec;			/**< entries in rec */
	size_t maxprobe;		/**< longest probe any insert needed */
	unsigned int flags;		/**< COH_STREAM_* */
	/* bounce pool (size 0: none) */
	uintptr_t b_cpu;		/**< bounce pool: CPU address */
	uint64_t b_phys;		/**< bounce pool: physical address */
	size_t b_gran;			/**< granule bytes */
	size_t b_ngran;			/**< granules in the pool */
	size_t b_bytes;			/**< b_ngran * b_gran */
	size_t b_free;			/**< free granules */
	size_t b_hint;			/**< where the next search starts */
	uint64_t b_used[COH_BOUNCE_MAX_GRANULES / 64];	/**< granules in use */
	int lock;			/**< the pool's lock word (coherent/lock.h) */
	size_t untracked;		/**< debug: in-place mappings the checker could not record */
};

/**
 * @brief Prepare streaming state over caller-provided mapping records.
 *
 * @param s     caller-owned, lives as long as the device uses it
 * @param recs  nrecs records: one per live bounced mapping or bounced
 *              scatter-gather entry (debug builds: per checked mapping)
 * @param nrecs a power of two
 * @param flags COH_STREAM_*
 * @retval 0 success
 * @retval -COH_EINVAL NULL, nrecs not a power of two, unknown flags
 */
int coh_stream_init(struct coh_stream *s, struct coh_map_rec *recs,
		    size_t nrecs, unsigned int flags);

/**
 * @brief Mapping records in use: live bounced mappings (and, in debug
 * builds, every mapping the checker tracks), plus any being made or
 * unmapped right now.  In-place mappings of a release build keep no record
 * and are not counted.  O(records): for teardown, tests and diagnostics,
 * not fast paths.  0 for NULL.  Any context.
 */
size_t coh_stream_live(const struct coh_stream *s);

/**
 * @brief Give the stream a bounce pool: DMA-capable memory the device can
 * reach, at CPU address cpu and physical address phys.
 *
 * The memory belongs to the library from now on.  Partial granules at
 * either end are not used.  Call before the device is used.
 * @retval 0 success
 * @retval -COH_EINVAL NULL, size 0, cpu and phys not congruent modulo
 *         COH_MAX_LINE, or mappings live
 * @retval -COH_EOVERFLOW cpu+size or phys+size wraps
 * @retval -COH_ENOMEM the pool holds no whole granule
 */
int coh_stream_bounce(struct coh_stream *s, void *cpu, uint64_t phys,
		      size_t size);

/**
 * @brief Attach streaming state to a device (NULL detaches).
 * @retval 0 success
 * @retval -COH_EINVAL dev is NULL
 * @retval -COH_ERANGE the bounce pool is not reachable by the device
 * @retval -COH_EBUSY the current state still has live mappings
 */
int coh_device_set_stream(struct coh_device *dev, struct coh_stream *s);

/**
 * @brief Device teardown: report every recorded mapping still live (with
 * the file:line it was made at: bounced ones, and in debug builds all) and
 * detach the streaming state if none is.  The simulator backend also
 * reports bytes still given, in every build.
 * @retval 0 no live mapping; the stream is detached
 * @retval -COH_EBUSY mappings live (each reported); nothing changes
 * @retval -COH_EINVAL dev is NULL
 */
#define coh_device_teardown(dev) coh_device_teardown_at((dev), COH_HERE)
/** @brief coh_device_teardown() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_device_teardown_at(struct coh_device *dev,
			   const struct coh_where *where);

/**
 * @brief Map [ptr, ptr+len) for one transfer in direction dir.
 *
 * Ownership: after the call the device owns the buffer (or, when bounced,
 * its bounce slot; the CPU must still not rely on the buffer until
 * sync_for_cpu or unmap).  The buffer must be physically contiguous.
 * @return the bus address to give the device, or COH_BUS_ERROR.  Test it
 *         with coh_mapping_error() (the checker verifies that you do).
 *         Failures, reported through the diagnostic handler:
 *         NULL dev/ptr, len 0, ptr+len wraps, bad dir, no stream attached,
 *         edges shared under COH_EDGE_REFUSE, a page of the buffer not
 *         physically contiguous with the first, unreachable with no
 *         bounce pool (not retryable); a bounce needing a record or a slot
 *         when none is free (retryable: nothing was kept).  An in-place
 *         map never fails for lack of records.
 */
#define coh_map_single(dev, ptr, len, dir)                                     \
	coh_map_single_at((dev), (ptr), (len), (dir), COH_HERE)
/** @brief coh_map_single() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
coh_bus_t coh_map_single_at(struct coh_device *dev, void *ptr, size_t len,
			    enum coh_dir dir, const struct coh_where *where);

/**
 * @brief coh_map_single() with attributes.  COH_ATTR_SKIP_CPU_SYNC (the
 * page-pool pattern: map a receive buffer once, recycle it many times):
 * the map does no maintenance and the CPU keeps ownership; the driver calls
 * coh_sync_for_device() for the bytes before each use by the device and
 * coh_sync_for_cpu() after.  A bounced mapping ignores it at map (the slot
 * is the library's memory and is always prepared: filled, cleaned, given).
 * Other bits: COH_BUS_ERROR (-COH_EINVAL, reported).
 */
#define coh_map_single_attrs(dev, ptr, len, dir, attrs)                        \
	coh_map_single_attrs_at((dev), (ptr), (len), (dir), (attrs), COH_HERE)
/** @brief coh_map_single_attrs() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
coh_bus_t coh_map_single_attrs_at(struct coh_device *dev, void *ptr, size_t len,
				  enum coh_dir dir, unsigned int attrs,
				  const struct coh_where *where);

/**
 * @brief true if bus is the error sentinel.  Debug builds record that the
 * mapping's result was checked.
 */
bool coh_mapping_error(struct coh_device *dev, coh_bus_t bus);

/**
 * @brief End a mapping made by coh_map_single().
 *
 * Ownership: the CPU owns the buffer again.  FROM_DEVICE/BIDIRECTIONAL:
 * invalidated again (or copied back from the bounce slot).
 * @retval 0 success
 * @retval -COH_EINVAL bus is not a live single mapping of dev (never mapped,
 *         already unmapped, a scatter-gather entry): nothing is touched;
 *         or len/dir differ from the mapping's: the mapping is still ended,
 *         with its own length and direction (nothing leaks), and reported.
 *         Bounced mappings: every build; in place: debug builds (release
 *         builds take len and dir as given, as dma-direct), and an address
 *         that is no memory the library can translate
 * @retval others from the maintenance (-COH_ENOTSUP, -COH_EFAULT ...)
 */
#define coh_unmap_single(dev, bus, len, dir)                                   \
	coh_unmap_single_at((dev), (bus), (len), (dir), COH_HERE)
/** @brief coh_unmap_single() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_unmap_single_at(struct coh_device *dev, coh_bus_t bus, size_t len,
			enum coh_dir dir, const struct coh_where *where);

/**
 * @brief coh_map_single() whose maintenance joins a batch
 * (coherent/fence.h, struct coh_batch): the lines are cleaned (TO_DEVICE)
 * or cleaned and invalidated (the others) now, bounced data copied now,
 * and the barrier that completes them is the batch's - coh_batch_end() or
 * the coh_queue_publish_batch() that publishes the request naming the
 * buffer.  Ownership: the device's once that barrier has passed; give the
 * device the address only after it.  Errors as coh_map_single()
 * (COH_BUS_ERROR; nothing mapped, the batch unchanged), and also when b is
 * NULL, of another device, or holds a failure.  Interrupt context: as
 * coh_map_single().
 */
#define coh_map_single_batch(b, dev, ptr, len, dir)                            \
	coh_map_single_batch_at((b), (dev), (ptr), (len), (dir), COH_HERE)
/** @brief coh_map_single_batch() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
coh_bus_t coh_map_single_batch_at(struct coh_batch *b, struct coh_device *dev,
				  void *ptr, size_t len, enum coh_dir dir,
				  const struct coh_where *where);

/**
 * @brief coh_unmap_single() whose invalidate (FROM_DEVICE, BIDIRECTIONAL,
 * in place) joins a batch: the CPU may read the buffer once the batch's
 * barrier has passed (coh_batch_end()).  A bounced mapping is copied back
 * inside this call, after an invalidate with its own barrier (the copy
 * needs it complete).  Ownership: the CPU's, readable after the barrier.
 * @retval 0 success
 * @retval -COH_EINVAL b NULL or of another device: unmapped all the same,
 *         with a barrier of its own
 * @retval the batch's failure: unmapped all the same, its own barrier
 * @retval others as coh_unmap_single()
 * Interrupt context: as coh_unmap_single().
 */
#define coh_unmap_single_batch(b, dev, bus, len, dir)                          \
	coh_unmap_single_batch_at((b), (dev), (bus), (len), (dir), COH_HERE)
/** @brief coh_unmap_single_batch() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_unmap_single_batch_at(struct coh_batch *b, struct coh_device *dev,
			      coh_bus_t bus, size_t len, enum coh_dir dir,
			      const struct coh_where *where);

/**
 * @brief coh_unmap_single() with attributes.  COH_ATTR_SKIP_CPU_SYNC: no
 * invalidate and, when bounced, no copy back: the driver already synced
 * what it reads with coh_sync_for_cpu().  The ownership still returns to
 * the CPU.  Other bits: -COH_EINVAL, the mapping stays.
 */
#define coh_unmap_single_attrs(dev, bus, len, dir, attrs)                      \
	coh_unmap_single_attrs_at((dev), (bus), (len), (dir), (attrs), COH_HERE)
/** @brief coh_unmap_single_attrs() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_unmap_single_attrs_at(struct coh_device *dev, coh_bus_t bus, size_t len,
			      enum coh_dir dir, unsigned int attrs,
			      const struct coh_where *where);

/**
 * @brief Take bytes [off, off+len) of a live mapping back for the CPU.
 *
 * Ownership: the CPU owns those bytes until coh_sync_for_device().
 * FROM_DEVICE/BIDIRECTIONAL: invalidate (bounced: copy those bytes back).
 * TO_DEVICE: nothing to do (the ownership change is still recorded).
 * @retval 0 success
 * @retval -COH_EINVAL not a live mapping of dev, or dir is not the
 *         mapping's direction: nothing done (in place: debug builds; a
 *         release build only refuses an address it cannot translate)
 * @retval -COH_ERANGE [off, off+len) is not inside the mapping, or wraps:
 *         nothing done (in place: debug builds, except the wrap)
 */
#define coh_sync_for_cpu(dev, bus, off, len, dir)                              \
	coh_sync_for_cpu_at((dev), (bus), (off), (len), (dir), COH_HERE)
/** @brief coh_sync_for_cpu() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_sync_for_cpu_at(struct coh_device *dev, coh_bus_t bus, size_t off,
			size_t len, enum coh_dir dir,
			const struct coh_where *where);

/**
 * @brief Give bytes [off, off+len) of a live mapping back to the device.
 *
 * Ownership: the device owns them again.  TO_DEVICE/BIDIRECTIONAL: the CPU's
 * writes are made visible (bounced: copied to the slot); FROM_DEVICE: clean
 * and invalidate as at map.
 * @retval as coh_sync_for_cpu().
 */
#define coh_sync_for_device(dev, bus, off, len, dir)                           \
	coh_sync_for_device_at((dev), (bus), (off), (len), (dir), COH_HERE)
/** @brief coh_sync_for_device() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_sync_for_device_at(struct coh_device *dev, coh_bus_t bus, size_t off,
			   size_t len, enum coh_dir dir,
			   const struct coh_where *where);

/**
 * @brief coh_sync_for_cpu() whose invalidate (FROM_DEVICE, BIDIRECTIONAL,
 * mapped in place) joins a batch: a burst of received frames is made
 * readable under one barrier, coh_batch_end()'s; read none of the bytes
 * before it.  A bounced mapping is copied back inside this call, after an
 * invalidate with its own barrier.  Ownership: the CPU's once the barrier
 * has passed.
 * @retval 0 success
 * @retval -COH_EINVAL b NULL or of another device; the batch's failure;
 *         others as coh_sync_for_cpu() (nothing done)
 * Interrupt context: as coh_sync_for_cpu().
 */
#define coh_sync_for_cpu_batch(b, dev, bus, off, len, dir)                     \
	coh_sync_for_cpu_batch_at((b), (dev), (bus), (off), (len), (dir), COH_HERE)
/** @brief coh_sync_for_cpu_batch() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_sync_for_cpu_batch_at(struct coh_batch *b, struct coh_device *dev,
			      coh_bus_t bus, size_t off, size_t len,
			      enum coh_dir dir, const struct coh_where *where);

/**
 * @brief coh_sync_for_device() whose line operations join a batch
 * (coherent/fence.h): a receive refill of many long-lived mappings, each
 * given back only for the bytes the CPU took (coh_sync_for_cpu), costs
 * their lines and the one barrier of the batch - or of the
 * coh_queue_publish_batch() that posts them.  Bounced data is copied now.
 * Ownership: the device's once that barrier has passed.
 * @retval 0 success
 * @retval -COH_EINVAL b NULL or of another device; the batch's failure;
 *         others as coh_sync_for_device() (nothing done)
 * Interrupt context: as coh_sync_for_device().
 */
#define coh_sync_for_device_batch(b, dev, bus, off, len, dir)                  \
	coh_sync_for_device_batch_at((b), (dev), (bus), (off), (len), (dir), COH_HERE)
/** @brief coh_sync_for_device_batch() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_sync_for_device_batch_at(struct coh_batch *b, struct coh_device *dev,
				 coh_bus_t bus, size_t off, size_t len,
				 enum coh_dir dir, const struct coh_where *where);

/**
 * A scatter-gather entry.  The caller fills ptr/len; coh_map_sg() fills
 * bus/bus_len of the first n entries with the n segments to give the device
 * (physically contiguous entries merged) and ent_bus of every entry.
 */
struct coh_sg {
	void *ptr;		/**< in: the buffer */
	size_t len;		/**< in: its length */
	coh_bus_t bus;		/**< out: segment address (first n entries) */
	size_t bus_len;		/**< out: segment length; 0 beyond n */
	coh_bus_t ent_bus;	/**< out, private: this entry's own address */
};

/**
 * @brief Map a scatter-gather list.
 *
 * Each entry is mapped (or bounced) as by coh_map_single(); entries whose
 * bus addresses are contiguous are merged into one segment as long as the
 * result stays within dev->max_seg_size and does not cross a
 * (dev->seg_boundary_mask + 1) boundary.  An entry that alone breaks those
 * limits is refused (and reported); coh_map_sg_attrs() with
 * COH_MAP_SG_SPLIT cuts it instead.
 * Ownership: every entry belongs to the device after the call.
 * @return the number of segments (1..nents), or a negative code with
 *         nothing mapped:
 * @retval -COH_EINVAL NULL, nents <= 0, a zero-length or NULL entry, bad dir,
 *         an entry beyond max_seg_size or crossing a boundary, no stream
 * @retval -COH_ENOMEM records or bounce pool exhausted (retryable)
 * @retval -COH_EOVERFLOW an entry wraps the address space
 */
#define coh_map_sg(dev, sg, nents, dir)                                        \
	coh_map_sg_at((dev), (sg), (nents), (dir), COH_HERE)
/** @brief coh_map_sg() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_map_sg_at(struct coh_device *dev, struct coh_sg *sg, int nents,
		  enum coh_dir dir, const struct coh_where *where);

/** coh_map_sg_attrs() attribute: cut entries at the limits instead of refusing them. */
#define COH_MAP_SG_SPLIT (1u << 16)

/**
 * @brief coh_map_sg() with attributes.  COH_MAP_SG_SPLIT: an entry beyond
 * dev->max_seg_size or crossing a (dev->seg_boundary_mask + 1) boundary is
 * cut into segments at those limits (and merged with its neighbours where
 * they allow), instead of refused; entries with ptr NULL and len 0 are not
 * mapped but give the segments room (spare slots: a list of n buffers and
 * m spare entries yields up to n + m segments; coh_unmap_sg() and the
 * syncs skip them).  Ownership and context as coh_map_sg().
 * @return the number of segments, or a negative code with nothing mapped:
 * @retval -COH_ERANGE the segments do not fit the nents entries (add spare
 *         entries); errors of coh_map_sg() otherwise; unknown attribute
 *         bits: -COH_EINVAL
 */
#define coh_map_sg_attrs(dev, sg, nents, dir, attrs)                           \
	coh_map_sg_attrs_at((dev), (sg), (nents), (dir), (attrs), COH_HERE)
/** @brief coh_map_sg_attrs() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_map_sg_attrs_at(struct coh_device *dev, struct coh_sg *sg, int nents,
			enum coh_dir dir, unsigned int attrs,
			const struct coh_where *where);

/**
 * @brief Unmap a list mapped by coh_map_sg(): same sg, same nents (the
 * count passed to map, not the count returned), same dir.  Ownership: every
 * entry is the CPU's again.
 * @retval 0 success
 * @retval -COH_EINVAL an entry was not mapped or differs from its mapping
 *         (the other entries are still unmapped)
 */
#define coh_unmap_sg(dev, sg, nents, dir)                                      \
	coh_unmap_sg_at((dev), (sg), (nents), (dir), COH_HERE)
/** @brief coh_unmap_sg() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_unmap_sg_at(struct coh_device *dev, struct coh_sg *sg, int nents,
		    enum coh_dir dir, const struct coh_where *where);

/** @brief coh_sync_for_cpu() on every entry of a mapped list.  Ownership: each entry the CPU's. */
#define coh_sync_sg_for_cpu(dev, sg, nents, dir)                               \
	coh_sync_sg_for_cpu_at((dev), (sg), (nents), (dir), COH_HERE)
/** @brief coh_sync_sg_for_cpu() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_sync_sg_for_cpu_at(struct coh_device *dev, struct coh_sg *sg,
			   int nents, enum coh_dir dir,
			   const struct coh_where *where);

/** @brief coh_sync_for_device() on every entry of a mapped list.  Ownership: each entry the device's. */
#define coh_sync_sg_for_device(dev, sg, nents, dir)                            \
	coh_sync_sg_for_device_at((dev), (sg), (nents), (dir), COH_HERE)
/** @brief coh_sync_sg_for_device() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_sync_sg_for_device_at(struct coh_device *dev, struct coh_sg *sg,
			      int nents, enum coh_dir dir,
			      const struct coh_where *where);

/**
 * @brief Map peer MMIO (another device's BAR, a doorbell page) for dev:
 * Linux's dma_map_resource.  The bus address is phys plus the device's
 * offset; MMIO is never cached nor bounced, so there is no maintenance, no
 * record and no ownership change.  Needs no stream.  Any context.
 * @return the bus address, or COH_BUS_ERROR (reported): dev NULL, len 0,
 *         bad dir, the range wraps, or it is beyond the device's DMA mask
 */
#define coh_map_resource(dev, phys, len, dir)                                  \
	coh_map_resource_at((dev), (phys), (len), (dir), COH_HERE)
/** @brief coh_map_resource() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
coh_bus_t coh_map_resource_at(struct coh_device *dev, uint64_t phys, size_t len,
			      enum coh_dir dir, const struct coh_where *where);

/**
 * @brief End a coh_map_resource() mapping (nothing to undo; the arguments
 * are checked).  No ownership change; any context.
 * @retval 0 success
 * @retval -COH_EINVAL dev NULL, len 0, bad dir, or an address
 *         coh_map_resource() cannot have given dev
 */
#define coh_unmap_resource(dev, bus, len, dir)                                 \
	coh_unmap_resource_at((dev), (bus), (len), (dir), COH_HERE)
/** @brief coh_unmap_resource() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_unmap_resource_at(struct coh_device *dev, coh_bus_t bus, size_t len,
			  enum coh_dir dir, const struct coh_where *where);

/* ---- segments: the pieces a descriptor table is built from ---- */

/**
 * Iterator over the bus ranges of a mapped scatter-gather list (or of one
 * mapping), cut into pieces no longer than max_len that cross neither a
 * multiple of page nor a multiple of boundary: one piece per NVMe PRP entry
 * (page = the controller's memory page size), per SDHCI ADMA2 or sunxi
 * IDMAC descriptor (max_len = the descriptor's length limit, boundary =
 * the engine's no-cross boundary).  Library-private members; the caller
 * owns the storage (it holds no reference but to the list).
 */
struct coh_seg_iter {
	const struct coh_sg *sg;	/**< private: the list, NULL for one range */
	int n;				/**< private: segments in the list */
	int i;				/**< private: the next one */
	coh_bus_t bus;			/**< private: the rest of the current segment */
	size_t left;			/**< private: its length */
	uint64_t page;			/**< private: cut at its multiples (0: none) */
	uint64_t boundary;		/**< private: cut at its multiples (0: none) */
	size_t max_len;			/**< private: longest piece (0: no limit) */
};

/**
 * @brief Iterate over the nsegs segments coh_map_sg() returned for sg.
 *
 * Pure arithmetic on the bus addresses: no maintenance, no ownership
 * change, any context.
 * @param page     pieces never cross a multiple of it (power of two, 0: no limit)
 * @param boundary pieces never cross a multiple of it (power of two, 0: no limit)
 * @param max_len  longest piece (0: no limit)
 * @retval 0 success
 * @retval -COH_EINVAL it NULL, sg NULL with nsegs > 0, nsegs < 0, page or
 *         boundary not a power of two: *it is left unusable (no piece)
 */
int coh_seg_iter_init(struct coh_seg_iter *it, const struct coh_sg *sg,
		      int nsegs, uint64_t page, uint64_t boundary,
		      size_t max_len);

/**
 * @brief As coh_seg_iter_init(), over the one range [bus, bus+len) (what
 * coh_map_single() returned).  Same errors (len 0 is an empty range).
 */
int coh_seg_iter_init_one(struct coh_seg_iter *it, coh_bus_t bus, size_t len,
			  uint64_t page, uint64_t boundary, size_t max_len);

/**
 * @brief The next piece: true and *bus, *len set, or false when none is
 * left (and for an iterator whose init failed).  Any context.
 */
bool coh_seg_next(struct coh_seg_iter *it, coh_bus_t *bus, size_t *len);

/**
 * @brief Pieces still to come (the iterator is not advanced): the entry
 * count of the table before it is built.  Any context; never fails.
 */
size_t coh_seg_iter_count(const struct coh_seg_iter *it);

/** @brief Name of a direction ("TO_DEVICE"), for messages; "?" for an unknown one (never fails, any context). */
const char *coh_dir_name(int dir);

#endif /* COHERENT_STREAM_H */
