/* SPDX-License-Identifier: MIT */
/*
 * drivers/virtio/virtio_blk.h - virtio-blk (VirtIO 1.x section 5.2) over
 * the virtio-mmio transport and one split virtqueue.
 *
 * Requests are synchronous (submit, kick, poll for the completion) and
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
 *   errors of coh_map_single (-COH_ENOMEM: mapping records or bounce pool)
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

struct virtio_blk {
	struct virtio_mmio vm;
	struct virtq vq;
	unsigned int ring_attrs;
	uint64_t capacity;		/* sectors, read once at init */
	uint32_t seg_max;		/* data segments per request */
	uint32_t size_max;		/* bytes per segment, 0: no limit */
	bool can_flush, read_only, dead;
	struct virtio_blk_hdr_h hdr;
	struct virtio_blk_status_h st;
	/* the request in flight: its maps, for unmap and recovery */
	unsigned nmap;
	coh_bus_t map_bus[VIRTIO_BLK_MAX_SEGS];
	size_t map_len[VIRTIO_BLK_MAX_SEGS];
	enum coh_dir map_dir;
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
