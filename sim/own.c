/* SPDX-License-Identifier: MIT */
/*
 * sim/own.c - ownership tracking: the library's op hook (coh_arch_op,
 * coh_arch_op_end) records per line the last call, its file:line and which
 * bytes the device owns (coh_give .. coh_take), and checks consume, take
 * and free against it.
 */
#include <string.h>

#include "sim_internal.h"

/* ------------------------------------------------------ library hooks */

int coh_arch_range_check(uintptr_t start, uintptr_t end)
{
	return in_area0(start, end) || in_area1(start, end) ? 0 : -COH_EFAULT;
}

static int consume_check(const struct coh_device *dev, size_t i, bm_t part)
{
	struct sline *m = &S.meta[i];
	bm_t st = bm_and(m->dstale, part);

	if (!bm_any(st)) {
		/*
		 * Not stale in the cache (the line was not cached, or was evicted
		 * clean), but the device wrote these and nothing invalidated the
		 * line since: only luck gave the CPU the new bytes.
		 */
		st = bm_andnot(bm_and(m->dnoacq, part), m->devin);
		if (!bm_any(st))
			return 0;
		sim__report(SIM_STALE_CPU_READ, i, 0, dev,
			    "CPU consumed %u byte(s) (first at +%u) the device wrote with no acquire since",
			    bm_count(st), bm_first(st));
		return 1;
	}
	sim__report(m->spec ? SIM_SPECULATIVE_STALE : SIM_STALE_CPU_READ, i, 0, dev,
		    "CPU consumed %u stale byte(s) (first at +%u): %s", bm_count(st),
		    bm_first(st),
		    m->spec ? "line refilled speculatively after the invalidate, before the DMA finished"
		       : "device wrote them, no acquire since");
	return 1;
}

/*
 * Device teardown (coh_device_teardown, coh_device_leaks, in every build):
 * bytes still given to dev, or shared allocations of dev still live.
 */
static void teardown(const struct coh_device *dev, const struct coh_where *where)
{
	char at[64];

	sim__where_str(at, sizeof(at), where);
	for (size_t k = 0; k < S.ntracked; k++) {
		size_t i = S.tracked[k];
		struct sline *m = &S.meta[i];

		if (m->dev != dev)
			continue;
		if (bm_any(m->devown))
			sim__report(SIM_LEAK_AT_TEARDOWN, i, 0, dev,
				    "device torn down (%s) with %u byte(s) of the line still given to it (first at +%u)",
				    at, bm_count(m->devown), bm_first(m->devown));
		else if (bm_any(m->dshared))
			sim__report(SIM_LEAK_AT_TEARDOWN, i, 0, dev,
				    "device torn down (%s) with a shared allocation still live (%u byte(s) of the line, first at +%u)",
				    at, bm_count(m->dshared), bm_first(m->dshared));
	}
}

