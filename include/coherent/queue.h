/* SPDX-License-Identifier: MIT */
/**
 * @file
 * coherent/queue.h - an index-published queue: the producer writes
 * entries, makes them visible, then publishes an index saying how many
 * there are; the consumer reads the index, orders, then reads the entries.
 * VirtIO split rings (the available ring: the driver produces; the used
 * ring: the device produces, the driver consumes; 16-bit free-running
 * indices) and NVMe submission queues (entries in memory, the index in a
 * doorbell register) are built on it.  The library does the barriers and
 * the maintenance; the driver writes no barrier of its own.
 *
 * Memory: one coherent allocation per queue, laid out by struct
 * coh_queue_layout (entries at entries_off, the index at idx_off, room for
 * trailing fields such as VirtIO's event indices up to size).  Only one
 * side writes a queue's memory: the CPU for COH_QUEUE_CPU_PRODUCES, the
 * device for COH_QUEUE_DEVICE_PRODUCES; the consumer side invalidates the
 * lines it reads and never flushes them.
 *
 * Indices count entries, modulo idx_wrap (VirtIO: 65536, free-running;
 * NVMe: the queue size); entry i lives in slot i % count.  Everything the
 * device writes is untrusted: an index further ahead than the queue holds
 * is refused with -COH_EPROTO and changes nothing.  Entry contents (a
 * VirtIO used id) are the driver's to validate.
 *
 * Per publish (cached memory of a non-coherent device): the lines of the
 * new entries (and of a table published with it) cleaned, one barrier, the
 * index's line cleaned, one barrier; uncached or coherent: one dma_wmb.
 * Per poll with new entries: the index's line invalidated, one barrier, a
 * dma_rmb, the new entries' other lines invalidated, one barrier;
 * uncached or coherent: one dma_rmb.
 *
 * Concurrency: one producer and one consumer context, or external
 * locking.  No call takes a lock or allocates except create and destroy;
 * every other call may run in interrupt context.
 */
#ifndef COHERENT_QUEUE_H
#define COHERENT_QUEUE_H

#include "coherent/mem.h"

#define COH_QUEUE_IDX_NONE ((size_t)-1) /**< the index goes to a doorbell, not memory */

/** Who writes the entries and the index. */
enum coh_queue_role {
	COH_QUEUE_CPU_PRODUCES = 1,	/**< VirtIO available ring, descriptor table; NVMe SQ */
	COH_QUEUE_DEVICE_PRODUCES = 2,	/**< VirtIO used ring */
};

/** Where a queue's entries and index live in its memory (the caller's description). */
struct coh_queue_layout {
	size_t count;		/**< entries */
	size_t entry_size;	/**< bytes of one entry */
	size_t entries_off;	/**< offset of entry 0 in the queue's memory */
	size_t idx_off;		/**< offset of the published index, or COH_QUEUE_IDX_NONE */
	size_t idx_size;	/**< 2 or 4 bytes (native byte order) */
	uint32_t idx_wrap;	/**< indices count modulo this (0: 2^32); a multiple of count */
	size_t size;		/**< bytes to allocate; 0: up to the end of entries and index */
};

/** An index-published queue (coh_queue_create()).  Contents are the library's: use the calls. */
struct coh_queue {
	struct coh_mem mem;		/**< the queue's memory (shared) */
	struct coh_queue_layout l;	/**< its layout */
	int role;		/**< enum coh_queue_role */
	uint32_t prod;		/**< entries written (producer) */
	uint32_t pub;		/**< index published (producer) or seen (consumer) */
	uint32_t cons;		/**< entries consumed: by the device (producer), popped (consumer) */
	size_t dlo;		/**< first slot written by coh_queue_write, not yet released */
	size_t dhi;		/**< end of those slots */
	size_t line;		/**< 0: no maintenance */
};

/**
 * @brief Allocate a zeroed queue shared with dev.  Not in interrupt context.
 * @retval 0 success
 * @retval -COH_EINVAL NULL arguments, an unknown role, count or entry_size
 *         0, idx_size not 2 or 4, idx_wrap not a multiple of count (or
 *         above what idx_size holds), the index overlapping the entries or
 *         misaligned, size smaller than entries and index need
 * @retval -COH_EOVERFLOW count x entry_size overflows
 * @retval -COH_ERANGE, -COH_ENOMEM as coherent allocation
 */
#define coh_queue_create(q, dev, layout, role, attrs)                          \
	coh_queue_create_at((q), (dev), (layout), (role), (attrs), COH_HERE)
