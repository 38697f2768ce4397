/* SPDX-License-Identifier: MIT */
/*
 * bench/sim_dma.c - what the simulator costs.  Each row moves the same
 * bytes: 4 KiB transfers through the DMA controller model, each buffer
 * given and taken back with the library.  The baseline is a host memcpy
 * of the same bytes in the same run; rows print "name|MB/s|ratio".
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "coherent/coherent.h"
#include "sim.h"
#include "sim_dmac.h"

#define XFER 4096
#define NBUF 64

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static volatile uint8_t sink;

static double bench_memcpy(double secs)
{
	static uint8_t a[NBUF][XFER], b[NBUF][XFER];
	double t0 = now(), t;
	unsigned long bytes = 0;

	do {
		for (int k = 0; k < NBUF; k++) {
			a[k][0] = (uint8_t)k;
			memcpy(b[k], a[k], XFER);
			sink = b[k][XFER - 1];
		}
		bytes += NBUF * XFER;
	} while ((t = now() - t0) < secs);
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
	t0 = now();
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
	} while ((t = now() - t0) < secs);
	if (sim_reports(-1))
		fprintf(stderr, "bench: unexpected sanitizer reports\n");
	sim_fini();
	return (double)bytes / t / 1e6;
}

int main(void)
{
	double secs = 0.3, base = bench_memcpy(secs), v;

	printf("host memcpy (baseline)|%.0f|1.000\n", base);
	v = bench_sim(64, 0, SIM_F_NO_SANITIZER, secs);
	printf("sim, sanitizer off|%.0f|%.3f\n", v, v / base);
	for (size_t l = 32; l <= 128; l *= 2) {
		v = bench_sim(l, 0, 0, secs);
		printf("sim, sanitizer on, non-coherent, line %zu|%.0f|%.3f\n", l, v, v / base);
	}
	v = bench_sim(64, 1, 0, secs);
	printf("sim, sanitizer on, coherent device, line 64|%.0f|%.3f\n", v, v / base);
	return 0;
}
