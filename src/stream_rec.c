/* SPDX-License-Identifier: MIT */
/*
 * src/stream_rec.c - mapping records: lock-free open addressing on the bus
 * address.  Every build keeps one per bounce slot (keyed by the slot's
 * address, as swiotlb's original-address table: unique while it lives);
 * debug builds also keep one per in-place mapping for the checker, and two
 * live mappings of one buffer then share a key: lookups pick the one that
 * matches what the caller names (type, direction, length).
 *
 * rec[i].st holds a state in bits 0-1 (FREE, BUSY, LIVE) and a generation
 * above, bumped on every publish, so each record is its own seqlock: a
 * reader that sees the same LIVE word before and after reading the fields
 * read one mapping, not a mix.  Insert claims a FREE record with one CAS
 * (FREE -> BUSY), fills it, and the map publishes it (LIVE, release) once
 * the device may be told its address.  Remove claims a LIVE record with one
 * CAS (LIVE -> BUSY): of two racing unmaps of one mapping, one wins and the
 * other finds nothing.  Freed records are not compacted, so a lookup cannot
 * stop at a free one; it probes as far as any insert ever had to go
 * (maxprobe), at most the table.  Sync only reads.
 */
#include "stream_internal.h"

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

	/* the fields after it are read after it; the state word re-read last */
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

/* How well record r matches the call: higher is better, 7 exact. */
static int coh__rec_score(const struct coh_map_rec *r,
			  const struct coh_map_rec *want, bool len_inside)
{
	int sc = 0;

	if (!((r->flags ^ want->flags) & COH__REC_SG))
		sc += 4;
	if (r->dir == want->dir)
		sc += 2;
	if (len_inside ? want->len <= r->len : want->len == r->len)
		sc += 1;
	return sc;
}

static long coh__rec_best(const struct coh_stream *s, coh_bus_t bus,
			  const struct coh_map_rec *want, bool len_inside,
			  struct coh_map_rec *r)
{
	size_t m = s->nrec - 1, i = coh__rec_hash(s, bus);
	size_t max = __atomic_load_n(&s->maxprobe, __ATOMIC_RELAXED);
	long best = -1;
	int best_sc = -1;

	for (size_t n = 0; n <= max; n++, i = (i + 1) & m) {
		const struct coh_map_rec *x = &s->rec[i];
		uint32_t st = __atomic_load_n(&x->st, __ATOMIC_ACQUIRE);
		struct coh_map_rec c;
		int sc;

		if (COH__ST(st) != COH__ST_LIVE || coh__bus_load(&x->bus) != bus)
			continue;
		coh__rec_load(x, &c);
		if (__atomic_load_n(&x->st, __ATOMIC_RELAXED) != st)
			continue;	/* unmapped (and reused) meanwhile */
		c.bus = bus;
		c.st = st;
		sc = coh__rec_score(&c, want, len_inside);
		if (sc > best_sc) {
			best_sc = sc;
			best = (long)i;
			*r = c;
			if (sc == 7)
				break;
		}
	}
	return best;
}

long coh__rec_find(struct coh_stream *s, coh_bus_t bus,
		   const struct coh_map_rec *want, bool len_inside, bool take,
		   struct coh_map_rec *r)
{
	for (;;) {
		long i = coh__rec_best(s, bus, want, len_inside, r);
		uint32_t st;

		if (i < 0 || !take)
			return i;
		st = r->st;
		if (__atomic_compare_exchange_n(&s->rec[i].st, &st,
						(st & ~3u) | COH__ST_BUSY, false,
						__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return i;
		/* it changed between the read and the claim: look again */
	}
}

long coh__rec_insert(struct coh_stream *s, const struct coh_map_rec *r)
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

void coh__rec_publish(struct coh_stream *s, size_t i)
{
	uint32_t st = __atomic_load_n(&s->rec[i].st, __ATOMIC_RELAXED);

	/* release: the fields before the state that makes them visible */
	__atomic_store_n(&s->rec[i].st, (st & ~3u) + COH__ST_GEN + COH__ST_LIVE,
			 __ATOMIC_RELEASE);
}

void coh__rec_free(struct coh_stream *s, size_t i)
{
	uint32_t st = __atomic_load_n(&s->rec[i].st, __ATOMIC_RELAXED);

	/* release: our reads of the fields before another insert's writes */
	__atomic_store_n(&s->rec[i].st, (st & ~3u) + COH__ST_GEN, __ATOMIC_RELEASE);
}

void coh__rec_unclaim(struct coh_stream *s, size_t i, uint32_t st)
{
	/* release: nothing was written, the mapping is as it was */
	__atomic_store_n(&s->rec[i].st, st, __ATOMIC_RELEASE);
}

void coh__rec_mark(struct coh_stream *s, coh_bus_t bus, uint32_t flag)
{
	size_t m = s->nrec - 1, i = coh__rec_hash(s, bus);
	size_t max = __atomic_load_n(&s->maxprobe, __ATOMIC_RELAXED);

	for (size_t n = 0; n <= max; n++, i = (i + 1) & m) {
		struct coh_map_rec *x = &s->rec[i];

		if (COH__ST(__atomic_load_n(&x->st, __ATOMIC_ACQUIRE)) == COH__ST_LIVE &&
		    coh__bus_load(&x->bus) == bus)
			__atomic_fetch_or(&x->flags, flag, __ATOMIC_RELAXED);
	}
}

bool coh__rec_peek(const struct coh_stream *s, size_t i, struct coh_map_rec *r,
		   bool *busy)
{
	const struct coh_map_rec *x = &s->rec[i];
	uint32_t st = __atomic_load_n(&x->st, __ATOMIC_ACQUIRE);

	*busy = COH__ST(st) == COH__ST_BUSY;
	if (COH__ST(st) != COH__ST_LIVE)
		return false;
	r->bus = coh__bus_load(&x->bus);
	coh__rec_load(x, r);
	r->st = st;
	return true;
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
