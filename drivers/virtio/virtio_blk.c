/* SPDX-License-Identifier: MIT */
/*
 * virtio-blk.  Facts: VirtIO 1.x section 5.2 (feature bits, configuration
 * layout: capacity at 0, size_max at 8, seg_max at 12, blk_size at 20;
 * request header {type, reserved, sector}, trailing status byte).
 */
#include "virtio_blk.h"
#include "coherent/driver.h"

#define STATUS_UNWRITTEN 0xffu

static int setup(struct virtio_blk *b, uint64_t want)
{
	uint64_t v;
	int rc = virtio_mmio_negotiate(&b->vm, want);

	if (rc)
		return rc;
	rc = virtio_mmio_config(&b->vm, 0, 8, &v);
	if (rc)
		return rc;
	b->capacity = v;
	b->seg_max = VIRTIO_BLK_MAX_SEGS;
	if (virtio_has(&b->vm, VIRTIO_BLK_F_SEG_MAX)) {
		rc = virtio_mmio_config(&b->vm, 12, 4, &v);
		if (rc)
			return rc;
		if (v == 0)	/* a device that takes no segment is unusable */
			return -COH_EPROTO;
		if (v < b->seg_max)
			b->seg_max = (uint32_t)v;
	}
	b->size_max = 0;
	if (virtio_has(&b->vm, VIRTIO_BLK_F_SIZE_MAX)) {
		rc = virtio_mmio_config(&b->vm, 8, 4, &v);
		if (rc)
			return rc;
		if (v && v < VIRTIO_BLK_SECTOR)
			return -COH_EPROTO;
		b->size_max = (uint32_t)v;
	}
	b->can_flush = virtio_has(&b->vm, VIRTIO_BLK_F_FLUSH);
	b->read_only = virtio_has(&b->vm, VIRTIO_BLK_F_RO);
	return 0;
}

/* what the queue can carry at once: one descriptor a request with indirect tables */
static unsigned max_depth(const struct virtio_blk *b)
{
	unsigned q = b->vq.indirect ? b->vq.size : b->vq.size / 3;

	q = q ? q : 1;
	return q < VIRTIO_BLK_DEPTH_MAX ? q : VIRTIO_BLK_DEPTH_MAX;
}

int virtio_blk_req_init(struct virtio_blk *b, struct virtio_blk_req *r)
{
	int rc;

	if (!b || !r)
		return -COH_EINVAL;
	*r = (struct virtio_blk_req){ 0 };
	rc = coh_alloc_shared(&r->hdr, b->vm.dev, 1, b->ring_attrs);
	if (rc)
		return rc;
	rc = coh_alloc_shared(&r->st, b->vm.dev, 1, b->ring_attrs);
	if (rc) {
		coh_free(&r->hdr);
		return rc;
	}
	r->ready = true;
	return 0;
}

int virtio_blk_req_fini(struct virtio_blk *b, struct virtio_blk_req *r)
{
	if (!b || !r)
		return -COH_EINVAL;
	if (r->busy)
		return -COH_EBUSY;
	if (r->ready) {
		coh_free(&r->hdr);
		coh_free(&r->st);
		r->ready = false;
	}
	return 0;
}

int virtio_blk_set_depth(struct virtio_blk *b, unsigned depth)
{
	if (!b || depth < 1 || depth > max_depth(b))
		return -COH_EINVAL;
	b->depth = depth;
	return 0;
}

int virtio_blk_init(struct virtio_blk *b, void *mmio, struct coh_device *dev,
		    uint64_t want_mask, unsigned int ring_attrs, uint32_t budget)
{
	int rc;

	if (!b || !mmio || !dev)
		return -COH_EINVAL;
	*b = (struct virtio_blk){ .ring_attrs = ring_attrs };
	rc = virtio_mmio_probe(&b->vm, mmio, dev, budget);
	if (rc)
		return rc;
	if (b->vm.device_id != VIRTIO_ID_BLOCK)
		return -COH_ENODEV;
	rc = setup(b, want_mask);
	if (!rc)
		rc = virtio_blk_req_init(b, &b->sync);
	if (!rc)
		rc = virtq_init(&b->vq, &b->vm, 0, VIRTQ_MAX, ring_attrs);
	if (rc) {
		virtio_mmio_fail(&b->vm);
		(void)virtio_blk_req_fini(b, &b->sync);
		return rc;
	}
	b->depth = max_depth(b);
	virtio_mmio_driver_ok(&b->vm);
	return 0;
}

