/* SPDX-License-Identifier: MIT */
/*
 * sdh_bench - maintenance per SD read, sunxi-mmc driver against the
 * simulated host (exact counts from the device statistics, the same every
 * run), for make bench (a part in bench/run.sh; ROW lines: bench/report.py).
 * Exits 1 if a read fails or a row with a goal is above 1.00.
 *
 * For a 4 KiB and a 64 KiB read into a line-aligned buffer (line 64), with
 * the descriptor ring cached (padded) and uncached, against:
 *   the documented minimum (docs/sdhost.md): 2 line operations per data
 *     line (one before the device owns it, one after: the speculative
 *     refill) and, in a cached ring, 2 per descriptor (publish it, read
 *     the device's write-back to check it); 0 per descriptor uncached;
 *   Linux sunxi-mmc's pattern (descriptors in coherent memory, the data
 *     through dma_map_sg / dma_unmap_sg FROM_DEVICE: an invalidate each on
 *     ARMv7), by hand, against the uncached ring;
 *   U-Boot dw_mmc's pattern (4 KiB per descriptor, 16-byte descriptors
 *     packed and flushed once, the data flushed by bounce_buffer_start and
 *     invalidated by bounce_buffer_stop, descriptors never read back), by
 *     hand, against the cached ring: no goal (it checks nothing the device
 *     wrote; docs/sdhost.md).
 * Each read's data is checked against the card, so the count is of a
 * working transfer.
 */
#include <stdio.h>
#include <string.h>

#include "coherent/coherent.h"
#include "sim.h"
#include "sim_sunxi_sdhost.h"
#include "sunxi_mmc.h"

#define LINE 64
#define BLOCKS 1024
#define READS 16

COH_DECLARE_BOX(bytes_h, uint8_t);

static struct coh_region r0, r1;
static struct coh_device dev;
static struct coh_stream st;
static struct coh_map_rec recs[16];
static struct bytes_h data, descs;
static uint8_t card[BLOCKS * 512];
static struct sunxi_mmc host;
static struct sd_card sd;

static void relax(void *ctx, uint32_t us)
{
	(void)ctx;
	(void)us;
	sim_step();
}

static unsigned long line_ops(void)
{
	struct coh_stats s;

	coh_stats_get(&dev, &s);
	return s.lines_cleaned + s.lines_invalidated + s.lines_flushed;
}

static int up(unsigned int attrs)
{
	struct sim_config cfg;
	struct sunxi_mmc_config hc = {
		.dev = &dev, .ring = 16, .desc_max = 65536, .ring_attrs = attrs,
		.mod_hz = 24000000u, .timeout_us = 20000, .width4 = true, .delay_us = relax,
	};
	void *c, *regs;
	uint64_t p;
	size_t n;

	sim_config_default(&cfg);
	cfg.line = LINE;
	cfg.ram_size = 512 * 1024;
	if (sim_init(&cfg) || sim_area(0, &c, &p, &n) || coh_region_add(&r0, c, p, n, 0) ||
	    sim_area(1, &c, &p, &n) || coh_region_add(&r1, c, p, n, COH_REGION_UNCACHED))
		return -1;
	coh_device_init(&dev, "sunxi-mmc", 0);
	if (coh_box_alloc(&data, &dev, 65536, 0) || coh_box_alloc(&descs, &dev, 4096, 0) ||
	    coh_stream_init(&st, recs, 16, 0) || coh_device_set_stream(&dev, &st))
		return -1;
	for (size_t i = 0; i < sizeof(card); i++)
		card[i] = (uint8_t)(i * 7 + (i >> 9));
	regs = sim_sdh_create(&dev, card, BLOCKS, 1);
	if (!regs)
		return -1;
	hc.regs = regs;
	if (sunxi_mmc_init(&host, &hc) || sd_card_init(&sd, &host.host))
		return -1;
	return 0;
}

