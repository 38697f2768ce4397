/* SPDX-License-Identifier: MIT */
/*
 * src/queue.c - the index-published queue (coherent/queue.h).
 *
 * Like the ring, every operation with maintenance is a maintenance batch
 * (src/fence.c) begun over the queue's whole memory, so a backend that
 * cannot maintain it fails the call before anything is written or read.
 */
#include "coherent/queue.h"
#include "internal.h"

static inline uint64_t coh__qwrap(const struct coh_queue *q)
{
	return q->l.idx_wrap ? q->l.idx_wrap : (uint64_t)1 << 32;
}

/* entries from index a to index b */
static inline uint64_t coh__qdist(const struct coh_queue *q, uint32_t a, uint32_t b)
{
	uint64_t w = coh__qwrap(q);

	return ((uint64_t)b + w - a) % w;
}

static inline uint32_t coh__qadd(const struct coh_queue *q, uint32_t a, uint64_t n)
{
	return (uint32_t)(((uint64_t)a + n) % coh__qwrap(q));
}

static inline uintptr_t coh__qentry(const struct coh_queue *q, size_t slot)
{
	return q->mem.cpu_ + q->l.entries_off + slot * q->l.entry_size;
}

int coh_queue_create_at(struct coh_queue *q, struct coh_device *dev,
			const struct coh_queue_layout *layout, int role,
			unsigned int attrs, const struct coh_where *where)
{
	struct coh_queue_layout l;
	size_t eend, iend = 0;
	uint64_t wrap;
	int rc;

	coh__api_check(q && dev && layout, where, COH_EINVAL, "coh_queue_create: NULL argument");
	*q = (struct coh_queue){ .mem.bus = COH_BUS_ERROR };
	l = *layout;
	coh__api_check(role == COH_QUEUE_CPU_PRODUCES || role == COH_QUEUE_DEVICE_PRODUCES,
		       where, COH_EINVAL, "coh_queue_create: unknown role");
	coh__api_check(l.count && l.entry_size, where, COH_EINVAL,
		       "coh_queue_create: zero entries or entry size");
	coh__api_check(l.count <= (SIZE_MAX - l.entries_off) / l.entry_size, where,
		       COH_EOVERFLOW, "coh_queue_create: entries overflow");
	eend = l.entries_off + l.count * l.entry_size;
	wrap = l.idx_wrap ? l.idx_wrap : (uint64_t)1 << 32;
	coh__api_check(wrap % l.count == 0, where, COH_EINVAL,
		       "coh_queue_create: the index wrap is not a multiple of count");
	if (l.idx_off != COH_QUEUE_IDX_NONE) {
		coh__api_check((l.idx_size == 2 || l.idx_size == 4) &&
				       l.idx_off % l.idx_size == 0 &&
				       l.idx_off <= SIZE_MAX - l.idx_size,
			       where, COH_EINVAL, "coh_queue_create: index size or alignment");
		coh__api_check(l.idx_size == 4 || wrap <= 65536, where, COH_EINVAL,
			       "coh_queue_create: a 16-bit index cannot wrap above 65536");
		iend = l.idx_off + l.idx_size;
		coh__api_check(iend <= l.entries_off || l.idx_off >= eend, where, COH_EINVAL,
			       "coh_queue_create: the index overlaps the entries");
	}
	if (!l.size)
		l.size = eend > iend ? eend : iend;
	coh__api_check(l.size >= eend && l.size >= iend, where, COH_EINVAL,
		       "coh_queue_create: size smaller than entries and index");
	rc = coh__mem_alloc(&q->mem, dev, 1, l.size, COH_MAX_LINE, attrs,
			    COH_MEM_SHARED, where);
	if (rc)
		return rc;
	q->l = l;
	q->role = role;
	q->line = (q->mem.state & COH_MEM_SYNC) ? coh__line_size() : 0;
	return 0;
}

