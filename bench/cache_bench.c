/* SPDX-License-Identifier: MIT */
/*
 * bench/cache_bench.c - range maintenance on this CPU's real cache (the
 * x86_64 backend, a non-coherent device), 64 B to 4 MiB, against two loops
 * written by hand:
 *
 *   naive  CLFLUSH and MFENCE per line (what a driver copying a
 *          "flush one line, fence" helper does);
 *   best   CLFLUSHOPT per line and one fence per call: SFENCE for release
 *          (the flushes need ordering only before the doorbell store),
 *          MFENCE for acquire and flush (later loads must not see the
 *          lines from before the flush).
 *
 * Lines are in the state a driver finds them: dirty before release and
 * flush (the CPU just wrote the buffer), clean and cached before acquire
 * (the CPU read it last time).  Preparing them is not timed.  One sample
 * of a method is one call on each of K distinct buffers of the size, back
 * to back (K * size = 64 KiB, K <= 256; one call from 64 KiB up), each
 * buffer below a page in a page of its own, as separate buffers of a
 * driver are; so even a one-line release is timed over tens of
 * microseconds, not near the TSC's 10 ns step.  Each sample is
 * ended by an MFENCE so no flush is left in flight (bench.h).  The ratio
 * is the median of the per-sample ratios (bench.h: paired samples, run
 * until the ratio's confidence interval is tight).
 *
 *   cache_bench [samples] [data file]  (rows on stdout, gnuplot data to file)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "coherent/coherent.h"
#include "bench.h"

#define MAXSZ (4u << 20)
#define LINE 64
#define FOOT (64u << 10)	/* bytes one sample covers below 64 KiB */
#define MAXK 256		/* calls per sample at most */
#define PAGE 4096

static unsigned char *buf;
static struct coh_device nc;
static volatile unsigned sink;

enum { OP_RELEASE, OP_ACQUIRE, OP_FLUSH, NOPS };
enum { M_LIB, M_NAIVE, M_BEST, NMETH };
static const char *const op_name[NOPS] = { "release", "acquire", "flush" };

static void naive(unsigned char *p, size_t len)
{
	for (size_t o = 0; o < len; o += LINE) {
		__asm__ volatile("clflush %0" : "+m"(*(volatile char *)(p + o)));
		__asm__ volatile("mfence" ::: "memory");
	}
}

static void best(unsigned char *p, size_t len, int op)
{
	for (size_t o = 0; o < len; o += LINE)
		__asm__ volatile(".byte 0x66; clflush %0" : "+m"(*(volatile char *)(p + o)));
	if (op == OP_RELEASE)
		__asm__ volatile("sfence" ::: "memory");
	else
		__asm__ volatile("mfence" ::: "memory");
}

static void lib(unsigned char *p, size_t len, int op)
{
	int rc = op == OP_RELEASE ? coh_release(&nc, p, len) :
		 op == OP_ACQUIRE ? coh_acquire(&nc, p, len) : coh_flush(&nc, p, len);

	if (rc) {
		fprintf(stderr, "cache_bench: %s returned %d\n", op_name[op], rc);
		exit(1);
	}
}

/* the lines as a driver finds them, untimed */
struct cache_ctx {
	size_t size, k, stride;	/* k buffers of size bytes, stride apart */
	int op;
};

static void prep(void *c, int m)
{
	const struct cache_ctx *x = c;

	(void)m;
	for (size_t i = 0; i < x->k; i++) {
		unsigned char *p = buf + i * x->stride;

		if (x->op == OP_ACQUIRE) {
			unsigned s = 0;

			for (size_t o = 0; o < x->size; o += LINE)
				s += ((volatile unsigned char *)p)[o];
			sink += s;
		} else {
			memset(p, (int)(sink & 0xff), x->size);
		}
	}
	sink++;
}

static double run(void *c, int m)
{
	const struct cache_ctx *x = c;

	for (size_t i = 0; i < x->k; i++) {
		unsigned char *p = buf + i * x->stride;

		if (m == M_LIB)
			lib(p, x->size, x->op);
		else if (m == M_NAIVE)
			naive(p, x->size);
		else
			best(p, x->size, x->op);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int samples = argc > 1 ? atoi(argv[1]) : 100000;
	FILE *data = NULL;
	double ratio_min[NOPS] = { 1e9, 1e9, 1e9 };

	bench_fixed_layout(argv);
	if (argc > 2)
		data = fopen(argv[2], "w");
	buf = aligned_alloc(4096, MAXSZ);
	if (!buf || samples < 1 || (argc > 2 && !data)) {
		fprintf(stderr, "usage: cache_bench [samples >= 1] [data file]\n");
		return 2;
	}
	memset(buf, 1, MAXSZ);
	coh_device_init(&nc, "bench-nc", 0);
	if (coh_cache_line_size() != LINE || !coh__x86_clflushopt) {
		printf("ROW|cache|release/acquire/flush on this CPU|best hand loop|"
		       "not measured: needs CLFLUSHOPT and 64-byte lines|0|>=|0.95\n");
		return 0;
	}
	if (data)
		fprintf(data, "# size lib_GBps[rel acq flush] naive_GBps[...] best_GBps[...]\n");
	for (size_t size = 64; size <= MAXSZ; size *= 4) {
		double gbs[NOPS][NMETH];

		for (int op = 0; op < NOPS; op++) {
			size_t k = size < FOOT ? FOOT / size : 1;
			struct cache_ctx x = { size, k < MAXK ? k : MAXK, size < PAGE ? PAGE : size, op };
			/* the library against the best loop; naive against the best too */
			static const int base[NMETH] = { M_BEST, M_BEST, -1 };
			struct bench_set b = { NMETH, samples, base, prep, run, &x, 0 };
			struct bench_res res;

			if (bench_paired(&b, &res))
				return 1;
			for (int m = 0; m < NMETH; m++)
				gbs[op][m] = (double)(size * x.k) / res.sec[m] * 1e-9;
			/* time ratio library / best: its inverse is the throughput ratio */
			double r = 1 / res.ratio[M_LIB];

			if (r < ratio_min[op])
				ratio_min[op] = r;
			printf("ROW|cache|%s %zu B (x86_64, CLFLUSHOPT)|best hand loop (naive: %.3f of best)|"
			       "%.2f vs %.2f GB/s, %d/%d pairs, CI %.1f%%|%.4f|>=|0.95\n",
			       op_name[op], size, 1 / res.ratio[M_NAIVE], gbs[op][M_LIB],
			       gbs[op][M_BEST], res.samples, res.taken, res.ci[M_LIB] * 100, r);
			fflush(stdout);
		}
		if (data) {
			fprintf(data, "%zu", size);
			for (int m = 0; m < NMETH; m++)
				for (int op = 0; op < NOPS; op++)
					fprintf(data, " %.4f", gbs[op][m]);
			fprintf(data, "\n");
		}
	}
	for (int op = 0; op < NOPS; op++)
		printf("HEADLINE|%s: %.2f of the best hand loop at the worst size (64 B to 4 MiB)\n",
		       op_name[op], ratio_min[op]);
	if (data)
		fclose(data);
	free(buf);
	return 0;
}