/** @brief coh_queue_create() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_queue_create_at(struct coh_queue *q, struct coh_device *dev,
			const struct coh_queue_layout *layout, int role,
			unsigned int attrs, const struct coh_where *where);

/**
 * @brief Free the queue (the device must be stopped; ownership: its memory
 * returns to its region).  Not in interrupt
 * context.  @retval 0; -COH_EINVAL not a queue; as coh_free().
 */
#define coh_queue_destroy(q) coh_queue_destroy_at((q), COH_HERE)
/** @brief coh_queue_destroy() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_queue_destroy_at(struct coh_queue *q, const struct coh_where *where);

/**
 * @brief Producer: write the next entry (slot prod % count), not yet
 * visible to the device (coh_queue_publish()).
 * @return the slot; -COH_EAGAIN full (count entries the device has not
 *         consumed: coh_queue_consumed()); -COH_EINVAL NULL arguments or a
 *         consumer queue.
 */
#define coh_queue_push(q, entry) coh_queue_push_at((q), (entry), COH_HERE)
/** @brief coh_queue_push() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_queue_push_at(struct coh_queue *q, const void *entry,
		      const struct coh_where *where);

/**
 * @brief Producer: write any slot (a VirtIO descriptor table, filled from
 * a free list), released at the next publish of this queue or of a queue
 * published with it.  The release covers the slots from the lowest to the
 * highest written since.
 * @retval 0; -COH_ERANGE slot >= count; -COH_EINVAL as coh_queue_push().
 */
#define coh_queue_write(q, slot, entry) coh_queue_write_at((q), (slot), (entry), COH_HERE)
/** @brief coh_queue_write() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_queue_write_at(struct coh_queue *q, size_t slot, const void *entry,
		       const struct coh_where *where);

/**
 * @brief Producer: make the pushed (and written) entries visible, and those
 * of `with` (NULL, or a CPU-produced queue of the same device, e.g. the
 * descriptor table a VirtIO available ring points into) under the same
 * barrier, then store the index (when it lives in memory) and make it
 * visible.  *idx (may be NULL) receives the index published: the value a
 * doorbell takes (NVMe SQ tail).  Ordering: the driver's doorbell, an
 * ordered coh_mmio_write32(), cannot overtake it.
 * @retval 0; -COH_EINVAL NULL queue, consumer queue, `with` of another
 *         device or a consumer; a maintenance error (-COH_ENOTSUP,
 *         -COH_ENODEV, -COH_EFAULT), checked first: nothing published.
 */
#define coh_queue_publish(q, with, idx) coh_queue_publish_at((q), (with), (idx), COH_HERE)
/** @brief coh_queue_publish() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_queue_publish_at(struct coh_queue *q, struct coh_queue *with,
			 uint32_t *idx, const struct coh_where *where);

/**
 * @brief coh_queue_publish() that also completes a driver's batch
 * (coherent/fence.h, struct coh_batch): the pieces the request names (a
 * VirtIO header, status sentinel, indirect table written with
 * coh_put_batch()/coh_write_batch()) become visible under the same
 * barrier as the descriptors and entries, before the index.  A request
 * then costs two barriers however many allocations it spans.  The batch
 * is empty afterwards.
 * Ownership: as coh_queue_publish().  Interrupt context: as coh_queue_publish().
 * @retval 0 success
 * @retval -COH_EINVAL b NULL or of another device; others as coh_queue_publish()
 * @retval the batch's first failure: a piece was not written or not
 *         cleaned; nothing is published (the entries stay pushed: publish
 *         again after writing the piece, or reset the queue)
 */
#define coh_queue_publish_batch(q, with, b, idx)                               \
	coh_queue_publish_batch_at((q), (with), (b), (idx), COH_HERE)
/** @brief coh_queue_publish_batch() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_queue_publish_batch_at(struct coh_queue *q, struct coh_queue *with,
			       struct coh_batch *b, uint32_t *idx,
			       const struct coh_where *where);

/**
 * @brief Producer: the device has consumed entries up to index idx (NVMe:
 * a completion's SQ head; VirtIO: the used ring's consumer index), so
 * their slots may be pushed again.
 * @retval 0; -COH_EPROTO idx is outside what was published (hostile or
 *         broken device: nothing changed); -COH_EINVAL NULL, consumer queue
 *         (both reported with the caller's file:line).
 * Interrupt context: yes.
 */
