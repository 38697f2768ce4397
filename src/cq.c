/* SPDX-License-Identifier: MIT */
/*
 * src/cq.c - the device-produced phase-tag queue (coherent/cq.h).
 *
 * The CPU only ever reads the entries while the device runs, so every
 * line operation here is a whole-line invalidate: there is no CPU byte in
 * those lines to write back, and a clean or flush could only write the
 * CPU's stale copy over what the device wrote.
 */
#include "coherent/cq.h"
#include "internal.h"

#define COH__CQ_FLAGS (COH_CQ_TAG1 | COH_CQ_TAG0)

int coh_cq_attach_at(struct coh_cq *cq, const struct coh_mem *m, size_t esize,
		     size_t tag_off, size_t tag_size, uint32_t tag_bit,
		     unsigned int flags, const struct coh_where *where)
{
	struct coh_batch b;
	size_t line = 0;
	int rc;

	coh__api_check(cq && m, where, COH_EINVAL, "coh_cq_attach: NULL queue or handle");
	coh__api_check((m->state & COH_MEM_SHARED) && m->cpu_ && m->elem == esize &&
			       m->count >= 2 && m->count <= (size_t)1 << 31,
		       where, COH_EINVAL,
		       "coh_cq_attach: the handle is not allocated shared memory of 2 .. 2^31 entries");
	coh__api_check((tag_size == 1 || tag_size == 2 || tag_size == 4) &&
			       tag_off + tag_size <= esize && coh_is_pow2(tag_bit) &&
			       (tag_size == 4 || tag_bit < (uint32_t)1 << (8 * tag_size)),
		       where, COH_EINVAL, "coh_cq_attach: the tag is not one bit of a field of the entry");
	coh__api_check(!(flags & ~COH__CQ_FLAGS) &&
			       (flags & COH__CQ_FLAGS) != 0 && (flags & COH__CQ_FLAGS) != COH__CQ_FLAGS,
		       where, COH_EINVAL, "coh_cq_attach: flags must be COH_CQ_TAG1 or COH_CQ_TAG0");
	if (!COH_ASSUME_COHERENT && (m->state & COH_MEM_SYNC)) {
		line = coh__line_size();
		coh__api_check(line, where, COH_ENODEV, "coh_cq_attach: the cache line size is unknown");
		coh__api_check(line % esize == 0 || esize % line == 0, where, COH_ENOTSUP,
			       "coh_cq_attach: entries neither divide nor are a multiple of the cache line");
		/* once: the array can be maintained, so a poll cannot fail for that */
		rc = coh__batch_begin(&b, m->dev, m->cpu_, m->cpu_ + m->size);
		if (rc) {
			coh__diag(where, "coh_cq_attach: the queue's lines cannot be maintained", rc);
			return rc;
		}
	}
	*cq = (struct coh_cq){
		.mem = m, .count = m->count, .esize = esize, .tag_off = tag_off,
		.line = line, .tag_bit = tag_bit, .tag_size = (uint8_t)tag_size,
		.phase = (flags & COH_CQ_TAG1) ? 1 : 0, .flags = (uint8_t)flags,
	};
	return 0;
}

static inline uintptr_t coh__cq_entry(const struct coh_cq *cq, size_t i)
{
	return cq->mem->cpu_ + i * cq->esize;
}

/* the tag bit of entry i as the CPU reads it now (0 or 1) */
static inline unsigned int coh__cq_tag_at(const struct coh_cq *cq, size_t i,
					  const struct coh_where *where)
{
	uintptr_t a = coh__cq_entry(cq, i) + cq->tag_off;
	uint32_t v;

	if (cq->tag_size == 1) {
		uint8_t x = *(volatile uint8_t *)a;

		coh_arch_load((const void *)a, 1, &x, where);
		v = x;
	} else if (cq->tag_size == 2) {
		uint16_t x = *(volatile uint16_t *)a;

		coh_arch_load((const void *)a, 2, &x, where);
		v = x;
	} else {
		v = *(volatile uint32_t *)a;
		coh_arch_load((const void *)a, 4, &v, where);
	}
	return (v & cq->tag_bit) != 0;
}

/* new entries from slot p (phase ph) on, at most lim; wraps at count */
static uint32_t coh__cq_scan(const struct coh_cq *cq, size_t p, unsigned int ph,
			     size_t lim, const struct coh_where *where)
{
	uint32_t n = 0;

	while (n < lim && coh__cq_tag_at(cq, p, where) == ph) {
		n++;
		if (++p == cq->count) {
			p = 0;
			ph ^= 1;
		}
	}
	return n;
}

/*
 * Nothing new at slot p: ask the backend whether the tag the CPU read was
 * stale (the simulator's checking point; nothing on hardware), so that a
 * missing acquire ends a driver's polling loop with a report.
 */
static int coh__cq_stale(const struct coh_cq *cq, size_t p, const struct coh_where *where)
{
	int rc = coh_arch_op(COH_OP_CONSUME, cq->mem->dev,
			     (const void *)(coh__cq_entry(cq, p) + cq->tag_off),
			     cq->tag_size, -1, where);

	if (!rc)
		return 0;
	coh_arch_op_end(COH_OP_CONSUME);
	coh__diag(where, "coh_cq_poll: the tag read was stale (the entry's line was not made fresh)",
		  -COH_EPROTO);
	return -COH_EPROTO;
}

/* the invalidate of [s, e) into b; the range is inside the queue (checked at attach) */
static inline int coh__cq_inval(struct coh_batch *b, uintptr_t s, uintptr_t e,
				const struct coh_where *where)
{
	return coh__batch_add(b, COH__INVAL, s, e, COH_OP_ACQUIRE, -1, where);
}

