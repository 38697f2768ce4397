/* SPDX-License-Identifier: MIT */
/**
 * @file
 * coherent/cq.h - a device-produced queue with a phase (cycle) tag: the
 * NVMe completion queue and the xHCI event ring.
 *
 * The device writes entries in order into an array it owns no index of in
 * memory; each entry carries a tag bit whose "new" value flips on every
 * lap (NVMe: the Phase Tag, bit 0 of the status field; xHCI: the Cycle
 * bit, bit 0 of the TRB's control word).  The CPU consumes entries in
 * order and tells the device how far it got through a doorbell (NVMe: the
 * CQ head doorbell; xHCI: ERDP, a bus address).  The CPU never writes the
 * entries while the device runs.
 *
 * The memory is a typed handle the driver allocates and owns
 * (COH_SHARED(T), coh_alloc_shared(): zeroed, so lap 0's "old" tag is 0).
 * struct coh_cq is the protocol only: the consumer's position, its phase
 * and the layout of the tag; it points at the handle's memory and keeps no
 * copy of it.  The handle must outlive the queue (coh_cq_detach() first,
 * then coh_free()).
 *
 * Protocol, done by the library:
 *   poll: make the next entries' lines fresh (cached memory of a
 *     non-coherent device: invalidate them whole - the CPU never writes
 *     them, so there is nothing to write back and nothing is ever cleaned
 *     or flushed), one barrier, read the tags in order and count the new
 *     ones, then one dma_rmb so that the tags are read before any other
 *     field of those entries;
 *   pop: copy one entry seen by a poll out, once, into the driver's T (a
 *     snapshot: decode the copy, never the shared memory), and advance;
 *   head: the value of the head doorbell, written by the driver with an
 *     ordered coh_mmio_write32() after popping.
 *
 * Maintenance minimum per poll (asserted by tests/host/test_cq_min.c with
 * the recording backend; C clean, I invalidate, B barrier after
 * maintenance, r dma_rmb):
 *   cached, entries within one line (NVMe 16-byte entries, 64-byte line):
 *     a poll looks at the line holding the next unseen entry only:
 *     "IBr" when it finds new entries there (up to line / sizeof(T)),
 *     "IB" when it finds none.  A burst over k lines costs k polls of
 *     "IBr" and one "IB" that sees the end.
 *   cached, entries spanning lines (sizeof(T) > line): one entry per
 *     poll: the tag's line, then the entry's other lines: "IBrIB" /
 *     "IB".
 *   uncached memory or a coherent device: every new entry in one poll,
 *     "r" when there are new entries, nothing when there are none.
 *   pop and head: no maintenance, no barrier.
 *
 * Untrusted device: the tag is the only thing the library interprets; the
 * rest of each entry (NVMe SQ id, command id, status; xHCI TRB type) is
 * the driver's to validate on its snapshot.
 *
 * The simulator: a poll that finds no new entry asks the backend whether
 * the tag it read was stale (COH_OP_CONSUME, a checking point that costs
 * nothing on hardware).  When the simulator says so - the CPU read a line
 * the device had written and nothing made it fresh - the poll reports it
 * and fails with -COH_EPROTO, so a driver's "poll until something comes"
 * loop ends instead of spinning forever.
 *
 * Concurrency and interrupt context: one consumer context (or external
 * locking); no call takes a lock or allocates; every call may run in
 * interrupt context.
 */
#ifndef COHERENT_CQ_H
#define COHERENT_CQ_H

#include "coherent/mem.h"

/* coh_cq_attach() flags: exactly one of TAG1 / TAG0 */
#define COH_CQ_TAG1 (1u << 0) /**< lap 0's new entries carry a set tag (NVMe, xHCI: zeroed memory) */
#define COH_CQ_TAG0 (1u << 1) /**< lap 0's new entries carry a clear tag (memory pre-set by the driver) */

