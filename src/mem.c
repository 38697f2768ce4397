/* SPDX-License-Identifier: MIT */
/*
 * src/mem.c - typed coherent allocations, boxes, device-only memory, and
 * the debug-build allocation checker.
 */
#include "coherent/mem.h"
#include "internal.h"

#define COH__KNOWN_ATTRS                                                       \
	(COH_ATTR_NO_CPU_MAPPING | COH_ATTR_UNCACHED | COH_ATTR_WRITE_COMBINE |  \
	 COH_ATTR_SKIP_CPU_SYNC | COH_ATTR_NO_WARN)

/* ---- checker: live allocations, by slot and generation ------------------- */

#if COH_DEBUG
_Static_assert(COH_CHECK_MAX_ALLOCS >= 1 && COH_CHECK_MAX_ALLOCS <= 4095,
	       "COH_CHECK_MAX_ALLOCS: 1 to 4095 (a 12-bit slot in the cookie)");

struct coh__live {
	uintptr_t cpu;
	size_t size;
	const struct coh_device *dev;
	const struct coh_where *where;
	uint32_t gen;
	bool live;
};
static struct coh__live coh__live_tab[COH_CHECK_MAX_ALLOCS];
static uint32_t coh__live_hi;		/* slots [0, hi) have been used */

/*
 * Bytes of live allocations given to a device (coh_give) and not taken
 * back (coh_take).  The ranges are kept disjoint, so ownership is per byte
 * and a give is idempotent, not nested: a byte given twice (a driver
 * re-posting a buffer) is the CPU's again after one take covering it - the
 * simulator's rule too.  Entries [0, n) are in use.
 */
struct coh__given {
	uintptr_t s, e;
	const struct coh_where *where;	/* the latest give of these bytes */
	uint32_t slot;			/* the allocation's index in coh__live_tab */
};
static struct coh__given coh__given_tab[COH_CHECK_GIVES];
static size_t coh__given_n;

/* one lock for both tables: free checks and retires atomically */
static int coh__live_lock;

static uint32_t coh__check_add(const struct coh_mem *m, const struct coh_where *w)
{
	uint32_t cookie = 0;

	unsigned long irq_3 = coh__lock(&coh__live_lock);
	for (uint32_t i = 0; i < COH_CHECK_MAX_ALLOCS; i++) {
		struct coh__live *e = &coh__live_tab[i];

		if (e->live)
			continue;
		e->live = true;
		e->cpu = m->cpu_;
		e->size = m->size;
		e->dev = m->dev;
		e->where = w;
		e->gen = (e->gen + 1) & 0xfffff;
		cookie = (e->gen << 12) | (i + 1);
		if (i >= coh__live_hi)
			coh__live_hi = i + 1;
		break;
	}
	coh__unlock(&coh__live_lock, irq_3);
	if (!cookie)
		coh__diag(w, "checker: allocation table full (raise COH_CHECK_MAX_ALLOCS); this allocation is unchecked", 0);
	return cookie;
}

/* The slot of a live cookie, or NULL (and *site = where it was allocated). */
static struct coh__live *coh__check_find(uint32_t cookie,
					 const struct coh_where **site)
{
	uint32_t slot = (cookie & 0xfff) - 1;
	struct coh__live *e;

	*site = NULL;
	if (!cookie || slot >= COH_CHECK_MAX_ALLOCS)
		return NULL;
	e = &coh__live_tab[slot];
	*site = e->where;
	return e->live && e->gen == (cookie >> 12) ? e : NULL;
}

/*
 * Lock held.  Remove [s, e) from every given range.  false when a range had
 * to be split and the table had no room for its right part, which is then
 * dropped (unchecked from now on, never falsely refused).
 */
static bool coh__given_cut(uintptr_t s, uintptr_t e)
{
	bool ok = true;

	for (size_t k = 0; k < coh__given_n;) {
		struct coh__given *g = &coh__given_tab[k];

		if (g->e <= s || e <= g->s) {
			k++;
		} else if (g->s < s && e < g->e) {
			if (coh__given_n < COH_CHECK_GIVES)
				coh__given_tab[coh__given_n++] = (struct coh__given){
					.s = e, .e = g->e, .where = g->where,
					.slot = g->slot,
				};
			else
				ok = false;
			g->e = s;
			k++;
		} else if (g->s < s) {
			g->e = s;
			k++;
		} else if (e < g->e) {
			g->s = e;
			k++;
		} else {
			/* covered: the last entry moves here and is looked at next */
			*g = coh__given_tab[--coh__given_n];
		}
	}
	return ok;
}

