/* SPDX-License-Identifier: MIT */
/*
 * drivers/virtio/virtio_blk.h - virtio-blk (VirtIO 1.x section 5.2) over
 * the virtio-mmio transport and one split virtqueue.
 *
 * Requests are either synchronous (virtio_blk_rw and friends: submit,
 * kick, poll for its completion) or many in flight (virtio_blk_submit,
 * virtio_blk_kick, virtio_blk_complete: up to b->depth at once, each in a
 * caller-owned struct virtio_blk_req, completed in whatever order the
 * device answers: the used ring's id names the request).  Each is
 * carried as: header (device-readable, typed shared memory), the caller's
 * data segments (streaming maps: FROM_DEVICE for reads, TO_DEVICE for
 * writes; the device needs a struct coh_stream attached), and the status
 * byte (device-written, its own cache line, preset to 0xff so a device
 * that never writes it is caught).
 *
 * Errors of every request call (nothing is submitted on an argument error,
 * and nothing stays mapped on any error):
 *   -COH_EINVAL    zero length, a segment not a whole number of sectors,
 *                  NULL, more segments than the device or queue accepts
 *                  (seg_max, descriptors), a segment above size_max
 *   -COH_ERANGE    sector range beyond the capacity (or wrapping)
 *   -COH_ENOTSUP   FLUSH not offered; a write to a read-only device
 *   -COH_EIO       the device answered VIRTIO_BLK_S_IOERR
 *   -COH_EPROTO    the device broke the protocol (used ring refused, status
 *                  byte unknown or never written): counted, device reset
 *   -COH_ETIMEDOUT no completion within the poll budget: device reset
 *   -COH_ENOMEM    a buffer could not be mapped (mapping records or bounce
 *                  space, retryable; or no stream / unreachable without a
 *                  bounce pool: the library's diagnostic says which)
 *   -COH_EAGAIN    (virtio_blk_submit) b->depth requests in flight already,
 *                  or no descriptors free: complete some first
 *   -COH_EBUSY     (the synchronous calls) requests of virtio_blk_submit are
 *                  still in flight: complete them first; (virtio_blk_submit)
 *                  this request is in flight
 * After -COH_EPROTO / -COH_ETIMEDOUT the device was reset and set up again
 * (cnt.resets); if that fails too, b->dead is set and every later request
 * returns -COH_EPROTO until virtio_blk_recover() succeeds.  If the reset
 * itself never completed, the buffers of the request in flight stay mapped
 * to the device (it may still write them): the caller must not reuse them
 * until a later virtio_blk_recover() succeeds.
 */
#ifndef COHERENT_DRIVERS_VIRTIO_BLK_H
#define COHERENT_DRIVERS_VIRTIO_BLK_H

#include "virtqueue.h"

#define VIRTIO_BLK_F_SIZE_MAX	1
#define VIRTIO_BLK_F_SEG_MAX	2
#define VIRTIO_BLK_F_RO		5
#define VIRTIO_BLK_F_BLK_SIZE	6
#define VIRTIO_BLK_F_FLUSH	9

#define VIRTIO_BLK_T_IN		0
#define VIRTIO_BLK_T_OUT	1
#define VIRTIO_BLK_T_FLUSH	4

#define VIRTIO_BLK_S_OK		0
#define VIRTIO_BLK_S_IOERR	1
#define VIRTIO_BLK_S_UNSUPP	2

#define VIRTIO_BLK_SECTOR	512u
#define VIRTIO_BLK_MAX_SEGS	64	/* data segments of one request */

struct virtio_blk_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

struct virtio_blk_status {
	uint8_t status;
};

COH_DECLARE_SHARED(virtio_blk_hdr_h, struct virtio_blk_hdr);
COH_DECLARE_SHARED(virtio_blk_status_h, struct virtio_blk_status);

/* One data segment of a request: whole sectors, any alignment. */
struct virtio_blk_seg {
	void *buf;
	size_t len;
};

#define VIRTIO_BLK_DEPTH_MAX	32	/* requests in flight at most */

/*
 * One request: its header and status byte (typed shared memory of its own,
 * virtio_blk_req_init), its maps while in flight, its result.  Caller-owned
 * memory; the driver's between virtio_blk_submit and its completion.
 */
struct virtio_blk_req {
	struct virtio_blk_hdr_h hdr;
	struct virtio_blk_status_h st;
	unsigned nmap;
	coh_bus_t map_bus[VIRTIO_BLK_MAX_SEGS];
	size_t map_len[VIRTIO_BLK_MAX_SEGS];
	enum coh_dir map_dir;
	bool ready;			/* virtio_blk_req_init succeeded */
	bool busy;			/* submitted, not completed */
	int status;			/* the result, once completed (0 or -COH_E*) */
	void *cookie;			/* the caller's */
};

struct virtio_blk {
	struct virtio_mmio vm;
	struct virtq vq;
	unsigned int ring_attrs;
	uint64_t capacity;		/* sectors, read once at init */
	uint32_t seg_max;		/* data segments per request */
	uint32_t size_max;		/* bytes per segment, 0: no limit */
	bool can_flush, read_only, dead;
	unsigned depth;			/* requests in flight at most (virtio_blk_set_depth) */
	unsigned inflight;		/* submitted, not completed */
	struct virtio_blk_req sync;	/* the synchronous calls' request */
	unsigned long ooo;		/* completions that overtook an older request */
	uint64_t seq;			/* submissions, for ooo */
};