int coh_queue_destroy_at(struct coh_queue *q, const struct coh_where *where)
{
	coh__api_check(q && q->role, where, COH_EINVAL, "coh_queue_destroy: not a queue");
	q->role = 0;
	return coh__mem_free(&q->mem, where);
}

static int coh__qbegin(const struct coh_queue *q, struct coh_batch *b,
		       const struct coh_where *where)
{
	int rc;

	*b = (struct coh_batch){ .dev = q->mem.dev };
	if (!q->line)
		return 0;
	rc = coh__batch_begin(b, q->mem.dev, q->mem.cpu_, q->mem.cpu_ + q->l.size);
	if (rc)
		coh__diag(where, "queue: the queue's memory cannot be maintained", rc);
	return rc;
}

static void coh__qwrite(struct coh_queue *q, size_t slot, const void *entry,
			const struct coh_where *where)
{
	uintptr_t a = coh__qentry(q, slot);

	coh_arch_store((const void *)a, q->l.entry_size, where);
	__builtin_memcpy((void *)a, entry, q->l.entry_size);
}

int coh_queue_push_at(struct coh_queue *q, const void *entry,
		      const struct coh_where *where)
{
	size_t slot;

	coh__api_check(q && entry && q->role == COH_QUEUE_CPU_PRODUCES, where, COH_EINVAL,
		       "coh_queue_push: NULL argument or not a producer queue");
	if (!coh_queue_space(q))
		return -COH_EAGAIN;
	slot = q->prod % q->l.count;
	coh__qwrite(q, slot, entry, where);
	q->prod = coh__qadd(q, q->prod, 1);
	return (int)slot;
}

int coh_queue_write_at(struct coh_queue *q, size_t slot, const void *entry,
		       const struct coh_where *where)
{
	coh__api_check(q && entry && q->role == COH_QUEUE_CPU_PRODUCES, where, COH_EINVAL,
		       "coh_queue_write: NULL argument or not a producer queue");
	coh__api_check(slot < q->l.count, where, COH_ERANGE, "coh_queue_write: slot out of range");
	coh__qwrite(q, slot, entry, where);
	if (q->dlo == q->dhi) {
		q->dlo = slot;
		q->dhi = slot + 1;
	} else {
		q->dlo = slot < q->dlo ? slot : q->dlo;
		q->dhi = slot + 1 > q->dhi ? slot + 1 : q->dhi;
	}
	return 0;
}

/*
 * Clean [s, e) into b, except the line at `skip` (0: none): the index's
 * line, cleaned after the index store anyway.  Entries sharing it need no
 * clean of their own: a write-back of that line at any moment carries them
 * with the index it holds then - the old one (entries not yet announced)
 * or the new one (entries there too).
 */
static int coh__qclean(struct coh_queue *q, struct coh_batch *b, uintptr_t s,
		       uintptr_t e, uintptr_t skip, const struct coh_where *where)
{
	int rc = 0;

	if (skip && s < skip + q->line && e > skip) {
		if (s < skip)
			rc = coh__batch_add(b, COH__CLEAN, s, skip, COH_OP_RELEASE, -1, where);
		if (!rc && e > skip + q->line)
			rc = coh__batch_add(b, COH__CLEAN, skip + q->line, e,
					    COH_OP_RELEASE, -1, where);
		return rc;
	}
	return coh__batch_add(b, COH__CLEAN, s, e, COH_OP_RELEASE, -1, where);
}

/* release what q holds unpublished: [pub, prod) and the written window */
static int coh__qrelease(struct coh_queue *q, struct coh_batch *b, uintptr_t skip,
			 const struct coh_where *where)
{
	uint64_t n = coh__qdist(q, q->pub, q->prod);
	size_t first = q->pub % q->l.count, k;
	int rc = 0;

	if (!q->line)
		return 0;
	/* at most two runs of slots: up to the end of the ring, then from 0 */
	while (n && !rc) {
		k = q->l.count - first < n ? q->l.count - first : (size_t)n;
		rc = coh__qclean(q, b, coh__qentry(q, first), coh__qentry(q, first + k),
				 skip, where);
		n -= k;
		first = 0;
	}
	if (!rc && q->dlo != q->dhi)
		rc = coh__qclean(q, b, coh__qentry(q, q->dlo), coh__qentry(q, q->dhi),
				 skip, where);
	return rc;
}