void coh__own_give(const void *ptr, size_t len, const struct coh_where *where)
{
	uintptr_t s = (uintptr_t)ptr, e;
	struct coh__given *l = NULL, *r = NULL;
	const struct coh__live *a = NULL;
	uint32_t slot;
	bool full;

	if (!len)
		return;
	unsigned long irq_4 = coh__lock(&coh__live_lock);
	for (slot = 0; slot < coh__live_hi; slot++) {
		a = &coh__live_tab[slot];
		if (a->live && s - a->cpu < a->size)
			break;
	}
	if (slot == coh__live_hi) {
		/* not a coherent allocation (a stream buffer, static memory) */
		coh__unlock(&coh__live_lock, irq_4);
		return;
	}
	e = len < a->cpu + a->size - s ? s + len : a->cpu + a->size;
	full = !coh__given_cut(s, e);
	/* adjacent gives from one call site (a refill loop) share an entry */
	for (size_t k = 0; k < coh__given_n; k++) {
		struct coh__given *g = &coh__given_tab[k];

		if (g->slot != slot || g->where != where)
			continue;
		if (g->e == s)
			l = g;
		if (g->s == e)
			r = g;
	}
	if (l && r) {
		l->e = r->e;
		*r = coh__given_tab[--coh__given_n];
	} else if (l) {
		l->e = e;
	} else if (r) {
		r->s = s;
	} else if (coh__given_n < COH_CHECK_GIVES) {
		coh__given_tab[coh__given_n++] = (struct coh__given){
			.s = s, .e = e, .where = where, .slot = slot,
		};
	} else {
		full = true;
	}
	coh__unlock(&coh__live_lock, irq_4);
	if (full)
		coh__diagf(where, 0, "checker: give table full (COH_CHECK_GIVES = %z): bytes given here are not tracked, coh_free will not refuse for them",
			   (size_t)COH_CHECK_GIVES);
}

void coh__own_take(const void *ptr, size_t len, const struct coh_where *where)
{
	uintptr_t s = (uintptr_t)ptr;
	bool ok;

	if (!len)
		return;
	unsigned long irq_5 = coh__lock(&coh__live_lock);
	ok = coh__given_cut(s, s + len);
	coh__unlock(&coh__live_lock, irq_5);
	if (!ok)
		coh__diagf(where, 0, "checker: give table full (COH_CHECK_GIVES = %z): bytes after the range taken here are no longer tracked",
			   (size_t)COH_CHECK_GIVES);
}

const struct coh_where *coh__own_given(uintptr_t s, uintptr_t e, bool *given)
{
	const struct coh_where *w = NULL;

	*given = false;
	unsigned long irq_6 = coh__lock(&coh__live_lock);
	for (size_t k = 0; k < coh__given_n; k++)
		if (coh__given_tab[k].s < e && s < coh__given_tab[k].e) {
			*given = true;
			w = coh__given_tab[k].where;
			break;
		}
	coh__unlock(&coh__live_lock, irq_6);
	return w;
}

/*
 * Retire the allocation of cookie unless the device still owns bytes of
 * it.  Returns 0, -COH_EINVAL (already freed) or -COH_EBUSY, reported.
 */
static int coh__check_free(const struct coh_mem *m, const struct coh_where *where)
{
	const struct coh_where *site;
	struct coh__live *e;
	struct coh__given held = { 0 };
	size_t n = 0;

	unsigned long irq_7 = coh__lock(&coh__live_lock);
	e = coh__check_find(m->cookie, &site);
	if (e) {
		uint32_t slot = (m->cookie & 0xfff) - 1;

		for (size_t k = 0; k < coh__given_n; k++)
			if (coh__given_tab[k].slot == slot && !n++)
				held = coh__given_tab[k];
		if (!n)
			e->live = false;
	}
	coh__unlock(&coh__live_lock, irq_7);
	if (m->cookie && !e) {
		coh__diag(where, "free: double free of a coherent allocation", -COH_EINVAL);
		coh__diag(site, "free: ... allocated here", -COH_EINVAL);
		return -COH_EINVAL;
	}
	if (n) {
		coh__stat_add(m->dev, reports, 1);
		coh__diagf(where, -COH_EBUSY,
			   "free: %s still owns %z byte(s) at +%z of this coherent allocation (allocated at %W), given at %W and never taken back (%z range(s) outstanding): nothing freed",
			   m->dev->name, (size_t)(held.e - held.s),
			   (size_t)(held.s - m->cpu_), site, held.where, n);
		return -COH_EBUSY;
	}
	return 0;
}
#endif

