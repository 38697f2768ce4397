/* SPDX-License-Identifier: MIT */
/*
 * src/fence.c - the fence contract, portable part.
 *
 * Every public operation has the same shape: check the arguments, tell the
 * backend's op hook (the simulator's scheduling point), take the coherent
 * fast path (a barrier) or round to lines and run the backend's line loop
 * followed by exactly one barrier.
 */
#include "internal.h"

size_t coh__line;

/*
 * Out of line and cold: the once-only probe (on the M7 a CSSELR write and
 * its own barrier before the CCSIDR read) stays off the maintenance paths
 * whatever the compiler inlines; Clang inlined it into every range call.
 */
static __attribute__((noinline, cold)) size_t coh__probe_line(void)
{
	size_t l = coh_arch_line_size_hw();

	if (!l)
		l = COH_DEFAULT_LINE;
	if (l && !coh_is_pow2(l))
		l = 0; /* a broken report is treated as unknown, never trusted */
	__atomic_store_n(&coh__line, l, __ATOMIC_RELAXED);
	return l;
}

size_t coh_cache_line_size(void)
{
	size_t l = __atomic_load_n(&coh__line, __ATOMIC_RELAXED);

	return __builtin_expect(l != 0, 1) ? l : coh__probe_line();
}

int (coh_set_cache_line_size)(size_t bytes)
{
	return coh_set_cache_line_size_at(bytes, NULL);
}

int coh_set_cache_line_size_at(size_t bytes, const struct coh_where *where)
{
	coh__api_check(coh_is_pow2(bytes) && bytes >= 16 && bytes <= COH_MAX_LINE,
		       where, COH_EINVAL,
		       "coh_set_cache_line_size: line size must be a power of two in [16, COH_MAX_LINE]");
	__atomic_store_n(&coh__line, bytes, __ATOMIC_RELAXED);
	return 0;
}

const char *coh_backend_name(void)
{
	return COH_ARCH_NAME;
}

static inline bool coh__needs_maint(const struct coh_device *dev)
{
	return !(dev->flags & COH_DEV_COHERENT);
}

/*
 * Round [start, end) out to whole lines.  0, or a negative code when the
 * backend cannot maintain (no line size, no controller, outside memory) or
 * the last line would wrap.
 */
static int coh__lines(uintptr_t start, uintptr_t end, uintptr_t *s,
		      uintptr_t *e, size_t *linep)
{
	size_t line = coh__line_size();
	uintptr_t mask;

	if (!COH_ARCH_CAN_MAINTAIN)
		return -COH_ENOTSUP;
	if (!line)
		return -COH_ENODEV;
	mask = (uintptr_t)line - 1;
	if (((end - 1) | mask) == UINTPTR_MAX)
		return -COH_EOVERFLOW;
	coh__round_lines(start, end, line, s, e);
	*linep = line;
	return coh_arch_range_check(*s, *e);
}

/*
 * Lines in [s, e) for the statistics.  The line size is a power of two, so
 * a shift: a 64-bit DIV costs tens of cycles, which showed as 2-4% of a
 * one-line release in make bench.
 */
static inline uintptr_t coh__nlines(uintptr_t s, uintptr_t e, size_t line)
{
	return (e - s) >> __builtin_ctzll((unsigned long long)line);
}

int coh__release_range(struct coh_device *dev, uintptr_t start, uintptr_t end)
{
	uintptr_t s, e;
	size_t line;
	int rc;

	if (!coh__needs_maint(dev))
		return coh__coherent_release(dev);
	coh__stat_add(dev, release_calls, 1);
	rc = coh__lines(start, end, &s, &e, &line);
	if (rc)
		return rc;
	coh_arch_maint_begin();
	coh_arch_clean_lines(s, e, line);
	/* cleaning complete before any later MMIO (the doorbell) */
	coh_arch_clean_done();
	coh__stat_add(dev, lines_cleaned, coh__nlines(s, e, line));
	return 0;
}

/*
 * The line operations of an acquire of [start, end), no barrier: the one
 * body of coh_acquire() and of a batch's COH__ACQ piece.  Adds the lines
 * invalidated to *inval and the edge lines flushed to *flushed.  Inlined
 * into both: the acquire's loop and its one barrier stay in one function
 * (tests/encoding checks them there), and the hot path keeps no call.
 */
