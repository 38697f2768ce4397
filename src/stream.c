/* SPDX-License-Identifier: MIT */
/*
 * src/stream.c - streaming DMA: map, sync, unmap, scatter-gather, bounce.
 *
 * Every entry point has the same shape: check the arguments, find or make
 * the record (lock-free, see below; only bounce slots take the stream's
 * lock), tell the backend who owns which bytes (COH_OP_GIVE/TAKE: the
 * simulator's ownership tracking), copy through the bounce slot if there
 * is one, and do the direction's maintenance with one barrier.
 */
#include "stream_internal.h"

const char *coh_dir_name(int dir)
{
	switch (dir) {
	case COH_BIDIRECTIONAL: return "BIDIRECTIONAL";
	case COH_TO_DEVICE: return "TO_DEVICE";
	case COH_FROM_DEVICE: return "FROM_DEVICE";
	default: return "INVALID_DIRECTION";
	}
}

/*
 * ---- records: lock-free open addressing on the bus address
 *
 * rec[i].st holds a state in bits 0-1 (FREE, BUSY, LIVE) and a generation
 * above, bumped on every publish, so each record is its own seqlock: a
 * reader that sees the same LIVE word before and after reading the fields
 * read one mapping, not a mix.  Insert claims a FREE record with one CAS
 * (FREE -> BUSY), fills it, and the map publishes it (LIVE, release) once
 * the device may be told its address.  Remove claims a LIVE record with one
 * CAS (LIVE -> BUSY): of two racing unmaps of one address, one wins and the
 * other finds nothing.  Freed records are not compacted, so a lookup cannot
 * stop at a free one; it probes as far as any insert ever had to go
 * (maxprobe, 0 or 1 with a table sized for the peak), at most the table.
 * Sync only reads: no atomic read-modify-write, no lock.
 */
#define COH__ST_FREE 0u
#define COH__ST_BUSY 1u
#define COH__ST_LIVE 2u
#define COH__ST_GEN 4u
#define COH__ST(x) ((x) & 3u)

/*
 * The bus field is 64-bit everywhere.  Cores without 64-bit atomics
 * (Cortex-M) access it as a volatile, fenced: a torn read is caught like
 * any other by the state word, re-read after the fields.
 */
#if UINTPTR_MAX >= UINT64_MAX
#define coh__bus_load(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define coh__bus_store(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#else
static inline coh_bus_t coh__bus_load(const coh_bus_t *p)
{
	coh_bus_t v = *(const volatile coh_bus_t *)p;

	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return v;
}
#define coh__bus_store(p, v) (*(volatile coh_bus_t *)(p) = (v))
#endif

static size_t coh__rec_hash(const struct coh_stream *s, coh_bus_t bus)
{
	uint64_t h = (bus >> 4) * 0x9E3779B97F4A7C15ull;

	return (size_t)(h >> 32) & (s->nrec - 1);
}

/* Field by field, acquire: the state word re-read after them is read last. */
static inline void coh__rec_load(const struct coh_map_rec *x,
				 struct coh_map_rec *r)
{
	r->cpu = __atomic_load_n(&x->cpu, __ATOMIC_ACQUIRE);
	r->slot = __atomic_load_n(&x->slot, __ATOMIC_ACQUIRE);
	r->len = __atomic_load_n(&x->len, __ATOMIC_ACQUIRE);
	r->where = __atomic_load_n(&x->where, __ATOMIC_ACQUIRE);
	r->ngran = __atomic_load_n(&x->ngran, __ATOMIC_ACQUIRE);
	r->dir = __atomic_load_n(&x->dir, __ATOMIC_ACQUIRE);
	r->flags = __atomic_load_n(&x->flags, __ATOMIC_ACQUIRE);
}

/*
 * Index of a LIVE record for bus, its snapshot in *r (r->st: the state word
 * it was read under), or -1.
 */
static inline long coh__rec_get(const struct coh_stream *s, coh_bus_t bus,
				struct coh_map_rec *r)
{
	size_t m = s->nrec - 1, i = coh__rec_hash(s, bus);
	size_t max = __atomic_load_n(&s->maxprobe, __ATOMIC_RELAXED);

	for (size_t n = 0; n <= max; n++, i = (i + 1) & m) {
		const struct coh_map_rec *x = &s->rec[i];
		uint32_t st = __atomic_load_n(&x->st, __ATOMIC_ACQUIRE);

		if (COH__ST(st) != COH__ST_LIVE ||
		    coh__bus_load(&x->bus) != bus)
			continue;
		coh__rec_load(x, r);
		if (__atomic_load_n(&x->st, __ATOMIC_RELAXED) != st)
			continue;	/* unmapped (and reused) meanwhile */
		r->bus = bus;
		r->st = st;
		return (long)i;
	}
	return -1;
}