/* ---- allocation ---------------------------------------------------------- */

/*
 * How well region r suits attrs: 0 first, 2 last.  Write-combining: a WC
 * region, else uncached (no maintenance either, no combining), else cached
 * (maintained).  Uncached: uncached, then WC, then cached.  Neither: cached
 * first (CPU reads at cache speed).  Every choice is correct; the handle
 * records which it got (coh_is_write_combining()).
 */
static int coh__region_rank(const struct coh_region *r, unsigned int attrs)
{
	bool wc = r->flags & COH_REGION_WC, uc = r->flags & COH_REGION_UNCACHED;

	if (attrs & COH_ATTR_WRITE_COMBINE)
		return wc ? 0 : uc ? 1 : 2;
	if (attrs & COH_ATTR_UNCACHED)
		return uc ? 0 : wc ? 1 : 2;
	return !wc && !uc ? 0 : uc ? 1 : 2;
}

static int coh__maint_failed(const struct coh_mem *m, int rc, const char *msg,
			     const struct coh_where *where);

int coh__mem_alloc(struct coh_mem *m, struct coh_device *dev, size_t count,
		   size_t elem, size_t align, unsigned int attrs,
		   unsigned int state, const struct coh_where *where)
{
	return coh__mem_alloc_placed(m, dev, count, elem, align, NULL, attrs,
				     state, where);
}

int coh__mem_alloc_pages(struct coh_mem *m, struct coh_device *dev,
			 size_t npages, size_t page, size_t elem, size_t talign,
			 unsigned int attrs, unsigned int state,
			 const struct coh_where *where)
{
	coh__api_check(m, where, COH_EINVAL, "coherent alloc: NULL handle");
	*m = (struct coh_mem){ .bus = COH_BUS_ERROR };
	coh__api_check(npages && coh_is_pow2(page) && elem && !(page % elem) &&
			       talign <= page,
		       where, COH_EINVAL,
		       "coherent alloc: pages: zero pages, page size not a power of two, or not a whole number of elements");
	coh__api_check(npages <= SIZE_MAX / page, where, COH_EOVERFLOW,
		       "coherent alloc: pages x page size overflows");
	return coh__mem_alloc_placed(m, dev, npages * page / elem, elem, talign,
				     &(struct coh_placement){ .align = page },
				     attrs, state, where);
}