static inline __attribute__((always_inline)) void coh__acq_lines(uintptr_t start, uintptr_t end, size_t line,
			   unsigned long *inval, unsigned long *flushed)
{
	uintptr_t s, e;

	coh__round_lines(start, end, line, &s, &e);
	/* Partial edge lines hold CPU data too: write it back, never drop it. */
	if (start & (line - 1)) {
		coh_arch_flush_lines(s, s + line, line);
		s += line;
		++*flushed;
	}
	if (s < e && (end & (line - 1))) {
		coh_arch_flush_lines(e - line, e, line);
		e -= line;
		++*flushed;
	}
	if (s < e) {
		coh_arch_inval_lines(s, e, line);
		*inval += coh__nlines(s, e, line);
	}
}

int coh__acquire_range(struct coh_device *dev, uintptr_t start, uintptr_t end)
{
	uintptr_t s, e;
	size_t line;
	unsigned long inval = 0, flushed = 0;
	int rc;

	if (!coh__needs_maint(dev))
		return coh__coherent_acquire(dev);
	coh__stat_add(dev, acquire_calls, 1);
	rc = coh__lines(start, end, &s, &e, &line);
	if (rc)
		return rc;
	coh_arch_maint_begin();
	coh__acq_lines(start, end, line, &inval, &flushed);
	/* invalidation complete before any later read of the buffer */
	coh_arch_maint_done();
	coh__stat_add(dev, lines_flushed, flushed);
	coh__stat_add(dev, lines_invalidated, inval);
	return 0;
}

int coh__flush_range(struct coh_device *dev, uintptr_t start, uintptr_t end)
{
	uintptr_t s, e;
	size_t line;
	int rc;

	if (!coh__needs_maint(dev))
		return coh__coherent_flush(dev);
	coh__stat_add(dev, flush_calls, 1);
	rc = coh__lines(start, end, &s, &e, &line);
	if (rc)
		return rc;
	coh_arch_maint_begin();
	coh_arch_flush_lines(s, e, line);
	/* write-back and drop complete before later MMIO and memory accesses */
	coh_arch_maint_done();
	coh__stat_add(dev, lines_flushed, coh__nlines(s, e, line));
	return 0;
}

/* ---- batches: many ranges, one barrier (src/internal.h) ---------------- */

int coh__batch_begin(struct coh_batch *b, struct coh_device *dev, uintptr_t s,
		     uintptr_t e)
{
	uintptr_t rs, re;
	size_t line;
	int rc;

	*b = (struct coh_batch){ .dev = dev };
	if (!coh__needs_maint(dev))
		return 0;
	if (!COH_ARCH_CAN_MAINTAIN)
		return -COH_ENOTSUP;
	line = coh__line_size();
	if (!line)
		return -COH_ENODEV;
	if (s < e) {
		rc = coh__lines(s, e, &rs, &re, &line);
		if (rc)
			return rc;
	}
	b->line = line;
	return 0;
}

int coh__batch_add(struct coh_batch *b, int kind, uintptr_t s, uintptr_t e,
		   int op, int dir, const struct coh_where *where)
{
	size_t line = b->line;
	int rc;

	if (s >= e)
		return 0;
	rc = coh_arch_op(op, b->dev, (const void *)s, e - s, dir, where);
	if (rc)
		return rc;
	b->did |= (unsigned int)kind;
	if (!line) {
		coh_arch_op_end(op);
		return 0;
	}
	if (!(b->lines[0] | b->lines[1] | b->lines[2]))
		coh_arch_maint_begin();
	if (kind == COH__ACQ) {
		coh__acq_lines(s, e, line, &b->lines[1], &b->lines[2]);
	} else {
		coh__round_lines(s, e, line, &s, &e);
		if (kind == COH__CLEAN)
			coh_arch_clean_lines(s, e, line);
		else if (kind == COH__INVAL)
			coh_arch_inval_lines(s, e, line);
		else
			coh_arch_flush_lines(s, e, line);
		b->lines[kind == COH__CLEAN ? 0 : kind == COH__INVAL ? 1 : 2] +=
			coh__nlines(s, e, line);
	}
	coh_arch_op_end(op);
	return 0;
}

