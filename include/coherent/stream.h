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
 * whole cache lines.  Bounce slots never show the device other data: the
 * bytes of a slot's lines outside the buffer are zeroed, and a FROM_DEVICE
 * slot is zeroed rather than left holding an earlier mapping's bytes (so
 * bytes the device does not write read back as zero).  Copies go only in
 * the transfer's direction and cover only the bytes synced.  Every bounce
 * is counted in dev->stats (bounces, bounce_bytes).
 *
 * Bookkeeping: no allocation.  Each device using streaming DMA has a
 * struct coh_stream attached (coh_device_set_stream()), which holds a
 * caller-provided array of mapping records (one per live mapping or
 * scatter-gather entry) and, optionally, the bounce pool.  Unmap and sync
 * find the CPU buffer and bounce slot from the record; an address that was
 * never mapped is refused, so the library never touches memory it was not
 * given.
 *
 * Checker (debug builds, COH_DEBUG): each misuse below is reported through
 * the diagnostic handler, names both sides and the mapping's file:line, and
 * is counted in dev->stats.reports; see docs/streaming.md for the list.
 * The simulator backend additionally sees CPU accesses to device-owned
 * buffers, because every call here passes ownership (COH_OP_GIVE/TAKE) for
 * exactly the bytes the device owns: the buffer, or its bounce slot.
 *
 * Concurrency: map, sync and unmap may run on any number of threads for one
 * device.  The records are lock-free (each is claimed and released with one
 * compare-and-swap on its state word; sync only reads); the bounce pool is
 * protected by the stream's lock word (coherent/lock.h), taken only by
 * mappings that bounce.  Maintenance and copies run outside any lock.
 * Two calls on the *same* mapping must not race (as with Linux): a sync
 * or unmap that races the unmap of its own mapping finds no record and
 * fails with -COH_EINVAL, it never touches another mapping's memory.
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
	size_t b_free;			/**< free granules */
	size_t b_hint;			/**< where the next search starts */
	uint64_t b_used[COH_BOUNCE_MAX_GRANULES / 64];	/**< granules in use */
	int lock;			/**< the pool's lock word (coherent/lock.h) */
};

/**
 * @brief Prepare streaming state over caller-provided mapping records.
 *
 * @param s     caller-owned, lives as long as the device uses it
 * @param recs  nrecs records; the device can have at most nrecs live
 *              mappings (each scatter-gather entry takes one)
 * @param nrecs a power of two
 * @param flags COH_STREAM_*
 * @retval 0 success
 * @retval -COH_EINVAL NULL, nrecs not a power of two, unknown flags
 */
int coh_stream_init(struct coh_stream *s, struct coh_map_rec *recs,
		    size_t nrecs, unsigned int flags);

/**
 * @brief Mapping records in use (live mappings and scatter-gather entries,
 * plus any being made or unmapped right now).  O(records): for teardown,
 * tests and diagnostics, not fast paths.  0 for NULL.
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
 * @brief Device teardown: report every mapping still live (with the
 * file:line it was made at) and detach the streaming state if none is.
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
 *         edges shared under COH_EDGE_REFUSE, buffer not physically
 *         contiguous, unreachable with no bounce pool (not retryable);
 *         records or bounce pool exhausted (retryable: nothing was kept).
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
 *         with its own length and direction (nothing leaks), and reported
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
 *         mapping's direction: nothing done
 * @retval -COH_ERANGE [off, off+len) is not inside the mapping: nothing done
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
 * limits is refused (and reported).
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
