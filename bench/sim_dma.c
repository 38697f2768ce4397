/* SPDX-License-Identifier: MIT */
/*
 * bench/sim_dma.c - what the simulator costs.  Each row moves the same
 * bytes: 4 KiB transfers through the DMA controller model, each buffer
 * given and taken back with the library.  The baseline is a host memcpy
 * of the same bytes in the same run.  The configurations run in short
 * slices, interleaved, ROUNDS times; each figure is the median slice.
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
#define SLICE 0.03

static volatile uint8_t sink;

static double bench_memcpy(double secs)
{
	static uint8_t a[NBUF][XFER], b[NBUF][XFER];
	double t0 = bench_now(), t;
	unsigned long bytes = 0;

	do {
		for (int k = 0; k < NBUF; k++) {
			a[k][0] = (uint8_t)k;
			memcpy(b[k], a[k], XFER);
			sink = b[k][XFER - 1];
		}
		bytes += NBUF * XFER;
	} while ((t = bench_now() - t0) < secs);
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
	t0 = bench_now();
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
	} while ((t = bench_now() - t0) < secs);
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
	int rounds = argc > 1 ? atoi(argv[1]) : 7;
	double base[MAXROUNDS], v[NCONF][MAXROUNDS], slice = SLICE, mb;

	if (rounds < 1 || rounds > MAXROUNDS) {
		fprintf(stderr, "usage: coh-bench [rounds 1..%d]\n", MAXROUNDS);
		return 2;
	}
	if (rounds < 3)
		slice = 0.005;	/* smoke test */
	for (int r = 0; r < rounds; r++) {
		base[r] = bench_memcpy(slice);
		for (size_t c = 0; c < NCONF; c++)
			if ((v[c][r] = bench_sim(confs[c].line, confs[c].coherent,
						 confs[c].flags, slice)) <= 0)
				return 1;
	}
	mb = bench_median(base, rounds);
	for (size_t c = 0; c < NCONF; c++) {
		double m = bench_median(v[c], rounds);

		printf("ROW|sim|%s|host memcpy of the same bytes|%.0f vs %.0f MB/s|%.3f|-|0\n",
		       confs[c].name, m, mb, m / mb);
	}
	return 0;
}