void coh__batch_barrier(struct coh_batch *b)
{
	unsigned int did = b->did;

	if (!did)
		return;
	b->did = 0;
	/* lines to complete; else (uncached pieces of a driver's batch, or a
	 * coherent device) only stores or loads to order */
	if (b->line && (b->lines[0] | b->lines[1] | b->lines[2])) {
		/* every line operation of the batch complete before any later
		 * memory access or MMIO (the next step, or the doorbell); cleans
		 * only: before every later store, the doorbell's included */
		if ((did & ~(unsigned int)COH__WC) == COH__CLEAN)
			coh_arch_clean_done();	/* x86 SFENCE, Arm DSB: WC drained too */
		else
			coh_arch_maint_done();
		coh__stat_add(b->dev, lines_cleaned, b->lines[0]);
		coh__stat_add(b->dev, lines_invalidated, b->lines[1]);
		coh__stat_add(b->dev, lines_flushed, b->lines[2]);
		b->lines[0] = b->lines[1] = b->lines[2] = 0;
	} else if (did == (COH__CLEAN | COH__WC)) {
		/* write-combined stores drained before the MMIO write that starts the DMA */
		coh_arch_wc_wmb();
	} else if (did == COH__CLEAN) {
		/* earlier CPU writes before the MMIO write that starts the DMA */
		coh_arch_io_wmb();
	} else if (!(did & (COH__CLEAN | COH__FLUSH))) {
		/* the status read before any later read of the data */
		coh_arch_io_rmb();
	} else {
		/* both: earlier accesses before later MMIO and memory */
		coh_arch_mb();
	}
	if (did & COH__CLEAN)
		coh__stat_add(b->dev, release_calls, 1);
	if (did & (COH__INVAL | COH__ACQ))
		coh__stat_add(b->dev, acquire_calls, 1);
	if (did & COH__FLUSH)
		coh__stat_add(b->dev, flush_calls, 1);
}

int coh_batch_init_at(struct coh_batch *b, struct coh_device *dev,
		      const struct coh_where *where)
{
	int rc;

	coh__api_check(b && dev, where, COH_EINVAL, "coh_batch_init: NULL batch or device");
	rc = coh__batch_begin(b, dev, 0, 0);
	if (rc) {
		b->err = rc;
		coh__diag(where, "coh_batch_init: the device needs maintenance this build cannot do", rc);
	}
	return rc;
}

int coh_batch_end_at(struct coh_batch *b, const struct coh_where *where)
{
	coh__api_check(b, where, COH_EINVAL, "coh_batch_end: NULL batch");
	coh__batch_barrier(b);
	return b->err;
}

/*
 * coh__batch_add for a range the batch's begin did not cover (a driver's
 * piece, a mapping): the backend accepts it before any line is touched.
 */
int coh__batch_add_checked(struct coh_batch *b, int kind, uintptr_t s, uintptr_t e,
			   int op, int dir, const struct coh_where *where)
{
	uintptr_t rs, re;
	size_t line;
	int rc = b->line && s < e ? coh__lines(s, e, &rs, &re, &line) : 0;

	return rc ? rc : coh__batch_add(b, kind, s, e, op, dir, where);
}

/* coh_batch_end_read: the field's whole lines invalidated into b */
int coh__batch_inval_field(struct coh_batch *b, uintptr_t a, size_t n,
			   const struct coh_where *where)
{
	size_t line = b->line;
	uintptr_t s = 0, e = 0;
	int rc = line ? coh__lines(a, a + n, &s, &e, &line) : 0;

	if (!rc)
		rc = coh_arch_op(COH_OP_ACQUIRE, b->dev, (const void *)a, n, -1, where);
	if (rc)
		return rc;
	b->did |= COH__INVAL;
	if (line) {
		if (!(b->lines[0] | b->lines[1] | b->lines[2]))
			coh_arch_maint_begin();
		coh_arch_inval_lines(s, e, line);
		b->lines[1] += coh__nlines(s, e, line);
	}
	coh_arch_op_end(COH_OP_ACQUIRE);
	return 0;
}

