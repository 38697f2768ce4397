/* SPDX-License-Identifier: MIT */
/*
 * Split virtqueues.  Layout and barrier facts: VirtIO 1.x sections 2.7.5
 * to 2.7.13 (descriptors before avail.idx, avail.idx before notify, used.idx
 * before used entries; vring_need_event arithmetic, 2.7.10).  The entries,
 * indices and their barriers and maintenance are coherent/queue.h's.
 */
#include "virtqueue.h"
#include "coherent/driver.h"

static int broken(struct virtq *vq)
{
	vq->broken = true;
	vq->vm->broken = true;
	return -COH_EPROTO;
}

/* The memory of one life of the queue. */
struct rings {
	struct coh_queue dq, aq, uq;
	struct virtq_desc_h ind;
};

static void free_parts(struct rings *r)
{
	if (r->dq.role)
		(void)coh_queue_destroy(&r->dq);
	if (r->aq.role)
		(void)coh_queue_destroy(&r->aq);
	if (r->uq.role)
		(void)coh_queue_destroy(&r->uq);
	if (coh_is_allocated(&r->ind))
		(void)coh_free(&r->ind);
}

static void free_rings(struct virtq *vq)
{
	struct rings r = { vq->dq, vq->aq, vq->uq, vq->ind };

	free_parts(&r);
	vq->dq = r.dq;
	vq->aq = r.aq;
	vq->uq = r.uq;
	vq->ind = r.ind;
}

/* Fresh, zeroed rings: the queue's first life, or its next after a reset. */
static int alloc_rings(struct virtq *vq)
{
	struct coh_device *dev = vq->vm->dev;
	size_t n = vq->size;
	const struct coh_queue_layout dl = {
		.count = n, .entry_size = sizeof(struct virtq_desc),
		.idx_off = COH_QUEUE_IDX_NONE,
	};
	/* flags, idx, ring[n], then the event index of the other side */
	const struct coh_queue_layout al = {
		.count = n, .entry_size = 2, .entries_off = 4, .idx_off = 2,
		.idx_size = 2, .idx_wrap = 65536, .size = 4 + 2 * n + 2,
	};
	/* avail_event is read as ring[n].id: room for that whole element */
	const struct coh_queue_layout ul = {
		.count = n, .entry_size = sizeof(struct virtq_used_elem),
		.entries_off = 4, .idx_off = 2, .idx_size = 2, .idx_wrap = 65536,
		.size = 4 + 8 * (n + 1),
	};
	int rc;

	rc = coh_queue_create(&vq->dq, dev, &dl, COH_QUEUE_CPU_PRODUCES, vq->attrs);
	if (!rc)
		rc = coh_queue_create(&vq->aq, dev, &al, COH_QUEUE_CPU_PRODUCES, vq->attrs);
	if (!rc)
		rc = coh_queue_create(&vq->uq, dev, &ul, COH_QUEUE_DEVICE_PRODUCES, vq->attrs);
	if (!rc && vq->indirect)
		rc = coh_alloc_shared(&vq->ind, dev, n * VIRTQ_IND_MAX, vq->attrs);
	if (rc) {
		free_rings(vq);
		return rc;
	}
	/* the same memory, typed, for the fields around the rings */
	vq->avail.m_ = vq->aq.mem;
	vq->used.m_ = vq->uq.mem;
	return 0;
}

/* Every descriptor on the free list, nothing outstanding (shadow only). */
static void reset_shadow(struct virtq *vq)
{
	for (uint16_t i = 0; i < vq->size; i++) {
		vq->next[i] = (uint16_t)(i + 1);
		vq->slot[i] = (struct virtq_slot){ 0 };
	}
	vq->free_head = 0;
	vq->num_free = vq->size;
	vq->avail_idx = vq->kicked_idx = vq->last_used = 0;
	vq->in_flight = 0;
	vq->broken = false;
	vq->cb = false;
	/* cannot fail: the device's memory was allocated, so it is maintainable */
	(void)coh_batch_init(&vq->batch, vq->vm->dev);
}

void virtq_cancel(struct virtq *vq)
{
	(void)coh_batch_end(&vq->batch);
	(void)coh_batch_init(&vq->batch, vq->vm->dev);
}

