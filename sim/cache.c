/* SPDX-License-Identifier: MIT */
/*
 * sim/cache.c - the write-back cache between the CPU view and RAM of area 0.
 *
 * Per line of area 0 the model keeps three copies: the CPU view (what
 * driver code reads and writes with plain C), RAM (what devices reach) and
 * a shadow (the CPU view as it was at the last fill, clean or device
 * update).  A line is dirty when its CPU view differs from its shadow
 * (computed when a line is looked at, so uninstrumented code works), or
 * when instrumented code stored to it since (m->stored: a store of the
 * value memory already held dirties a line on hardware too).  A line is "valid" when the CPU cache may hold it; a device
 * write to an invalid line also updates the CPU view (the CPU would miss
 * and read RAM), to a valid one it reaches RAM only and the CPU copy is
 * stale for those bytes (dstale).  Here: write-back, invalidate, the
 * random eviction and refill at scheduling points, the backend's line
 * operations and sim_quiesce.
 */
#include <string.h>

#include "sim_internal.h"

/*
 * Write a dirty line back, whole, as hardware does.  Device data in RAM
 * that the CPU copy does not hold is overwritten: reported.
 */
void sim__writeback(size_t i, int evict)
{
	sim__fast_reset();
	struct sline *m = &S.meta[i];
	uint8_t *c = CPU(i), *r = RAM(i);
	bm_t d, lost;

	if (!dirty(i))
		return;
	d = diff_mask(c, SHD(i), S.line);
	if (bm_any(bm_and(d, m->devown)))
		sim__report(SIM_CPU_WRITE_DEVICE_OWNED, i, 0, NULL,
			    "CPU wrote %u byte(s) the device owns (first at +%u), now written back",
			    bm_count(bm_and(d, m->devown)),
			    bm_first(bm_and(d, m->devown)));
	lost = bm_and(m->dstale, diff_mask(c, r, S.line));
	if (bm_any(lost)) {
		int cls = m->dirty_at_dev ? SIM_EVICT_OVER_DEVICE
			  : m->spec	  ? SIM_SPECULATIVE_STALE
					  : SIM_STALE_CPU_READ;
		sim__report(cls, i, 0, NULL,
			    "%s wrote back %u byte(s) over device data (first at +%u)%s",
			    evict ? "eviction" : "clean", bm_count(lost),
			    bm_first(lost),
			    m->dirty_at_dev ? ": line was dirty before the DMA"
				       : ": stale CPU copy was modified");
	}
	memcpy(r, c, S.line);
	memcpy(SHD(i), c, S.line);
	m->dstale = (bm_t){ { 0, 0 } };
	m->dirty_at_dev = 0;
	m->stored = 0;
	m->stale_loaded = 0;
	m->invalid = (uint8_t)evict;
	if (evict)
		m->spec = 0;
}

/*
 * A clean line dropped by the cache: the CPU view becomes RAM.  Only lines
 * an observed load already read stale are evicted this way (the read was
 * reported); a stale poll then ends instead of spinning forever.  dnoacq
 * stays: the bytes are still unacquired.
 */
void sim__clean_evict(size_t i)
{
	sim__fast_reset();
	struct sline *m = &S.meta[i];

	memcpy(CPU(i), RAM(i), S.line);
	memcpy(SHD(i), RAM(i), S.line);
	m->dstale = (bm_t){ { 0, 0 } };
	m->stale_loaded = 0;
	m->invalid = 1;
	m->spec = 0;
}

/* Drop the line: CPU writes in it are lost, the CPU view becomes RAM. */
void sim__invalidate(size_t i, uintptr_t keep_s, uintptr_t keep_e)
{
	sim__fast_reset();
	struct sline *m = &S.meta[i];
	uintptr_t ls = (uintptr_t)CPU(i);
	bm_t d = diff_mask(CPU(i), SHD(i), S.line);

	if (bm_any(d)) {
		size_t lo = keep_s > ls ? keep_s - ls : 0;
		size_t hi = keep_e < ls + S.line ? keep_e - ls : S.line;
		bm_t in = lo < hi ? bm_range(lo, hi) : (bm_t){ { 0, 0 } };
		bm_t out = bm_andnot(d, in);

		if (bm_any(out))
			sim__report(SIM_PARTIAL_LINE_LOSS, i, 0, NULL,
				    "invalidate discarded %u CPU-written byte(s) outside the range (first at +%u)",
				    bm_count(out), bm_first(out));
		if (bm_any(bm_and(bm_and(d, in), m->devown)))
			sim__report(SIM_CPU_WRITE_DEVICE_OWNED, i, 0, NULL,
				    "CPU wrote %u byte(s) the device owns (first at +%u); invalidate discarded them",
				    bm_count(bm_and(bm_and(d, in), m->devown)),
				    bm_first(bm_and(bm_and(d, in), m->devown)));
		/*
		 * Bytes the CPU wrote while it owned them, that no device wrote
		 * since: the invalidate is not an acquire of anything, it only
		 * destroys data (an unconditional post-transfer invalidate, a take
		 * without a give).
		 */
		bm_t own = bm_andnot(bm_andnot(bm_and(d, in), m->devown), m->dnoacq);

		if (bm_any(own))
			sim__report(SIM_INVALIDATE_CPU_DATA, i, 0, NULL,
				    "invalidate discarded %u byte(s) the CPU wrote while it owned them (first at +%u), with no device write since: nothing to acquire, only data lost",
				    bm_count(own), bm_first(own));
	}
	memcpy(CPU(i), RAM(i), S.line);
	memcpy(SHD(i), RAM(i), S.line);
	m->invalid = 1;
	m->spec = 0;
	m->dirty_at_dev = 0;
	m->stored = 0;
	m->stale_loaded = 0;
	m->dstale = (bm_t){ { 0, 0 } };
	m->dnoacq = (bm_t){ { 0, 0 } };
	m->rep = 0;
}