/* check, op hook, body, op end: the shape of every entry point below */
#define COH__ENTRY(op, dev, ptr, len, dir, where, body)                        \
	do {                                                                   \
		uintptr_t end_;                                                \
		int rc_ = coh__check_range((dev), (ptr), (len), &end_, (where)); \
		if (rc_ || !(len))                                             \
			return rc_;                                            \
		rc_ = coh_arch_op((op), (dev), (ptr), (len), (dir), (where));  \
		if (rc_)                                                       \
			return rc_;                                            \
		rc_ = body((dev), (uintptr_t)(ptr), end_);                     \
		coh_arch_op_end(op);                                           \
		return rc_;                                                    \
	} while (0)

int coh_release_at(struct coh_device *dev, const void *ptr, size_t len,
		   const struct coh_where *where)
{
	COH__ENTRY(COH_OP_RELEASE, dev, ptr, len, -1, where, coh__release_range);
}

int coh_acquire_at(struct coh_device *dev, void *ptr, size_t len,
		   const struct coh_where *where)
{
	COH__ENTRY(COH_OP_ACQUIRE, dev, ptr, len, -1, where, coh__acquire_range);
}

int coh_flush_at(struct coh_device *dev, void *ptr, size_t len,
		 const struct coh_where *where)
{
	COH__ENTRY(COH_OP_FLUSH, dev, ptr, len, -1, where, coh__flush_range);
}

static int coh__give_to(struct coh_device *dev, uintptr_t s, uintptr_t e)
{
	return coh__release_range(dev, s, e);
}

static int coh__give_from(struct coh_device *dev, uintptr_t s, uintptr_t e)
{
	/* no dirty line may later be evicted over what the device writes */
	return coh__flush_range(dev, s, e);
}

static int coh__take_to(struct coh_device *dev, uintptr_t s, uintptr_t e)
{
	(void)dev;
	(void)s;
	(void)e;
	return 0;
}

#define COH__DIR_OK(dir)                                                       \
	((dir) == COH_TO_DEVICE || (dir) == COH_FROM_DEVICE ||                 \
	 (dir) == COH_BIDIRECTIONAL)

static int coh__give(struct coh_device *dev, void *ptr, size_t len,
		     enum coh_dir dir, const struct coh_where *where)
{
	if (dir == COH_TO_DEVICE)
		COH__ENTRY(COH_OP_GIVE, dev, ptr, len, (int)dir, where, coh__give_to);
	COH__ENTRY(COH_OP_GIVE, dev, ptr, len, (int)dir, where, coh__give_from);
}

static int coh__take(struct coh_device *dev, void *ptr, size_t len,
		     enum coh_dir dir, const struct coh_where *where)
{
	if (dir == COH_TO_DEVICE)
		COH__ENTRY(COH_OP_TAKE, dev, ptr, len, (int)dir, where, coh__take_to);
	/* again: lines may have been refilled speculatively during the DMA */
	COH__ENTRY(COH_OP_TAKE, dev, ptr, len, (int)dir, where, coh__acquire_range);
}

int coh_give_at(struct coh_device *dev, void *ptr, size_t len, enum coh_dir dir,
		const struct coh_where *where)
{
	int rc;

	coh__api_check(COH__DIR_OK(dir), where, COH_EINVAL,
		       "coh_give: unknown direction");
	rc = coh__give(dev, ptr, len, dir, where);
	if (!rc)
		coh__own_give(ptr, len, where);
	return rc;
}

int coh_take_at(struct coh_device *dev, void *ptr, size_t len, enum coh_dir dir,
		const struct coh_where *where)
{
	int rc;

	coh__api_check(COH__DIR_OK(dir), where, COH_EINVAL,
		       "coh_take: unknown direction");
	rc = coh__take(dev, ptr, len, dir, where);
	if (!rc)
		coh__own_take(ptr, len, where);
	return rc;
}

static int coh__consume_body(struct coh_device *dev, uintptr_t s, uintptr_t e)
{
	(void)dev;
	(void)s;
	(void)e;
	return 0;
}