int coh__mem_alloc_placed(struct coh_mem *m, struct coh_device *dev,
			  size_t count, size_t elem, size_t align,
			  const struct coh_placement *pl, unsigned int attrs,
			  unsigned int state, const struct coh_where *where)
{
	size_t size, span = 0, boundary = pl ? pl->boundary : 0;
	uintptr_t cpu = 0;
	uint64_t phys = 0;
	struct coh_region *got = NULL;
	bool reachable = false, holds = false;
	int rc = -COH_ENOMEM;

	coh__api_check(m && dev, where, COH_EINVAL, "coherent alloc: NULL handle or device");
	*m = (struct coh_mem){ .bus = COH_BUS_ERROR };
	coh__api_check(count && elem, where, COH_EINVAL, "coherent alloc: zero size");
	coh__api_check(count <= SIZE_MAX / elem, where, COH_EOVERFLOW,
		       "coherent alloc: count x element size overflows");
	coh__api_check(coh_is_pow2(align) && coh_is_pow2(dev->min_align) &&
			       (!pl || !pl->align || coh_is_pow2(pl->align)),
		       where, COH_EINVAL,
		       "coherent alloc: alignment must be a power of two");
	coh__api_check(!boundary || coh_is_pow2(boundary), where, COH_EINVAL,
		       "coherent alloc: boundary must be 0 or a power of two");
	coh__api_check(!(attrs & ~COH__KNOWN_ATTRS), where, COH_EINVAL,
		       "coherent alloc: unknown attribute bits");
	size = count * elem;
	coh__api_check(!boundary || size <= boundary, where, COH_EINVAL,
		       "coherent alloc: larger than the boundary it must not cross");
	if (align < dev->min_align)
		align = dev->min_align;
	if (pl && align < pl->align)
		align = pl->align;

	/* the best-suited regions first (coh__region_rank), then the others */
	for (int pass = 0; pass < 3 && !got; pass++) {
		for (struct coh_region *r = coh__region_first(); r && !got; r = r->next) {
			coh_bus_t lo = coh_phys_to_bus(dev, r->phys + (r->heap - r->cpu));

			if (coh__region_rank(r, attrs) != pass)
				continue;
			if (lo > dev->dma_mask)
				continue;
			reachable = true;
			if (!coh__region_can_hold(r, size, align))
				continue;
			holds = true;
			if (!coh__region_alloc(r, size, align, boundary, dev, &cpu, &phys, &span))
				got = r;
		}
	}
	if (!got) {
		rc = reachable && holds ? -COH_ENOMEM : -COH_ERANGE;
		if (!(attrs & COH_ATTR_NO_WARN))
			coh__diag(where, !reachable ?
				  "coherent alloc: no region is reachable under the device's DMA mask" :
				  !holds ? "coherent alloc: no reachable region can ever hold this size at this alignment" :
				  "coherent alloc: reachable regions exhausted", rc);
		return rc;
	}

	m->cpu_ = cpu;
	m->phys = phys;
	m->size = size;
	m->span = span;
	m->count = count;
	m->elem = elem;
	m->dev = dev;
	m->region = got;
	m->attrs = attrs;
	m->state = state;
	if (!(dev->flags & COH_DEV_COHERENT) &&
	    !(got->flags & (COH_REGION_UNCACHED | COH_REGION_WC)) &&
	    !(attrs & COH_ATTR_SKIP_CPU_SYNC))
		m->state |= COH_MEM_SYNC;
	if (got->flags & COH_REGION_WC)
		m->state |= COH_MEM_WC;
	coh__stat_add(dev, allocs, 1);
#if COH_DEBUG
	m->cookie = coh__check_add(m, where);
#endif

	__builtin_memset((void *)cpu, 0, size);
	if (state & COH_MEM_SHARED)
		rc = coh__mem_share(m, where);
	else if (state & COH_MEM_DEVONLY) {
		m->bus = coh_phys_to_bus(dev, phys);
		rc = coh_arch_op(COH_OP_GIVE, dev, (void *)cpu, size, COH_BIDIRECTIONAL, where);
		if (!rc && (m->state & COH_MEM_SYNC))
			rc = coh__flush_range(dev, cpu, cpu + size);
		coh_arch_op_end(COH_OP_GIVE);
	} else {
		return 0;
	}
	if (rc) {
		/* the device would not see the zeros: nothing is handed out */
		coh__maint_failed(m, rc, NULL, where);
		m->state &= ~(unsigned int)COH_MEM_DEVONLY;
		coh__mem_free(m, where);
		*m = (struct coh_mem){ .bus = COH_BUS_ERROR };
	}
	return rc;
}

/* stores to memory that needs no maintenance before the device looks */
static void coh__unmaintained_wmb(const struct coh_mem *m)
{
	if (m->state & COH_MEM_WC)
		coh_arch_wc_wmb();	/* write-combined stores drained */
	else
		coh_arch_io_wmb();	/* earlier stores before the MMIO that starts the DMA */
}

int coh__mem_share(struct coh_mem *m, const struct coh_where *where)
{
	int rc;

	coh__api_check(m && m->cpu_ && (m->state & (COH_MEM_BOX | COH_MEM_SHARED)),
		       where, COH_EINVAL, "share: not a box");
	m->state = (m->state & ~COH_MEM_BOX) | COH_MEM_SHARED;
	rc = coh_arch_op(COH_OP_SHARE, m->dev, (void *)m->cpu_, m->size, -1, where);
	if (rc)
		return rc;
	/* one release of the whole range; coherent or uncached: a barrier */
	if (m->state & COH_MEM_SYNC)
		rc = coh__release_range(m->dev, m->cpu_, m->cpu_ + m->size);
	else
		coh__unmaintained_wmb(m);
	coh_arch_op_end(COH_OP_SHARE);
	m->bus = coh_phys_to_bus(m->dev, m->phys);
	return rc;
}

int coh__mem_share_or_free(struct coh_mem *m, const struct coh_where *where)
{
	int rc = coh__mem_share(m, where);

	if (rc && m && m->cpu_) {
		/* the device would not see the contents: nothing is handed out */
		coh__maint_failed(m, rc, NULL, where);
		coh__mem_free(m, where);
		*m = (struct coh_mem){ .bus = COH_BUS_ERROR };
	}
	return rc;
}

