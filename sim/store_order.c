/* SPDX-License-Identifier: MIT */
/*
 * sim/store_order.c - the store ordering model (SIM_UNORDERED_STORES),
 * docs/simulator.md "Store ordering".
 */
#include <stdio.h>
#include <string.h>

#include "sim_internal.h"

/*
 * The library's stores to shared memory (coh_arch_store, called just before
 * the store) are remembered with the bytes they replace until the next
 * barrier that orders stores (sim__order).  Only stores a device can see
 * without maintenance matter - area 1, or any area for a coherent device -
 * but which device will read is known only at the read, so every store
 * inside the areas is remembered and the read decides (pend_view).  The
 * table is bounded: when it is full the oldest store is retired, which
 * keeps program order and so never causes a report, only a missed one.
 */
void sim__order(void)
{
	S.npend = 0;
}

void coh_arch_store(const void *addr, size_t n, const struct coh_where *where)
{
	uintptr_t a = (uintptr_t)addr;

	if (!S.up || !n || (S.cfg.flags & SIM_F_NO_SANITIZER) ||
	    (!in_area0(a, a + n) && !in_area1(a, a + n)))
		return;
	/* a scheduling point: a device may run between two stores */
	sim_step();
	S.seq++;
	for (size_t off = 0; off < n; off += PEND_BYTES) {
		size_t k = n - off < PEND_BYTES ? n - off : PEND_BYTES;
		struct pend *e = table_push(S.pend, &S.npend, PEND_MAX, sizeof(S.pend[0]));

		e->a = a + off;
		e->n = (uint16_t)k;
		e->seq = S.seq;
		e->seen = 0;
		e->reported = 0;
		e->where = where;
		memcpy(e->prev, (const void *)(a + off), k);
	}
}

/* a device wrote [p, p+len): pending stores there are overwritten, forget them */
void sim__pend_drop(uintptr_t p, size_t len)
{
	unsigned k, j = 0;

	for (k = 0; k < S.npend; k++)
		if (!(S.pend[k].a < p + len && S.pend[k].a + S.pend[k].n > p))
			S.pend[j++] = S.pend[k];
	S.npend = j;
}

/* is byte b covered by a store newer than k that the device is shown new? */
static int pend_hidden(unsigned k, uintptr_t b, const int8_t *shown)
{
	for (unsigned j = k + 1; j < S.npend; j++)
		if (shown[j] == 1 && b >= S.pend[j].a && b < S.pend[j].a + S.pend[j].n)
			return 1;
	return 0;
}

/*
 * What a device reading [p, p+len) (CPU address; the bytes already copied
 * to out) sees of the pending stores there: each store not yet seen is
 * shown new or old at random, an old one by putting back the bytes it
 * replaced (unless a newer store shown new covers them).  If the device
 * acts on the bytes (flag_mask == 0, or the flag word has a bit of it set)
 * and a store is visibly new while an earlier one is visibly old, the
 * device observed them out of program order: reported, naming both.
 */
void sim__pend_view(const struct coh_device *dev, coh_bus_t bus, uintptr_t p,
		      size_t len, uint8_t *out, size_t flag_off, uint32_t flag_mask)
{
	int8_t shown[PEND_MAX];	/* -1 not in this read, 0 old, 1 new */
	uint8_t visible[PEND_MAX];	/* showing it new or old makes a difference */
	unsigned k, nin = 0;
	int hi = -1, lo = -1;

	for (k = 0; k < S.npend; k++) {
		struct pend *e = &S.pend[k];

		shown[k] = -1;
		visible[k] = 0;
		if (!(e->a < p + len && e->a + e->n > p))
			continue;
		nin++;
		shown[k] = (int8_t)(e->seen || (sim__rnd() & 1));
		if (shown[k])
			e->seen = 1;
	}
	if (!nin)
		return;
	for (k = S.npend; k-- > 0;) {
		struct pend *e = &S.pend[k];
		uintptr_t s = e->a > p ? e->a : p;
		uintptr_t t = e->a + e->n < p + len ? e->a + e->n : p + len;

		if (shown[k] != 0)
			continue;
		for (uintptr_t b = s; b < t; b++) {
			uint8_t v = e->prev[b - e->a];

			if (pend_hidden(k, b, shown) || out[b - p] == v)
				continue;
			out[b - p] = v;
			visible[k] = 1;
		}
	}
	for (k = 0; k < S.npend; k++) {
		struct pend *e = &S.pend[k];
		uintptr_t s = e->a > p ? e->a : p;
		uintptr_t t = e->a + e->n < p + len ? e->a + e->n : p + len;

		if (shown[k] != 1)
			continue;
		for (uintptr_t b = s; b < t && !visible[k]; b++)
			visible[k] = out[b - p] != e->prev[b - e->a];
	}
	if (flag_mask) {
		uint32_t f = 0;

		if (flag_off + 4 > len)
			return;
		for (unsigned b = 0; b < 4; b++)
			f |= (uint32_t)out[flag_off + b] << (8 * b);
		if (!(f & flag_mask))
			return;	/* the device ignores what it does not own */
	}
	/* the newest store seen new, the oldest earlier one seen old */
	for (k = S.npend; k-- > 0 && hi < 0;)
		if (shown[k] == 1 && visible[k] && !S.pend[k].reported)
			hi = (int)k;
	for (k = 0; hi >= 0 && k < (unsigned)hi && lo < 0; k++)
		if (shown[k] == 0 && visible[k] && S.pend[k].seq < S.pend[hi].seq)
			lo = (int)k;
	if (lo < 0)
		return;
	{
		struct pend *n = &S.pend[hi], *o = &S.pend[lo];
		size_t no = n->a > p ? n->a - p : 0, oo = o->a > p ? o->a - p : 0;
		const char *nm = sim__name_of(n->a);
		char wn[48], wo[48], msg[256];
		struct sim_report r;

		n->reported = 1;
		memset(&r, 0, sizeof(r));
		sim__where_str(wn, sizeof(wn), n->where);
		sim__where_str(wo, sizeof(wo), o->where);
		r.cls = SIM_UNORDERED_STORES;
		r.bus = bus + no;
		if (nm)
			snprintf(r.buf, sizeof(r.buf), "%s", nm);
		if (n->where) {
			r.file = sim__base_name(n->where->file);
			r.line = n->where->line;
		}
		snprintf(r.change, sizeof(r.change), "library store");
		snprintf(msg, sizeof(msg),
			 "device saw +%zu (%u bytes, written at %s) without the earlier +%zu (%u bytes, written at %s): missing coh_dma_wmb() between them",
			 no, (unsigned)n->n, wn, oo, (unsigned)o->n, wo);
		/* long file names are cut, as any message is */
		memcpy(r.msg, msg, sizeof(r.msg) - 1);
		sim__emit(&r, dev);
	}
}
