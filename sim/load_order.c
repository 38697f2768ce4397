/* SPDX-License-Identifier: MIT */
/*
 * sim/load_order.c - the load ordering model (SIM_UNORDERED_LOADS),
 * docs/simulator.md "Load ordering".
 */
#include <stdio.h>
#include <string.h>

#include "sim_internal.h"

/*
 * The mirror image for loads.  Device writes to bytes the CPU reads
 * directly (area 1, or any area for a coherent device) are remembered with
 * the bytes they replaced until the next read-ordering point (sim__rorder:
 * rmb, mb, io_rmb, maint_done, sim_quiesce): a CPU load may have been
 * satisfied at any moment since then.  A load the library makes
 * (coh_arch_load, just after it) that gets the new bytes of a write has
 * seen it; a later load that could still get the bytes from before an
 * EARLIER write, while a later one was seen, is the missing dma_rmb: on a
 * seeded coin it is reported and given the old bytes.  Otherwise the value
 * is left alone, so a correct driver never sees altered data.  The table is
 * bounded; retiring the oldest entry forgets a write, which can only miss a
 * report, never invent one.
 */
void sim__rorder(void)
{
	S.nhist = 0;
}

void sim__hist_add(const struct coh_device *dev, uintptr_t p,
		     const uint8_t *in, size_t len)
{
	S.dseq++;
	for (size_t off = 0; off < len; off += HIST_BYTES) {
		size_t k = len - off < HIST_BYTES ? len - off : HIST_BYTES;
		struct hist *h = table_push(S.hist, &S.nhist, HIST_MAX, sizeof(S.hist[0]));

		h->a = p + off;
		h->n = (uint16_t)k;
		h->seq = S.dseq;
		h->seen = 0;
		h->reported = 0;
		h->seen_at = (struct site){ .pc = 0 };
		h->dev = dev;
		memcpy(h->prev, (const void *)(p + off), k);
		memcpy(h->now, in + off, k);
	}
}

static int hist_covers(const struct hist *h, uintptr_t b)
{
	return b >= h->a && b < h->a + h->n;
}

/*
 * The oldest write to byte b a load may still not see (every newer write
 * to b unseen and its bytes still in memory, cur), or -1.
 */
static int hist_oldest(uintptr_t b, uint8_t cur)
{
	int best = -1, last = -1;

	for (unsigned k = 0; k < S.nhist; k++) {
		if (!hist_covers(&S.hist[k], b))
			continue;
		last = (int)k;
		if (S.hist[k].seen)
			best = -1;	/* read-read coherence: never older than a value seen */
		else if (best < 0)
			best = (int)k;
	}
	/* a CPU store since (plain or not) is what the CPU reads, always */
	if (last < 0 || S.hist[last].now[b - S.hist[last].a] != cur)
		return -1;
	return best;
}

/* byte b may be loaded stale although a later device write was seen */
static int hist_stale(uintptr_t b, uint8_t cur, uint32_t seen_max)
{
	int k = hist_oldest(b, cur);

	return k >= 0 && S.hist[k].seq < seen_max && !S.hist[k].reported &&
	       S.hist[k].prev[b - S.hist[k].a] != cur;
}

void coh_arch_load(const void *addr, size_t n, void *val,
		   const struct coh_where *where)
{
	struct site at = { .w = where };

	if (!S.up || !n || (S.cfg.flags & SIM_F_NO_SANITIZER))
		return;
	/* instrumented code: the accessor's load was judged a moment ago */
	if (sim__plain_load_done((uintptr_t)addr, n, val))
		return;
	if (S.ndwin)
		sim__desc_load((uintptr_t)addr, n, val);
	if (S.nhist)
		(void)sim__load_check((uintptr_t)addr, n, val, at);
}

/*
 * A load of [p, p+n) that got v: mark the device writes it overlaps seen,
 * or (the missing rmb, on a coin) report it and put the older bytes in v.
 */
