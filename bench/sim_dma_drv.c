/* SPDX-License-Identifier: MIT */
/*
 * bench/sim_dma_drv.c - the driver loop of bench/sim_dma.c: 4 KiB
 * transfers through the DMA controller model, each buffer given and taken
 * back.  Built twice: as bench_sim(), and with coh_sim_instrument() as
 * bench_sim_instr() (every load and store here observed by the simulator),
 * so one run measures both.
 */
#include <stdio.h>

#include "coherent/coherent.h"
#include "bench.h"
#include "sim.h"
#include "sim_dmac.h"

#define XFER 4096
#define NBUF 64

double BENCH_SIM(size_t line, int coherent, unsigned flags, int touch, double secs);

static volatile uint8_t sink;

double BENCH_SIM(size_t line, int coherent, unsigned flags, int touch, double secs)
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
			sink = d[0];
			for (int i = 1; touch && i < XFER; i++)
				sink = (uint8_t)(sink ^ d[i]);
		}
		bytes += NBUF * XFER;
	} while ((t = bench_now() - t0) < secs);
	if (sim_reports(-1))
		fprintf(stderr, "bench: unexpected sanitizer reports\n");
	sim_fini();
	return (double)bytes / t / 1e6;
}