/*
 * A driver's batch joins the queue's first barrier: its lines' cleans were
 * issued as the pieces were written, the barrier before the index completes
 * them with the entries'.  Queue memory without maintenance has no batch of
 * its own to join: the driver's batch's barrier then stands in for the
 * coh_dma_wmb (it orders earlier stores too), or is that coh_dma_wmb when
 * the batch holds stores only (uncached pieces, a coherent device).
 */
static void coh__qjoin(struct coh_batch *b, struct coh_batch *drv)
{
	if (!drv)
		return;
	if (b->line) {
		b->did |= drv->did;
		for (int i = 0; i < 3; i++)
			b->lines[i] += drv->lines[i];
		drv->did = 0;
		drv->lines[0] = drv->lines[1] = drv->lines[2] = 0;
	} else if (drv->did == COH__CLEAN && !(drv->lines[0] | drv->lines[1] | drv->lines[2])) {
		/* stores only, no line to complete: ordered before the index
		 * like the entries (the doorbell's MMIO write orders the rest) */
		drv->did = 0;
		coh_dma_wmb();
	} else {
		coh__batch_barrier(drv);
	}
}

static int coh__qpublish(struct coh_queue *q, struct coh_queue *with,
			 struct coh_batch *drv, uint32_t *idx,
			 const struct coh_where *where)
{
	struct coh_batch b, bw;
	int rc;

	coh__api_check(q && q->role == COH_QUEUE_CPU_PRODUCES, where, COH_EINVAL,
		       "coh_queue_publish: NULL or not a producer queue");
	coh__api_check(!with || (with != q && with->role == COH_QUEUE_CPU_PRODUCES &&
				 with->mem.dev == q->mem.dev),
		       where, COH_EINVAL,
		       "coh_queue_publish: `with` is not a producer queue of the same device");
	if (drv) {
		coh__api_check(drv->dev == q->mem.dev, where, COH_EINVAL,
			       "coh_queue_publish_batch: the batch is of another device");
		/* a piece failed: the request is incomplete, publish nothing */
		if (drv->err)
			return drv->err;
	}
	rc = coh__qbegin(q, &b, where);
	if (!rc && with)
		rc = coh__qbegin(with, &bw, where);
	if (rc)
		return rc;
	if (with) {
		rc = coh__qrelease(with, &b, 0, where);
		with->pub = with->prod;
		with->dlo = with->dhi = 0;
	}
	if (!rc)
		rc = coh__qrelease(q, &b,
				   q->line && q->l.idx_off != COH_QUEUE_IDX_NONE
					   ? (q->mem.cpu_ + q->l.idx_off) & ~((uintptr_t)q->line - 1)
					   : 0,
				   where);
	q->dlo = q->dhi = 0;
	coh__qjoin(&b, drv);
	if (q->l.idx_off != COH_QUEUE_IDX_NONE) {
		uintptr_t ia = q->mem.cpu_ + q->l.idx_off;

		/* entries before the index that announces them */
		if (q->line)
			coh__batch_barrier(&b);
		else if (!drv)
			coh_dma_wmb();
		coh_arch_store((const void *)ia, q->l.idx_size, where);
		if (q->l.idx_size == 2)
			*(volatile uint16_t *)ia = (uint16_t)q->prod;
		else
			*(volatile uint32_t *)ia = q->prod;
		if (q->line && !rc)
			rc = coh__batch_add(&b, COH__CLEAN, ia, ia + q->l.idx_size,
					    COH_OP_RELEASE, -1, where);
	}
	/* cleaning complete before the doorbell (uncached: the doorbell's
	 * ordered MMIO write orders the stores) */
	coh__batch_barrier(&b);
	q->pub = q->prod;
	if (idx)
		*idx = q->prod;
	return rc;
}