int sim__load_check(uintptr_t p, size_t n, uint8_t *v, struct site at)
{
	uint32_t seen_max = 0;
	unsigned k;
	int first = -1;	/* entry of the first stale byte */
	uintptr_t fb = 0;

	for (k = 0; k < S.nhist; k++)
		if (S.hist[k].seen && S.hist[k].seq > seen_max)
			seen_max = S.hist[k].seq;
	for (k = 0; k < S.nhist && first < 0 && seen_max; k++) {
		struct hist *h = &S.hist[k];
		uintptr_t s = h->a > p ? h->a : p;
		uintptr_t t = h->a + h->n < p + n ? h->a + h->n : p + n;

		for (uintptr_t b = s; b < t && first < 0; b++)
			if (hist_stale(b, v[b - p], seen_max)) {
				first = hist_oldest(b, v[b - p]);
				fb = b;
			}
	}
	if (first >= 0 && (sim__rnd() & 1)) {
		struct hist *o = &S.hist[first], *l = NULL;
		uint8_t undone[HIST_MAX] = { 0 };
		uintptr_t base, la;
		char wl[48], msg[256];
		struct sim_report r;
		const char *nm = sim__name_of(fb);

		/* the load was satisfied before the write: every stale byte old */
		for (k = 0; k < S.nhist; k++) {
			struct hist *h = &S.hist[k];
			uintptr_t s = h->a > p ? h->a : p;
			uintptr_t t = h->a + h->n < p + n ? h->a + h->n : p + n;

			for (uintptr_t b = s; b < t; b++) {
				int j = hist_oldest(b, v[b - p]);

				if (j != (int)k || !hist_stale(b, v[b - p], seen_max))
					continue;
				for (unsigned i = (unsigned)j; i < S.nhist; i++)
					if (hist_covers(&S.hist[i], b))
						undone[i] = 1;
				v[b - p] = h->prev[b - h->a];
			}
		}
		/* the write after it that the CPU saw: the nearest one */
		for (k = 0; k < S.nhist; k++)
			if (S.hist[k].seen && S.hist[k].seq > o->seq &&
			    (!l || S.hist[k].seq < l->seq))
				l = &S.hist[k];
		for (k = 0; k < S.nhist; k++)
			if (undone[k])
				S.hist[k].reported = 1;
		la = l ? l->a : fb;
		base = (fb < la ? fb : la) & ~(uintptr_t)(S.line - 1);
		memset(&r, 0, sizeof(r));
		sim__site_str(wl, sizeof(wl), l ? l->seen_at : (struct site){ .pc = 0 });
		r.cls = SIM_UNORDERED_LOADS;
		r.bus = sim_virt_to_phys((const void *)fb) +
			(o->dev ? o->dev->bus_offset : 0);
		if (nm)
			snprintf(r.buf, sizeof(r.buf), "%s", nm);
		sim__site_loc(at, &r.file, &r.line);
		snprintf(r.change, sizeof(r.change), at.w ? "library load" : "CPU load");
		snprintf(msg, sizeof(msg),
			 "CPU read +%zu (device wrote it before +%zu, which the CPU already saw at %s) without a coh_dma_rmb() between: it may see the old value",
			 (size_t)(fb - base), (size_t)(la - base), wl);
		memcpy(r.msg, msg, sizeof(r.msg) - 1);
		sim__emit(&r, o->dev);
		for (k = 0; k < S.nhist; k++) {
			struct hist *h = &S.hist[k];

			if (!undone[k] && !h->seen && h->a < p + n && h->a + h->n > p) {
				h->seen = 1;
				h->seen_at = at;
			}
		}
		return 1;
	}
	/* the value loaded is the current one: the writes it overlaps are seen */
	for (k = 0; k < S.nhist; k++) {
		struct hist *h = &S.hist[k];

		if (!h->seen && h->a < p + n && h->a + h->n > p) {
			h->seen = 1;
			h->seen_at = at;
		}
	}
	return 0;
}
