/* SPDX-License-Identifier: MIT */
/*
 * drivers/virtio/virtqueue.h - split virtqueues (VirtIO 1.x section 2.7) on
 * the core's index-published queue (coherent/queue.h) and typed shared
 * memory.
 *
 * Layout: three coherent allocations, each starting on its own cache line,
 * so no line holds bytes written by both sides: the descriptor table and
 * the available ring (with used_event) are written only by the driver, the
 * used ring (with avail_event) only by the device.  That is what lets the
 * rings stay packed in cached memory of a non-coherent device: a release
 * never writes back over device data, an acquire never discards a CPU
 * write.  Optional indirect tables (one per descriptor, VIRTQ_IND_MAX
 * entries) are driver-written too.
 *
 * Protocol, with the barrier that each step needs (docs/virtio.md):
 *   add:  descriptors written into the table queue, an indirect table
 *         into the queue's batch (virtq_batch(), where the caller has put
 *         its own pieces and mappings), the head pushed on the available
 *         queue: lines cleaned, no barrier yet.
 *   kick: coh_queue_publish_batch(available, with the table, the batch):
 *         everything the requests name made visible under one barrier,
 *         then avail.idx stored and made visible; coh_dma_mb (the index
 *         store before the avail_event / used.flags load, both read with
 *         coh_read_from_device: invalidated, never flushed); notify
 *         through an ordered MMIO write only if the device asked for it.
 *   get:  coh_queue_poll(used): used.idx read (its line invalidated), a
 *         read barrier, the new entries' lines invalidated; the entry
 *         popped and checked.  With callbacks enabled under EVENT_IDX,
 *         used_event is moved to the next completion (a clean and a full
 *         barrier: the store before the next used.idx load).
 *   callbacks: disabled at start (polling: NO_INTERRUPT without EVENT_IDX,
 *         used_event 0 with it); virtq_enable_cb() asks for the next
 *         completion's interrupt and re-checks used.idx after a full
 *         barrier, so a completion that raced the request is not missed.
 *
 * Shadow state: the free list, each head's chain length, its device-
 * writable byte count and the caller's token live in CPU memory; the
 * driver never reads a descriptor back, so a device scribbling on the
 * table changes nothing the driver decides.  Everything read from the used
 * ring is checked where it is read:
 *   used.idx moving past the outstanding heads   -> -COH_EPROTO, bad_used_idx
 *   used.id >= size, or not an outstanding head  -> -COH_EPROTO, bad_used_id
 *   used.len above the device-writable bytes     -> -COH_EPROTO, bad_used_len
 * After a refusal the queue is broken: every call returns -COH_EPROTO
 * until the device is reset (virtio_mmio_reset) and the queue recovered
 * with virtq_recover(), which hands every outstanding token back.
 *
 * Concurrency: one context per queue.  Not for interrupt context except
 * virtq_get() when the caller serialises it with the submitter.
 */
#ifndef COHERENT_DRIVERS_VIRTQUEUE_H
#define COHERENT_DRIVERS_VIRTQUEUE_H

#include "virtio.h"
#include "coherent/queue.h"

#define VIRTQ_MAX	256	/* largest queue this driver sets up */
#define VIRTQ_IND_MAX	16	/* descriptors in one indirect table */

#define VIRTQ_DESC_F_NEXT	1
#define VIRTQ_DESC_F_WRITE	2
#define VIRTQ_DESC_F_INDIRECT	4
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
#define VIRTQ_USED_F_NO_NOTIFY	1

/* Little-endian in memory (coh_cpu_to_le*), whatever the host. */
struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

/* ring[size] is used_event (the field after the ring, section 2.7.10) */
struct virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
};

struct virtq_used_elem {
	uint32_t id;
	uint32_t len;
};

/* ring[size].id's low 16 bits are avail_event (section 2.7.10) */
struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[];
};

COH_DECLARE_SHARED(virtq_desc_h, struct virtq_desc);
COH_DECLARE_SHARED(virtq_avail_h, struct virtq_avail);
COH_DECLARE_SHARED(virtq_used_h, struct virtq_used);

/* One buffer of a request, already mapped: device-readable ones first. */
struct virtq_seg {
	coh_bus_t bus;
	uint32_t len;
	bool write;		/* the device writes it */
};

struct virtq_slot {
	void *token;		/* the caller's, handed back by virtq_get() */
	uint32_t wlen;		/* device-writable bytes of the chain */
	uint16_t ndesc;		/* descriptors of the table the chain holds */
	uint16_t last;		/* its last descriptor (free list splice) */
	bool busy;		/* an outstanding head */
};

struct virtq {
	struct virtio_mmio *vm;
	unsigned index;
	unsigned int attrs;
	uint16_t size;
	bool event_idx, indirect, broken;
	bool cb;			/* callbacks (interrupts) wanted */
	struct coh_queue dq;		/* the descriptor table: entries only */
	struct coh_queue aq;		/* available ring: flags, idx, ring[], used_event */
	struct coh_queue uq;		/* used ring: flags, idx, ring[], avail_event */
	struct virtq_avail_h avail;	/* aq's memory, typed: flags, used_event */
	struct virtq_desc_h ind;		/* size x VIRTQ_IND_MAX, if indirect */
	struct virtq_used_h used;	/* uq's memory, typed: flags, avail_event */
	struct coh_batch batch;		/* pieces the next kick publishes with the ring */
	/* shadow, CPU-only */
	uint16_t free_head, num_free;
	uint16_t avail_idx;		/* next avail.idx to publish */
	uint16_t kicked_idx;		/* avail.idx at the last kick */
	uint16_t last_used;		/* used entries consumed */
	uint16_t in_flight;		/* outstanding heads */
	uint16_t next[VIRTQ_MAX];
	struct virtq_slot slot[VIRTQ_MAX];
	unsigned long kicks, notifies;
};

