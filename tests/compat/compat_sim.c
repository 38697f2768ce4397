/* SPDX-License-Identifier: MIT */
/*
 * The board for lxdma.c (the Linux-style driver fragment): the simulated
 * non-coherent SoC, a struct device, kmalloc'ed buffers from cached RAM, and
 * a receiver that checks every byte delivered (coh_consume: the simulator
 * proves it fresh).
 *
 * usage: compat_linux [--bug map-before-fill|no-sync-for-cpu|unmap-wrong-dir]
 *                     [--seed N] [--rounds N]
 * Prints "compat-linux: transfers=T errors=E reports=R diags=D"; with
 * --bug, "compat-linux: bug <name>: reported" when the simulator or the
 * checker caught it (exit 0), "NOT reported" otherwise (exit 1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lxdma.h"
#include "sim.h"

static const char *const bug_names[] = {
	[LX_BUG_NONE] = "none",
	[LX_BUG_MAP_BEFORE_FILL] = "map-before-fill",
	[LX_BUG_NO_SYNC_FOR_CPU] = "no-sync-for-cpu",
	[LX_BUG_UNMAP_WRONG_DIR] = "unmap-wrong-dir",
};

static unsigned char *heap;
static size_t heap_used, heap_size;
static const unsigned char *expect;
static unsigned long transfers, errors, reports, diags;

/* kmalloc: ARCH_DMA_MINALIGN-aligned blocks of cached RAM, never freed */
static void *kmalloc(size_t n)
{
	void *p;

	n = (n + 127) & ~(size_t)127;
	if (heap_used + n > heap_size)
		return NULL;
	p = heap + heap_used;
	heap_used += n;
	return p;
}

static void deliver(struct lxdma *lx, const void *data, size_t len)
{
	coh_consume(COH_LINUX_DEV(lx->dev), data, len);
	transfers++;
	if (memcmp(data, expect, len))
		errors++;
}

static void on_report(const struct sim_report *r, void *ctx)
{
	(void)ctx;
	if (reports++ < 3)
		sim_print_report(r, stdout);
}

static void on_diag(const struct coh_where *w, const char *msg, int err)
{
	if (diags++ < 3)
		printf("coherent: %s:%d: %s (%s)\n", w ? w->file : "?", w ? w->line : 0,
		       msg, coh_strerror(err));
}

int main(int argc, char **argv)
{
	static struct coh_map_rec recs[64];
	struct coh_region ram, uncached;
	struct coh_stream st;
	struct sim_config cfg;
	struct device dev;
	struct lxdma lx = { .deliver = deliver };
	struct scatterlist sg[3];
	unsigned char *src, *dst, *tx, *rx, *pool;
	int rounds = 64, rc = 0;
	void *cpu;
	uint64_t phys;
	size_t size;

	sim_config_default(&cfg);
	cfg.ram_size = 1u << 20;
	cfg.evict_permille = 100;
	cfg.refill_permille = 200;
	for (int k = 1; k < argc; k++) {
		if (!strcmp(argv[k], "--seed") && k + 1 < argc) {
			cfg.seed = strtoull(argv[++k], NULL, 0);
		} else if (!strcmp(argv[k], "--rounds") && k + 1 < argc) {
			rounds = atoi(argv[++k]);
		} else if (!strcmp(argv[k], "--bug") && k + 1 < argc) {
			const char *b = argv[++k];

			for (size_t n = 1; n < sizeof(bug_names) / sizeof(bug_names[0]); n++)
				if (!strcmp(b, bug_names[n]))
					lx.bug = (enum lx_bug)n;
			if (lx.bug == LX_BUG_NONE)
				return 2;
		} else {
			fprintf(stderr, "usage: compat_linux [--bug NAME] [--seed N] [--rounds N]\n");
			return 2;
		}
	}
	if (sim_init(&cfg))
		return 2;
	sim_set_report_hook(on_report, NULL);
	coh_set_diag_handler(on_diag);
	/* the port's glue: memory, the device, its streaming state */
	sim_area(0, &cpu, &phys, &size);
	heap = cpu;
	heap_size = size / 2;
	if (coh_region_add(&ram, (unsigned char *)cpu + size / 2, phys + size / 2, size / 2, 0) ||
	    sim_area(1, &cpu, &phys, &size) ||
	    coh_region_add(&uncached, cpu, phys, size, COH_REGION_UNCACHED))
		return 2;
	coh_device_init(&dev.coh, "lxdma", 0);
	pool = kmalloc(64u << 10);
	if (coh_stream_init(&st, recs, 64, 0) ||
	    coh_stream_bounce(&st, pool, sim_virt_to_phys(pool), 64u << 10) ||
	    coh_device_set_stream(&dev.coh, &st))
		return 2;
	if (lxdma_probe(&lx, &dev, sim_dmac_create(&dev.coh))) {
		printf("compat-linux: probe failed\n");
		return 1;
	}
	src = kmalloc(4096);
	dst = kmalloc(4096);
	tx = kmalloc(4096);
	rx = kmalloc(1024);
	sim_name(tx, 4096, "txbuf");
	sim_name(dst, 4096, "dst");
	sim_name(rx, 1024, "rxbuf");

	for (int k = 0; k < rounds && !rc; k++) {
		size_t len = 64 + (size_t)k * 61 % 4000;

		for (size_t i = 0; i < len; i++)
			src[i] = (unsigned char)(k * 7 + i * 13);
		expect = src;
		rc = lxdma_copy(&lx, dst, tx, src, len);
	}
	/* three pieces of src gathered into dst */
	if (!rc) {
		sg_init_table(sg, 3);
		sg_set_buf(&sg[0], src, 1000);
		sg_set_buf(&sg[1], src + 1000, 1000);
		sg_set_buf(&sg[2], src + 2000, 96);
		expect = src;
		rc = lxdma_gather(&lx, dst, sg, 3, 2096);
	}
	if (!rc) {
		memset(tx, 0x5a, 1024);
		expect = tx;
		rc = lxdma_rx_reuse(&lx, rx, 1024, tx, rounds);
	}
	lxdma_remove(&lx);
	sim_quiesce();
	printf("compat-linux: transfers=%lu errors=%lu reports=%lu diags=%lu rc=%d bug=%s\n",
	       transfers, errors, sim_reports(-1), diags, rc, bug_names[lx.bug]);
	if (lx.bug != LX_BUG_NONE) {
		int caught = sim_reports(-1) || diags;

		printf("compat-linux: bug %s: %s\n", bug_names[lx.bug],
		       caught ? "reported" : "NOT reported");
		return caught ? 0 : 1;
	}
	return rc || errors || sim_reports(-1) || diags || transfers != (unsigned long)(2 * rounds + 1);
}