int coh__mem_share_box(struct coh_mem *b, struct coh_mem *h, const struct coh_where *where)
{
	int rc;

	coh__api_check(b && h && b != h && b->cpu_ && (b->state & COH_MEM_BOX), where,
		       COH_EINVAL, "coh_box_share: not an allocated box (already shared?)");
	rc = coh__mem_share(b, where);
	if (rc) {
		/* still the caller's box: retry, or free it */
		coh__maint_failed(b, rc, NULL, where);
		b->state = (b->state & ~(unsigned int)COH_MEM_SHARED) | COH_MEM_BOX;
		b->bus = COH_BUS_ERROR;
		return rc;
	}
	/* consumed: the memory, its cookie and its checker slot are h's now */
	*h = *b;
	*b = (struct coh_mem){ .bus = COH_BUS_ERROR };
	return 0;
}

void coh__mem_fill(struct coh_mem *m, const void *src, size_t len)
{
	if (m->cpu_ && (m->state & COH_MEM_BOX))
		__builtin_memcpy((void *)m->cpu_, src, len);
}

int coh__mem_free(struct coh_mem *m, const struct coh_where *where)
{
	struct coh_region *r;
	int rc;

	coh__api_check(m && m->cpu_ && m->region, where, COH_EINVAL,
		       "free: handle never allocated or already freed");
#if COH_DEBUG
	rc = coh__check_free(m, where);
	if (rc)
		return rc;
#endif
	r = m->region;
	if (m->state & COH_MEM_DEVONLY) {
		/* the device gives it back: drop any line refilled meanwhile */
		rc = coh_arch_op(COH_OP_TAKE, m->dev, (void *)m->cpu_, m->size,
				 COH_FROM_DEVICE, where);
		if (!rc && (m->state & COH_MEM_SYNC) &&
		    (rc = coh__acquire_range(m->dev, m->cpu_, m->cpu_ + m->size)))
			/* freed all the same: the device is done with it */
			coh__maint_failed(m, rc, "free: dropping the device-only memory's lines failed", where);
		coh_arch_op_end(COH_OP_TAKE);
	} else {
		/* shared or box: back to the allocator (the simulator checks ownership) */
		(void)coh_arch_op(COH_OP_UNSHARE, m->dev, (void *)m->cpu_, m->size, -1, where);
		coh_arch_op_end(COH_OP_UNSHARE);
	}
	rc = coh__region_free(r, m->cpu_, m->span);
	if (rc)
		coh__diag(where, "free: the region refused the block (corrupted handle?)", rc);
	*m = (struct coh_mem){ .bus = COH_BUS_ERROR };
	return rc;
}

int coh__mem_alloc_flex(struct coh_mem *m, struct coh_device *dev,
			size_t tsize, size_t off, size_t n, size_t esize,
			size_t align, size_t usize, size_t ualign,
			unsigned int attrs, const struct coh_where *where)
{
	size_t size, toff = 0;
	int rc;

	coh__api_check(m, where, COH_EINVAL, "coherent alloc: NULL handle");
	*m = (struct coh_mem){ .bus = COH_BUS_ERROR };
	coh__api_check(esize && n <= (SIZE_MAX - off) / esize, where, COH_EOVERFLOW,
		       "coherent alloc: header + n x element size overflows");
	size = off + n * esize;
	if (usize) {
		/* the trailer right after the array, aligned as a U would be */
		coh__api_check(coh_is_pow2(ualign) && size <= SIZE_MAX - (ualign - 1) &&
				       ((size + ualign - 1) & ~(ualign - 1)) <= SIZE_MAX - usize,
			       where, COH_EOVERFLOW,
			       "coherent alloc: header + array + trailer overflows");
		toff = (size + ualign - 1) & ~(ualign - 1);
		size = toff + usize;
		if (align < ualign)
			align = ualign;
	}
	if (size < tsize)
		size = tsize;	/* the struct's own tail padding */
	rc = coh__mem_alloc(m, dev, 1, size, align, attrs, COH_MEM_SHARED, where);
	if (rc)
		return rc;
	m->flex_off = off;
	m->flex_n = n;
	m->flex_esize = esize;
	m->tail_off = toff;
	return 0;
}

/* ---- accessors ------------------------------------------------------------ */

/*
 * Acquire or release [a, a+n) of m, framed by the backend's op hook (the
 * simulator's scheduling point).  Only for memory that needs maintenance.
 */
static int coh__mem_sync(const struct coh_mem *m, int op, uintptr_t a, size_t n,
			 const struct coh_where *where)
{
	int rc = coh_arch_op(op, m->dev, (void *)a, n, -1, where);

	if (rc)
		return rc;
	rc = op == COH_OP_ACQUIRE ? coh__acquire_range(m->dev, a, a + n)
				  : coh__release_range(m->dev, a, a + n);
	coh_arch_op_end(op);
	return rc;
}