#define coh_queue_consumed(q, idx) coh_queue_consumed_at((q), (idx), COH_HERE)
/** @brief coh_queue_consumed() as a function (no call site in reports); same errors and context. */
int (coh_queue_consumed)(struct coh_queue *q, uint32_t idx);
/** @brief coh_queue_consumed() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_queue_consumed_at(struct coh_queue *q, uint32_t idx, const struct coh_where *where);

/**
 * @brief Consumer: read the device's index; acquire the new entries.
 * @return entries ready to pop (0 or more); -COH_EPROTO the index is more
 *         than count entries ahead of the last pop, or behind the last
 *         poll (nothing changed); -COH_EINVAL NULL or
 *         a producer queue; a maintenance error (nothing changed).
 */
#define coh_queue_poll(q) coh_queue_poll_at((q), COH_HERE)
/** @brief coh_queue_poll() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_queue_poll_at(struct coh_queue *q, const struct coh_where *where);

/**
 * @brief Consumer: copy out the oldest entry seen by coh_queue_poll().
 * No maintenance (the poll did it).
 * @return its slot; -COH_EAGAIN none; -COH_EINVAL NULL or producer queue.
 */
#define coh_queue_pop(q, entry) coh_queue_pop_at((q), (entry), COH_HERE)
/** @brief coh_queue_pop() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_queue_pop_at(struct coh_queue *q, void *entry,
		     const struct coh_where *where);

/**
 * @brief Producer: write a field of the queue's memory outside the entries
 * and the index (VirtIO: used_event after the available ring), made
 * visible at once; ends with a full barrier, so the write is ordered
 * before later loads too (VirtIO: write used_event, then poll the used
 * ring again, or an interrupt may be missed).  Interrupt context: yes.
 * @retval 0; -COH_EINVAL NULL, consumer queue, size not 2 or 4, off not a
 *         multiple of size; -COH_ERANGE the field is outside size or
 *         overlaps the entries or the index; a maintenance error.
 */
#define coh_queue_field_write(q, off, size, v)                                 \
	coh_queue_field_write_at((q), (off), (size), (v), COH_HERE)
/** @brief coh_queue_field_write() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_queue_field_write_at(struct coh_queue *q, size_t off, size_t size,
			     uint32_t v, const struct coh_where *where);

/**
 * @brief Consumer: read a field the device writes outside the entries and
 * the index (VirtIO: avail_event after the used ring), acquired first.
 * Errors as coh_queue_field_write() (a producer queue: -COH_EINVAL).
 * Untrusted: the value is the device's.  Interrupt context: yes.
 */
#define coh_queue_field_read(q, off, size, v)                                  \
	coh_queue_field_read_at((q), (off), (size), (v), COH_HERE)
/** @brief coh_queue_field_read() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_queue_field_read_at(struct coh_queue *q, size_t off, size_t size,
			    uint32_t *v, const struct coh_where *where);

/** @brief Bus address of the queue's memory (program it into the device). */
static inline coh_bus_t coh_queue_bus(const struct coh_queue *q)
{
	return q->mem.bus;
}

/** @brief Bus address of entry 0 (NVMe: the SQ base). */
static inline coh_bus_t coh_queue_entries_bus(const struct coh_queue *q)
{
	return q->mem.bus + q->l.entries_off;
}

/** @brief Producer: entries written; consumer: entries popped (an index). */
static inline uint32_t coh_queue_index(const struct coh_queue *q)
{
	return q->role == COH_QUEUE_CPU_PRODUCES ? q->prod : q->cons;
}

/**
 * @brief Producer: entries that can be pushed now.  When the index wraps
 * at count (NVMe), a full queue would look empty: it holds count - 1.
 */
static inline size_t coh_queue_space(const struct coh_queue *q)
{
	uint64_t w = q->l.idx_wrap ? q->l.idx_wrap : (uint64_t)1 << 32;

	return q->l.count - (w == q->l.count) -
	       (size_t)(((uint64_t)q->prod + w - q->cons) % w);
}

/**
 * @brief Consumer: entries the last coh_queue_poll() saw and coh_queue_pop()
 * has not taken yet.  No memory access, no maintenance: a consumer drains
 * what one poll found (a burst of completions) without reading the index
 * again.  Interrupt context: yes.
 */
static inline uint32_t coh_queue_ready(const struct coh_queue *q)
{
	uint64_t w = q->l.idx_wrap ? q->l.idx_wrap : (uint64_t)1 << 32;

	return q->role == COH_QUEUE_DEVICE_PRODUCES
		       ? (uint32_t)(((uint64_t)q->pub + w - q->cons) % w) : 0;
}

#endif /* COHERENT_QUEUE_H */