/** A device-produced phase-tag queue over a typed handle.  Contents are the library's: use the calls. */
struct coh_cq {
	const struct coh_mem *mem;	/**< library-private: the handle's memory (not a copy) */
	size_t count;			/**< library-private: entries */
	size_t esize;			/**< library-private: bytes per entry, sizeof(T) */
	size_t tag_off;			/**< library-private: offset of the tag field in T */
	size_t line;			/**< library-private: 0: no maintenance */
	uint32_t tag_bit;		/**< library-private: the tag bit in the tag field */
	uint8_t tag_size;		/**< library-private: 1, 2 or 4 bytes */
	uint8_t phase;			/**< library-private: the tag value of a new entry at head */
	uint8_t flags;			/**< library-private: COH_CQ_* */
	uint32_t head;			/**< library-private: the next entry to pop */
	uint32_t ready;			/**< library-private: entries seen by a poll, not popped */
};

/*
 * The tag field of element 0 of h (path: .status, .ctrl, .dw[3]): its
 * offset in T and its size, computed from the handle's own type.
 */
#define coh__cq_tag(h, path) (&(*(__typeof__((h)->t_[0]))(h)->m_.cpu_)[0] path)

/**
 * @brief Attach a phase-tag queue to the shared handle h (COH_SHARED(T),
 * allocated, coh_count(h) entries of T): coh_cq_attach(&cq, &h, .status,
 * 1u << 0, COH_CQ_TAG1) for NVMe, (.ctrl, 1u << 0, COH_CQ_TAG1) for an
 * xHCI event ring.  The tag field must be 1, 2 or 4 bytes (checked at
 * compile time).  Nothing is written: the memory must hold lap 0's old
 * tag in every entry (zeroed, as coh_alloc_shared() leaves it, for TAG1).
 * Once, the whole array is checked to be maintainable, so no later poll
 * fails for that reason.  Ownership: none changes (the memory stays
 * shared; the device writes the entries, the CPU only reads them).
 * Interrupt context: yes (no lock, no allocation).
 * @retval 0 success
 * @retval -COH_EINVAL cq or h NULL, h not allocated shared memory, fewer
 *         than 2 entries, more than 2^31, tag_bit not a single bit of the
 *         field, or flags not exactly one of COH_CQ_TAG1 / COH_CQ_TAG0
 * @retval -COH_ENOTSUP cached memory whose entries neither divide nor are
 *         a multiple of the cache line (an entry would share a line with
 *         part of another), or the backend cannot maintain the memory
 * @retval -COH_ENODEV the cache line size is unknown (cached memory)
 */
#define coh_cq_attach(cq, h, tag, tag_bit, flags)                              \
	({                                                                     \
		_Static_assert(sizeof(*coh__cq_tag(h, tag)) == 1 ||            \
				       sizeof(*coh__cq_tag(h, tag)) == 2 ||    \
				       sizeof(*coh__cq_tag(h, tag)) == 4,      \
			       "coh_cq_attach: the tag field must be 1, 2 or 4 bytes"); \
		coh_cq_attach_at((cq), &(h)->m_, sizeof((*(h)->t_[0])[0]),     \
				 (size_t)((uintptr_t)coh__cq_tag(h, tag) - (h)->m_.cpu_), \
				 sizeof(*coh__cq_tag(h, tag)), (tag_bit), (flags), \
				 COH_HERE);                                    \
	})
/** @brief coh_cq_attach() with the layout and call site explicit (what the macro passes);
 * same errors, ownership effect and context.  m is the handle's memory (&h->m_). */
int coh_cq_attach_at(struct coh_cq *cq, const struct coh_mem *m, size_t esize,
		     size_t tag_off, size_t tag_size, uint32_t tag_bit,
		     unsigned int flags, const struct coh_where *where);

/**
 * @brief Look for new entries: the lines of the next unseen entries are
 * made fresh, their tags read, the new ones counted, then one dma_rmb
 * orders the tags before every later read of those entries (coh_cq_pop()).
 * Cached memory: at most the entries of one cache line per call (loop
 * while it returns more than the last time: see the header comment);
 * uncached or coherent: every new entry.  `b` (NULL: the poll's own
 * barrier) is a driver's batch of the same device: what it holds completes
 * under the poll's barrier and it is empty afterwards.
 * Ownership: none changes.  Interrupt context: yes.
 * @return the entries seen and not yet popped (0: nothing new)
 * @retval -COH_EINVAL cq not attached, or b of another device
 * @retval -COH_EPROTO (simulator) the tag read was stale: reported, nothing changed
 * @retval b's earlier failure (nothing done), or a maintenance failure
 *         (-COH_EFAULT...: nothing changed)
 */