static void unmap_all(struct virtio_blk *b, struct virtio_blk_req *r)
{
	for (unsigned i = 0; i < r->nmap; i++)
		(void)coh_unmap_single_attrs(b->vm.dev, r->map_bus[i], r->map_len[i],
					     r->map_dir, 0);
	r->nmap = 0;
}

/*
 * A completed request's buffers: their invalidates join bt, completed by
 * the barrier that also covers the status byte (coh_batch_end_read).
 */
static void unmap_all_batch(struct virtio_blk *b, struct virtio_blk_req *r,
			    struct coh_batch *bt)
{
	for (unsigned i = 0; i < r->nmap; i++)
		(void)coh_unmap_single_batch(bt, b->vm.dev, r->map_bus[i],
					     r->map_len[i], r->map_dir);
	r->nmap = 0;
}

/* a request the reset took back: unmapped, completed as aborted */
static void reclaim(void *token, void *ctx)
{
	struct virtio_blk_req *r = token;
	struct virtio_blk *b = ctx;

	unmap_all(b, r);
	r->busy = false;
	r->status = -COH_EPROTO;
	b->inflight--;
}

int virtio_blk_recover(struct virtio_blk *b)
{
	int rc;

	b->vm.cnt.resets++;
	rc = virtio_mmio_reset(&b->vm);
	if (!rc)
		rc = virtq_recover(&b->vq, reclaim, b);
	if (!rc)
		rc = virtio_mmio_negotiate(&b->vm, b->vm.features);
	if (!rc)
		rc = virtq_program(&b->vq);
	if (rc == -COH_EINVAL)	/* the device shrank its queue across the reset */
		rc = -COH_EPROTO;
	if (rc) {
		b->dead = true;
		virtio_mmio_fail(&b->vm);
		return rc;
	}
	b->dead = false;
	virtio_mmio_driver_ok(&b->vm);
	return 0;
}

static int check_rw(struct virtio_blk *b, bool write, uint64_t sector,
		    const struct virtio_blk_seg *seg, unsigned nseg);

/*
 * Queue one request: header, nseg data segments, status.  Everything is
 * mapped before the first descriptor is written; nothing stays on error.
 */
static int queue_req(struct virtio_blk *b, struct virtio_blk_req *r, uint32_t type,
		     uint64_t sector, const struct virtio_blk_seg *seg, unsigned nseg)
{
	struct virtq_seg vs[VIRTIO_BLK_MAX_SEGS + 2];
	enum coh_dir dir = type == VIRTIO_BLK_T_IN ? COH_FROM_DEVICE : COH_TO_DEVICE;
	struct virtio_blk_hdr h = { .type = coh_cpu_to_le32(type),
				    .sector = coh_cpu_to_le64(sector) };
	int rc;

	if (b->dead)
		return -COH_EPROTO;
	if (r->busy)
		return -COH_EBUSY;
	if (b->inflight >= b->depth)
		return -COH_EAGAIN;
	r->map_dir = dir;
	r->nmap = 0;
	vs[0] = (struct virtq_seg){ .bus = coh_bus(&r->hdr), .len = sizeof(h) };
	for (unsigned i = 0; i < nseg; i++) {
		/* cleaned now, completed by the kick's first barrier */
		coh_bus_t bus = coh_map_single_batch(virtq_batch(&b->vq), b->vm.dev,
						     seg[i].buf, seg[i].len, dir);

		if (coh_mapping_error(b->vm.dev, bus)) {
			unmap_all(b, r);
			virtq_cancel(&b->vq);
			return -COH_ENOMEM;
		}
		r->map_bus[i] = bus;
		r->map_len[i] = seg[i].len;
		r->nmap = i + 1;
		vs[1 + i] = (struct virtq_seg){ .bus = bus, .len = (uint32_t)seg[i].len,
						.write = dir == COH_FROM_DEVICE };
	}
	vs[1 + nseg] = (struct virtq_seg){ .bus = coh_bus(&r->st), .len = 1,
					   .write = true };
	/* header and sentinel (a completion without a status write is
	 * refused): cleaned now, made visible by the kick's first barrier with
	 * the descriptors, not one barrier each */
	rc = coh_put_batch(virtq_batch(&b->vq), &r->hdr, 0, 1, &h);
	if (!rc)
		rc = coh_write_batch(virtq_batch(&b->vq), &r->st, [0].status,
				     STATUS_UNWRITTEN);
	if (!rc)
		rc = virtq_add(&b->vq, vs, nseg + 2, r);
	if (rc) {
		virtq_cancel(&b->vq);
		unmap_all(b, r);
		return rc;
	}
	r->busy = true;
	r->status = 0;
	b->inflight++;
	return 0;
}

