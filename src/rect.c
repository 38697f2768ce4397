/* SPDX-License-Identifier: MIT */
/*
 * src/rect.c - release and acquire of a rectangle of a framebuffer
 * (coherent/rect.h), built on the maintenance batch of src/fence.c.
 *
 * Rows that follow each other without a gap in memory (a rectangle as wide
 * as a frame whose pitch is its width) are one run; a line two runs share
 * is maintained once.  So the line operations are exactly the lines the
 * rectangle's bytes touch, whatever the pitch and the line size.
 */
#include "internal.h"
#include "coherent/rect.h"

struct coh__rect_span {
	uintptr_t row;		/* first byte of the rectangle's first row */
	uintptr_t end;		/* one past its last row's last byte */
	size_t n;		/* bytes per row */
};

static int coh__rect_check(const struct coh_device *dev, const struct coh_frame *f,
			   const struct coh_rect *r, struct coh__rect_span *sp,
			   const struct coh_where *where)
{
	uintptr_t base;
	size_t rowb, ext, off;

	coh__api_check(dev && f && r && f->base, where, COH_EINVAL,
		       "rect: NULL device, frame, rectangle or frame base");
	coh__api_check(f->bpp, where, COH_EINVAL, "rect: frame of 0 bytes per pixel");
	coh__api_check(!__builtin_mul_overflow((size_t)f->width, (size_t)f->bpp, &rowb),
		       where, COH_EOVERFLOW, "rect: width * bpp wraps");
	coh__api_check(rowb <= f->pitch, where, COH_EINVAL,
		       "rect: width * bpp above the pitch: rows would overlap");
	coh__api_check(r->x <= f->width && r->w <= f->width - r->x &&
		       r->y <= f->height && r->h <= f->height - r->y,
		       where, COH_ERANGE, "rect: rectangle outside the frame");
	base = (uintptr_t)f->base;
	/* the whole frame's extent must not wrap: then no row address does */
	coh__api_check(!f->height ||
		       (!__builtin_mul_overflow((size_t)(f->height - 1), f->pitch, &ext) &&
			!__builtin_add_overflow(ext, rowb, &ext) &&
			ext <= UINTPTR_MAX - base),
		       where, COH_EOVERFLOW, "rect: the frame wraps the address space");
	sp->n = (size_t)r->w * f->bpp;
	if (!r->w || !r->h) {
		sp->row = sp->end = base;
		return 0;
	}
	off = (size_t)r->y * f->pitch + (size_t)r->x * f->bpp;
	sp->row = base + off;
	sp->end = sp->row + (size_t)(r->h - 1) * f->pitch + sp->n;
	return 0;
}

/*
 * The runs of the rectangle into b, as kind (COH__CLEAN, COH__FLUSH,
 * COH__ACQ; 0: no line operation, the backend's op hook alone).  A run's
 * leading bytes in a line an earlier run already maintained are not
 * maintained again: for an acquire that line was a partial edge, flushed,
 * which is also what this run needs of it.  The op hook still sees every
 * byte of every run, exactly (the simulator tracks ownership by byte).
 */
static int coh__rect_walk(struct coh_batch *b, const struct coh_frame *f,
			  const struct coh_rect *r, const struct coh__rect_span *sp,
			  int kind, int op, int dir, const struct coh_where *where)
{
	uintptr_t m = b->line ? (uintptr_t)b->line - 1 : 0;
	uintptr_t rs = sp->row, re = sp->row + sp->n, done = 0;

	for (uint32_t i = 1; i <= r->h; i++) {
		uintptr_t a = sp->row + (uintptr_t)i * f->pitch, s = rs;
		int rc = 0;

		if (i < r->h && a == re) {
			re += sp->n;
			continue;
		}
		if (s < done)
			s = done;
		if (!kind || s > rs) {
			uintptr_t e = kind && s < re ? s : re;

			rc = coh_arch_op(op, b->dev, (const void *)rs, e - rs, dir, where);
			if (rc)
				return rc;
			coh_arch_op_end(op);
		}
		if (kind && s < re)
			rc = coh__batch_add(b, kind, s, re, op, dir, where);
		if (rc)
			return rc;
		done = ((re - 1) | m) + 1;
		rs = a;
		re = a + sp->n;
	}
	return 0;
}