/* The shadow, and the one ring field the driver sets before first use. */
static void reset_state(struct virtq *vq)
{
	reset_shadow(vq);
	/*
	 * Polling driver: no interrupts wanted.  Without EVENT_IDX the flag
	 * says so; with it the flag is ignored and used_event stays 0 from
	 * allocation (as Linux's disable_cb writes), so the device interrupts
	 * at most once per 65536 completions, and no completion pays a clean
	 * and a barrier to move it.
	 */
	coh_write(&vq->avail, [0].flags,
		  coh_cpu_to_le16(vq->event_idx ? 0 : VIRTQ_AVAIL_F_NO_INTERRUPT));
}

int virtq_program(struct virtq *vq)
{
	return virtio_mmio_queue_set(vq->vm, vq->index, vq->size,
				     coh_queue_bus(&vq->dq), coh_queue_bus(&vq->aq),
				     coh_queue_bus(&vq->uq));
}

int virtq_init(struct virtq *vq, struct virtio_mmio *vm, unsigned index,
	       unsigned size, unsigned int attrs)
{
	int max, rc;

	if (!vq || !vm || !coh_is_pow2(size))
		return -COH_EINVAL;
	max = virtio_mmio_queue_max(vm, index);
	if (max < 0)
		return max;
	while (size > (unsigned)max || size > VIRTQ_MAX)
		size /= 2;
	if (size == 0)
		return -COH_ENODEV;

	*vq = (struct virtq){ .vm = vm, .index = index, .size = (uint16_t)size,
			      .attrs = attrs,
			      .event_idx = virtio_has(vm, VIRTIO_F_EVENT_IDX),
			      .indirect = virtio_has(vm, VIRTIO_F_INDIRECT_DESC) };
	rc = alloc_rings(vq);
	if (rc)
		return rc;
	reset_state(vq);
	rc = virtq_program(vq);
	if (rc)
		free_rings(vq);
	return rc;
}

int virtq_destroy(struct virtq *vq)
{
	if (vq->in_flight)
		return -COH_EBUSY;
	free_rings(vq);
	return 0;
}

static struct virtq_desc mkdesc(const struct virtq_seg *s, uint16_t flags,
				uint16_t next)
{
	return (struct virtq_desc){
		.addr = coh_cpu_to_le64(s->bus),
		.len = coh_cpu_to_le32(s->len),
		.flags = coh_cpu_to_le16((uint16_t)(flags | (s->write ? VIRTQ_DESC_F_WRITE : 0))),
		.next = coh_cpu_to_le16(next),
	};
}

int virtq_add(struct virtq *vq, const struct virtq_seg *s, unsigned n,
	      void *token)
{
	uint32_t wlen = 0;
	bool use_ind;
	uint16_t head, d, ndesc, le_head;
	int rc;

	if (!vq || !s || !token || n == 0)
		return -COH_EINVAL;
	for (unsigned i = 0; i < n; i++) {
		if (s[i].len == 0 || (i && s[i - 1].write && !s[i].write))
			return -COH_EINVAL;
		if (s[i].write) {
			if (s[i].len > UINT32_MAX - wlen)
				return -COH_EINVAL;
			wlen += s[i].len;
		}
	}
	use_ind = vq->indirect && n > 1 && n <= VIRTQ_IND_MAX;
	if (!use_ind && n > vq->size)
		return -COH_EINVAL;
	if (vq->broken)
		return -COH_EPROTO;
	ndesc = use_ind ? 1 : (uint16_t)n;
	if (vq->num_free < ndesc || !coh_queue_space(&vq->aq))
		return -COH_EAGAIN;

	head = d = vq->free_head;
	if (use_ind) {
		struct virtq_desc tab[VIRTQ_IND_MAX];
		struct virtq_seg t = { .bus = coh_bus(&vq->ind) +
					      (coh_bus_t)head * VIRTQ_IND_MAX *
						      sizeof(struct virtq_desc),
				       .len = (uint32_t)(n * sizeof(struct virtq_desc)) };
		struct virtq_desc hd;

		for (unsigned i = 0; i < n; i++)
			tab[i] = mkdesc(&s[i], i + 1 < n ? VIRTQ_DESC_F_NEXT : 0,
					(uint16_t)(i + 1));
		/* the table visible before the head that names it is published:
		 * cleaned now, completed by the kick's first barrier */
		rc = coh_put_batch(&vq->batch, &vq->ind, (size_t)head * VIRTQ_IND_MAX, n, tab);
		hd = mkdesc(&t, VIRTQ_DESC_F_INDIRECT, 0);
		if (!rc)
			rc = coh_queue_write(&vq->dq, head, &hd);
	} else {
		rc = 0;
		for (unsigned i = 0; i < n && !rc; i++) {
			uint16_t nx = vq->next[d];
			struct virtq_desc x = mkdesc(&s[i], i + 1 < n ? VIRTQ_DESC_F_NEXT : 0,
						     i + 1 < n ? nx : 0);

			rc = coh_queue_write(&vq->dq, d, &x);
			if (i + 1 < n)
				d = nx;
		}
	}
	le_head = coh_cpu_to_le16(head);
	if (!rc)
		rc = coh_queue_push(&vq->aq, &le_head);
	if (rc < 0)	/* a maintenance failure: nothing was published */
		return rc;
	vq->slot[head] = (struct virtq_slot){ .token = token, .wlen = wlen,
					      .ndesc = ndesc, .last = d, .busy = true };
	vq->free_head = vq->next[d];
	vq->num_free = (uint16_t)(vq->num_free - ndesc);
	vq->in_flight++;
	vq->avail_idx++;
	return 0;
}