/*
 * A completion: data and status under one barrier (only the device wrote
 * the status line since the sentinel's release), the status decoded.
 */
static int finish_req(struct virtio_blk *b, struct virtio_blk_req *r)
{
	struct coh_batch bt;
	uint8_t st;
	int rc;

	(void)coh_batch_init(&bt, b->vm.dev);
	unmap_all_batch(b, r, &bt);
	r->busy = false;
	b->inflight--;
	rc = coh_batch_end_read(&bt, &r->st, [0].status, &st);
	if (rc)
		return rc;
	switch (st) {
	case VIRTIO_BLK_S_OK:
		return 0;
	case VIRTIO_BLK_S_IOERR:
		return -COH_EIO;
	case VIRTIO_BLK_S_UNSUPP:
		return -COH_ENOTSUP;
	default:
		virtio_count(&b->vm, &b->vm.cnt.bad_status);
		return -COH_EPROTO;
	}
}

/* one completion from the used ring, any request; wait: poll up to the budget */
static int reap(struct virtio_blk *b, struct virtio_blk_req **done, bool wait)
{
	void *tok;
	uint32_t len;
	struct virtio_blk_req *r;
	int rc = wait ? virtq_wait(&b->vq, &tok, &len) : virtq_get(&b->vq, &tok, &len);

	if (rc == -COH_EAGAIN && !wait)
		return rc;
	if (rc) {
		/* the device still holds the buffers: reset takes them back */
		(void)virtio_blk_recover(b);
		return rc == -COH_EAGAIN ? -COH_EPROTO : rc;
	}
	r = tok;
	r->status = finish_req(b, r);
	*done = r;
	return 0;
}

/* A synchronous request: its own completion awaited, others' kept for complete(). */
static int request(struct virtio_blk *b, uint32_t type, uint64_t sector,
		   const struct virtio_blk_seg *seg, unsigned nseg)
{
	struct virtio_blk_req *r = &b->sync, *done;
	int rc;

	if (b->inflight)
		return -COH_EBUSY;	/* mixing with submit() in flight: complete those first */
	rc = queue_req(b, r, type, sector, seg, nseg);
	if (rc)
		return rc;
	rc = virtq_kick(&b->vq);
	if (rc < 0) {
		(void)virtio_blk_recover(b);
		return rc;
	}
	rc = reap(b, &done, true);
	if (rc)
		return rc;
	if (done != r)
		return -COH_EPROTO;	/* cannot happen: nothing else in flight */
	return r->status;
}

int virtio_blk_submit(struct virtio_blk *b, struct virtio_blk_req *r, bool write,
		      uint64_t sector, const struct virtio_blk_seg *seg, unsigned nseg,
		      void *cookie)
{
	int rc;

	if (!b || !r || r == &b->sync || !r->ready)
		return -COH_EINVAL;
	rc = check_rw(b, write, sector, seg, nseg);
	if (rc)
		return rc;
	rc = queue_req(b, r, write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN, sector, seg, nseg);
	if (!rc) {
		r->cookie = cookie;
		b->seq++;
	}
	return rc;
}

