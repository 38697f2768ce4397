/* SPDX-License-Identifier: MIT */
/**
 * @file
 * coherent/ring.h - a descriptor ring with an ownership flag, the structure
 * every DMA NIC and many storage controllers repeat by hand.
 *
 * A ring is a protocol over memory: attached to a typed handle the driver
 * allocates (coh_ring_attach(), COH_SHARED(T): the handle owns the memory,
 * its type and its maintenance policy; the ring keeps positions,
 * owner/phase state and layout), posted and reaped as T
 * (coh_ring_push(), coh_ring_pop()).  coh_ring_create() rings allocate
 * memory of their own and take untyped images (coh_ring_post(),
 * coh_ring_reap()); both kinds use every other call.  docs/rings.md.
 *
 * Protocol, done by the library:
 *   post (CPU -> device): write every field except the owner word, make
 *     them visible (release the lines that do not hold the owner word; in
 *     uncached or coherent memory a dma_wmb), write the owner word with the
 *     device's value, release its line.  Then the driver rings its doorbell
 *     with an ordered coh_mmio_write32(), which cannot overtake the release.
 *   reap (device -> CPU): acquire the owner word's line, read it; if the
 *     device still owns the slot, stop; else order (dma_rmb), acquire the
 *     descriptor's other lines (none for a one-line descriptor), copy out.
 *
 * Layouts (what the driver programs is in brackets; docs/DESIGN.md,
 * "Descriptor ring", has the table and the maintenance each costs):
 *
 *   padded   cached memory of a non-coherent device: each descriptor starts
 *            a cache line, stride = size rounded up to the line size in
 *            force (coh_cache_line_size()), so maintaining one never
 *            touches a neighbour the device may be writing.  [ring base
 *            coh_ring_bus(r, 0), length coh_ring_count(), descriptor skip
 *            coh_ring_stride() - descriptor size (DWMAC QoS DSL: that over
 *            the bus width), tail coh_ring_bus(r, coh_ring_next(r))]
 *   packed   uncached memory, or a coherent device: stride = size rounded
 *            to its alignment, skip 0.  No maintenance, barriers only.
 *   batched  (COH_RING_BATCHED) cached memory, descriptors packed as the
 *            hardware expects (skip 0).  A cache line holds several
 *            descriptors, so the CPU may write a line only when the device
 *            owns none of them: posts are staged and handed over a whole
 *            group at a time (the slots of one line, or one slot when a
 *            descriptor spans lines), and a group is re-armed only after
 *            every slot in it was reaped.  coh_ring_next() is then the end
 *            of the last whole group handed over: the tail pointer must be
 *            programmed from it, so the device never fetches a staged slot.
 *            Constraints: the ring length is a multiple of the group, the
 *            device must only fetch up to its tail pointer, and posting
 *            adds latency of up to a group (meant for RX refill: U-Boot's
 *            dwc_eth_qos re-arms RX descriptors a line at a time the same
 *            way).  Coherent or uncached memory: a group is one slot.
 *
 * Hardware limits: struct coh_ring_layout states the largest gap the device
 * can skip between descriptors and its unit; a layout that cannot meet it
 * fails with -COH_ENOTSUP before anything is allocated (e.g. a DWMAC QoS
 * skips at most 7 x 8 = 56 bytes: a 16-byte descriptor fits a 64-byte
 * line, never a 128-byte one; use COH_RING_BATCHED or uncached memory).
 *
 * Phase rings (COH_RING_PHASE): the owner bit's meaning flips on every lap
 * of the ring, as the NVMe completion phase tag and the xHCI cycle bit do.
 * On lap 0 a set bit means "device owns" (COH_RING_PHASE_INVERT: a clear
 * bit, as a zeroed NVMe completion queue); the library tracks the lap.
 *
 * The ring trusts nothing the device writes beyond the owner bit of slots
 * it posted: reaping an unposted slot is impossible, and field contents
 * are the driver's to validate.
 *
 * Maintenance errors (the backend cannot maintain, no line size, a range
 * refused) are returned by the call; that the ring's memory can be
 * maintained is checked once when the ring is made, and each call checks
 * the line size in force and the lines it touches before the ring is
 * touched, so a failed call changes nothing.
 *
 * Concurrency and interrupt context: the calls take no lock and allocate
 * nothing except create and destroy; post and reap may run in interrupt
 * context (one producer and one consumer context, or external locking).
 * create and destroy may not (they take the allocator's lock).  The
 * inline accessors (coh_ring_bus, _next, _space, ...) may run anywhere.
 */