int virtq_kick(struct virtq *vq)
{
	uint16_t old = vq->kicked_idx, now = vq->avail_idx;
	bool notify;
	int rc;

	if (vq->broken)
		return -COH_EPROTO;
	/* the request's pieces, descriptors and ring entries under one
	 * barrier, then avail.idx */
	rc = coh_queue_publish_batch(&vq->aq, &vq->dq, &vq->batch, NULL);
	if (rc)
		return rc;
	vq->kicked_idx = now;
	vq->kicks++;
	/*
	 * The index store before the load of avail_event / used.flags: else the
	 * device may go idle between our stale read and our store, and nobody
	 * notifies (the lost wake-up of section 2.7.10).
	 */
	coh_dma_mb();
	/*
	 * The CPU never writes the used ring (zeroed and released at
	 * allocation): its fields are invalidated, never flushed.
	 */
	if (vq->event_idx) {
		uint16_t ev = (uint16_t)coh_le32_to_cpu(
			coh_read_from_device(&vq->used, [0].ring[vq->size].id));

		notify = (uint16_t)(now - ev - 1) < (uint16_t)(now - old);
	} else {
		notify = !(coh_le16_to_cpu(coh_read_from_device(&vq->used, [0].flags)) &
			   VIRTQ_USED_F_NO_NOTIFY);
	}
	if (!notify)
		return 0;
	vq->notifies++;
	virtio_mmio_notify(vq->vm, vq->index);
	return 1;
}

/*
 * One driver-written field of the available ring, used_event (ev) or
 * flags: stored and its line cleaned (the batch's end completes the
 * clean), then a full barrier: the store before any later load of a
 * device-written index (virtio_store_mb in Linux), on every layout,
 * coherent or not.
 */
static int avail_store(struct virtq *vq, bool ev, uint16_t v)
{
	struct coh_batch bt;
	int rc = coh_batch_init(&bt, vq->vm->dev);

	if (rc)
		return rc;
	if (ev)
		rc = coh_write_batch(&bt, &vq->avail, [0].ring[vq->size], coh_cpu_to_le16(v));
	else
		rc = coh_write_batch(&bt, &vq->avail, [0].flags, coh_cpu_to_le16(v));
	rc = rc ? rc : coh_batch_end(&bt);
	if (rc)
		return rc;
	/* the store before the next used.idx load (the race of 2.7.10) */
	coh_dma_mb();
	return 0;
}

