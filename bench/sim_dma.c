/* SPDX-License-Identifier: MIT */
/*
 * bench/sim_dma.c - what the simulator costs.  Each row moves the same
 * bytes: 4 KiB transfers through the DMA controller model, each buffer
 * given and taken back with the library.  The baselines: a host memcpy of
 * the same bytes for the simulator without its sanitizer, that simulator
 * for the sanitizer's rows.  The configurations run in short slices,
 * interleaved, in rounds, timed in thread CPU time; a row's ratio is the
 * median of its per-round ratios.
 * Prints ROW lines for bench/report.py (no goal: the simulator is a
 * checking tool, these rows say what checking costs).
 *
 *   coh-bench [rounds]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "coherent/coherent.h"
#include "bench.h"
#include "sim.h"
#include "sim_dmac.h"

#define XFER 4096
#define NBUF 64
#define SLICE 0.04

static volatile uint8_t sink;

/*
 * CPU time of this thread, not wall time: with ten engineers' compiles on
 * two cores this process runs a varying share of each slice, and a
 * throughput over wall time measured that share more than the simulator.
 */
static double cpu_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double bench_memcpy(double secs)
{
	static uint8_t a[NBUF][XFER], b[NBUF][XFER];
	double t0 = cpu_now(), t;
	unsigned long bytes = 0;

	do {
		for (int k = 0; k < NBUF; k++) {
			a[k][0] = (uint8_t)k;
			memcpy(b[k], a[k], XFER);
			sink = b[k][XFER - 1];
		}
		bytes += NBUF * XFER;
	} while ((t = cpu_now() - t0) < secs);
	return (double)bytes / t / 1e6;
}

/* bench/sim_dma_drv.c, built plain and with coh_sim_instrument() */
double bench_sim(size_t line, int coherent, unsigned flags, int touch, double secs);
double bench_sim_instr(size_t line, int coherent, unsigned flags, int touch,
		       double secs);

/*
 * The configurations, in the order printed.  "instrumented": the driver
 * loop compiled with coh_sim_instrument() (every load and store it makes
 * observed); "driver touches the payload": it also writes every source
 * byte and reads every destination byte with plain C (one observed access
 * per byte: the observer's worst case).
 */
static const struct conf {
	const char *name;
	size_t line;
	int coherent;
	unsigned flags;
	int touch;
	double (*run)(size_t line, int coherent, unsigned flags, int touch, double secs);
} confs[] = {
	{ "sim, sanitizer off (4 KiB DMA transfers)", 64, 0, SIM_F_NO_SANITIZER, 0, bench_sim },
	{ "sim, sanitizer on, non-coherent, line 32", 32, 0, 0, 0, bench_sim },
	{ "sim, sanitizer on, non-coherent, line 64", 64, 0, 0, 0, bench_sim },
	{ "sim, sanitizer on, non-coherent, line 128", 128, 0, 0, 0, bench_sim },
	{ "sim, sanitizer on, coherent device, line 64", 64, 1, 0, 0, bench_sim },
	{ "sim, sanitizer on, non-coherent, line 64, driver instrumented", 64, 0, 0, 0, bench_sim_instr },
	{ "sim, sanitizer on, line 64, driver touches the payload", 64, 0, 0, 1, bench_sim },
	{ "sim, sanitizer on, line 64, driver touches the payload, instrumented", 64, 0, 0, 1, bench_sim_instr },
};
#define NCONF (sizeof(confs) / sizeof(confs[0]))
#define MAXROUNDS 31

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 11;
	double base[MAXROUNDS], v[NCONF][MAXROUNDS], r[NCONF][MAXROUNDS], slice = SLICE;

	if (rounds < 1 || rounds > MAXROUNDS) {
		fprintf(stderr, "usage: coh-bench [rounds 1..%d]\n", MAXROUNDS);
		return 2;
	}
	if (rounds < 3)
		slice = 0.005;	/* smoke test */
	for (int k = 0; k < rounds; k++) {
		base[k] = bench_memcpy(slice);
		for (size_t c = 0; c < NCONF; c++)
			if ((v[c][k] = confs[c].run(confs[c].line, confs[c].coherent,
						    confs[c].flags, confs[c].touch, slice)) <= 0)
				return 1;
		/*
		 * Ratios within one round: the sanitizer's rows against the
		 * simulator without it (both compute-bound, so the load of the
		 * other core cancels), that one against memcpy.
		 */
		for (size_t c = 0; c < NCONF; c++)
			r[c][k] = v[c][k] / (c ? v[0][k] : base[k]);
	}
	for (size_t c = 0; c < NCONF; c++)
		printf("ROW|sim|%s|%s|%.0f vs %.0f MB/s|%.3f|-|0\n", confs[c].name,
		       c ? "the simulator, sanitizer off" : "host memcpy of the same bytes",
		       bench_median(v[c], rounds),
		       c ? bench_median(v[0], rounds) : bench_median(base, rounds),
		       bench_median(r[c], rounds));
	return 0;
}