int coh_queue_publish_at(struct coh_queue *q, struct coh_queue *with,
			 uint32_t *idx, const struct coh_where *where)
{
	return coh__qpublish(q, with, NULL, idx, where);
}

int coh_queue_publish_batch_at(struct coh_queue *q, struct coh_queue *with,
			       struct coh_batch *b, uint32_t *idx,
			       const struct coh_where *where)
{
	coh__api_check(b, where, COH_EINVAL, "coh_queue_publish_batch: NULL batch");
	return coh__qpublish(q, with, b, idx, where);
}

int coh_queue_consumed_at(struct coh_queue *q, uint32_t idx, const struct coh_where *where)
{
	coh__api_check(q && q->role == COH_QUEUE_CPU_PRODUCES, where, COH_EINVAL,
		       "coh_queue_consumed: NULL or not a producer queue");
	coh__api_check(idx < coh__qwrap(q) &&
			       coh__qdist(q, q->cons, idx) <= coh__qdist(q, q->cons, q->pub),
		       where, COH_EPROTO,
		       "coh_queue_consumed: the device consumed entries never published");
	q->cons = idx;
	return 0;
}

int (coh_queue_consumed)(struct coh_queue *q, uint32_t idx)
{
	return coh_queue_consumed_at(q, idx, NULL);
}

int coh_queue_poll_at(struct coh_queue *q, const struct coh_where *where)
{
	struct coh_batch b;
	uintptr_t ia, il = 0, ie = 0;
	uint32_t idx;
	uint64_t n;
	size_t first;
	int rc;

	coh__api_check(q && q->role == COH_QUEUE_DEVICE_PRODUCES && q->l.idx_off != COH_QUEUE_IDX_NONE,
		       where, COH_EINVAL, "coh_queue_poll: NULL or not a consumer queue with an index");
	rc = coh__qbegin(q, &b, where);
	if (rc)
		return rc;
	ia = q->mem.cpu_ + q->l.idx_off;
	if (q->line) {
		/* only the device writes this memory: invalidate, never flush */
		il = ia & ~((uintptr_t)q->line - 1);
		ie = il + q->line;
		rc = coh__batch_add(&b, COH__INVAL, il, ie, COH_OP_ACQUIRE, -1, where);
		coh__batch_barrier(&b);
		if (rc)
			return rc;
	}
	if (q->l.idx_size == 2) {
		uint16_t v = *(volatile uint16_t *)ia;

		coh_arch_load((const void *)ia, 2, &v, where);
		idx = v;
	} else {
		idx = *(volatile uint32_t *)ia;
		coh_arch_load((const void *)ia, 4, &idx, where);
	}
	if (idx >= coh__qwrap(q) || coh__qdist(q, q->cons, idx) > q->l.count ||
	    coh__qdist(q, q->cons, idx) < coh__qdist(q, q->cons, q->pub)) {
		coh__diag(where, "coh_queue_poll: the device's index went back, or is further ahead than the queue holds",
			  -COH_EPROTO);
		return -COH_EPROTO;
	}
	n = coh__qdist(q, q->pub, idx);
	if (!n)
		return (int)coh__qdist(q, q->cons, q->pub);
	/* the index before the entries the device wrote before it */
	coh_dma_rmb();
	first = q->pub % q->l.count;
	while (q->line && n && !rc) {
		size_t k = q->l.count - first < n ? q->l.count - first : (size_t)n;
		uintptr_t s = coh__qentry(q, first), e = coh__qentry(q, first + k);

		/* the index's line is fresh already: the rest only */
		if (s < il)
			rc = coh__batch_add(&b, COH__INVAL, s, e < il ? e : il,
					    COH_OP_ACQUIRE, -1, where);
		if (!rc && e > ie)
			rc = coh__batch_add(&b, COH__INVAL, s > ie ? s : ie, e,
					    COH_OP_ACQUIRE, -1, where);
		n -= k;
		first = 0;
	}
	coh__batch_barrier(&b);
	if (rc)
		return rc;
	q->pub = idx;
	return (int)coh__qdist(q, q->cons, q->pub);
}