int virtio_blk_kick(struct virtio_blk *b)
{
	int rc;

	if (!b)
		return -COH_EINVAL;
	rc = virtq_kick(&b->vq);
	if (rc < 0) {
		(void)virtio_blk_recover(b);
		return rc;
	}
	return 0;
}

int virtio_blk_complete(struct virtio_blk *b, struct virtio_blk_req **done)
{
	if (!b || !done)
		return -COH_EINVAL;
	if (!b->inflight)
		return -COH_EAGAIN;
	return reap(b, done, false);
}

/* the checks of every read or write, before anything is mapped */
static int check_rw(struct virtio_blk *b, bool write, uint64_t sector,
		    const struct virtio_blk_seg *seg, unsigned nseg)
{
	uint64_t total = 0;
	unsigned limit;

	if (!seg || nseg == 0)
		return -COH_EINVAL;
	/* header + segments + status must fit the descriptors or one table */
	limit = b->vq.indirect ? VIRTQ_IND_MAX : b->vq.size;
	if (nseg > b->seg_max || nseg > VIRTIO_BLK_MAX_SEGS || nseg + 2 > limit)
		return -COH_EINVAL;
	for (unsigned i = 0; i < nseg; i++) {
		if (!seg[i].buf || seg[i].len == 0 ||
		    seg[i].len % VIRTIO_BLK_SECTOR || seg[i].len > UINT32_MAX ||
		    (b->size_max && seg[i].len > b->size_max))
			return -COH_EINVAL;
		total += seg[i].len;
	}
	total /= VIRTIO_BLK_SECTOR;
	if (sector > b->capacity || total > b->capacity - sector)
		return -COH_ERANGE;
	if (write && b->read_only)
		return -COH_ENOTSUP;
	return 0;
}

int virtio_blk_rw(struct virtio_blk *b, bool write, uint64_t sector,
		  const struct virtio_blk_seg *seg, unsigned nseg)
{
	int rc;

	if (!b)
		return -COH_EINVAL;
	rc = check_rw(b, write, sector, seg, nseg);
	if (rc)
		return rc;
	return request(b, write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN, sector,
		       seg, nseg);
}

int virtio_blk_read(struct virtio_blk *b, uint64_t sector, void *buf,
		    size_t nsect)
{
	struct virtio_blk_seg s = { buf, nsect * VIRTIO_BLK_SECTOR };

	if (nsect > SIZE_MAX / VIRTIO_BLK_SECTOR)
		return -COH_EINVAL;
	return virtio_blk_rw(b, false, sector, &s, 1);
}

int virtio_blk_write(struct virtio_blk *b, uint64_t sector, const void *buf,
		     size_t nsect)
{
	struct virtio_blk_seg s = { (void *)(uintptr_t)buf, nsect * VIRTIO_BLK_SECTOR };

	if (nsect > SIZE_MAX / VIRTIO_BLK_SECTOR)
		return -COH_EINVAL;
	return virtio_blk_rw(b, true, sector, &s, 1);
}

int virtio_blk_flush(struct virtio_blk *b)
{
	if (!b)
		return -COH_EINVAL;
	if (!b->can_flush)
		return -COH_ENOTSUP;
	return request(b, VIRTIO_BLK_T_FLUSH, 0, NULL, 0);
}

int virtio_blk_destroy(struct virtio_blk *b)
{
	int rc;

	if (!b)
		return -COH_EINVAL;
	/* the device stops first; whatever it still held comes back unmapped */
	rc = virtio_mmio_reset(&b->vm);
	if (rc)
		return rc;
	(void)virtq_reclaim(&b->vq, reclaim, b);
	rc = virtq_destroy(&b->vq);

	if (rc)
		return rc;
	return virtio_blk_req_fini(b, &b->sync);
}
