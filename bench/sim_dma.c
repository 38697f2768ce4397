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

static double bench_sim(size_t line, int coherent, unsigned flags, double secs)
{
	struct sim_config cfg;
	struct coh_device dev;
	volatile uint8_t *regs;
	uint8_t *c;
	uint64_t p0;
	double t0, t;
	unsigned long bytes = 0;

	sim_config_default(&cfg);
	cfg.ram_size = 2 * NBUF * XFER;
	cfg.line = line;
	cfg.flags = flags;
	if (sim_init(&cfg))
		return 0;
	coh_device_init(&dev, "bench", coherent ? COH_DEV_COHERENT : 0);
	regs = sim_dmac_create(&dev);
	sim_area(0, (void **)&c, &p0, NULL);
	t0 = cpu_now();
	do {
		for (int k = 0; k < NBUF; k++) {
			uint8_t *s = c + (size_t)k * 2 * XFER, *d = s + XFER;

			s[0] = (uint8_t)k;
			coh_give(&dev, s, XFER, COH_TO_DEVICE);
			coh_give(&dev, d, XFER, COH_FROM_DEVICE);
			coh_mmio_write32(regs + DMAC_SRC_LO, (uint32_t)sim_virt_to_phys(s));
			coh_mmio_write32(regs + DMAC_DST_LO, (uint32_t)sim_virt_to_phys(d));
			coh_mmio_write32(regs + DMAC_LEN, XFER);
			coh_mmio_write32(regs + DMAC_CTRL, DMAC_CTRL_START);
			while (!(coh_mmio_read32(regs + DMAC_STATUS) & DMAC_ST_DONE))
				;
			coh_mmio_write32(regs + DMAC_STATUS, DMAC_ST_DONE);
			coh_take(&dev, s, XFER, COH_TO_DEVICE);
			coh_take(&dev, d, XFER, COH_FROM_DEVICE);
			sink = d[0];
		}
		bytes += NBUF * XFER;
	} while ((t = cpu_now() - t0) < secs);
	if (sim_reports(-1))
		fprintf(stderr, "bench: unexpected sanitizer reports\n");
	sim_fini();
	return (double)bytes / t / 1e6;
}

/*
 * The configurations, in the order printed.  The sanitizer engineer's
 * "instrumented" row (driver code compiled with memory-access callbacks)
 * is one more entry here, with its own run function if it needs one.
 */
static const struct conf {
	const char *name;
	size_t line;
	int coherent;
	unsigned flags;
} confs[] = {
	{ "sim, sanitizer off (4 KiB DMA transfers)", 64, 0, SIM_F_NO_SANITIZER },
	{ "sim, sanitizer on, non-coherent, line 32", 32, 0, 0 },
	{ "sim, sanitizer on, non-coherent, line 64", 64, 0, 0 },
	{ "sim, sanitizer on, non-coherent, line 128", 128, 0, 0 },
	{ "sim, sanitizer on, coherent device, line 64", 64, 1, 0 },
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
			if ((v[c][k] = bench_sim(confs[c].line, confs[c].coherent,
						 confs[c].flags, slice)) <= 0)
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