/* Claim a free record and fill it (BUSY, invisible to lookups): its index or -1. */
static long coh__rec_insert(struct coh_stream *s, const struct coh_map_rec *r)
{
	size_t m = s->nrec - 1, i = coh__rec_hash(s, r->bus);

	for (size_t n = 0; n < s->nrec; n++, i = (i + 1) & m) {
		struct coh_map_rec *x = &s->rec[i];
		uint32_t st = __atomic_load_n(&x->st, __ATOMIC_RELAXED);
		size_t mp;

		if (COH__ST(st) != COH__ST_FREE ||
		    !__atomic_compare_exchange_n(&x->st, &st, st | COH__ST_BUSY,
						 false, __ATOMIC_ACQUIRE,
						 __ATOMIC_RELAXED))
			continue;
		coh__bus_store(&x->bus, r->bus);
		__atomic_store_n(&x->cpu, r->cpu, __ATOMIC_RELAXED);
		__atomic_store_n(&x->slot, r->slot, __ATOMIC_RELAXED);
		__atomic_store_n(&x->len, r->len, __ATOMIC_RELAXED);
		__atomic_store_n(&x->where, r->where, __ATOMIC_RELAXED);
		__atomic_store_n(&x->ngran, r->ngran, __ATOMIC_RELAXED);
		__atomic_store_n(&x->dir, r->dir, __ATOMIC_RELAXED);
		__atomic_store_n(&x->flags, r->flags, __ATOMIC_RELAXED);
		/* before the publish: a lookup ordered after it probes this far */
		mp = __atomic_load_n(&s->maxprobe, __ATOMIC_RELAXED);
		while (n > mp && !__atomic_compare_exchange_n(&s->maxprobe, &mp, n,
							      true, __ATOMIC_RELAXED,
							      __ATOMIC_RELAXED))
			;
		return (long)i;
	}
	return -1;
}

/* BUSY -> LIVE: lookups find it from now on. */
static inline void coh__rec_publish(struct coh_stream *s, size_t i)
{
	uint32_t st = __atomic_load_n(&s->rec[i].st, __ATOMIC_RELAXED);

	__atomic_store_n(&s->rec[i].st, (st & ~3u) + COH__ST_GEN + COH__ST_LIVE,
			 __ATOMIC_RELEASE);
}

/* BUSY -> FREE (its fields were read: the release orders that first). */
static inline void coh__rec_free(struct coh_stream *s, size_t i)
{
	uint32_t st = __atomic_load_n(&s->rec[i].st, __ATOMIC_RELAXED);

	__atomic_store_n(&s->rec[i].st, (st & ~3u) + COH__ST_GEN, __ATOMIC_RELEASE);
}