/*
 * A maintenance failure inside a call: counted on the device (whatever
 * COH_STATS: it is the error path) and, where the call has no return code
 * to carry it, reported with the caller's file:line.
 */
static int coh__maint_failed(const struct coh_mem *m, int rc, const char *msg,
			     const struct coh_where *where)
{
	if (m->dev)
		__atomic_fetch_add(&m->dev->stats.maint_errors, 1ul, __ATOMIC_RELAXED);
	if (msg)
		coh__diag(where, msg, rc);
	return rc;
}

int coh__field_sync(const struct coh_mem *m, int op, uintptr_t a, size_t n,
		    const struct coh_where *where)
{
	int rc = coh__mem_sync(m, op, a, n, where);

	return rc ? coh__maint_failed(m, rc, NULL, where) : 0;
}

void *coh__field_acquire_at(const struct coh_mem *m, uintptr_t a, size_t n,
			    const struct coh_where *where)
{
	int rc = coh__field_sync(m, COH_OP_ACQUIRE, a, n, where);

	if (rc)
		coh__diag(where, "coh_read: the acquire of the field failed: the value read may be stale", rc);
	return (void *)a;
}

void coh__field_release_at(const struct coh_mem *m, uintptr_t a, size_t n,
			   const struct coh_where *where)
{
	int rc = coh__field_sync(m, COH_OP_RELEASE, a, n, where);

	if (rc)
		coh__diag(where, "coh_write: the release of the field failed: the device may not see it", rc);
}

void *coh__field_inval_at(const struct coh_mem *m, uintptr_t a, size_t n,
			  const struct coh_where *where)
{
	/* a batch of one field: its whole lines, one barrier */
	struct coh_batch b;
	int rc = coh__batch_begin(&b, m->dev, 0, 0);

	if (!rc)
		rc = coh__batch_inval_field(&b, a, n, where);
	coh__batch_barrier(&b);
	if (rc) {
		coh__maint_failed(m, rc, NULL, where);
		coh__diag(where, "coh_read_from_device: the invalidate failed: the value read may be stale", rc);
	}
	return (void *)a;
}

/* ---- batches: typed writes released under one barrier (coherent/fence.h) -- */

static int coh__batch_fail(struct coh_batch *b, int rc)
{
	if (!b->err)
		b->err = rc;
	return rc;
}

int coh__batch_field_ok(struct coh_batch *b, const struct coh_mem *m,
			uintptr_t a, size_t n, const struct coh_where *where)
{
	coh__api_check(b, where, COH_EINVAL, "coh_write_batch/coh_put_batch: NULL batch");
	if (b->err)
		return b->err;
	if (m->dev != b->dev) {
		coh__diag(where, "coh_write_batch/coh_put_batch: the memory belongs to another device than the batch",
			  -COH_EINVAL);
		return coh__batch_fail(b, -COH_EINVAL);
	}
	/* out of bounds, or (debug builds) a freed handle: reported here */
	if ((!coh__field_in(m, a, n) || (COH_DEBUG && m->cookie)) && coh__field_bad(m, a, n, where))
		return coh__batch_fail(b, -COH_ERANGE);
	return 0;
}

int coh__batch_field(struct coh_batch *b, const struct coh_mem *m, uintptr_t a,
		     size_t n, const struct coh_where *where)
{
	int rc;

	if (!(m->state & COH_MEM_SYNC) || !b->line) {
		/* nothing to clean: the batch's barrier orders (or drains) the store */
		b->did |= COH__CLEAN | (m->state & COH_MEM_WC ? COH__WC : 0);
		return 0;
	}
	rc = coh__batch_add_checked(b, COH__CLEAN, a, a + n, COH_OP_RELEASE, -1, where);
	if (rc) {
		coh__maint_failed(m, rc, NULL, where);
		return coh__batch_fail(b, rc);
	}
	return 0;
}

int coh__field_bad(const struct coh_mem *m, uintptr_t a, size_t n,
		   const struct coh_where *where)
{
#if COH_DEBUG
	const struct coh_where *site = NULL;
	bool freed = false;

	if (m->cookie) {
		/* the table changes under other threads' alloc and free */
		unsigned long irq_8 = coh__lock(&coh__live_lock);
		freed = !coh__check_find(m->cookie, &site);
		coh__unlock(&coh__live_lock, irq_8);
	}
	if (freed) {
		coh__diag(where, "access through a freed coherent handle", -COH_EINVAL);
		coh__diag(site, "... allocated here", -COH_EINVAL);
		return 1;
	}
#endif
	if (!coh__field_in(m, a, n)) {
		coh__diag(where, m->cpu_ ? "access out of bounds of a coherent allocation" :
			  "access through a freed or unallocated coherent handle",
			  -COH_ERANGE);
		return 1;
	}
	return 0;
}