#ifndef COHERENT_RING_H
#define COHERENT_RING_H

#include "coherent/mem.h"

/**
 * A descriptor ring with an owner bit: attached to a typed handle
 * (coh_ring_attach()), or with memory of its own (coh_ring_create()).
 * Contents are the library's: use the calls and accessors.
 */
struct coh_ring {
	struct coh_mem mem;		/**< library-private: coh_ring_create() rings only, their memory */
	const struct coh_mem *m;	/**< library-private: the memory: an attached handle's (not a copy), or &mem */
	size_t count;			/**< descriptors */
	size_t desc_size;		/**< bytes of one descriptor */
	size_t stride;			/**< bytes between descriptors */
	size_t own_off;			/**< offset of the 32-bit owner word */
	uint32_t own_bit;		/**< the owner bit (its meaning: see phase) */
	size_t head;			/**< next slot to post */
	size_t tail;			/**< next slot to reap */
	size_t pending;			/**< posted (staged included), not yet reaped */
	size_t line;			/**< line size laid out for; 0: no maintenance */
	size_t group;			/**< slots handed over together (batched) */
	size_t staged;			/**< batched: posted, not yet handed over */
	unsigned int flags;		/**< COH_RING_* */
	uint8_t head_phase;		/**< phase rings: lap parity of head and tail */
	uint8_t tail_phase;	/**< library-private */
	bool one_line;			/**< library-private: padded, one line per descriptor */
};

/* the ring's memory: the attached handle's, or its own (a ring is not copied) */
static inline const struct coh_mem *coh__ring_mem(const struct coh_ring *r)
{
	return r->m;
}

/* struct coh_ring_layout.flags */
#define COH_RING_BATCHED     (1u << 0) /**< packed in cached memory, handed over a line at a time */
#define COH_RING_PHASE       (1u << 1) /**< the owner bit flips meaning every lap */
#define COH_RING_PHASE_INVERT (1u << 2) /**< with PHASE: lap 0's device value is a clear bit */

/** coh_ring_push_at() how: post the descriptors as one chain (coh_ring_push_chain()). */
#define COH_RING_CHAIN (1u << 0)

/** coh_ring_layout.max_skip: the device takes any stride. */
#define COH_RING_ANY_SKIP ((size_t)-1)

/** What the hardware can express, for coh_ring_create_layout(). */
struct coh_ring_layout {
	size_t max_skip;	/**< largest gap between two descriptors, bytes (COH_RING_ANY_SKIP) */
	size_t skip_unit;	/**< the gap is a multiple of this (bus width); 0 or 1: any */
	unsigned int flags;	/**< COH_RING_* */
};

/* descriptor size and the owner word's type and alignment, at compile time */
#define coh__ring_check_type(T, own_field)                                     \
	_Static_assert(sizeof(T) % 4 == 0 && sizeof(T) <= 4096,                \
		       "descriptor size must be a multiple of 4, <= 4096");    \
	_Static_assert(sizeof(((T *)0)->own_field) == 4,                       \
		       "owner word must be 32 bits");                          \
	_Static_assert(__builtin_offsetof(T, own_field) % 4 == 0,              \
		       "owner word must be 4-byte aligned")