int virtq_get(struct virtq *vq, void **token, uint32_t *len)
{
	struct virtio_mmio *vm = vq->vm;
	struct virtq_used_elem e;
	struct virtq_slot *sl;
	uint32_t id, l;
	int ready;

	if (vq->broken)
		return -COH_EPROTO;
	/* entries the last poll saw first; else used.idx, a read barrier,
	 * the entries it publishes */
	ready = (int)coh_queue_ready(&vq->uq);
	if (!ready)
		ready = coh_queue_poll(&vq->uq);
	if (ready == 0)
		return -COH_EAGAIN;
	if (ready < 0 || ready > vq->in_flight) {
		virtio_count(vm, &vm->cnt.bad_used_idx);
		return broken(vq);
	}
	if (coh_queue_pop(&vq->uq, &e) < 0)
		return broken(vq);
	id = coh_le32_to_cpu(e.id);
	l = coh_le32_to_cpu(e.len);
	if (id >= vq->size || !vq->slot[id].busy) {
		virtio_count(vm, &vm->cnt.bad_used_id);
		return broken(vq);
	}
	sl = &vq->slot[id];
	if (l > sl->wlen) {
		virtio_count(vm, &vm->cnt.bad_used_len);
		return broken(vq);
	}
	*token = sl->token;
	*len = l;
	/* the chain back on the free list, from the shadow only */
	vq->next[sl->last] = vq->free_head;
	vq->free_head = (uint16_t)id;
	vq->num_free = (uint16_t)(vq->num_free + sl->ndesc);
	sl->busy = false;
	vq->in_flight--;
	vq->last_used++;
	/* one available entry consumed per completion: its slot is free again */
	(void)coh_queue_consumed(&vq->aq, vq->last_used);
	/*
	 * Interrupt-driven under EVENT_IDX: the next completion must interrupt
	 * again, so used_event follows last_used (coh_write: released, then a
	 * full barrier, the store before the next used.idx load).  Polling
	 * drivers never pay for it.
	 */
	if (vq->cb && vq->event_idx)
		return avail_store(vq, true, vq->last_used);
	return 0;
}

int virtq_enable_cb(struct virtq *vq)
{
	int rc, ready;

	if (!vq)
		return -COH_EINVAL;
	if (vq->broken)
		return -COH_EPROTO;
	vq->cb = true;
	/*
	 * The request (stored, then a full barrier) before the used.idx load:
	 * else a completion between our stale read and the device's read of
	 * used_event / flags raises no interrupt and nobody looks (2.7.10).
	 */
	rc = vq->event_idx ? avail_store(vq, true, vq->last_used) : avail_store(vq, false, 0);
	if (rc)
		return rc;
	ready = (int)coh_queue_ready(&vq->uq);
	if (!ready)
		ready = coh_queue_poll(&vq->uq);
	if (ready < 0)
		return ready;
	return ready ? 0 : 1;
}

void virtq_disable_cb(struct virtq *vq)
{
	if (!vq || !vq->cb)
		return;
	vq->cb = false;
	if (!vq->event_idx)
		(void)avail_store(vq, false, VIRTQ_AVAIL_F_NO_INTERRUPT);
}

int virtq_wait(struct virtq *vq, void **token, uint32_t *len)
{
	for (uint32_t i = 0; i < vq->vm->poll_budget; i++) {
		int rc;

		if (i && vq->vm->relax)
			vq->vm->relax(vq->vm->relax_ctx);
		rc = virtq_get(vq, token, len);
		if (rc != -COH_EAGAIN)
			return rc;
	}
	virtio_count(vq->vm, &vq->vm->cnt.timeouts);
	return -COH_ETIMEDOUT;
}

static int reclaim(struct virtq *vq, void (*done)(void *token, void *ctx),
		   void *ctx, bool reuse)
{
	struct rings old;
	int rc;

	/* our own record of a completed reset: a device cannot lie about it later */
	if (!vq->vm->stopped)
		return -COH_EBUSY;
	for (uint16_t i = 0; i < vq->size; i++)
		if (vq->slot[i].busy && done)
			done(vq->slot[i].token, ctx);
	reset_shadow(vq);
	if (!reuse)
		return 0;
	/*
	 * The next life starts from zeroed rings and indices, as the first did:
	 * new allocations, programmed again by virtq_program().  They are made
	 * before the old ones are freed, so they never take over lines that may
	 * still sit stale in the cache holding what the device wrote last.
	 */
	old = (struct rings){ vq->dq, vq->aq, vq->uq, vq->ind };
	vq->dq = vq->aq = vq->uq = (struct coh_queue){ 0 };
	vq->ind = (struct virtq_desc_h){ 0 };
	rc = alloc_rings(vq);
	free_parts(&old);
	if (rc) {
		/* no rings: every call refuses until a later recover succeeds */
		vq->avail = (struct virtq_avail_h){ 0 };
		vq->used = (struct virtq_used_h){ 0 };
		vq->broken = true;
		return rc;
	}
	reset_state(vq);
	return 0;
}

int virtq_recover(struct virtq *vq, void (*done)(void *token, void *ctx),
		  void *ctx)
{
	return reclaim(vq, done, ctx, true);
}

int virtq_reclaim(struct virtq *vq, void (*done)(void *token, void *ctx),
		  void *ctx)
{
	return reclaim(vq, done, ctx, false);
}