int coh_arch_op(int op, struct coh_device *dev, const void *ptr, size_t len,
		int dir, const struct coh_where *where)
{
	uintptr_t s = (uintptr_t)ptr, e = s + len;
	size_t a, b;
	int stale = 0;

	if (!S.up)
		return -COH_EFAULT;
	sim__fast_reset();
	sim__trace_op(op, dev, s, len, dir, where);
	if (op == COH_OP_BOUNCE)
		return 0; /* for the trace only: no scheduling point, no state */
	if (op == COH_OP_TEARDOWN) {
		if (!(S.cfg.flags & SIM_F_NO_SANITIZER))
			teardown(dev, where);
		return 0;
	}
	if (dev && coh_device_is_coherent(dev))
		S.coherent_seen = 1;	/* from now on area 0 stores may be seen unordered */
	if (in_area1(s, e))
		return 0;
	if (!in_area0(s, e))
		return -COH_EFAULT;
	if (S.cfg.flags & SIM_F_NO_SANITIZER)
		return 0;
	sim__sched();
	S.op = op;
	S.op_s = s;
	S.op_e = e;
	S.op_dev = dev;
	S.op_dir = dir;
	line_span(s, e, &a, &b);
	for (size_t i = a; i < b; i++) {
		struct sline *m = &S.meta[i];
		bm_t part = line_part(i, s, e);

		sim__touch(i);
		if (op == COH_OP_CONSUME) {
			stale |= consume_check(dev, i, part);
			continue;
		}
		bm_t w = { { 0, 0 } };

		if (op == COH_OP_TAKE) {
			w = bm_and(bm_and(diff_mask(CPU(i), SHD(i), S.line), m->devown), part);
			if (bm_any(w))
				sim__report(SIM_CPU_WRITE_DEVICE_OWNED, i, 0, dev,
					    "CPU wrote %u byte(s) (first at +%u) while the device owned them",
					    bm_count(w), bm_first(w));
		}
		if (op == COH_OP_MAP) {
			/* two TO_DEVICE mappings of one buffer are fine (one frame, two queues) */
			bm_t o = dir == COH_TO_DEVICE ? bm_and(m->devin, part)
						      : bm_and(m->devown, part);

			if (bm_any(o)) {
				char at[64];

				sim__where_str(at, sizeof(at), where);
				sim__report(SIM_OVERLAPPING_MAP, i, 0, dev,
					    "mapping at %s of %u byte(s) (first at +%u) already given to a device and not taken back: two live mappings",
					    at, bm_count(o), bm_first(o));
			}
			continue;	/* a notice: the GIVE that follows records the call */
		}
		if (op == COH_OP_UNSHARE) {
			/* the allocator may hand these bytes out while the device still uses them */
			bm_t own = bm_and(m->devown, part);

			if (bm_any(own)) {
				char at[64];

				sim__where_str(at, sizeof(at), where);
				sim__report(SIM_FREE_DEVICE_OWNED, i, 0, dev,
					    "memory freed at %s while the device owns %u byte(s) of the line (first at +%u)",
					    at, bm_count(own), bm_first(own));
			}
		}
		m->where = where;
		m->dev = dev;
		/* the give of a streaming map is named as the map the driver called */
		m->last_op = (uint8_t)(op == COH_OP_GIVE && S.map_pending && where == S.map_where
					       ? COH_OP_MAP : op);
		m->last_dir = (int8_t)dir;
		switch (op) {
		case COH_OP_GIVE:
			m->rep = 0;
			break;
		case COH_OP_TAKE:
			m->dtaken = bm_or(m->dtaken, bm_and(m->devown, part));
			m->devown = bm_andnot(m->devown, part);
			m->devin = bm_andnot(m->devin, part);
			m->rep = 0;
			/* the take's own invalidate discards those bytes: one report
			 * (CPU_WRITE_DEVICE_OWNED), not a second INVALIDATE_CPU_DATA */
			if (bm_any(w))
				m->rep |= 1u << SIM_INVALIDATE_CPU_DATA;
			break;
		case COH_OP_SHARE:
			m->devown = bm_andnot(m->devown, part);
			m->devin = bm_andnot(m->devin, part);
			m->dtaken = bm_andnot(m->dtaken, part);
			m->dfree = bm_andnot(m->dfree, part);
			m->dok = bm_or(m->dok, part);
			m->dshared = bm_or(m->dshared, part);
			m->rep = 0;
			break;
		case COH_OP_UNSHARE:
			m->devown = bm_andnot(m->devown, part);
			m->devin = bm_andnot(m->devin, part);
			m->dtaken = bm_andnot(m->dtaken, part);
			m->dok = bm_andnot(m->dok, part);
			m->dshared = bm_andnot(m->dshared, part);
			m->dfree = bm_or(m->dfree, part);
			m->rep = 0;
			break;
		case COH_OP_RELEASE:
		case COH_OP_ACQUIRE:
		case COH_OP_FLUSH:
			/* the fence layer: the driver keeps track of ownership itself */
			m->dok = bm_or(m->dok, part);
			break;
		default:
			break;
		}
	}
	if (op == COH_OP_CONSUME)
		S.op = 0;
	if (op == COH_OP_MAP) {
		S.map_pending = 1;
		S.map_where = where;
	} else if (op == COH_OP_GIVE) {
		S.map_pending = 0;
	}
	return stale ? -COH_EPROTO : 0;
}

/* ownership moves once the body has cleaned the lines, so its write-back is not a violation */
static void give_done(void)
{
	size_t a, b;

	line_span(S.op_s, S.op_e, &a, &b);
	for (size_t i = a; i < b; i++) {
		struct sline *m = &S.meta[i];
		bm_t part = line_part(i, S.op_s, S.op_e);

		m->devown = bm_or(m->devown, part);
		if (S.op_dir == COH_FROM_DEVICE || S.op_dir == COH_BIDIRECTIONAL)
			m->devin = bm_or(m->devin, part);
		m->dtaken = bm_andnot(m->dtaken, part);
		m->dfree = bm_andnot(m->dfree, part);
		if (S.op_dev && coh_device_is_coherent(S.op_dev)) {
			/* a snooping device sees the CPU view: sync the model's copies */
			uintptr_t ls = (uintptr_t)CPU(i);
			size_t lo = S.op_s > ls ? S.op_s - ls : 0;
			size_t hi = S.op_e < ls + S.line ? S.op_e - ls : S.line;

			memcpy(RAM(i) + lo, CPU(i) + lo, hi - lo);
			memcpy(SHD(i) + lo, CPU(i) + lo, hi - lo);
			m->dstale = bm_andnot(m->dstale, part);
		}
	}
}

void coh_arch_op_end(int op)
{
	sim__fast_reset();
	if (op == COH_OP_GIVE && S.op == COH_OP_GIVE)
		give_done();
	S.op = 0;
}