static void down(void)
{
	(void)sunxi_mmc_destroy(&host);
	coh_device_set_stream(&dev, NULL);
	coh_free(&descs);
	coh_free(&data);
	sim_quiesce();
	coh_region_remove(&r1);
	coh_region_remove(&r0);
	sim_fini();
}

/* Line operations per read of `len` bytes by the driver; -1 on failure. */
static double ours(unsigned int attrs, size_t len)
{
	uint8_t *b;
	unsigned long before;

	if (up(attrs))
		return -1;
	b = coh_box_ptr(&data);
	before = line_ops();
	for (int i = 0; i < READS; i++) {
		uint64_t lba = (uint64_t)(i * 8) % (BLOCKS - len / 512);

		if (sd_read(&sd, lba, b, (uint32_t)(len / 512)) ||
		    memcmp(b, card + lba * 512, len)) {
			down();
			return -1;
		}
	}
	before = line_ops() - before;
	down();
	return (double)before / READS;
}

/* A hand-written pattern's calls, per read of `len` bytes. */
static double by_hand(int uboot, size_t len)
{
	uint8_t *b;
	unsigned long before;

	if (up(0))
		return -1;
	b = coh_box_ptr(&data);
	before = line_ops();
	for (int i = 0; i < READS; i++) {
		if (uboot) {
			size_t n = (len + 4095) / 4096, dl = (16 * n + LINE - 1) / LINE * LINE;

			(void)coh_flush(&dev, coh_box_ptr(&descs), dl);	/* descriptors */
			(void)coh_flush(&dev, b, len);		/* bounce_buffer_start */
			(void)coh_acquire(&dev, b, len);	/* bounce_buffer_stop */
		} else {
			(void)coh_acquire(&dev, b, len);	/* dma_map_sg FROM_DEVICE */
			(void)coh_acquire(&dev, b, len);	/* dma_unmap_sg */
		}
	}
	before = line_ops() - before;
	down();
	return (double)before / READS;
}

int main(void)
{
	static const size_t sizes[2] = { 4096, 65536 };
	int fail = 0;

	for (int k = 0; k < 2; k++) {
		size_t len = sizes[k], lines = len / LINE, nd = (len + 65535) / 65536;
		double c = ours(0, len), u = ours(COH_ATTR_UNCACHED, len);
		double minc = 2.0 * (double)(lines + nd), minu = 2.0 * (double)lines;
		double lx = by_hand(0, len), ub = by_hand(1, len);

		if (c < 0 || u < 0 || lx < 0 || ub < 0) {
			printf("sdh_bench: a read failed\n");
			fail = 1;
			continue;
		}
		/* the goals: a row above 1.00 fails the program (and its ctest) */
		if (c > minc || u > minu || u > lx)
			fail = 1;
		printf("ROW|per-frame|sunxi-mmc read %zu KiB, cached ring (line %d): line ops|"
		       "documented minimum (2/data line + 2/descriptor)|%.2f vs %.2f|%.3f|<=|1.00\n",
		       len / 1024, LINE, c, minc, c / minc);
		printf("ROW|per-frame|sunxi-mmc read %zu KiB, uncached ring (line %d): line ops|"
		       "documented minimum (2/data line)|%.2f vs %.2f|%.3f|<=|1.00\n",
		       len / 1024, LINE, u, minu, u / minu);
		printf("ROW|per-frame|sunxi-mmc read %zu KiB, uncached ring: line ops|"
		       "Linux sunxi-mmc pattern by hand (coherent descriptors)|%.2f vs %.2f|%.3f|<=|1.00\n",
		       len / 1024, u, lx, u / lx);
		printf("ROW|per-frame|sunxi-mmc read %zu KiB, cached ring: line ops|"
		       "U-Boot dw_mmc pattern by hand (descriptors never read back)|%.2f vs %.2f|%.3f|-|-\n",
		       len / 1024, c, ub, c / ub);
	}
	if (fail)
		fprintf(stderr, "sdh_bench: a read failed or a row missed its goal\n");
	return fail;
}