/**
 * @brief Allocate queue `index` of at most `size` entries (a power of two;
 * capped by the device's maximum and VIRTQ_MAX) and program it.  Call after
 * virtio_mmio_negotiate(), before virtio_mmio_driver_ok().
 * @param attrs COH_ATTR_* for the rings (COH_ATTR_UNCACHED: uncached region)
 * @retval 0
 * @retval -COH_EINVAL size not a power of two; -COH_ENODEV the device has no
 *         such queue; -COH_EBUSY it is live; -COH_ENOMEM/-COH_ERANGE allocation
 */
int virtq_init(struct virtq *vq, struct virtio_mmio *vm, unsigned index,
	       unsigned size, unsigned int attrs);

/**
 * @brief Put one request (n mapped buffers, device-readable first) on the
 * available ring, unpublished until virtq_kick().  Several indirect-capable
 * buffers take one descriptor.  Ownership: the buffers are the device's
 * once kicked.  Nothing is written on error.
 * @retval 0
 * @retval -COH_EINVAL n 0, a length 0 or above 4 GiB, a readable buffer after
 *         a writable one, token NULL, or more buffers than the queue can ever
 *         hold (neither size nor an indirect table fits them)
 * @retval -COH_EAGAIN not enough free descriptors now (retry after get)
 * @retval -COH_EPROTO the queue is broken (reset and virtq_recover())
 */
int virtq_add(struct virtq *vq, const struct virtq_seg *s, unsigned n,
	      void *token);

/**
 * @brief The batch the next virtq_kick() completes under the ring's own
 * first barrier: a request's pieces in other allocations (virtio-blk's
 * header and status sentinel) are written into it with
 * coh_put_batch()/coh_write_batch() before virtq_add(), which adds the
 * indirect table there too.  One barrier then covers the whole request.
 */
static inline struct coh_batch *virtq_batch(struct virtq *vq)
{
	return &vq->batch;
}

/**
 * @brief Drop a request that will not be added after all (a piece or
 * virtq_add() failed): the batch's failure is forgotten, so the next
 * request starts clean.  What was written stays written, invisible to the
 * device until a later kick; the request's descriptors were never taken.
 */
void virtq_cancel(struct virtq *vq);

/**
 * @brief Publish every added request (avail.idx) and notify the device if
 * it asked for it (EVENT_IDX avail_event, else used.flags).
 * @retval 1 notified, 0 not needed, -COH_EPROTO broken
 */
int virtq_kick(struct virtq *vq);

/**
 * @brief Take the next completed request: its token and the byte count the
 * device says it wrote (checked against the writable buffers).
 * @retval 0; -COH_EAGAIN nothing completed; -COH_EPROTO refused (counted,
 *         the queue is broken).
 */
int virtq_get(struct virtq *vq, void **token, uint32_t *len);

/**
 * @brief virtq_get() until something completes or vm->poll_budget polls.
 * @retval as virtq_get(); -COH_ETIMEDOUT no answer (counted; the request
 *         is still the device's: reset before reclaiming it).
 */
int virtq_wait(struct virtq *vq, void **token, uint32_t *len);

/**
 * @brief After virtio_mmio_reset(): hand every outstanding token to
 * `done` (which unmaps its buffers), then start the rings afresh (new,
 * zeroed allocations).  Program the queue again with virtq_program()
 * after virtio_mmio_negotiate().  Ownership: everything back to the CPU.
 * @retval 0; -COH_EBUSY the device was not reset since DRIVER_OK (no
 *         successful virtio_mmio_reset()): nothing done; -COH_ENOMEM the
 *         rings could not be allocated again (the queue is unusable).
 */
int virtq_recover(struct virtq *vq, void (*done)(void *token, void *ctx),
		  void *ctx);

/**
 * @brief As virtq_recover() for teardown: every outstanding token to `done`,
 * the rings kept as they are (for virtq_destroy()).
 * @retval 0; -COH_EBUSY as virtq_recover().
 */
int virtq_reclaim(struct virtq *vq, void (*done)(void *token, void *ctx),
		  void *ctx);

/**
 * @brief Ask for an interrupt on the next completion (section 2.7.7 /
 * 2.7.10): used_event = the next used index under EVENT_IDX, else
 * avail.flags without NO_INTERRUPT, released; a full barrier; used.idx
 * read again.  Until virtq_disable_cb(), each virtq_get() under EVENT_IDX
 * moves used_event on.
 * @retval 1 nothing pending: the interrupt will come (wait for it)
 * @retval 0 completions are already there: call virtq_get() (no
 *         interrupt may come for them)
 * @retval -COH_EPROTO broken; a maintenance failure's code
 * Not interrupt context (the submitter's).
 */
int virtq_enable_cb(struct virtq *vq);

/**
 * @brief No more interrupts wanted (polling).  Without EVENT_IDX sets
 * NO_INTERRUPT (released); with it writes nothing: used_event stays where
 * the last get left it, so at most the one interrupt already asked for
 * comes.  Any context that owns the queue; an interrupt handler may call
 * it before scheduling the completion work.
 */
void virtq_disable_cb(struct virtq *vq);

/** @brief Program the (empty) queue into the transport; errors of virtio_mmio_queue_set(). */
int virtq_program(struct virtq *vq);

/** @brief Free the rings.  -COH_EBUSY while requests are outstanding. */
int virtq_destroy(struct virtq *vq);

static inline unsigned virtq_free(const struct virtq *vq)
{
	return vq->num_free;
}

#endif