int coh_consume_at(struct coh_device *dev, const void *ptr, size_t len,
		   const struct coh_where *where)
{
	/* the check itself is the backend's op hook (the simulator's) */
	COH__ENTRY(COH_OP_CONSUME, dev, ptr, len, -1, where, coh__consume_body);
}

/*
 * Many buffers, one barrier.  Every span is checked before any line is
 * touched, so an error leaves nothing half given.
 */
static int coh__span_kind(enum coh_dir dir, bool give)
{
	if (give)
		return dir == COH_TO_DEVICE ? COH__CLEAN : COH__FLUSH;
	/* take FROM/BIDI: again, lines may have been refilled during the DMA */
	return dir == COH_TO_DEVICE ? 0 : COH__ACQ;
}

/*
 * The backend's op hook (the simulator's ownership tracker) refused span i
 * after spans [0, i) were handed over: hand those back, so that on error
 * nothing was given (or taken), for the backend as for the checker, which
 * never recorded them.  Their lines were cleaned, flushed or invalidated,
 * none of which loses data the device has not been told about yet.  The
 * arguments were all validated before the first span, so only a backend's
 * own verdict gets here (the simulator: a coherent device's buffer outside
 * simulated memory, which no maintainability check looks at).
 */
static void coh__give_take_undo(struct coh_device *dev, const struct coh_span *sp,
				size_t i, bool give, const struct coh_where *where)
{
	int op = give ? COH_OP_TAKE : COH_OP_GIVE;

	while (i--) {
		if (!sp[i].len)
			continue;
		if (!coh_arch_op(op, dev, sp[i].ptr, sp[i].len, (int)sp[i].dir, where))
			coh_arch_op_end(op);
	}
}

static int coh__give_take_n(struct coh_device *dev, const struct coh_span *sp,
			    size_t n, bool give, const struct coh_where *where)
{
	struct coh_batch b;
	bool any = false;
	int rc;

	coh__api_check(dev && (sp || !n), where, COH_EINVAL,
		       give ? "coh_give_n: NULL device or spans" : "coh_take_n: NULL device or spans");
	for (size_t i = 0; i < n; i++) {
		uintptr_t end;

		coh__api_check(COH__DIR_OK(sp[i].dir), where, COH_EINVAL,
			       give ? "coh_give_n: unknown direction" : "coh_take_n: unknown direction");
		rc = coh__check_range(dev, sp[i].ptr, sp[i].len, &end, where);
		if (rc)
			return rc;
		if (!sp[i].len)
			continue;
		rc = coh__batch_begin(&b, dev, (uintptr_t)sp[i].ptr, end);
		if (rc)
			return rc;
		any = true;
	}
	if (!any)
		return 0;
	(void)coh__batch_begin(&b, dev, 0, 0);	/* cannot fail: checked above */
	for (size_t i = 0; i < n; i++) {
		uintptr_t s = (uintptr_t)sp[i].ptr;
		enum coh_dir d = sp[i].dir;
		int kind = coh__span_kind(d, give);

		if (!sp[i].len)
			continue;
		if (kind)
			rc = coh__batch_add(&b, kind, s, s + sp[i].len,
					    give ? COH_OP_GIVE : COH_OP_TAKE, (int)d, where);
		else if (!(rc = coh_arch_op(COH_OP_TAKE, dev, sp[i].ptr, sp[i].len,
					    (int)d, where)))
			coh_arch_op_end(COH_OP_TAKE);
		if (rc) {
			coh__batch_barrier(&b);
			coh__give_take_undo(dev, sp, i, give, where);
			return rc;
		}
	}
	coh__batch_barrier(&b);
	for (size_t i = 0; i < n; i++) {
		if (!sp[i].len)
			continue;
		if (give)
			coh__own_give(sp[i].ptr, sp[i].len, where);
		else
			coh__own_take(sp[i].ptr, sp[i].len, where);
	}
	return 0;
}

int coh_give_n_at(struct coh_device *dev, const struct coh_span *spans,
		  size_t n, const struct coh_where *where)
{
	return coh__give_take_n(dev, spans, n, true, where);
}

int coh_take_n_at(struct coh_device *dev, const struct coh_span *spans,
		  size_t n, const struct coh_where *where)
{
	return coh__give_take_n(dev, spans, n, false, where);
}
