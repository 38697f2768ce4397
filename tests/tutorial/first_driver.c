/* SPDX-License-Identifier: MIT */
/*
 * first_driver.c - docs/tutorial.md's program, whole: the page's code
 * blocks, in order, are this file (tests/tutorial/check_doc.py), and
 * tests/tutorial/run.sh builds them against an installed package and
 * compares the output with the page's.
 *
 * usage: first_driver [--forget-give]
 *   --forget-give: step 6 of the tutorial, the bug the simulator catches.
 */
#include <stdio.h>
#include <string.h>

#include <coherent/coherent.h>	/* the library: coh_give, coh_take, coh_mmio_*, pools */
#include "sim.h"		/* the simulated SoC: sim_init, sim_area, sim_name */
#include "sim_dmac.h"		/* the DMA controller model: its registers */

/* step 2: the driver's state */
struct mydma {
	struct coh_device *dev;
	volatile uint8_t *regs;
	struct coh_pool pool;
};

/* step 3: open the device */
static int mydma_open(struct mydma *m, struct coh_device *dev, void *regs)
{
	m->dev = dev;
	m->regs = regs;
	/* 16 blocks of 4 KiB, each starting on its own cache line */
	return coh_pool_create(&m->pool, dev, "mydma", 4096, 1, 0, 16);
}

/* step 4: one copy, src -> dst, the way a driver does it */
static int mydma_copy(struct mydma *m, void *dst, coh_bus_t dst_bus,
		      void *src, coh_bus_t src_bus, uint32_t len, int forget_give)
{
	int rc;

	/* the CPU wrote src: hand it to the device (clean); dst: clean+invalidate */
	if (!forget_give)
		coh_give(m->dev, src, len, COH_TO_DEVICE);
	coh_give(m->dev, dst, len, COH_FROM_DEVICE);

	/* ordered MMIO: these writes cannot overtake the gives above */
	coh_mmio_write32(m->regs + DMAC_SRC_LO, (uint32_t)src_bus);
	coh_mmio_write32(m->regs + DMAC_SRC_HI, (uint32_t)(src_bus >> 32));
	coh_mmio_write32(m->regs + DMAC_DST_LO, (uint32_t)dst_bus);
	coh_mmio_write32(m->regs + DMAC_DST_HI, (uint32_t)(dst_bus >> 32));
	coh_mmio_write32(m->regs + DMAC_LEN, len);
	coh_mmio_write32(m->regs + DMAC_CTRL, DMAC_CTRL_START);

	/* wait for DONE; an ordered read comes before later memory reads */
	rc = -COH_EIO;
	for (int spins = 0; spins < 100000; spins++) {
		uint32_t st = coh_mmio_read32(m->regs + DMAC_STATUS);

		if (st & (DMAC_ST_DONE | DMAC_ST_ERR)) {
			coh_mmio_write32(m->regs + DMAC_STATUS, st);
			rc = st & DMAC_ST_ERR ? -COH_EIO : 0;
			break;
		}
	}

	/* take both back: dst is invalidated again (speculative refills) */
	if (!forget_give)
		coh_take(m->dev, src, len, COH_TO_DEVICE);
	coh_take(m->dev, dst, len, COH_FROM_DEVICE);
	return rc;
}

/* step 5: the board - on hardware, boot code and a devicetree */
int main(int argc, char **argv)
{
	int forget_give = argc > 1 && !strcmp(argv[1], "--forget-give");
	struct sim_config cfg;
	struct coh_region ram;
	struct coh_device dev;
	struct mydma m;
	coh_bus_t src_bus, dst_bus;
	uint8_t *src, *dst;
	void *cpu;
	uint64_t phys;
	size_t size;
	int bad = 0;

	sim_config_default(&cfg);		/* a non-coherent SoC, 64-byte lines */
	if (sim_init(&cfg) || sim_area(0, &cpu, &phys, &size) ||
	    coh_region_add(&ram, cpu, phys, size, 0))
		return 2;
	coh_device_init(&dev, "mydma0", 0);	/* 0: not coherent */
	if (mydma_open(&m, &dev, sim_dmac_create(&dev)))
		return 2;

	src = coh_pool_alloc(&m.pool, &src_bus);
	dst = coh_pool_alloc(&m.pool, &dst_bus);
	sim_name(src, 4096, "src");		/* names for the simulator's reports */
	sim_name(dst, 4096, "dst");
	for (uint32_t round = 0; round < 100; round++) {
		uint32_t len = 64 + round * 37;

		for (uint32_t i = 0; i < len; i++)
			src[i] = (uint8_t)(round + i);	/* plain C: the CPU owns src */
		if (mydma_copy(&m, dst, dst_bus, src, src_bus, len, forget_give))
			bad++;
		coh_consume(&dev, dst, len);		/* the simulator proves dst fresh */
		bad += memcmp(dst, src, len) != 0;
	}
	coh_pool_free(&m.pool, src);
	coh_pool_free(&m.pool, dst);
	coh_pool_destroy(&m.pool);
	printf("first_driver: copies=100 bad=%d reports=%lu\n", bad, sim_quiesce());
	coh_region_remove(&ram);
	sim_fini();
	return bad || sim_reports(-1) ? 1 : 0;
}
