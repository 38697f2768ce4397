/* SPDX-License-Identifier: MIT */
/*
 * bench/sim_dma_drv.c - the driver loop of bench/sim_dma.c: 4 KiB
 * transfers through the DMA controller model, each buffer given and taken
 * back.  Built twice: as bench_sim(), and with coh_sim_instrument() as
 * bench_sim_instr() (every load and store here observed by the simulator),
 * so one run measures both.
 *
 *   BENCH_SIM(cfg, 0)    sets a simulator up for cfg (untimed); 0 or -1
 *   BENCH_SIM(cfg, n)    n transfers on it (what the bench times)
 *   BENCH_SIM(NULL, 0)   tears it down
 */
#include <stdio.h>

#include "coherent/coherent.h"
#include "sim.h"
#include "sim_dma_conf.h"
#include "sim_dmac.h"


int BENCH_SIM(const struct bench_sim_conf *cf, long n);

static volatile uint8_t sink;
static struct coh_device dev;
static volatile uint8_t *regs;
static uint8_t *c;
static int live;

int BENCH_SIM(const struct bench_sim_conf *cf, long n)
{
	struct sim_config cfg;
	uint64_t p0;

	if (!cf) {
		if (live) {
			if (sim_reports(-1))
				fprintf(stderr, "bench: unexpected sanitizer reports\n");
			sim_fini();
		}
		live = 0;
		return 0;
	}
	if (!n) {
		sim_config_default(&cfg);
		cfg.ram_size = 2 * NBUF * XFER;
		cfg.line = cf->line;
		cfg.flags = cf->flags;
		if (sim_init(&cfg))
			return -1;
		live = 1;
		coh_device_init(&dev, "bench", cf->coherent ? COH_DEV_COHERENT : 0);
		regs = sim_dmac_create(&dev);
		sim_area(0, (void **)&c, &p0, NULL);
		return regs ? 0 : -1;
	}
	/* in registers: only the payload bytes are memory accesses in the loops */
	const int touch = cf->touch;
	uint8_t acc;

	for (long x = 0; x < n; x++) {
		int k = (int)(x % NBUF);
		uint8_t *s = c + (size_t)k * 2 * XFER, *d = s + XFER;

		s[0] = (uint8_t)k;
		for (int i = 1; touch && i < XFER; i++)
			s[i] = (uint8_t)(k + i);
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
		acc = d[0];
		for (int i = 1; touch && i < XFER; i++)
			acc = (uint8_t)(acc ^ d[i]);
		/* one store to host memory per transfer: the payload accesses are what is measured */
		sink = acc;
	}
	return 0;
}