int coh__tail_bad(const struct coh_mem *m, uintptr_t a, size_t n,
		  const struct coh_where *where)
{
	if (m->cpu_ && !m->tail_off) {
		coh__diag(where, "trailer access on a handle allocated without one (coh_alloc_shared_flex_tail)",
			  -COH_ERANGE);
		return 1;
	}
	return coh__field_bad(m, a, n, where);
}

static int coh__elems(const struct coh_mem *m, size_t first, size_t n,
		      uintptr_t *a, size_t *len)
{
	if (!(m->state & COH_MEM_SHARED) || first > m->count || n > m->count - first)
		return -COH_ERANGE;
	*a = m->cpu_ + first * m->elem;
	*len = n * m->elem;
	return 0;
}

/* [a, a+len) of m, already bounds-checked, acquired and copied out */
static int coh__mem_copy_out(const struct coh_mem *m, uintptr_t a, size_t len,
			     void *dst, const struct coh_where *where)
{
	int rc;

	if (!len)
		return 0;
	if ((m->state & COH_MEM_SYNC) &&
	    (rc = coh__mem_sync(m, COH_OP_ACQUIRE, a, len, where)))
		return coh__maint_failed(m, rc, NULL, where);
	__builtin_memcpy(dst, (const void *)a, len);
	coh_arch_load((const void *)a, len, dst, where);
	return 0;
}

/* copied in, then released (or ordered before the doorbell) */
static int coh__mem_copy_in(const struct coh_mem *m, uintptr_t a, size_t len,
			    const void *src, const struct coh_where *where)
{
	int rc = 0;

	if (!len)
		return 0;
	coh_arch_store((const void *)a, len, where);
	__builtin_memcpy((void *)a, src, len);
	if (m->state & COH_MEM_SYNC) {
		if ((rc = coh__mem_sync(m, COH_OP_RELEASE, a, len, where)))
			coh__maint_failed(m, rc, NULL, where);
	} else {
		/* the copy before whatever tells the device to look */
		coh__unmaintained_wmb(m);
	}
	return rc;
}

int coh__mem_get(const struct coh_mem *m, size_t first, size_t n, void *dst,
		 const struct coh_where *where)
{
	uintptr_t a;
	size_t len;
	int rc = coh__elems(m, first, n, &a, &len);

	coh__api_check(!m->flex_esize, where, COH_EINVAL,
		       "coh_get: a flex handle's element is the whole allocation: use coh_get_flex");
	coh__api_check(!rc, where, COH_ERANGE, "coh_get: elements out of bounds");
	return coh__mem_copy_out(m, a, len, dst, where);
}

int coh__mem_put(const struct coh_mem *m, size_t first, size_t n, const void *src,
		 const struct coh_where *where)
{
	uintptr_t a;
	size_t len;
	int rc = coh__elems(m, first, n, &a, &len);

	coh__api_check(!m->flex_esize, where, COH_EINVAL,
		       "coh_put: a flex handle's element is the whole allocation: use coh_put_flex");
	coh__api_check(!rc, where, COH_ERANGE, "coh_put: elements out of bounds");
	return coh__mem_copy_in(m, a, len, src, where);
}

int coh__batch_read_field(struct coh_batch *b, const struct coh_mem *m,
			  uintptr_t a, size_t n, const struct coh_where *where)
{
	int rc = coh__batch_field_ok(b, m, a, n, where), end;

	if (!rc && (m->state & COH_MEM_SYNC) && b->line) {
		rc = coh__batch_inval_field(b, a, n, where);
		if (rc)
			coh__maint_failed(m, rc, NULL, where);
	} else if (!rc) {
		b->did |= COH__INVAL;	/* the barrier orders the read after earlier ones */
	}
	if (!b)
		return rc;
	end = coh_batch_end_at(b, where);
	return rc ? rc : end;
}