void sim__sched(void)
{
	size_t i;

	sim__fast_reset();
	if (!S.up || !S.nrecent || (S.cfg.flags & SIM_F_NO_SANITIZER))
		return;
	if (sim__chance(S.cfg.evict_permille)) {
		i = S.recent[sim__rnd() % S.nrecent];
		if (dirty(i)) {
			sim__trace_line("evict (write-back)", i, NULL);
			sim__writeback(i, 1);
		} else if (S.meta[i].stale_loaded) {
			sim__clean_evict(i);
		}
	}
	if (sim__chance(S.cfg.refill_permille)) {
		i = S.recent[sim__rnd() % S.nrecent];
		if (S.meta[i].invalid && !dirty(i)) {
			sim__trace_line("speculative refill", i, NULL);
			S.meta[i].invalid = 0;
			S.meta[i].spec = 1;
		}
	}
}

/* line index range of [s, e) in area 0 (s < e) */
size_t sim__line_size(void)
{
	return S.line;
}

static int maint_span(uintptr_t s, uintptr_t e, size_t *a, size_t *b)
{
	if (!S.up || s >= e || (S.cfg.flags & SIM_F_NO_SANITIZER) ||
	    !in_area0(s, e))
		return 0; /* area 1 is uncached: nothing to do */
	line_span(s, e, a, b);
	return 1;
}

void sim__clean_lines(uintptr_t s, uintptr_t e)
{
	size_t a, b;

	if (S.cfg.flags & SIM_F_FLUSH_ONLY) {
		sim__flush_lines(s, e);
		return;
	}
	if (!maint_span(s, e, &a, &b))
		return;
	for (size_t i = a; i < b; i++) {
		sim__touch(i);
		sim__trace_line("clean", i, S.op_dev);
		sim__writeback(i, 0);
	}
}

void sim__inval_lines(uintptr_t s, uintptr_t e)
{
	size_t a, b;
	int ranged = S.op == COH_OP_ACQUIRE || S.op == COH_OP_TAKE;

	if (S.cfg.flags & SIM_F_FLUSH_ONLY) {
		sim__flush_lines(s, e);
		return;
	}
	if (!maint_span(s, e, &a, &b))
		return;
	for (size_t i = a; i < b; i++) {
		sim__touch(i);
		sim__trace_line("invalidate", i, S.op_dev);
		sim__invalidate(i, ranged ? S.op_s : s, ranged ? S.op_e : e);
	}
}

void sim__flush_lines(uintptr_t s, uintptr_t e)
{
	size_t a, b;

	if (!maint_span(s, e, &a, &b))
		return;
	for (size_t i = a; i < b; i++) {
		sim__touch(i);
		sim__trace_line("flush", i, S.op_dev);
		sim__writeback(i, 0);
		sim__invalidate(i, s, e);
	}
}

void sim_raw_invalidate(const void *p, size_t len)
{
	uintptr_t s = (uintptr_t)p, e = s + len;
	size_t a, b;

	sim__sched();
	if (!len || !maint_span(s, e, &a, &b))
		return;
	for (size_t i = a; i < b; i++) {
		sim__touch(i);
		sim__invalidate(i, s, e);
	}
}

unsigned long sim_quiesce(void)
{
	S.npend = 0;	/* the end of a test orders everything */
	S.nhist = 0;
	if (S.up && !(S.cfg.flags & SIM_F_NO_SANITIZER))
		for (size_t k = 0; k < S.ntracked; k++)
			sim__writeback(S.tracked[k], 1);
	return S.total;
}
