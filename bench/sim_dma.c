/* SPDX-License-Identifier: MIT */
/*
 * bench/sim_dma.c - what the simulator costs.  Each row moves the same
 * kind of bytes: 4 KiB transfers through the DMA controller model, each
 * buffer given and taken back with the library.  The baselines: a host
 * memcpy of the same bytes for the simulator without its sanitizer, that
 * simulator for the sanitizer's rows.  A row is paired samples of about
 * half a millisecond each (bench.h), timed in this thread's CPU time,
 * each simulator set up and warmed (every buffer through once) untimed
 * before its sample and torn down after; its ratio is the median of the
 * per-sample throughput ratios.
 * Prints ROW lines for bench/report.py (no goal: the simulator is a
 * checking tool, these rows say what checking costs).
 *
 *   coh-bench [most samples per row]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coherent/coherent.h"
#include "bench.h"
#include "sim.h"
#include "sim_dma_conf.h"

#define SLICE 0.0005	/* seconds of one sample */

static volatile uint8_t sink;

static void bench_memcpy(long n)
{
	static uint8_t a[NBUF][XFER], b[NBUF][XFER];

	for (long x = 0; x < n; x++) {
		int k = (int)(x % NBUF);

		a[k][0] = (uint8_t)k;
		memcpy(b[k], a[k], XFER);
		sink = b[k][XFER - 1];
	}
}

/*
 * The configurations, in the order printed.  "instrumented": the driver
 * loop compiled with coh_sim_instrument() (every load and store it makes
 * observed); "driver touches the payload": it also writes every source
 * byte and reads every destination byte with plain C (one observed access
 * per byte: the observer's worst case).  confs[0] is the baseline of the
 * others; host memcpy is its own.
 */
static const struct bench_sim_conf confs[] = {
	{ "sim, sanitizer off (4 KiB DMA transfers)", 64, 0, SIM_F_NO_SANITIZER, 0, 0 },
	{ "sim, sanitizer on, non-coherent, line 32", 32, 0, 0, 0, 0 },
	{ "sim, sanitizer on, non-coherent, line 64", 64, 0, 0, 0, 0 },
	{ "sim, sanitizer on, non-coherent, line 128", 128, 0, 0, 0, 0 },
	{ "sim, sanitizer on, coherent device, line 64", 64, 1, 0, 0, 0 },
	{ "sim, sanitizer on, non-coherent, line 64, driver instrumented", 64, 0, 0, 0, 1 },
	{ "sim, sanitizer on, line 64, driver touches the payload", 64, 0, 0, 1, 0 },
	{ "sim, sanitizer on, line 64, driver touches the payload, instrumented", 64, 0, 0, 1, 1 },
};
#define NCONF (sizeof(confs) / sizeof(confs[0]))

/* a row: method 0 the configuration, method 1 its baseline (NULL: memcpy) */
struct sim_ctx {
	const struct bench_sim_conf *cf[2];
	long n[2];		/* transfers per sample */
	int failed;
};

static int sim_call(const struct bench_sim_conf *cf, long n)
{
	return cf->instr ? bench_sim_instr(cf, n) : bench_sim(cf, n);
}

static void sim_prep(void *c, int m)
{
	struct sim_ctx *x = c;

	bench_sim(NULL, 0);
	bench_sim_instr(NULL, 0);
	/* set up, and every buffer through once: no first touch in a sample */
	if (x->cf[m] && (sim_call(x->cf[m], 0) || sim_call(x->cf[m], NBUF)))
		x->failed = 1;
}

static double sim_run(void *c, int m)
{
	struct sim_ctx *x = c;

	if (!x->cf[m])
		bench_memcpy(x->n[m]);
	else if (sim_call(x->cf[m], x->n[m]))
		x->failed = 1;
	return 0;
}

/* transfers of one configuration in about SLICE seconds of CPU time */
static long calibrate(struct sim_ctx *x, int m, double slice)
{
	long n = 1;

	for (;;) {
		double t0, t;

		sim_prep(x, m);
		t0 = bench_cpu_now();
		x->n[m] = n;
		sim_run(x, m);
		t = bench_cpu_now() - t0;
		if (t > slice / 4 || n > (1L << 30))
			return t > 0 ? (long)((double)n * slice / t) + 1 : n;
		n *= 4;
	}
}

/* one paired row: cf against base (NULL: host memcpy); op/goal "-"/0: no goal */
static int row(const struct bench_sim_conf *cf, const struct bench_sim_conf *base,
	       const char *base_name, int samples, double slice, const char *op,
	       double goal)
{
	struct sim_ctx x = { { cf, base }, { 0, 0 }, 0 };
	struct bench_set b = { 2, samples, NULL, sim_prep, sim_run, &x, 1 };
	struct bench_res r;
	double mb[2];

	x.n[0] = calibrate(&x, 0, slice);
	x.n[1] = calibrate(&x, 1, slice);
	if (bench_paired(&b, &r) || x.failed)
		return 1;
	sim_prep(&x, 1);	/* tears the last simulator down */
	for (int m = 0; m < 2; m++)
		mb[m] = (double)x.n[m] * XFER / r.sec[m] / 1e6;
	/* time ratio per byte of the row over its baseline, inverted: throughput */
	printf("ROW|sim|%s|%s|%.0f vs %.0f MB/s, %d/%d pairs, CI %.1f%%|%.5f|%s|%g\n",
	       cf->name, base_name, mb[0], mb[1], r.samples, r.taken, r.ci[0] * 100,
	       (double)x.n[0] / (double)x.n[1] / r.ratio[0], op, goal);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	int samples = argc > 1 ? atoi(argv[1]) : 100000;
	double slice = samples < 8 ? SLICE / 10 : SLICE;

	bench_fixed_layout(argv);
	if (samples < 1) {
		fprintf(stderr, "usage: coh-bench [most samples per row >= 1]\n");
		return 2;
	}
	for (size_t c = 0; c < NCONF; c++)
		if (row(&confs[c], c ? &confs[0] : NULL,
			c ? "the simulator, sanitizer off" : "host memcpy of the same bytes",
			samples, slice, "-", 0))
			return 1;
	/*
	 * The observer's cost where it is highest, a driver touching every
	 * payload byte: instrumented against the same driver uninstrumented
	 * (sanitizer on both ways).  Goal: at least half its throughput.
	 */
	if (row(&confs[NCONF - 1], &confs[NCONF - 2],
		"the same driver uninstrumented, sanitizer on", samples, slice, ">=", 0.5))
		return 1;
	return 0;
}