/* ownership of every row, once the maintenance has succeeded */
static void coh__rect_own(const struct coh_frame *f, const struct coh_rect *r,
			  const struct coh__rect_span *sp, bool give,
			  const struct coh_where *where)
{
	for (uint32_t i = 0; i < r->h; i++) {
		void *row = (void *)(sp->row + (uintptr_t)i * f->pitch);

		if (give)
			coh__own_give(row, sp->n, where);
		else
			coh__own_take(row, sp->n, where);
	}
}

/* Memory the CPU maps uncached or write-combining: no line to maintain. */
static bool coh__rect_uncached(const struct coh__rect_span *sp)
{
	const struct coh_region *reg =
		coh_region_find((const void *)sp->row, sp->end - sp->row);

	return reg && (reg->flags & (COH_REGION_UNCACHED | COH_REGION_WC));
}

/* own: 0 none, 1 give, 2 take */
static int coh__rect(struct coh_device *dev, const struct coh_frame *f,
		     const struct coh_rect *r, struct coh_batch *b, int kind,
		     int op, int dir, int own, const struct coh_where *where)
{
	struct coh__rect_span sp;
	struct coh_batch mine, *to = b ? b : &mine;
	int rc = coh__rect_check(dev, f, r, &sp, where);

	if (rc)
		return rc;
	if (b) {
		coh__api_check(b->dev == dev, where, COH_EINVAL,
			       "rect: the batch is another device's");
		if (b->err)
			return b->err;
	}
	if (sp.row == sp.end)
		return 0;
	/* can the whole span be maintained at all?  Checked before any line */
	rc = coh__batch_begin(&mine, dev, sp.row, sp.end);
	if (rc)
		return rc;
	if (to->line && kind && coh__rect_uncached(&sp)) {
		/* the barrier alone: for an uncached or write-combining frame it
		 * drains the CPU's stores before the doorbell (release) or orders
		 * the status read before the pixels' reads (acquire) */
		to->did |= (unsigned int)(kind == COH__ACQ ? COH__INVAL : kind);
		kind = 0;
	}
	rc = coh__rect_walk(to, f, r, &sp, kind, op, dir, where);
	if (!b) {
		/* every line above complete before the MMIO that starts (or
		 * reports) the device's access of the frame */
		coh__batch_barrier(&mine);
	} else if (rc && !b->err) {
		b->err = rc;
	}
	if (!rc && own)
		coh__rect_own(f, r, &sp, own == 1, where);
	return rc;
}

int coh_release_rect_at(struct coh_device *dev, const struct coh_frame *f,
			const struct coh_rect *r, struct coh_batch *b,
			const struct coh_where *where)
{
	return coh__rect(dev, f, r, b, COH__CLEAN, COH_OP_RELEASE, -1, 0, where);
}

int coh_acquire_rect_at(struct coh_device *dev, const struct coh_frame *f,
			const struct coh_rect *r, struct coh_batch *b,
			const struct coh_where *where)
{
	return coh__rect(dev, f, r, b, COH__ACQ, COH_OP_ACQUIRE, -1, 0, where);
}

#define COH__RECT_DIR_OK(d)                                                    \
	((d) == COH_TO_DEVICE || (d) == COH_FROM_DEVICE || (d) == COH_BIDIRECTIONAL)

int coh_give_rect_at(struct coh_device *dev, const struct coh_frame *f,
		     const struct coh_rect *r, enum coh_dir dir, struct coh_batch *b,
		     const struct coh_where *where)
{
	coh__api_check(COH__RECT_DIR_OK(dir), where, COH_EINVAL, "coh_give_rect: unknown direction");
	/* FROM_DEVICE: no dirty line may later be evicted over what the device writes */
	return coh__rect(dev, f, r, b, dir == COH_TO_DEVICE ? COH__CLEAN : COH__FLUSH,
			 COH_OP_GIVE, (int)dir, 1, where);
}

int coh_take_rect_at(struct coh_device *dev, const struct coh_frame *f,
		     const struct coh_rect *r, enum coh_dir dir, struct coh_batch *b,
		     const struct coh_where *where)
{
	coh__api_check(COH__RECT_DIR_OK(dir), where, COH_EINVAL, "coh_take_rect: unknown direction");
	/* again: lines may have been refilled speculatively during the DMA */
	return coh__rect(dev, f, r, b, dir == COH_TO_DEVICE ? 0 : COH__ACQ, COH_OP_TAKE,
			 (int)dir, 2, where);
}