/**
 * @brief Bring up the virtio-blk device found at `mmio` (one transport
 * window, already probed or not): negotiate (VERSION_1, SEG_MAX,
 * SIZE_MAX, BLK_SIZE, FLUSH, RO, INDIRECT_DESC, EVENT_IDX - those in
 * `want_mask`), read the capacity, set up queue 0 with rings allocated
 * with ring_attrs, DRIVER_OK.
 * @retval 0; errors of virtio_mmio_probe/negotiate and virtq_init;
 *         -COH_ENODEV not a block device; -COH_EPROTO unstable config.
 */
int virtio_blk_init(struct virtio_blk *b, void *mmio, struct coh_device *dev,
		    uint64_t want_mask, unsigned int ring_attrs, uint32_t budget);

/** @brief Default features virtio_blk_init() asks for. */
#define VIRTIO_BLK_WANT                                                       \
	(VIRTIO_BIT(VIRTIO_BLK_F_SIZE_MAX) | VIRTIO_BIT(VIRTIO_BLK_F_SEG_MAX) | \
	 VIRTIO_BIT(VIRTIO_BLK_F_RO) | VIRTIO_BIT(VIRTIO_BLK_F_BLK_SIZE) |     \
	 VIRTIO_BIT(VIRTIO_BLK_F_FLUSH) | VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC) | \
	 VIRTIO_BIT(VIRTIO_F_EVENT_IDX))

/**
 * @brief Read (write = false) or write sectors [sector, sector + total/512)
 * through nseg segments.  Ownership: the segments are the device's during
 * the call and the caller's again when it returns, whatever the result.
 * @retval 0; errors in the header comment.
 */
int virtio_blk_rw(struct virtio_blk *b, bool write, uint64_t sector,
		  const struct virtio_blk_seg *seg, unsigned nseg);

/** @brief One-segment read of nsect sectors into buf. */
int virtio_blk_read(struct virtio_blk *b, uint64_t sector, void *buf,
		    size_t nsect);

/** @brief One-segment write of nsect sectors from buf. */
int virtio_blk_write(struct virtio_blk *b, uint64_t sector, const void *buf,
		     size_t nsect);

/** @brief FLUSH (when offered): earlier writes are on stable storage. */
int virtio_blk_flush(struct virtio_blk *b);

/**
 * @brief Allocate a request's header and status byte (each its own
 * allocation: the status line is device-written, the header's CPU-written).
 * @retval 0; -COH_EINVAL NULL; allocation errors of coh_alloc_shared.
 */
int virtio_blk_req_init(struct virtio_blk *b, struct virtio_blk_req *r);

/** @brief Free them.  -COH_EBUSY while the request is in flight. */
int virtio_blk_req_fini(struct virtio_blk *b, struct virtio_blk_req *r);

/**
 * @brief Requests in flight at most: 1..VIRTIO_BLK_DEPTH_MAX, and no more
 * than the queue holds (its size; each request takes one descriptor with
 * INDIRECT_DESC, nseg + 2 without).  virtio_blk_init sets the largest.
 * @retval 0; -COH_EINVAL out of range (nothing changed).
 */
int virtio_blk_set_depth(struct virtio_blk *b, unsigned depth);

/**
 * @brief Queue one request (checked and mapped as virtio_blk_rw; r from
 * virtio_blk_req_init, not in flight), unpublished until virtio_blk_kick.
 * Ownership: the segments are the device's until r completes.
 * @retval 0; -COH_EAGAIN b->depth in flight or no descriptors (nothing
 *         mapped); -COH_EBUSY r is in flight; errors of virtio_blk_rw.
 */
int virtio_blk_submit(struct virtio_blk *b, struct virtio_blk_req *r, bool write,
		      uint64_t sector, const struct virtio_blk_seg *seg, unsigned nseg,
		      void *cookie);

/** @brief Publish the queued requests, notify if asked.  0; -COH_EPROTO broken. */
int virtio_blk_kick(struct virtio_blk *b);

/**
 * @brief Take one completed request, in the order the device answered:
 * its buffers unmapped (the CPU's again), r->status its result (0, or an
 * error of virtio_blk_rw), *done set to it.
 * @retval 0 one completed; -COH_EAGAIN none yet; -COH_EPROTO the device
 *         broke the protocol: it was reset, every request in flight
 *         completed with -COH_EPROTO (take them with further calls).
 */
int virtio_blk_complete(struct virtio_blk *b, struct virtio_blk_req **done);

/**
 * @brief Reset the device, take every outstanding buffer back, set it up
 * again.  Called by the request calls after a refusal or a timeout.
 * @retval 0; errors of reset/negotiate/queue setup (then b->dead).
 */
int virtio_blk_recover(struct virtio_blk *b);

/**
 * @brief Reset the device, unmap whatever it still held, free the rings.
 * @retval 0; -COH_ETIMEDOUT the reset never completed (nothing freed).
 */
int virtio_blk_destroy(struct virtio_blk *b);

#endif