#define coh_cq_poll(cq, b) coh_cq_poll_at((cq), (b), COH_HERE)
/** @brief coh_cq_poll() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_cq_poll_at(struct coh_cq *cq, struct coh_batch *b,
		   const struct coh_where *where);

/**
 * @brief Copy the oldest entry a poll saw into *out (a T of the handle's
 * type, checked at compile time) and advance the head: coh_cq_pop(&cq,
 * &h, &cqe).  The entry is read once; decode the copy.  No maintenance.
 * Ownership: the entry's slot goes back to the device once the driver
 * writes coh_cq_head() to its doorbell.  Interrupt context: yes.
 * @return the entry's slot (0 .. count-1)
 * @retval -COH_EAGAIN no entry seen by a poll is left
 * @retval -COH_EINVAL cq not attached, out NULL, or h not the handle cq was attached to
 */
#define coh_cq_pop(cq, h, out)                                                 \
	({                                                                     \
		__typeof__((*(h)->t_[0])[0]) *o__ = (out);                     \
		coh_cq_pop_at((cq), &(h)->m_, o__, COH_HERE);                  \
	})
/** @brief coh_cq_pop() with the call site explicit (what the macro passes); same errors,
 * ownership effect and context.  m is the handle's memory, out sizeof(T) bytes. */
int coh_cq_pop_at(struct coh_cq *cq, const struct coh_mem *m, void *out,
		  const struct coh_where *where);

/**
 * @brief Take the queue back after the device was stopped or reset (it no
 * longer writes the entries): every entry's memory is zeroed (TAG1) or
 * set to lap 0's old tag (TAG0) and released, one barrier; head 0, lap 0,
 * as a device whose queue registers are reprogrammed expects.  The only
 * call that writes the entries.  Ownership: none changes (shared memory).
 * Interrupt context: yes.
 * @retval 0 success
 * @retval -COH_EINVAL cq not attached
 * @retval a maintenance failure (-COH_EFAULT...): the entries are written, not visible
 */
#define coh_cq_reset(cq) coh_cq_reset_at((cq), COH_HERE)
/** @brief coh_cq_reset() with the call site explicit (what the macro passes:
 * COH_HERE); same errors, ownership effect and context. */
int coh_cq_reset_at(struct coh_cq *cq, const struct coh_where *where);

/**
 * @brief Detach: the queue forgets the handle (free the handle after
 * this).  Ownership: none changes.  Interrupt context: yes.
 * @retval 0; -COH_EINVAL cq not attached.
 */
int coh_cq_detach(struct coh_cq *cq);

/**
 * @brief The next entry to pop, 0 .. count-1: the value of an NVMe CQ head
 * doorbell once the popped entries are handled.  Never fails (an attached
 * queue); interrupt context: yes.
 */
static inline uint32_t coh_cq_head(const struct coh_cq *cq)
{
	return cq->head;
}

/**
 * @brief Bus address of the next entry to pop: an xHCI ERDP value (the
 * driver adds the EHB bit).  Never fails (an attached queue); interrupt
 * context: yes.
 */
static inline coh_bus_t coh_cq_head_bus(const struct coh_cq *cq)
{
	return cq->mem->bus + (coh_bus_t)cq->head * cq->esize;
}

/** @brief Bus address of entry i (i wraps at count; entry 0: the queue base register).
 * Never fails (an attached queue); interrupt context: yes. */
static inline coh_bus_t coh_cq_bus(const struct coh_cq *cq, size_t i)
{
	return cq->mem->bus + (coh_bus_t)(i % cq->count) * cq->esize;
}

/** @brief Entries seen by the last polls and not popped: no memory access.
 * Never fails; interrupt context: yes. */
static inline uint32_t coh_cq_ready(const struct coh_cq *cq)
{
	return cq->ready;
}

/** @brief Entries of the queue (its size register).  Never fails; interrupt context: yes. */
static inline size_t coh_cq_count(const struct coh_cq *cq)
{
	return cq->count;
}

/** @brief The tag value (0 or 1) a new entry at the head carries now: it flips at every
 * wrap of the head.  Never fails (an attached queue); interrupt context: yes. */
static inline unsigned int coh_cq_phase(const struct coh_cq *cq)
{
	return cq->phase;
}

#endif /* COHERENT_CQ_H */
