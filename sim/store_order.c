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
	sim__fast_reset();
	if (in_area0(a, a + n)) {
		/* a store dirties its line whatever the value (a same-value rewrite too) */
		size_t i0, i1;

		line_span(a, a + n, &i0, &i1);
		for (size_t i = i0; i < i1; i++)
			S.meta[i].stored = 1;
	}
	if (S.ndwin)
		sim__desc_store(a, n, (struct site){ .w = where });
	sim__pend_add(a, n, (struct site){ .w = where });
	/* in instrumented code the store itself is observed next: not twice */
	S.lib_st_a = a;
	S.lib_st_n = n;
}

/* a store of [a, a+n) about to happen (library or plain): pending until ordered */
void sim__pend_add(uintptr_t a, size_t n, struct site at)
{
	S.seq++;
	for (size_t off = 0; off < n; off += PEND_BYTES) {
		size_t k = n - off < PEND_BYTES ? n - off : PEND_BYTES;
		struct pend *e = table_push(S.pend, &S.npend, PEND_MAX, sizeof(S.pend[0]));

		e->a = a + off;
		e->n = (uint16_t)k;
		e->seq = S.seq;
		e->seen = 0;
		e->reported = 0;
		e->at = at;
		memcpy(e->prev, (const void *)(a + off), k);
	}
}

/* stores a device reads directly: area 1, or any area for a coherent device */
static int pend_direct(const struct pend *e, const struct coh_device *dev)
{
	return in_area1(e->a, e->a + e->n) || (dev && coh_device_is_coherent(dev));
}

/*
 * A device model was told to look at memory (a doorbell register).  A store
 * it reads directly that is still pending was not ordered before the
 * doorbell: a relaxed MMIO write (coh_mmio_write*_relaxed) with no
 * coh_dma_wmb()/coh_wmb() before it.  The ordered coh_mmio_write* is an
 * ordering point itself, so it never gets here with pending stores.
 */
