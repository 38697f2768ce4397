/* SPDX-License-Identifier: MIT */
/**
 * @file
 * coherent/ring.h - a descriptor ring with an ownership flag, the structure
 * every DMA NIC and many storage controllers repeat by hand.
 *
 * Protocol, done by the library:
 *   post (CPU -> device): write every field except the owner word, order
 *     them (release the lines that do not hold the owner word; in uncached
 *     or coherent memory a dma_wmb), write the owner word with the OWN bit
 *     set last, release its line.  Then the driver rings its doorbell with
 *     an ordered coh_mmio_write32(), which cannot overtake the release.
 *   reap (device -> CPU): acquire the owner word's line, read it; if the
 *     device still owns the slot, stop; else order (dma_rmb), acquire the
 *     other lines, copy the fields out.
 *
 * Layout: in cached memory of a non-coherent device each descriptor gets
 * its own cache line(s) (stride rounded to COH_MAX_LINE), so maintaining
 * one never touches a neighbour the device may be writing.  In uncached
 * memory or for a coherent device descriptors are packed (stride = size
 * rounded to its alignment), as the hardware's ring-mode expects; a device
 * that needs packed descriptors in cached memory (no skip-length field)
 * must be given uncached memory (COH_ATTR_UNCACHED).
 *
 * The ring trusts nothing the device writes beyond the owner bit of slots
 * it posted: reaping an unposted slot is impossible, and field contents
 * are the driver's to validate.
 *
 * Concurrency: one producer and one consumer context, or external locking.
 */
#ifndef COHERENT_RING_H
#define COHERENT_RING_H

#include "coherent/mem.h"

/** A descriptor ring with an owner bit (coh_ring_create()).  Contents are the library's: use the calls. */
struct coh_ring {
	struct coh_mem mem;		/**< the descriptors (shared) */
	size_t count;			/**< descriptors */
	size_t desc_size;		/**< bytes of one descriptor */
	size_t stride;			/**< bytes between descriptors */
	size_t own_off;			/**< offset of the 32-bit owner word */
	uint32_t own_bit;		/**< set: the device owns the slot */
	size_t head;			/**< next slot to post */
	size_t tail;			/**< next slot to reap */
	size_t pending;			/**< posted, not yet reaped */
};

/**
 * @brief Create a ring of `count` descriptors of type T whose 32-bit
 * member `own_field` holds the owner bit `own_bit`.  Descriptor size and
 * the owner word's type and alignment are checked at compile time.
 * @retval 0 success
 * @retval -COH_EINVAL count 0, own_bit 0, or attrs unknown
 * @retval -COH_ERANGE, -COH_ENOMEM, -COH_EOVERFLOW as coherent allocation
 */
#define coh_ring_create(r, dev, count, T, own_field, own_bit, attrs)           \
	({                                                                     \
		_Static_assert(sizeof(T) % 4 == 0 && sizeof(T) <= 4096,        \
			       "descriptor size must be a multiple of 4, <= 4096"); \
		_Static_assert(sizeof(((T *)0)->own_field) == 4,               \
			       "owner word must be 32 bits");                  \
		_Static_assert(__builtin_offsetof(T, own_field) % 4 == 0,      \
			       "owner word must be 4-byte aligned");           \
		coh_ring_create_at((r), (dev), (count), sizeof(T), _Alignof(T), \
				   __builtin_offsetof(T, own_field), (own_bit), \
				   (attrs), COH_HERE);                         \
	})
/** @brief coh_ring_create() with the descriptor layout and call site explicit; same errors. */
int coh_ring_create_at(struct coh_ring *r, struct coh_device *dev, size_t count,
		       size_t size, size_t align, size_t own_off,
		       uint32_t own_bit, unsigned int attrs,
		       const struct coh_where *where);

/**
 * @brief Post a descriptor image (owner bit in it ignored; the ring sets it).
 * Ownership: slot -> device.
 * @return the slot index, or -COH_EAGAIN when the ring is full, or
 *         -COH_EINVAL for a NULL ring or descriptor or a ring not created
 *         (reported with the caller's file:line).
 *
 * All `count` slots may be posted.  A device that tells a full ring from an
 * empty one only by its head and tail indices (head == tail: idle) must be
 * given at most count - 1: post only while coh_ring_space(r) > 1.
 */
#define coh_ring_post(r, desc) coh_ring_post_at((r), (desc), COH_HERE)
/** @brief coh_ring_post() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_ring_post_at(struct coh_ring *r, const void *desc,
		     const struct coh_where *where);

/**
 * @brief Reap the oldest posted slot if the device gave it back: copies the
 * descriptor into *desc.  Ownership: slot -> CPU.
 * @return the slot index, or -COH_EAGAIN if nothing is pending or the
 *         device still owns the oldest slot, or -COH_EINVAL for a NULL ring
 *         or descriptor or a ring not created (reported with file:line).
 */
#define coh_ring_reap(r, desc) coh_ring_reap_at((r), (desc), COH_HERE)
/** @brief coh_ring_reap() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_ring_reap_at(struct coh_ring *r, void *desc,
		     const struct coh_where *where);

/** @brief Bus address of slot i (for base / tail pointer registers). */
static inline coh_bus_t coh_ring_bus(const struct coh_ring *r, size_t i)
{
	return r->mem.bus + (coh_bus_t)(i % r->count) * r->stride;
}

/** @brief Slots in the ring (program the device's ring-size register). */
static inline size_t coh_ring_count(const struct coh_ring *r)
{
	return r->count;
}

/** @brief Bytes from one descriptor to the next (descriptor skip / stride). */
static inline size_t coh_ring_stride(const struct coh_ring *r)
{
	return r->stride;
}

/**
 * @brief The slot the next coh_ring_post() fills: after posting, the value
 * a tail-pointer doorbell takes ("first slot the device must not fetch").
 */
static inline size_t coh_ring_next(const struct coh_ring *r)
{
	return r->head;
}

/** @brief Slots posted and not yet reaped. */
static inline size_t coh_ring_pending(const struct coh_ring *r)
{
	return r->pending;
}

/** @brief Slots free for coh_ring_post(). */
static inline size_t coh_ring_space(const struct coh_ring *r)
{
	return r->count - r->pending;
}

/**
 * @brief Take every posted slot back after the device was stopped or reset
 * (its DMA engine halted, so it no longer reads or writes the ring).  The
 * owner bits are cleared and released; the ring is empty, head = tail = 0,
 * matching a device whose ring registers were reprogrammed.
 * Ownership: all slots -> CPU.
 * @retval 0; -COH_EINVAL for a ring not created.
 */
int coh_ring_reset(struct coh_ring *r);

/**
 * @brief Free the ring.
 * @retval 0; -COH_EBUSY while the device owns posted slots (reported,
 *         nothing freed: stop the device and reap first).
 */
#define coh_ring_destroy(r) coh_ring_destroy_at((r), COH_HERE)
/** @brief coh_ring_destroy() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_ring_destroy_at(struct coh_ring *r, const struct coh_where *where);

#endif /* COHERENT_RING_H */