/**
 * @brief Create a ring of `count` descriptors of type T whose 32-bit
 * member `own_field` holds the owner bit `own_bit`.  Descriptor size and
 * the owner word's type and alignment are checked at compile time.
 * Padded in cached memory (stride from the line size in force), packed in
 * uncached memory or for a coherent device.  Not in interrupt context.
 * @retval 0 success
 * @retval -COH_EINVAL count 0, own_bit 0, or attrs unknown
 * @retval -COH_ENODEV the line size is unknown (cached memory only)
 * @retval -COH_ERANGE, -COH_ENOMEM, -COH_EOVERFLOW as coherent allocation
 */
#define coh_ring_create(r, dev, count, T, own_field, own_bit, attrs)           \
	({                                                                     \
		coh__ring_check_type(T, own_field);                            \
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
 * @brief coh_ring_create() for hardware with limits: `layout` (NULL: any
 * skip, no flags) says what the device can express.  Everything is checked
 * before allocation.
 * @retval -COH_ENOTSUP the layout the memory needs cannot be expressed: a
 *         padded ring's skip (stride - size) above max_skip or not a
 *         multiple of skip_unit (ask for COH_RING_BATCHED or
 *         COH_ATTR_UNCACHED); a batched ring whose stride neither divides
 *         nor is a multiple of the line size
 * @retval -COH_EINVAL as coh_ring_create(), unknown flags, PHASE_INVERT
 *         without PHASE, or a batched ring whose count is not a multiple
 *         of the slots per group (line / stride)
 * @retval -COH_ENODEV the line size is unknown (cached memory only)
 * Not in interrupt context (allocates).
 */
#define coh_ring_create_layout(r, dev, count, T, own_field, own_bit, attrs, layout) \
	({                                                                     \
		coh__ring_check_type(T, own_field);                            \
		coh_ring_create_layout_at((r), (dev), (count), sizeof(T),      \
					  _Alignof(T),                         \
					  __builtin_offsetof(T, own_field),    \
					  (own_bit), (attrs), (layout), COH_HERE); \
	})
/** @brief coh_ring_create_layout() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_ring_create_layout_at(struct coh_ring *r, struct coh_device *dev,
			      size_t count, size_t size, size_t align,
			      size_t own_off, uint32_t own_bit,
			      unsigned int attrs,
			      const struct coh_ring_layout *layout,
			      const struct coh_where *where);

/**
 * @brief Attach a ring to the shared handle h (COH_SHARED(T), allocated
 * by the driver: coh_count(h) descriptors of T, the driver's to free after
 * coh_ring_detach()): coh_ring_attach(&r, &h, des3, QOS_OWN, flags).  The
 * handle owns the memory, its type and its maintenance policy; the ring
 * keeps positions, owner/phase state and layout, and points at the
 * handle's memory (no copy).  T is what the device walks: the stride is
 * sizeof(T) (program the device's descriptor skip from it), so typed
 * accessors on h and the ring agree on every slot.  Cached memory of a
 * non-coherent device: sizeof(T) a multiple of the line size in force
 * (padded: each descriptor alone in its lines - pad T), or a divisor of
 * it with COH_RING_BATCHED in flags (several descriptors a line, handed
 * over a line at a time: see "batched" above).  Uncached or coherent:
 * any T.  flags: COH_RING_* (struct coh_ring_layout's flags).  Nothing
 * is written: the memory must hold the CPU's owner value in every slot
 * (zeroed, as coh_alloc_shared() leaves it, unless PHASE_INVERT).  The
 * memory is checked once to be maintainable.
 * Ownership: none changes (the slots are the CPU's until posted).
 * Interrupt context: yes (no lock, no allocation).
 * @retval 0 success
 * @retval -COH_EINVAL NULL arguments, own_bit 0, h not allocated shared
 *         memory of T (or a flex handle), unknown flags, a batched ring
 *         whose count is not a multiple of the descriptors per line
 * @retval -COH_ENOTSUP cached memory where T neither fills whole lines
 *         nor divides a line, or divides it without COH_RING_BATCHED; a
 *         backend that cannot maintain the memory
 * @retval -COH_ENODEV the line size is unknown (cached memory only)
 */
#define coh_ring_attach(r, h, own_field, own_bit, flags)                       \
	({                                                                     \
		coh__ring_check_type(__typeof__((*(h)->t_[0])[0]), own_field); \
		coh_ring_attach_at((r), &(h)->m_, sizeof((*(h)->t_[0])[0]),    \
				   __builtin_offsetof(__typeof__((*(h)->t_[0])[0]), own_field), \
				   (own_bit), (flags), COH_HERE);              \
	})
/** @brief coh_ring_attach() with the layout and call site explicit (what the macro passes;
 * m is &h->m_, size sizeof(T)); same errors, ownership effect and context. */
int coh_ring_attach_at(struct coh_ring *r, const struct coh_mem *m, size_t size,
		       size_t own_off, uint32_t own_bit, unsigned int flags,
		       const struct coh_where *where);

/**
 * @brief Post one descriptor of the handle's type T to an attached ring:
 * coh_ring_push(&r, &h, &desc) (desc a T: checked at compile time; its
 * owner bit is ignored, the ring sets it).  As coh_ring_post(): fields
 * first, the owner word last, the lines released, one barrier.
 * Ownership: slot -> device.  Interrupt context: yes.
 * @return the slot index
 * @retval -COH_EAGAIN the ring is full
 * @retval -COH_EINVAL h is not the handle r is attached to, or as coh_ring_post()
 * @retval maintenance errors as coh_ring_post() (nothing posted)
 */
#define coh_ring_push(r, h, desc) coh_ring_push_n(r, h, desc, 1)
/** @brief coh_ring_post_n() for an attached ring: n descriptors of T (an array), one
 * barrier; all or nothing.  Ownership: n slots -> device.  Interrupt context: yes.
 * @return the first slot; errors as coh_ring_push() and coh_ring_post_n(). */
#define coh_ring_push_n(r, h, descs, n)                                        \
	({                                                                     \
		const __typeof__((*(h)->t_[0])[0]) *d__ = (descs);             \
		coh_ring_push_at((r), &(h)->m_, d__, (n), 0, COH_HERE);        \
	})
/** @brief coh_ring_post_chain() for an attached ring: the head's owner word last.
 * Ownership: n slots -> device.  Interrupt context: yes.
 * @return the head's slot; errors as coh_ring_push() and coh_ring_post_chain(). */
#define coh_ring_push_chain(r, h, descs, n)                                    \
	({                                                                     \
		const __typeof__((*(h)->t_[0])[0]) *d__ = (descs);             \
		coh_ring_push_at((r), &(h)->m_, d__, (n), COH_RING_CHAIN, COH_HERE); \
	})
/** @brief The push macros' entry point: how 0 (each descriptor its own) or COH_RING_CHAIN;
 * same errors, ownership effect and context (-COH_EINVAL for other bits of how). */
int coh_ring_push_at(struct coh_ring *r, const struct coh_mem *m, const void *descs,
		     size_t n, unsigned int how, const struct coh_where *where);

/**
 * @brief Reap the oldest posted slot of an attached ring into a T:
 * coh_ring_pop(&r, &h, &desc), as coh_ring_reap() - the owner word's line
 * acquired and read first, ordered before the fields, which are copied
 * out once (decode the copy, never the shared memory).
 * Ownership: slot -> CPU.  Interrupt context: yes.
 * @return the slot index
 * @retval -COH_EAGAIN nothing pending, or the device still owns the oldest slot
 * @retval -COH_EINVAL h is not the handle r is attached to, or as coh_ring_reap()
 * @retval maintenance errors as coh_ring_reap() (nothing reaped)
 */
#define coh_ring_pop(r, h, desc)                                               \
	({                                                                     \
		__typeof__((*(h)->t_[0])[0]) *d__ = (desc);                    \
		coh_ring_pop_at((r), &(h)->m_, d__, COH_HERE);                 \
	})
/** @brief coh_ring_pop() with the handle's memory and call site explicit; same errors,
 * ownership effect and context. */
int coh_ring_pop_at(struct coh_ring *r, const struct coh_mem *m, void *desc,
		    const struct coh_where *where);

/**
 * @brief Detach an attached ring (then free the handle).  Ownership: none
 * changes.  Interrupt context: yes.
 * @retval 0; -COH_EINVAL not an attached ring; -COH_EBUSY while the
 *         device owns posted slots (reported, nothing changed: stop the
 *         device, reap or coh_ring_reset() first).
 */
#define coh_ring_detach(r) coh_ring_detach_at((r), COH_HERE)
/** @brief coh_ring_detach() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_ring_detach_at(struct coh_ring *r, const struct coh_where *where);

/**
 * @brief THE escape hatch of a ring: a plain CPU pointer to slot 0 (to
 * name the memory to the simulator, or for a test's device model).
 * Attached rings: use coh_raw() on the handle.  Never fails; any context.
 */
static inline void *coh_ring_raw(const struct coh_ring *r)
{
	return (void *)coh__ring_mem(r)->cpu_;
}

/** @brief Bytes of the ring's memory the device walks (count x stride).
 * Never fails; any context. */
static inline size_t coh_ring_size(const struct coh_ring *r)
{
	return r->count * r->stride;
}

/**
 * @brief Post a descriptor image (owner bit in it ignored; the ring sets it).
 * Ownership: slot -> device.
 * @return the slot index, or -COH_EAGAIN when the ring is full, or
 *         -COH_EINVAL for a NULL ring or descriptor or a ring not created
 *         (reported with the caller's file:line), or a maintenance error
 *         (-COH_ENOTSUP, -COH_ENODEV, -COH_EFAULT: nothing posted).
 * Interrupt context: yes.  A batched ring stages the slot until its group
 * is complete (see the layouts above).
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
 * Maintenance: the owner word's line is acquired (invalidated: the ring
 * owns every byte of its lines), then only the descriptor's other lines.
 * @return the slot index, or -COH_EAGAIN if nothing is pending or the
 *         device still owns the oldest slot, or -COH_EINVAL for a NULL ring
 *         or descriptor or a ring not created (reported with file:line),
 *         or a maintenance error (nothing reaped).  Interrupt context: yes.
 */
#define coh_ring_reap(r, desc) coh_ring_reap_at((r), (desc), COH_HERE)
/** @brief coh_ring_reap() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_ring_reap_at(struct coh_ring *r, void *desc,
		     const struct coh_where *where);

/**
 * @brief Post n descriptors (an array of n images of the ring's type) as
 * one batch: one barrier for all of them in cached memory when a
 * descriptor fits one line (two when it spans lines: fields, then owner
 * words), one dma_wmb in uncached memory.  All or nothing.
 * Ownership: n slots -> device.  Interrupt context: yes.
 * @return the first slot; -COH_EINVAL NULL arguments, n 0 or n > count
 *         (a batch larger than the ring); -COH_EAGAIN fewer than n free
 *         slots (coh_ring_space()): nothing posted; maintenance errors as
 *         coh_ring_post() (nothing posted).
 */
#define coh_ring_post_n(r, descs, n) coh_ring_post_n_at((r), (descs), (n), COH_HERE)
/** @brief coh_ring_post_n() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_ring_post_n_at(struct coh_ring *r, const void *descs, size_t n,
		       const struct coh_where *where);

/**
 * @brief Post a chain of n descriptors (one frame in several descriptors)
 * whose head the device must see last: every other descriptor is written
 * and made visible with its owner bit first, then the head's owner word
 * (Linux stmmac's order for a multi-descriptor TX frame).  Two barriers.
 * All or nothing: a chain longer than the free space posts nothing.
 * Ownership: n slots -> device.  Interrupt context: yes.
 * @return the head's slot; errors as coh_ring_post_n(), and -COH_ENOTSUP
 *         on a batched ring whose group is more than one slot (its groups
 *         are handed over in ring order, the head's first).
 */
#define coh_ring_post_chain(r, descs, n) coh_ring_post_chain_at((r), (descs), (n), COH_HERE)
/** @brief coh_ring_post_chain() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_ring_post_chain_at(struct coh_ring *r, const void *descs, size_t n,
			   const struct coh_where *where);

/**
 * @brief The owner bit's value (0 or 1) that gives the next posted slot to
 * the device on a phase ring (NVMe phase tag, xHCI cycle bit).
 * @retval 0 or 1; -COH_EINVAL a NULL ring or a ring without COH_RING_PHASE
 *         (reported with the caller's file:line).
 * Interrupt context: yes.
 */
#define coh_ring_phase(r) coh_ring_phase_at((r), COH_HERE)
/** @brief coh_ring_phase() as a function (no call site in reports); same errors and context. */
int (coh_ring_phase)(const struct coh_ring *r);
/** @brief coh_ring_phase() with the call site explicit (what the macro passes:
 * COH_HERE); same errors and context. */
int coh_ring_phase_at(const struct coh_ring *r, const struct coh_where *where);

/** @brief Bus address of slot i (for base / tail pointer registers). */
static inline coh_bus_t coh_ring_bus(const struct coh_ring *r, size_t i)
{
	return coh__ring_mem(r)->bus + (coh_bus_t)(i % r->count) * r->stride;
}

/**
 * @brief Bus address one past the last slot (slot `count`, not wrapped):
 * the end address Linux-style tail pointers and ring-end registers take.
 */
static inline coh_bus_t coh_ring_bus_end(const struct coh_ring *r)
{
	return coh__ring_mem(r)->bus + (coh_bus_t)r->count * r->stride;
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
 * @brief The first slot not handed to the device: after posting, the value
 * a tail-pointer doorbell takes ("first slot the device must not fetch").
 * The slot the next coh_ring_post() fills, except on a batched ring with
 * staged slots (then the start of their group).
 */
static inline size_t coh_ring_next(const struct coh_ring *r)
{
	return (r->head + r->count - r->staged) % r->count;
}

/** @brief Slots posted and not yet reaped (staged ones included). */
static inline size_t coh_ring_pending(const struct coh_ring *r)
{
	return r->pending;
}

/**
 * @brief Slots coh_ring_post_n() can take now.  On a batched ring only
 * slots of whole free groups count (plus the rest of the group being
 * staged).
 */
static inline size_t coh_ring_space(const struct coh_ring *r)
{
	size_t g = r->group ? r->group : 1;
	size_t free = r->count - r->pending;
	size_t rest = (g - r->staged) % g;

	return rest + (free - rest) / g * g;
}

/**
 * @brief The k-th oldest posted slot (k < coh_ring_pending()), for
 * teardown: walk the slots still out to free their buffers before
 * coh_ring_reset().  Interrupt context: yes.
 */
static inline size_t coh_ring_pending_slot(const struct coh_ring *r, size_t k)
{
	return (r->tail + k) % r->count;
}

/** for (k = 0; k < pending; k++) with slot = the k-th oldest posted slot */
#define coh_ring_for_each_pending(r, k, slot)                                  \
	for ((k) = 0; (k) < (r)->pending &&                                    \
		      ((slot) = coh_ring_pending_slot((r), (k)), 1); (k)++)

/**
 * @brief Take every posted slot back after the device was stopped or reset
 * (its DMA engine halted, so it no longer reads or writes the ring).  The
 * owner bits are cleared and released; the ring is empty, head = tail = 0,
 * matching a device whose ring registers were reprogrammed (a phase ring
 * is back at lap 0).  One barrier.
 * Ownership: all slots -> CPU.  Interrupt context: yes.
 * @retval 0; -COH_EINVAL for a ring not made (reported with the caller's
 *         file:line); a maintenance error (nothing changed).
 */
#define coh_ring_reset(r) coh_ring_reset_at((r), COH_HERE)
/** @brief coh_ring_reset() as a function (no call site in reports); same errors,
 * ownership effect and context. */
int (coh_ring_reset)(struct coh_ring *r);
/** @brief coh_ring_reset() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_ring_reset_at(struct coh_ring *r, const struct coh_where *where);

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
