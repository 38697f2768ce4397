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
 * (the CPU read it last time).  Preparing them is not timed.  Each sample
 * times one call of each method, in an order that rotates, each ended by
 * an MFENCE so no flush is left in flight (bench.h); the figure is the
 * interquartile mean of thousands of samples (fewer for large sizes), so a
 * compile on the other core disturbs all three alike.
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
	size_t size;
	int op;
};

static void prep(void *c, int m)
{
	const struct cache_ctx *x = c;

	(void)m;
	if (x->op == OP_ACQUIRE) {
		unsigned s = 0;

		for (size_t o = 0; o < x->size; o += LINE)
			s += ((volatile unsigned char *)buf)[o];
		sink += s;
	} else {
		memset(buf, (int)(sink & 0xff), x->size);
	}
}

static void run(void *c, int m)
{
	const struct cache_ctx *x = c;

	if (m == M_LIB)
		lib(buf, x->size, x->op);
	else if (m == M_NAIVE)
		naive(buf, x->size);
	else
		best(buf, x->size, x->op);
}

int main(int argc, char **argv)
{
	int samples = argc > 1 ? atoi(argv[1]) : 4001;
	FILE *data = argc > 2 ? fopen(argv[2], "w") : NULL;
	double ratio_min[NOPS] = { 1e9, 1e9, 1e9 };

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
		double med[NOPS][NMETH];

		for (int op = 0; op < NOPS; op++) {
			struct cache_ctx x = { size, op };
			/* fewer samples where one call is long: seconds for the table */
			size_t n = (64u << 20) / size;
			struct bench_set b = { NMETH, 0, prep, run, &x };

			b.samples = (int)(n < 101 ? 101 : n > (size_t)samples ? (size_t)samples : n);
			if (bench_interleave(&b, med[op]))
				return 1;
			double r = med[op][M_BEST] / med[op][M_LIB];

			if (r < ratio_min[op])
				ratio_min[op] = r;
			printf("ROW|cache|%s %zu B (x86_64, CLFLUSHOPT)|best hand loop (naive: %.3f of best)|"
			       "%.2f vs %.2f GB/s|%.3f|>=|0.95\n",
			       op_name[op], size, med[op][M_BEST] / med[op][M_NAIVE],
			       (double)size / med[op][M_LIB] * 1e-9,
			       (double)size / med[op][M_BEST] * 1e-9, r);
		}
		if (data) {
			fprintf(data, "%zu", size);
			for (int m = 0; m < NMETH; m++)
				for (int op = 0; op < NOPS; op++)
					fprintf(data, " %.4f", (double)size / med[op][m] * 1e-9);
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