/* Find and claim (LIVE -> BUSY) the record for bus: index and *r, or -1. */
static long coh__rec_take(struct coh_stream *s, coh_bus_t bus,
			  struct coh_map_rec *r)
{
	for (;;) {
		long i = coh__rec_get(s, bus, r);
		uint32_t st;

		if (i < 0)
			return -1;
		st = r->st;
		if (__atomic_compare_exchange_n(&s->rec[i].st, &st,
						(st & ~3u) | COH__ST_BUSY, false,
						__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return i;
		/* it changed between the read and the claim: look again */
	}
}

size_t coh_stream_live(const struct coh_stream *s)
{
	size_t n = 0;

	if (!s || !s->rec)
		return 0;
	for (size_t i = 0; i < s->nrec; i++)
		n += COH__ST(__atomic_load_n(&s->rec[i].st, __ATOMIC_ACQUIRE)) !=
		     COH__ST_FREE;
	return n;
}

#if COH_DEBUG
/* the checker (check.c) marks a record whose mapping result was tested */
void coh__rec_mark(struct coh_stream *s, coh_bus_t bus, uint32_t flag)
{
	struct coh_map_rec r;
	long i = coh__rec_get(s, bus, &r);

	if (i >= 0)
		__atomic_fetch_or(&s->rec[i].flags, flag, __ATOMIC_RELAXED);
}
#endif

/* ---- bounce pool: first fit from a moving hint over a granule bitmap */

static void coh__gran_set(struct coh_stream *s, size_t g, size_t n, bool on)
{
	while (n) {
		size_t b = g % 64, k = 64 - b < n ? 64 - b : n;
		uint64_t m = (k == 64 ? ~(uint64_t)0 : (((uint64_t)1 << k) - 1)) << b;

		if (on)
			s->b_used[g / 64] |= m;
		else
			s->b_used[g / 64] &= ~m;
		g += k;
		n -= k;
	}
}

/* granules free from g on, up to n (stops at the first used one) */
static size_t coh__gran_run(const struct coh_stream *s, size_t g, size_t n)
{
	size_t run = 0;

	while (run < n) {
		uint64_t w = s->b_used[g / 64] >> (g % 64);
		size_t avail = 64 - g % 64, k;

		if (w) {
			k = (size_t)__builtin_ctzll(w);
			if (k < avail)
				return run + k < n ? run + k : n;
		}
		run += avail;
		g += avail;
	}
	return n;
}

static bool coh__slot_fits(const struct coh_device *dev, coh_bus_t bus,
			   size_t len)
{
	uint64_t bm = dev->seg_boundary_mask;

	if (!coh_dma_reachable(dev, bus, len))
		return false;
	if (dev->min_align > 1 && (bus & (dev->min_align - 1)))
		return false;
	return ((bus ^ (bus + len - 1)) & ~bm) == 0;
}

/* Called locked.  0 and *slot, or -COH_ENOMEM (retry later) / -COH_ERANGE. */
static int coh__bounce_alloc(struct coh_stream *s, const struct coh_device *dev,
			     size_t len, uintptr_t *slot, uint32_t *ngran)
{
	size_t n, g = s->b_hint, tried = 0;

	if (!s->b_ngran)
		return -COH_ERANGE;
	n = (len + s->b_gran - 1) / s->b_gran;
	if (n > s->b_ngran)
		return -COH_ERANGE;
	if (n > s->b_free)
		return -COH_ENOMEM;
	while (tried < s->b_ngran) {
		size_t k;

		if (g + n > s->b_ngran) {
			tried += s->b_ngran - g;
			g = 0;
			continue;
		}
		k = coh__gran_run(s, g, n);
		if (k == n && coh__slot_fits(dev, s->b_phys + dev->bus_offset +
						   g * s->b_gran, len)) {
			coh__gran_set(s, g, n, true);
			s->b_free -= n;
			s->b_hint = g + n < s->b_ngran ? g + n : 0;
			*slot = s->b_cpu + g * s->b_gran;
			*ngran = (uint32_t)n;
			return 0;
		}
		k = k < n ? k + 1 : 1;
		g += k;
		tried += k;
	}
	return -COH_ENOMEM;
}

static void coh__bounce_free(struct coh_stream *s, uintptr_t slot, uint32_t n)
{
	size_t g = (slot - s->b_cpu) / s->b_gran;

	coh__gran_set(s, g, n, false);
	s->b_free += n;
	/* reuse the lowest free slot first: it is the one still in the cache */
	if (g < s->b_hint)
		s->b_hint = g;
}

static coh_bus_t coh__slot_bus(const struct coh_stream *s,
			       const struct coh_device *dev, uintptr_t slot)
{
	return s->b_phys + (slot - s->b_cpu) + dev->bus_offset;
}

/* ---- setup */

int coh_stream_init(struct coh_stream *s, struct coh_map_rec *recs,
		    size_t nrecs, unsigned int flags)
{
	coh__api_check(s && recs, COH_HERE, COH_EINVAL,
		       "coh_stream_init: stream or records NULL");
	coh__api_check(coh_is_pow2(nrecs) && nrecs <= ((size_t)1 << 30), COH_HERE,
		       COH_EINVAL, "coh_stream_init: record count must be a power of two");
	coh__api_check(!(flags & ~COH_STREAM_FORCE_BOUNCE), COH_HERE, COH_EINVAL,
		       "coh_stream_init: unknown flags");
	__builtin_memset(s, 0, sizeof(*s));
	__builtin_memset(recs, 0, nrecs * sizeof(*recs));
	s->rec = recs;
	s->nrec = nrecs;
	s->flags = flags;
	return 0;
}

int coh_stream_bounce(struct coh_stream *s, void *cpu, uint64_t phys,
		      size_t size)
{
	uintptr_t c = (uintptr_t)cpu, a;
	size_t gran = COH_BOUNCE_GRANULE, skip;

	coh__api_check(s && cpu && size, COH_HERE, COH_EINVAL,
		       "coh_stream_bounce: NULL or empty pool");
	coh__api_check(!coh_stream_live(s), COH_HERE, COH_EINVAL,
		       "coh_stream_bounce: mappings are live");
	coh__api_check(((c ^ phys) & (COH_MAX_LINE - 1)) == 0, COH_HERE, COH_EINVAL,
		       "coh_stream_bounce: cpu and phys differ modulo COH_MAX_LINE");
	coh__api_check(size - 1 <= UINTPTR_MAX - c && size - 1 <= UINT64_MAX - phys,
		       COH_HERE, COH_EOVERFLOW, "coh_stream_bounce: pool wraps");
	a = (c + COH_MAX_LINE - 1) & ~(uintptr_t)(COH_MAX_LINE - 1);
	skip = a - c;
	coh__api_check(size > skip && size - skip >= gran, COH_HERE, COH_ENOMEM,
		       "coh_stream_bounce: pool holds no whole granule");
	while ((size - skip) / gran > COH_BOUNCE_MAX_GRANULES)
		gran *= 2;
	s->b_cpu = a;
	s->b_phys = phys + skip;
	s->b_gran = gran;
	s->b_ngran = (size - skip) / gran;
	s->b_free = s->b_ngran;
	s->b_hint = 0;
	__builtin_memset(s->b_used, 0, sizeof(s->b_used));
	return 0;
}

int coh_device_set_stream(struct coh_device *dev, struct coh_stream *s)
{
	struct coh_stream *old;

	coh__api_check(dev, COH_HERE, COH_EINVAL, "coh_device_set_stream: dev is NULL");
	old = dev->bounce;
	coh__api_check(!old || !coh_stream_live(old),
		       COH_HERE, COH_EBUSY,
		       "coh_device_set_stream: the current stream has live mappings");
	coh__api_check(!s || !s->b_ngran ||
			       coh_dma_reachable(dev, s->b_phys + dev->bus_offset,
						 s->b_ngran * s->b_gran),
		       COH_HERE, COH_ERANGE,
		       "coh_device_set_stream: bounce pool beyond the device's DMA mask");
	dev->bounce = s;
	return 0;
}

int coh_device_teardown_at(struct coh_device *dev, const struct coh_where *where)
{
	struct coh_stream *s;
	size_t live = 0;

	coh__api_check(dev, where, COH_EINVAL, "coh_device_teardown: dev is NULL");
	/* the backend (the simulator) checks what is still given, in every build */
	(void)coh_arch_op(COH_OP_TEARDOWN, dev, NULL, 0, -1, where);
	coh_arch_op_end(COH_OP_TEARDOWN);
	s = dev->bounce;
	if (!s)
		return 0;
	for (size_t i = 0; i < s->nrec; i++) {
		const struct coh_map_rec *x = &s->rec[i];
		uint32_t st = __atomic_load_n(&x->st, __ATOMIC_ACQUIRE);
		struct coh_map_rec r;

		if (COH__ST(st) == COH__ST_FREE)
			continue;
		live++;
		if (COH__ST(st) != COH__ST_LIVE)
			continue;	/* being made or unmapped right now */
		r.bus = coh__bus_load(&x->bus);
		coh__rec_load(x, &r);
		coh__chk_report(dev, where, -COH_EBUSY,
				"device torn down with a live %s mapping: bus %x, %z bytes %D, mapped at %W",
				(r.flags & COH__REC_SG) ? "scatter-gather" : "single",
				r.bus, r.len, (int)r.dir, r.where);
	}
	if (live)
		return -COH_EBUSY;
	dev->bounce = NULL;
	return 0;
}

/* ---- maintenance by direction */

/* CPU -> device: TO_DEVICE cleans, the others clean and invalidate. */
static int coh__to_dev(struct coh_device *dev, uintptr_t p, size_t len,
		       int dir)
{
	if (dir == COH_TO_DEVICE)
		return coh__release_range(dev, p, p + len);
	return coh__flush_range(dev, p, p + len);
}

/* device -> CPU: invalidate again, unless the device only read. */
static int coh__to_cpu(struct coh_device *dev, uintptr_t p, size_t len,
		       int dir)
{
	if (dir == COH_TO_DEVICE)
		return 0;
	return coh__acquire_range(dev, p, p + len);
}

/*
 * Give [p, p+len) for a mapping: maintenance now with its own barrier, or
 * (bt) its lines into a driver's batch, completed by the batch's barrier.
 */
static int coh__give_lines(struct coh_device *dev, struct coh_batch *bt,
			   uintptr_t p, size_t len, int dir,
			   const struct coh_where *where)
{
	int rc;

	if (bt)
		return coh__batch_add_checked(bt, dir == COH_TO_DEVICE ? COH__CLEAN : COH__FLUSH,
					      p, p + len, COH_OP_GIVE, dir, where);
	rc = coh_arch_op(COH_OP_GIVE, dev, (void *)p, len, dir, where);
	if (!rc) {
		rc = coh__to_dev(dev, p, len, dir);
		coh_arch_op_end(COH_OP_GIVE);
	}
	return rc;
}

/* ---- map */

static int coh__stream_of(struct coh_device *dev, struct coh_stream **sp,
			  const struct coh_where *where)
{
	coh__api_check(dev, where, COH_EINVAL, "streaming DMA: device is NULL");
	*sp = dev->bounce;
	coh__api_check(*sp, where, COH_EINVAL,
		       "streaming DMA: no struct coh_stream attached (coh_device_set_stream)");
	return 0;
}

/*
 * Map one buffer; the record is made before the device is given anything
 * and is undone on any failure, so an error leaves no trace.
 */
static int coh__map_one(struct coh_device *dev, struct coh_stream *s, void *ptr,
			size_t len, int dir, uint8_t rflags, bool skip,
			struct coh_batch *bt, const struct coh_where *where,
			coh_bus_t *busp)
{
	uintptr_t p = (uintptr_t)ptr, end, lm;
	struct coh_map_rec r = { 0 };
	uint64_t phys, last;
	coh_bus_t bus;
	bool exact, bounce;
	long ri = -1;
	int rc;

	rc = coh__check_range(dev, ptr, len, &end, where);
	if (rc)
		return rc;
	coh__api_check(len, where, COH_EINVAL, "streaming map of zero bytes");
	coh__api_check(COH__DIR_OK(dir), where, COH_EINVAL,
		       "streaming map: unknown direction");
	rc = coh__virt_to_phys(ptr, &phys);
	if (rc) {
		coh__diag(where, "streaming map: buffer address has no physical address", rc);
		return rc;
	}
	if ((p ^ (end - 1)) >> 12) {
		rc = coh__virt_to_phys((const char *)ptr + (len - 1), &last);
		coh__api_check(!rc && last - phys == len - 1, where, COH_EINVAL,
			       "streaming map: buffer is not physically contiguous");
	}
	bus = phys + dev->bus_offset;
	lm = coh__line_or_max() - 1;
	exact = !(p & lm) && !(end & lm);
	bounce = (s->flags & COH_STREAM_FORCE_BOUNCE) ||
		 !coh_dma_reachable(dev, bus, len) ||
		 (dev->min_align > 1 && (bus & (dev->min_align - 1))) ||
		 ((dev->flags & COH_DEV_UNTRUSTED) && !exact);
	if (__builtin_expect(!bounce && !exact, 0) && dir != COH_TO_DEVICE &&
	    !coh_device_is_coherent(dev)) {
		/* an edge line holds other data: a later invalidate could eat it */
		switch (dev->edge_policy) {
		case COH_EDGE_REFUSE:
			coh__api_check(0, where, COH_EINVAL,
				       "streaming map: buffer edges share cache lines (COH_EDGE_REFUSE)");
			break;
		case COH_EDGE_ALLOW:
			coh__stat_add(dev, reports, 1);
			coh__diag(where, "streaming map: buffer edges share cache lines, mapped in place (COH_EDGE_ALLOW)", 0);
			break;
		default:
			bounce = true;
			break;
		}
	}

	r.cpu = p;
	r.len = len;
	r.where = where;
	r.dir = (uint8_t)dir;
	r.flags = rflags;
	r.bus = bus;
	if (bounce) {
		unsigned long irq_16 = coh__lock(&s->lock);
		rc = coh__bounce_alloc(s, dev, len, &r.slot, &r.ngran);
		coh__unlock(&s->lock, irq_16);
		if (!rc)
			r.bus = coh__slot_bus(s, dev, r.slot);
	}
	if (!rc) {
		ri = coh__rec_insert(s, &r);
		if (ri < 0) {
			rc = -COH_ENOMEM;
			if (bounce) {
				unsigned long irq_17 = coh__lock(&s->lock);
				coh__bounce_free(s, r.slot, r.ngran);
				coh__unlock(&s->lock, irq_17);
			}
		}
	}
	if (rc) {
		coh__diag(where, rc == -COH_ENOMEM ?
				"streaming map: mapping records or bounce pool exhausted (retry later)" :
				"streaming map: needs a bounce slot the pool cannot give (no pool, or too large)",
			  rc);
		return rc;
	}

	/* the record is BUSY: reserved, invisible to sync and unmap until published */
	if (bounce) {
		uintptr_t lines_end = ((r.slot + len - 1) | lm) + 1;
		size_t copied = 0;

		/* tells the simulator's trace; no backend acts on it */
		(void)coh_arch_op(COH_OP_BOUNCE, dev, ptr, len, dir, where);
		coh_arch_op_end(COH_OP_BOUNCE);

		/* the device sees only the buffer's bytes and zeros, never an older mapping's */
		if (dir == COH_FROM_DEVICE) {
			__builtin_memset((void *)r.slot, 0, lines_end - r.slot);
		} else {
			__builtin_memcpy((void *)r.slot, ptr, len);
			__builtin_memset((void *)(r.slot + len), 0,
					 lines_end - r.slot - len);
			copied = len;
		}
		rc = coh__give_lines(dev, bt, r.slot, len, dir, where);
		coh__stat_add(dev, bounce_bytes, copied);
	} else if (!skip) {
		/* a new mapping: the backend (the simulator) checks for overlaps, in every build */
		(void)coh_arch_op(COH_OP_MAP, dev, ptr, len, dir, where);
		coh_arch_op_end(COH_OP_MAP);
		rc = coh__give_lines(dev, bt, p, len, dir, where);
	}
	/* skip, in place: the CPU keeps it until coh_sync_for_device() */
	if (rc) {
		(void)coh_arch_op(COH_OP_TAKE, dev, r.slot ? (void *)r.slot : ptr,
				  len, dir, where);
		coh_arch_op_end(COH_OP_TAKE);
		coh__rec_free(s, (size_t)ri);
		if (r.slot) {
			unsigned long irq_18 = coh__lock(&s->lock);
			coh__bounce_free(s, r.slot, r.ngran);
			coh__unlock(&s->lock, irq_18);
		}
		coh__diag(where, "streaming map: maintenance failed", rc);
		return rc;
	}
	coh__stat_add(dev, maps, 1);
	if (bounce)
		coh__stat_add(dev, bounces, 1);
	coh__chk_map(dev, &r);
	/* debug: a coherent allocation is not freed while it is mapped */
	coh__own_give(ptr, len, where);
	coh__rec_publish(s, (size_t)ri);
	*busp = r.bus;
	return 0;
}

#define COH__MAP_ATTRS COH_ATTR_SKIP_CPU_SYNC

coh_bus_t coh_map_single_attrs_at(struct coh_device *dev, void *ptr, size_t len,
				  enum coh_dir dir, unsigned int attrs,
				  const struct coh_where *where)
{
	struct coh_stream *s;
	coh_bus_t bus;

	if (coh__stream_of(dev, &s, where))
		return COH_BUS_ERROR;
	if (attrs & ~COH__MAP_ATTRS) {
		coh__diag(where, "streaming map: unknown attribute bits", -COH_EINVAL);
		return COH_BUS_ERROR;
	}
	if (coh__map_one(dev, s, ptr, len, (int)dir, 0,
			 (attrs & COH_ATTR_SKIP_CPU_SYNC) != 0, NULL, where, &bus))
		return COH_BUS_ERROR;
	return bus;
}

coh_bus_t coh_map_single_at(struct coh_device *dev, void *ptr, size_t len,
			    enum coh_dir dir, const struct coh_where *where)
{
	return coh_map_single_attrs_at(dev, ptr, len, dir, 0, where);
}

bool coh_mapping_error(struct coh_device *dev, coh_bus_t bus)
{
	if (bus == COH_BUS_ERROR)
		return true;
	coh__chk_mapping_error(dev, bus);
	return false;
}

/* ---- lookup for unmap and sync */

enum { COH__UNMAP, COH__SYNC_CPU, COH__SYNC_DEV };

static const char *const coh__what[] = { "unmapped", "synced", "synced" };

/*
 * Find the record for bus and copy it to *r; for unmap, also free it (the
 * claim makes a concurrent second unmap of the same address fail cleanly).
 * Reports the misuse classes that refuse the call.
 */
static int coh__lookup(struct coh_device *dev, struct coh_stream *s,
		       coh_bus_t bus, int kind, bool sg, struct coh_map_rec *r,
		       const struct coh_where *where)
{
	bool nag = false;
	long i;

	i = kind == COH__UNMAP ? coh__rec_take(s, bus, r) : coh__rec_get(s, bus, r);
	if (i < 0) {
		coh__chk_report(dev, where, -COH_EINVAL,
				"%s bus %x which is not mapped (never mapped, or already unmapped)",
				coh__what[kind], bus);
		return -COH_EINVAL;
	}
	if (kind == COH__UNMAP && !(r->flags & COH__REC_SG) != !sg) {
		/* refused: the mapping stays as it was */
		__atomic_store_n(&s->rec[i].st, r->st, __ATOMIC_RELEASE);
		coh__chk_report(dev, where, -COH_EINVAL,
				"unmapped bus %x as %s, mapped as %s at %W",
				bus, sg ? "scatter-gather" : "single",
				sg ? "single" : "scatter-gather", r->where);
		return -COH_EINVAL;
	}
	if (COH_DEBUG && !(r->flags & (COH__REC_CHECKED | COH__REC_NAGGED))) {
		uint32_t was = __atomic_fetch_or(&s->rec[i].flags,
						 COH__REC_NAGGED, __ATOMIC_RELAXED);

		nag = !(was & (COH__REC_CHECKED | COH__REC_NAGGED));
	}
	if (kind == COH__UNMAP)
		coh__rec_free(s, (size_t)i);
	if (nag)
		coh__chk_report(dev, where, -COH_EINVAL,
				"%s bus %x without checking the mapping with coh_mapping_error(); %D mapping of %z bytes made at %W",
				coh__what[kind], bus, (int)r->dir, r->len, r->where);
	return 0;
}

/* ---- unmap */

static int coh__unmap_one(struct coh_device *dev, struct coh_stream *s,
			  coh_bus_t bus, size_t len, int dir, bool sg, bool skip,
			  struct coh_batch *bt, const struct coh_where *where)
{
	struct coh_map_rec r;
	int rc, rc2 = 0;

	rc = coh__lookup(dev, s, bus, COH__UNMAP, sg, &r, where);
	if (rc)
		return rc;
	if (len != r.len) {
		coh__chk_report(dev, where, -COH_EINVAL,
				"unmapped bus %x with %z bytes, mapped with %z bytes at %W",
				bus, len, r.len, r.where);
		rc2 = -COH_EINVAL;
	}
	if (dir != r.dir) {
		coh__chk_report(dev, where, -COH_EINVAL,
				"unmapped bus %x %D, mapped %D at %W", bus, dir,
				(int)r.dir, r.where);
		rc2 = -COH_EINVAL;
	}
	/* the mapping's own length and direction: the truth, whatever was passed */
	if (r.slot) {
		rc = coh_arch_op(COH_OP_TAKE, dev, (void *)r.slot, r.len, r.dir, where);
		if (!rc && !skip) {
			rc = coh__to_cpu(dev, r.slot, r.len, r.dir);
			if (!rc && r.dir != COH_TO_DEVICE) {
				__builtin_memcpy((void *)r.cpu, (void *)r.slot, r.len);
				coh__stat_add(dev, bounce_bytes, r.len);
			}
		}
		if (!rc)
			coh_arch_op_end(COH_OP_TAKE);
		unsigned long irq_19 = coh__lock(&s->lock);
		coh__bounce_free(s, r.slot, r.ngran);
		coh__unlock(&s->lock, irq_19);
	} else if (bt && !skip && r.dir != COH_TO_DEVICE) {
		/* in place: the invalidate joins the driver's batch (a bounce
		 * slot above cannot: its copy-back needs it complete) */
		rc = coh__batch_add_checked(bt, COH__ACQ, r.cpu, r.cpu + r.len,
					    COH_OP_TAKE, r.dir, where);
	} else {
		rc = coh_arch_op(COH_OP_TAKE, dev, (void *)r.cpu, r.len, r.dir, where);
		if (!rc) {
			if (!skip)
				rc = coh__to_cpu(dev, r.cpu, r.len, r.dir);
			coh_arch_op_end(COH_OP_TAKE);
		}
	}
	coh__own_take((void *)r.cpu, r.len, where);
	coh__chk_unmap(dev, &r);
	return rc ? rc : rc2;
}

int coh_unmap_single_attrs_at(struct coh_device *dev, coh_bus_t bus, size_t len,
			      enum coh_dir dir, unsigned int attrs,
			      const struct coh_where *where)
{
	struct coh_stream *s;
	int rc = coh__stream_of(dev, &s, where);

	if (rc)
		return rc;
	coh__api_check(!(attrs & ~COH__MAP_ATTRS), where, COH_EINVAL,
		       "streaming unmap: unknown attribute bits");
	return coh__unmap_one(dev, s, bus, len, (int)dir, false,
			      (attrs & COH_ATTR_SKIP_CPU_SYNC) != 0, NULL, where);
}

int coh_unmap_single_at(struct coh_device *dev, coh_bus_t bus, size_t len,
			enum coh_dir dir, const struct coh_where *where)
{
	return coh_unmap_single_attrs_at(dev, bus, len, dir, 0, where);
}

/* a driver's batch for dev: 0, -COH_EINVAL (reported), or its failure */
static int coh__batch_for(const struct coh_batch *b, const struct coh_device *dev,
			  const struct coh_where *where)
{
	coh__api_check(b, where, COH_EINVAL, "streaming map/unmap into a batch: NULL batch");
	coh__api_check(b->dev == dev, where, COH_EINVAL,
		       "streaming map/unmap into a batch of another device");
	return b->err;
}

coh_bus_t coh_map_single_batch_at(struct coh_batch *b, struct coh_device *dev,
				  void *ptr, size_t len, enum coh_dir dir,
				  const struct coh_where *where)
{
	struct coh_stream *s;
	coh_bus_t bus;

	if (coh__stream_of(dev, &s, where) || coh__batch_for(b, dev, where))
		return COH_BUS_ERROR;
	if (coh__map_one(dev, s, ptr, len, (int)dir, 0, false, b, where, &bus))
		return COH_BUS_ERROR;
	return bus;
}

int coh_unmap_single_batch_at(struct coh_batch *b, struct coh_device *dev,
			      coh_bus_t bus, size_t len, enum coh_dir dir,
			      const struct coh_where *where)
{
	struct coh_stream *s;
	int rc = coh__stream_of(dev, &s, where), bad;

	if (rc)
		return rc;
	/* an unusable batch: unmapped all the same, with a barrier of its own */
	bad = coh__batch_for(b, dev, where);
	rc = coh__unmap_one(dev, s, bus, len, (int)dir, false, false, bad ? NULL : b, where);
	return rc ? rc : bad;
}

/* ---- sync */

static int coh__sync_one(struct coh_device *dev, struct coh_stream *s,
			 coh_bus_t bus, size_t off, size_t len, int dir,
			 int kind, struct coh_batch *bt, const struct coh_where *where)
{
	const char *to = kind == COH__SYNC_CPU ? "for the CPU" : "for the device";
	struct coh_map_rec r;
	uintptr_t base;
	int rc;

	rc = coh__lookup(dev, s, bus, kind, false, &r, where);
	if (rc)
		return rc;
	if (dir != r.dir) {
		coh__chk_report(dev, where, -COH_EINVAL,
				"synced bus %x %s %D, mapped %D at %W", bus, to,
				dir, (int)r.dir, r.where);
		return -COH_EINVAL;
	}
	if (off > r.len || len > r.len - off) {
		coh__chk_report(dev, where, -COH_ERANGE,
				"synced bytes [%z, %z+%z) of bus %x %s, outside the mapping of %z bytes made at %W",
				off, off, len, bus, to, r.len, r.where);
		return -COH_ERANGE;
	}
	if (!len)
		return 0;
	base = r.slot ? r.slot : r.cpu;
	if (kind == COH__SYNC_CPU && bt && !r.slot && dir != COH_TO_DEVICE) {
		/* in place: the invalidate joins the driver's batch (a bounce
		 * slot below cannot: its copy needs it complete) */
		return coh__batch_add_checked(bt, COH__ACQ, base + off, base + off + len,
					      COH_OP_TAKE, dir, where);
	}
	if (kind == COH__SYNC_CPU) {
		rc = coh_arch_op(COH_OP_TAKE, dev, (void *)(base + off), len, dir, where);
		if (rc)
			return rc;
		rc = coh__to_cpu(dev, base + off, len, dir);
		if (!rc && r.slot && dir != COH_TO_DEVICE) {
			__builtin_memcpy((void *)(r.cpu + off), (void *)(r.slot + off), len);
			coh__stat_add(dev, bounce_bytes, len);
		}
		coh_arch_op_end(COH_OP_TAKE);
		return rc;
	}
	if (r.slot && dir != COH_FROM_DEVICE) {
		__builtin_memcpy((void *)(r.slot + off), (void *)(r.cpu + off), len);
		coh__stat_add(dev, bounce_bytes, len);
	}
	return coh__give_lines(dev, bt, base + off, len, dir, where);
}

static int coh__sync_single(struct coh_device *dev, coh_bus_t bus, size_t off,
			    size_t len, int dir, int kind,
			    const struct coh_where *where)
{
	struct coh_stream *s;
	int rc = coh__stream_of(dev, &s, where);

	return rc ? rc : coh__sync_one(dev, s, bus, off, len, dir, kind, NULL, where);
}

int coh_sync_for_cpu_at(struct coh_device *dev, coh_bus_t bus, size_t off,
			size_t len, enum coh_dir dir,
			const struct coh_where *where)
{
	return coh__sync_single(dev, bus, off, len, (int)dir, COH__SYNC_CPU, where);
}

int coh_sync_for_device_at(struct coh_device *dev, coh_bus_t bus, size_t off,
			   size_t len, enum coh_dir dir,
			   const struct coh_where *where)
{
	return coh__sync_single(dev, bus, off, len, (int)dir, COH__SYNC_DEV, where);
}

/* a sync whose line operations join the driver's batch b */
static int coh__sync_batch(struct coh_batch *b, struct coh_device *dev, coh_bus_t bus,
			   size_t off, size_t len, int dir, int kind,
			   const struct coh_where *where)
{
	struct coh_stream *s;
	int rc = coh__stream_of(dev, &s, where);

	if (!rc)
		rc = coh__batch_for(b, dev, where);
	return rc ? rc : coh__sync_one(dev, s, bus, off, len, dir, kind, b, where);
}

int coh_sync_for_cpu_batch_at(struct coh_batch *b, struct coh_device *dev,
			      coh_bus_t bus, size_t off, size_t len,
			      enum coh_dir dir, const struct coh_where *where)
{
	return coh__sync_batch(b, dev, bus, off, len, (int)dir, COH__SYNC_CPU, where);
}

int coh_sync_for_device_batch_at(struct coh_batch *b, struct coh_device *dev,
				 coh_bus_t bus, size_t off, size_t len,
				 enum coh_dir dir, const struct coh_where *where)
{
	return coh__sync_batch(b, dev, bus, off, len, (int)dir, COH__SYNC_DEV, where);
}

/* ---- scatter-gather */

static bool coh__crosses(const struct coh_device *dev, coh_bus_t bus, size_t len)
{
	return ((bus ^ (bus + len - 1)) & ~dev->seg_boundary_mask) != 0;
}

static int coh__sg_args(struct coh_device *dev, struct coh_sg *sg, int nents,
			int dir, struct coh_stream **sp,
			const struct coh_where *where)
{
	int rc = coh__stream_of(dev, sp, where);

	if (rc)
		return rc;
	coh__api_check(sg, where, COH_EINVAL, "scatter-gather: list is NULL");
	coh__api_check(nents > 0, where, COH_EINVAL,
		       "scatter-gather: list has no entries");
	coh__api_check(COH__DIR_OK(dir), where, COH_EINVAL,
		       "scatter-gather: unknown direction");
	return 0;
}

int coh_map_sg_at(struct coh_device *dev, struct coh_sg *sg, int nents,
		  enum coh_dir dir, const struct coh_where *where)
{
	struct coh_stream *s;
	struct coh_batch bt;
	int rc = coh__sg_args(dev, sg, nents, (int)dir, &s, where), i, k = -1;

	/* every entry's lines, then one barrier for the list */
	if (!rc)
		rc = coh__batch_begin(&bt, dev, 0, 0);
	if (rc)
		return rc;
	for (i = 0; i < nents; i++) {
		size_t len = sg[i].len;
		coh_bus_t b;

		if (dev->max_seg_size && len > dev->max_seg_size) {
			coh__chk_report(dev, where, -COH_EINVAL,
					"scatter-gather entry %d of %z bytes exceeds the device's max_seg_size %z (mapped at %W)",
					i, len, dev->max_seg_size, where);
			rc = -COH_EINVAL;
			break;
		}
		rc = coh__map_one(dev, s, sg[i].ptr, len, (int)dir,
				  COH__REC_SG | COH__REC_CHECKED, false, &bt, where, &b);
		if (rc)
			break;
		sg[i].ent_bus = b;
		if (coh__crosses(dev, b, len)) {
			coh__chk_report(dev, where, -COH_EINVAL,
					"scatter-gather entry %d [%x, +%z) crosses the device's segment boundary (seg_boundary_mask %x) (mapped at %W)",
					i, b, len, dev->seg_boundary_mask, where);
			(void)coh__unmap_one(dev, s, b, len, (int)dir, true, false, NULL, where);
			rc = -COH_EINVAL;
			break;
		}
		if (k >= 0 && sg[k].bus + sg[k].bus_len == b &&
		    (!dev->max_seg_size || sg[k].bus_len + len <= dev->max_seg_size) &&
		    !coh__crosses(dev, sg[k].bus, sg[k].bus_len + len)) {
			sg[k].bus_len += len;
		} else {
			k++;
			sg[k].bus = b;
			sg[k].bus_len = len;
		}
	}
	coh__batch_barrier(&bt);
	if (rc) {
		/* undo: the device was never told about any of it */
		for (int j = 0; j < i; j++)
			(void)coh__unmap_one(dev, s, sg[j].ent_bus, sg[j].len,
					     (int)dir, true, false, NULL, where);
		for (int j = 0; j < nents; j++) {
			sg[j].bus = COH_BUS_ERROR;
			sg[j].bus_len = 0;
		}
		return rc;
	}
	for (i = k + 1; i < nents; i++) {
		sg[i].bus = COH_BUS_ERROR;
		sg[i].bus_len = 0;
	}
	return k + 1;
}

int coh_unmap_sg_at(struct coh_device *dev, struct coh_sg *sg, int nents,
		    enum coh_dir dir, const struct coh_where *where)
{
	struct coh_stream *s;
	struct coh_batch bt;
	int rc = coh__sg_args(dev, sg, nents, (int)dir, &s, where);
	bool batch;

	if (rc)
		return rc;
	/* in-place entries: every invalidate, then one barrier (a bounced
	 * entry completes its own before its copy-back) */
	batch = !coh__batch_begin(&bt, dev, 0, 0);
	for (int i = 0; i < nents; i++) {
		int r = coh__unmap_one(dev, s, sg[i].ent_bus, sg[i].len,
				       (int)dir, true, false, batch ? &bt : NULL, where);

		if (r && !rc)
			rc = r;
	}
	if (batch)
		coh__batch_barrier(&bt);
	return rc;
}

static int coh__sync_sg(struct coh_device *dev, struct coh_sg *sg, int nents,
			int dir, int kind, const struct coh_where *where)
{
	struct coh_stream *s;
	struct coh_batch bt;
	int rc = coh__sg_args(dev, sg, nents, dir, &s, where);
	bool batch;

	if (rc)
		return rc;
	/* for the device: every entry's lines, then one barrier (for the CPU a
	 * bounced entry's copy needs its own completed first) */
	batch = kind == COH__SYNC_DEV && !coh__batch_begin(&bt, dev, 0, 0);
	for (int i = 0; i < nents; i++) {
		int r = coh__sync_one(dev, s, sg[i].ent_bus, 0, sg[i].len, dir,
				      kind, batch ? &bt : NULL, where);

		if (r && !rc)
			rc = r;
	}
	if (batch)
		coh__batch_barrier(&bt);
	return rc;
}

int coh_sync_sg_for_cpu_at(struct coh_device *dev, struct coh_sg *sg,
			   int nents, enum coh_dir dir,
			   const struct coh_where *where)
{
	return coh__sync_sg(dev, sg, nents, (int)dir, COH__SYNC_CPU, where);
}

int coh_sync_sg_for_device_at(struct coh_device *dev, struct coh_sg *sg,
			      int nents, enum coh_dir dir,
			      const struct coh_where *where)
{
	return coh__sync_sg(dev, sg, nents, (int)dir, COH__SYNC_DEV, where);
}