int coh_cq_poll_at(struct coh_cq *cq, struct coh_batch *b,
		   const struct coh_where *where)
{
	struct coh_batch own;
	size_t p, line, lim;
	unsigned int ph;
	uintptr_t s, tl;
	uint32_t n;
	int rc;

	coh__api_check(cq && cq->mem, where, COH_EINVAL, "coh_cq_poll: not an attached queue");
	if (b) {
		coh__api_check(b->dev == cq->mem->dev, where, COH_EINVAL,
			       "coh_cq_poll: the batch is of another device");
		if (b->err)
			return b->err;
	}
	if (cq->ready == cq->count)
		return (int)cq->ready;	/* every entry seen: nothing to look at */
	p = cq->head + cq->ready;
	ph = cq->phase;
	if (p >= cq->count) {
		p -= cq->count;
		ph ^= 1;
	}
	line = cq->line;
	if (!line) {
		/* the driver's batch: its stores or lines before the tags are read */
		if (b)
			coh__batch_barrier(b);
		n = coh__cq_scan(cq, p, ph, cq->count - cq->ready, where);
		if (!n)
			return (int)cq->ready;
		/* the tags before the other fields the device wrote before them */
		coh_dma_rmb();
		cq->ready += n;
		return (int)cq->ready;
	}
	if (!b) {
		own = (struct coh_batch){ .dev = cq->mem->dev, .line = line };
		b = &own;
	}
	s = coh__cq_entry(cq, p);
	if (cq->esize <= line) {
		/* the line holding slot p, and the entries of it from p on */
		tl = s & ~((uintptr_t)line - 1);
		lim = (tl + line - s) / cq->esize;
		if (lim > cq->count - p)
			lim = cq->count - p;
		rc = coh__cq_inval(b, tl, tl + line, where);
		coh__batch_barrier(b);
		if (rc)
			return rc;
		n = coh__cq_scan(cq, p, ph, lim, where);
		if (!n) {
			rc = coh__cq_stale(cq, p, where);
			return rc ? rc : (int)cq->ready;
		}
		/* the tags before the other fields the device wrote before them */
		coh_dma_rmb();
	} else {
		/* one entry over several lines: the tag's line first */
		tl = (s + cq->tag_off) & ~((uintptr_t)line - 1);
		rc = coh__cq_inval(b, tl, tl + line, where);
		coh__batch_barrier(b);
		if (rc)
			return rc;
		n = coh__cq_scan(cq, p, ph, 1, where);
		if (!n) {
			rc = coh__cq_stale(cq, p, where);
			return rc ? rc : (int)cq->ready;
		}
		/* the tag before the other fields the device wrote before it */
		coh_dma_rmb();
		rc = coh__cq_inval(b, s, tl, where);
		if (!rc)
			rc = coh__cq_inval(b, tl + line, s + cq->esize, where);
		coh__batch_barrier(b);
		if (rc)
			return rc;
	}
	cq->ready += n;
	return (int)cq->ready;
}

int coh_cq_pop_at(struct coh_cq *cq, const struct coh_mem *m, void *out,
		  const struct coh_where *where)
{
	uintptr_t a;
	int slot;

	coh__api_check(cq && cq->mem && out && m == cq->mem, where, COH_EINVAL,
		       "coh_cq_pop: not an attached queue, NULL entry, or another handle");
	if (!cq->ready)
		return -COH_EAGAIN;
	slot = (int)cq->head;
	a = coh__cq_entry(cq, cq->head);
	/* the one read of the device's entry: the driver decodes the copy */
	__builtin_memcpy(out, (const void *)a, cq->esize);
	coh_arch_load((const void *)a, cq->esize, out, where);
	cq->ready--;
	if (++cq->head == cq->count) {
		cq->head = 0;
		cq->phase ^= 1;
	}
	return slot;
}

int coh_cq_reset_at(struct coh_cq *cq, const struct coh_where *where)
{
	const struct coh_mem *m;
	struct coh_batch b;
	int rc = 0;

	coh__api_check(cq && cq->mem, where, COH_EINVAL, "coh_cq_reset: not an attached queue");
	m = cq->mem;
	b = (struct coh_batch){ .dev = m->dev, .line = cq->line };
	coh_arch_store((const void *)m->cpu_, cq->count * cq->esize, where);
	__builtin_memset((void *)m->cpu_, 0, cq->count * cq->esize);
	if (cq->flags & COH_CQ_TAG0) {
		for (size_t i = 0; i < cq->count; i++) {
			uintptr_t a = coh__cq_entry(cq, i) + cq->tag_off;

			/* little-endian-agnostic: the bit is set in the field as read */
			if (cq->tag_size == 1)
				*(volatile uint8_t *)a = (uint8_t)cq->tag_bit;
			else if (cq->tag_size == 2)
				*(volatile uint16_t *)a = (uint16_t)cq->tag_bit;
			else
				*(volatile uint32_t *)a = cq->tag_bit;
		}
	}
	if (cq->line)
		rc = coh__batch_add(&b, COH__CLEAN, m->cpu_, m->cpu_ + cq->count * cq->esize,
				    COH_OP_RELEASE, -1, where);
	else
		b.did = COH__CLEAN;
	/* the old tags visible before the driver reprograms the device */
	coh__batch_barrier(&b);
	cq->head = cq->ready = 0;
	cq->phase = (cq->flags & COH_CQ_TAG1) ? 1 : 0;
	return rc;
}

int coh_cq_detach(struct coh_cq *cq)
{
	if (!cq || !cq->mem)
		return -COH_EINVAL;
	*cq = (struct coh_cq){ 0 };
	return 0;
}