void sim__doorbell(const struct coh_device *dev)
{
	for (unsigned k = 0; k < S.npend; k++) {
		struct pend *e = &S.pend[k];
		char ws[64], msg[300];

		if (e->reported || !pend_direct(e, dev) ||
		    !memcmp(e->prev, (const void *)e->a, e->n))
			continue;
		e->reported = 1;
		sim__site_str(ws, sizeof(ws), e->at);
		snprintf(msg, sizeof(msg),
			 "doorbell rung while the store at %s (%u bytes) was not ordered before it: coh_dma_wmb() or the ordered coh_mmio_write*() missing",
			 ws, (unsigned)e->n);
		sim__report_access(SIM_UNORDERED_DOORBELL, dev,
				   sim_virt_to_phys((const void *)e->a) + (dev ? dev->bus_offset : 0),
				   e->a, S.mmio_at, "relaxed MMIO write", msg);
		return;	/* one report per doorbell */
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
	if (lo < 0 && flag_mask) {
		/*
		 * The device acts on the descriptor although one of its stores is
		 * not visible yet, whatever the program order: OWN stored first,
		 * or OWN made visible by a barrier before the fields.
		 */
		for (k = 0; k < S.npend && lo < 0; k++)
			if (shown[k] == 0 && visible[k] && !S.pend[k].reported)
				lo = (int)k;
		if (lo >= 0) {
			struct pend *o = &S.pend[lo];
			size_t oo = o->a > p ? o->a - p : 0;
			char wo[48], msg[300];

			o->reported = 1;
			sim__site_str(wo, sizeof(wo), o->at);
			snprintf(msg, sizeof(msg),
				 "device acted on the descriptor (owner flag set) without +%zu (%u bytes, written at %s): that store is not ordered before the owner flag's (coh_dma_wmb() between them, owner flag last)",
				 oo, (unsigned)o->n, wo);
			sim__report_access(SIM_UNORDERED_STORES, dev, bus + oo, o->a, o->at,
					   o->at.w ? "library store" : "CPU store", msg);
		}
		return;
	}
	if (lo < 0)
		return;
	{
		struct pend *n = &S.pend[hi], *o = &S.pend[lo];
		size_t no = n->a > p ? n->a - p : 0, oo = o->a > p ? o->a - p : 0;
		char wn[48], wo[48], msg[300];

		n->reported = 1;
		sim__site_str(wn, sizeof(wn), n->at);
		sim__site_str(wo, sizeof(wo), o->at);
		/* long file names are cut, as any message is */
		snprintf(msg, sizeof(msg),
			 "device saw +%zu (%u bytes, written at %s) without the earlier +%zu (%u bytes, written at %s): missing coh_dma_wmb() between them",
			 no, (unsigned)n->n, wn, oo, (unsigned)o->n, wo);
		sim__report_access(SIM_UNORDERED_STORES, dev, bus + no, n->a, n->at,
				   n->at.w ? "library store" : "CPU store", msg);
	}
}

/* ---------------------------------------------- descriptors acted on */

static uint32_t flag_word(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[3] << 24;
}

/*
 * A descriptor fetch: remember where the descriptor and its owner flag are,
 * and whether the device acted on it (the flag set in the view it got).
 */
void sim__desc_fetched(const struct coh_device *dev, uintptr_t p, size_t len,
		       size_t flag_off, uint32_t mask, const uint8_t *view)
{
	struct dwin *w = NULL;

	(void)dev;
	if (flag_off + 4 > len || len > 0xffff)
		return;
	for (unsigned k = 0; k < S.ndwin && !w; k++)
		if (S.dwin[k].p == p)
			w = &S.dwin[k];
	if (!w) {
		w = &S.dwin[S.ndwin < DWIN_MAX ? S.ndwin++ : S.dwin_pos];
		S.dwin_pos = (S.dwin_pos + 1) % DWIN_MAX;
		*w = (struct dwin){ p, (uint16_t)len, (uint16_t)flag_off, mask, 0 };
	}
	if (flag_word(view + flag_off) & mask)
		w->acted = 1;
}

/*
 * A CPU store (library or plain) into memory devices read directly.  A
 * store to the owner flag re-arms the descriptor; a store to another field
 * of a descriptor the device already acted on (and the CPU has not seen
 * handed back since) is a field written after the owner flag: the device
 * may have used the old value.
 */
void sim__desc_store(uintptr_t a, size_t n, struct site at)
{
	for (unsigned k = 0; k < S.ndwin; k++) {
		struct dwin *w = &S.dwin[k];
		uintptr_t f = w->p + w->flag_off;
		char ws[64], msg[300];

		if (!(a < w->p + w->len && a + n > w->p))
			continue;
		if (a < f + 4 && a + n > f) {
			w->acted = 0;
			continue;
		}
		if (!w->acted)
			continue;
		w->acted = 0;
		sim__site_str(ws, sizeof(ws), at);
		snprintf(msg, sizeof(msg),
			 "CPU stored +%zu (%zu bytes, at %s) into a descriptor the device already acted on (owner flag at +%zu set): store the fields, coh_dma_wmb(), then the owner flag",
			 (size_t)(a - w->p), n, ws, (size_t)w->flag_off);
		sim__report_access(SIM_UNORDERED_STORES, NULL,
				   sim_virt_to_phys((const void *)a), a, at,
				   at.w ? "library store" : "CPU store", msg);
	}
}

/* a CPU load that sees a descriptor's owner flag clear: handed back */
void sim__desc_load(uintptr_t a, size_t n, const uint8_t *v)
{
	for (unsigned k = 0; k < S.ndwin; k++) {
		struct dwin *w = &S.dwin[k];
		uintptr_t f = w->p + w->flag_off;

		if (w->acted && a <= f && a + n >= f + 4 &&
		    !(flag_word(v + (f - a)) & w->mask))
			w->acted = 0;
	}
}