int coh_queue_pop_at(struct coh_queue *q, void *entry, const struct coh_where *where)
{
	size_t slot;
	uintptr_t a;

	coh__api_check(q && entry && q->role == COH_QUEUE_DEVICE_PRODUCES, where, COH_EINVAL,
		       "coh_queue_pop: NULL argument or not a consumer queue");
	if (q->cons == q->pub)
		return -COH_EAGAIN;
	slot = q->cons % q->l.count;
	a = coh__qentry(q, slot);
	__builtin_memcpy(entry, (const void *)a, q->l.entry_size);
	coh_arch_load((const void *)a, q->l.entry_size, entry, where);
	q->cons = coh__qadd(q, q->cons, 1);
	return (int)slot;
}

/* a field outside entries and index: 0 or the negative code */
static int coh__qfield(const struct coh_queue *q, int role, size_t off, size_t size,
		       const struct coh_where *where)
{
	size_t eend, iend;

	coh__api_check(q && q->role == role && (size == 2 || size == 4) && off % size == 0,
		       where, COH_EINVAL, "queue field: NULL, wrong side, or size/alignment");
	eend = q->l.entries_off + q->l.count * q->l.entry_size;
	iend = q->l.idx_off == COH_QUEUE_IDX_NONE ? 0 : q->l.idx_off + q->l.idx_size;
	coh__api_check(off <= q->l.size - size &&
			       (off + size <= q->l.entries_off || off >= eend) &&
			       (!iend || off + size <= q->l.idx_off || off >= iend),
		       where, COH_ERANGE, "queue field: outside the queue, or on its entries or index");
	return 0;
}

int coh_queue_field_write_at(struct coh_queue *q, size_t off, size_t size,
			     uint32_t v, const struct coh_where *where)
{
	struct coh_batch b;
	uintptr_t a;
	int rc = coh__qfield(q, COH_QUEUE_CPU_PRODUCES, off, size, where);

	if (!rc)
		rc = coh__qbegin(q, &b, where);
	if (rc)
		return rc;
	a = q->mem.cpu_ + off;
	coh_arch_store((const void *)a, size, where);
	if (size == 2)
		*(volatile uint16_t *)a = (uint16_t)v;
	else
		*(volatile uint32_t *)a = v;
	if (q->line) {
		rc = coh__batch_add(&b, COH__CLEAN, a, a + size, COH_OP_RELEASE, -1, where);
		/* the field visible before any later access, loads included */
		coh_arch_maint_done();
		b.did = 0;
	} else {
		/* the store before any later load (VirtIO: the used index again) */
		coh_mb();
	}
	return rc;
}

int coh_queue_field_read_at(struct coh_queue *q, size_t off, size_t size,
			    uint32_t *v, const struct coh_where *where)
{
	struct coh_batch b;
	uintptr_t a, l;
	int rc = coh__qfield(q, COH_QUEUE_DEVICE_PRODUCES, off, size, where);

	coh__api_check(rc || v, where, COH_EINVAL, "coh_queue_field_read: NULL value");
	if (!rc)
		rc = coh__qbegin(q, &b, where);
	if (rc)
		return rc;
	a = q->mem.cpu_ + off;
	if (q->line) {
		/* only the device writes this memory: invalidate, never flush */
		l = a & ~((uintptr_t)q->line - 1);
		rc = coh__batch_add(&b, COH__INVAL, l, l + q->line, COH_OP_ACQUIRE, -1, where);
		coh__batch_barrier(&b);
		if (rc)
			return rc;
	} else {
		coh_dma_rmb();	/* an earlier status read before this one */
	}
	if (size == 2) {
		uint16_t x = *(volatile uint16_t *)a;

		coh_arch_load((const void *)a, 2, &x, where);
		*v = x;
	} else {
		*v = *(volatile uint32_t *)a;
		coh_arch_load((const void *)a, 4, v, where);
	}
	return 0;
}
