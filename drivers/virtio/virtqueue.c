/* SPDX-License-Identifier: MIT */
/*
 * Split virtqueues.  Layout and barrier facts: VirtIO 1.x sections 2.7.5
 * to 2.7.13 (descriptors before avail.idx, avail.idx before notify, used.idx
 * before used entries; vring_need_event arithmetic, 2.7.10).
 */
#include "virtqueue.h"
#include "virtio_compat.h"

/* Test builds delete one barrier to show a test fails (tests/virtio). */
#if !defined(VIRTIO_MUTATE)
#define VIRTIO_MUTATE 0
#endif

static int broken(struct virtq *vq)
{
	vq->broken = true;
	vq->vm->broken = true;
	return -COH_EPROTO;
}

/* Empty rings, every descriptor on the free list (shadow and memory). */
static void reset_state(struct virtq *vq)
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
	/* polling driver: no interrupts wanted (ignored under EVENT_IDX) */
	coh_write(&vq->avail, [0].flags,
		  coh_cpu_to_le16(vq->event_idx ? 0 : VIRTQ_AVAIL_F_NO_INTERRUPT));
	coh_write(&vq->avail, [0].idx, 0);
	coh_write(&vq->avail, [0].ring[vq->size], 0);	/* used_event */
}

int virtq_program(struct virtq *vq)
{
	return virtio_mmio_queue_set(vq->vm, vq->index, vq->size, coh_bus(&vq->desc),
				     coh_bus(&vq->avail), coh_bus(&vq->used));
}

static void free_rings(struct virtq *vq)
{
	if (vq->desc.m_.cpu_)
		coh_free(&vq->desc);
	if (vq->avail.m_.cpu_)
		coh_free(&vq->avail);
	if (vq->used.m_.cpu_)
		coh_free(&vq->used);
	if (vq->ind.m_.cpu_)
		coh_free(&vq->ind);
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
	if (max == 0)
		return -COH_ENODEV;
	while (size > (unsigned)max || size > VIRTQ_MAX)
		size /= 2;
	if (size == 0)
		return -COH_ENODEV;

	*vq = (struct virtq){ .vm = vm, .index = index, .size = (uint16_t)size,
			      .event_idx = virtio_has(vm, VIRTIO_F_EVENT_IDX),
			      .indirect = virtio_has(vm, VIRTIO_F_INDIRECT_DESC) };
	rc = coh_alloc_shared(&vq->desc, vm->dev, size, attrs);
	if (!rc)	/* ring[size] is used_event */
		rc = coh_alloc_shared_flex(&vq->avail, vm->dev, ring, size + 1, attrs);
	if (!rc)	/* ring[size] carries avail_event */
		rc = coh_alloc_shared_flex(&vq->used, vm->dev, ring, size + 1, attrs);
	if (!rc && vq->indirect)
		rc = coh_alloc_shared(&vq->ind, vm->dev, size * VIRTQ_IND_MAX, attrs);
	if (rc) {
		free_rings(vq);
		return rc;
	}
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
	uint16_t head, d, ndesc;

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
	if (vq->num_free < ndesc)
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
		/* the table is released (cached) before the head that names it */
		coh_put(&vq->ind, (size_t)head * VIRTQ_IND_MAX, n, tab);
		hd = mkdesc(&t, VIRTQ_DESC_F_INDIRECT, 0);
		coh_put(&vq->desc, head, 1, &hd);
	} else {
		for (unsigned i = 0; i < n; i++) {
			uint16_t nx = vq->next[d];
			struct virtq_desc x = mkdesc(&s[i], i + 1 < n ? VIRTQ_DESC_F_NEXT : 0,
						     i + 1 < n ? nx : 0);

			coh_put(&vq->desc, d, 1, &x);
			if (i + 1 < n)
				d = nx;
		}
	}
	vq->slot[head] = (struct virtq_slot){ .token = token, .wlen = wlen,
					      .ndesc = ndesc, .last = d, .busy = true };
	vq->free_head = vq->next[d];
	vq->num_free = (uint16_t)(vq->num_free - ndesc);
	vq->in_flight++;
	coh_write(&vq->avail, [0].ring[vq->avail_idx & (vq->size - 1)],
		  coh_cpu_to_le16(head));
	vq->avail_idx++;
	return 0;
}

int virtq_kick(struct virtq *vq)
{
	uint16_t old = vq->kicked_idx, now = vq->avail_idx;
	bool notify;

	if (vq->broken)
		return -COH_EPROTO;
	/* descriptors and ring entries before the index that publishes them */
	if (VIRTIO_MUTATE != 1)
		coh_dma_wmb();
	coh_write(&vq->avail, [0].idx, coh_cpu_to_le16(now));
	vq->kicked_idx = now;
	vq->kicks++;
	/*
	 * The index store before the load of avail_event / used.flags: else the
	 * device may go idle between our stale read and our store, and nobody
	 * notifies (the lost wake-up of section 2.7.10).
	 */
	if (VIRTIO_MUTATE != 2)
		coh_dma_mb();
	if (vq->event_idx) {
		uint16_t ev = (uint16_t)coh_le32_to_cpu(
			coh_read(&vq->used, [0].ring[vq->size].id));

		notify = (uint16_t)(now - ev - 1) < (uint16_t)(now - old);
	} else {
		notify = !(coh_le16_to_cpu(coh_read(&vq->used, [0].flags)) &
			   VIRTQ_USED_F_NO_NOTIFY);
	}
	if (!notify)
		return 0;
	vq->notifies++;
	virtio_mmio_notify(vq->vm, vq->index);
	return 1;
}

int virtq_get(struct virtq *vq, void **token, uint32_t *len)
{
	struct virtio_mmio *vm = vq->vm;
	uint16_t idx, pos;
	uint32_t id, l;
	struct virtq_used_elem e;
	struct virtq_slot *sl;

	if (vq->broken)
		return -COH_EPROTO;
	idx = coh_le16_to_cpu(coh_read(&vq->used, [0].idx));
	if (idx == vq->last_used)
		return -COH_EAGAIN;
	if ((uint16_t)(idx - vq->last_used) > vq->in_flight) {
		virtio_count(vm, &vm->cnt.bad_used_idx);
		return broken(vq);
	}
	/* used.idx before the entry it publishes */
	if (VIRTIO_MUTATE != 3)
		coh_dma_rmb();
	pos = vq->last_used & (vq->size - 1);
	e = coh_read(&vq->used, [0].ring[pos]);
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
	if (vq->event_idx)	/* interrupt wanted after the next completion */
		coh_write(&vq->avail, [0].ring[vq->size],
			  coh_cpu_to_le16(vq->last_used));
	return 0;
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

int virtq_recover(struct virtq *vq, void (*done)(void *token, void *ctx),
		  void *ctx)
{
	/* our own record of a completed reset: a device cannot lie about it later */
	if (!vq->vm->stopped)
		return -COH_EBUSY;
	for (uint16_t i = 0; i < vq->size; i++)
		if (vq->slot[i].busy && done)
			done(vq->slot[i].token, ctx);
	reset_state(vq);
	/*
	 * The next life starts from used.idx 0 and avail_event 0, as the first
	 * did.  Each is read first: that acquire drops a stale cached copy of
	 * the device's line, whose bytes the write's release would otherwise
	 * put back over what the device wrote.
	 */
	(void)coh_read(&vq->used, [0].idx);
	coh_write(&vq->used, [0].idx, 0);
	(void)coh_read(&vq->used, [0].ring[vq->size].id);
	coh_write(&vq->used, [0].ring[vq->size].id, 0);
	return 0;
}