int coh__mem_put_batch(struct coh_batch *b, const struct coh_mem *m, size_t first,
		       size_t n, const void *src, const struct coh_where *where)
{
	uintptr_t a = 0;
	size_t len = 0;
	int rc;

	coh__api_check(b, where, COH_EINVAL, "coh_put_batch: NULL batch");
	if (b->err)
		return b->err;
	if (m->flex_esize) {
		coh__diag(where, "coh_put_batch: a flex handle's element is the whole allocation",
			  -COH_EINVAL);
		return coh__batch_fail(b, -COH_EINVAL);
	}
	if (coh__elems(m, first, n, &a, &len)) {
		coh__diag(where, "coh_put_batch: elements out of bounds", -COH_ERANGE);
		return coh__batch_fail(b, -COH_ERANGE);
	}
	if (!len)
		return 0;
	rc = coh__batch_field_ok(b, m, a, len, where);
	if (rc)
		return rc;
	coh_arch_store((const void *)a, len, where);
	__builtin_memcpy((void *)a, src, len);
	return coh__batch_field(b, m, a, len, where);
}

/* the elements [first, first+n) of a flex handle's array, checked */
static int coh__flex_elems(const struct coh_mem *m, size_t off, size_t esize,
			   size_t first, size_t n, uintptr_t *a, size_t *len,
			   const struct coh_where *where)
{
	coh__api_check(m->flex_esize && off == m->flex_off && esize == m->flex_esize,
		       where, COH_EINVAL,
		       "coh_get_flex/coh_put_flex: not a flex handle, or not its flexible array member");
	coh__api_check((m->state & COH_MEM_SHARED) && first <= m->flex_n &&
			       n <= m->flex_n - first,
		       where, COH_ERANGE, "coh_get_flex/coh_put_flex: elements out of bounds");
	*a = m->cpu_ + off + first * esize;
	*len = n * esize;
	return 0;
}

int coh__mem_get_flex(const struct coh_mem *m, size_t off, size_t esize,
		      size_t first, size_t n, void *dst,
		      const struct coh_where *where)
{
	uintptr_t a;
	size_t len;
	int rc;

	coh__api_check(m && dst, where, COH_EINVAL, "coh_get_flex: NULL");
	rc = coh__flex_elems(m, off, esize, first, n, &a, &len, where);
	return rc ? rc : coh__mem_copy_out(m, a, len, dst, where);
}

int coh__mem_put_flex(const struct coh_mem *m, size_t off, size_t esize,
		      size_t first, size_t n, const void *src,
		      const struct coh_where *where)
{
	uintptr_t a;
	size_t len;
	int rc;

	coh__api_check(m && src, where, COH_EINVAL, "coh_put_flex: NULL");
	rc = coh__flex_elems(m, off, esize, first, n, &a, &len, where);
	return rc ? rc : coh__mem_copy_in(m, a, len, src, where);
}

long coh__mem_dump(const struct coh_mem *m, long off, void *buf, size_t len,
		   const struct coh_where *where)
{
	size_t n;
	uintptr_t a;

	coh__api_check(m && buf && off >= 0, where, COH_EINVAL,
		       "coh_dump: NULL or negative offset");
	coh__api_check(m->state & COH_MEM_SHARED, where, COH_EINVAL,
		       "coh_dump: not shared CPU-visible memory");
	if ((size_t)off >= m->size || !len)
		return 0;
	n = m->size - (size_t)off;
	if (n > len)
		n = len;
	if (n > (size_t)(~0UL >> 1))
		n = (size_t)(~0UL >> 1);
	a = m->cpu_ + (size_t)off;
	if (m->state & COH_MEM_SYNC) {
		int rc = coh__mem_sync(m, COH_OP_ACQUIRE, a, n, where);

		if (rc)
			return coh__maint_failed(m, rc, NULL, where);
	}
	__builtin_memcpy(buf, (const void *)a, n);
	return (long)n;
}

int coh_device_leaks(struct coh_device *dev)
{
	int n = 0;

	/* the backend (the simulator) checks what is still live, in every build */
	(void)coh_arch_op(COH_OP_TEARDOWN, dev, NULL, 0, -1, NULL);
	coh_arch_op_end(COH_OP_TEARDOWN);

#if COH_DEBUG
	unsigned long irq_9 = coh__lock(&coh__live_lock);
	for (size_t i = 0; i < COH_CHECK_MAX_ALLOCS; i++) {
		struct coh__live *e = &coh__live_tab[i];

		if (e->live && e->dev == dev) {
			coh__diag(e->where, "leak: coherent allocation still live at device teardown",
				  -COH_EBUSY);
			n++;
		}
	}
	coh__unlock(&coh__live_lock, irq_9);
	if (n)
		coh__stat_add(dev, reports, n);
#else
	(void)dev;
#endif
	return n;
}
