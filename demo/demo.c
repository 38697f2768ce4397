/* SPDX-License-Identifier: MIT */
/*
 * coh-demo - a driver for the simulated DMA controller's descriptor ring,
 * running on the simulated non-coherent SoC.  It copies a few thousand
 * buffers (source -> destination) through a ring in uncached memory and
 * checks every payload.  --inject <bug> breaks one sync to show what the
 * sanitizer reports.
 *
 * The driver part (submit/reap) uses only the public API: coh_give,
 * coh_take, coh_acquire, coh_consume, coh_dma_wmb/rmb, coh_mmio_*.  The
 * sim_* calls are board set-up (memory, the controller, buffer names).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coherent/coherent.h"
#include "sim.h"
#include "sim_dmac.h"

#define NDESC 64
#define BUFSZ 2048

enum inject { INJ_NONE, INJ_NO_RELEASE, INJ_NO_ACQUIRE, INJ_INVAL_BEFORE,
	      INJ_CPU_WRITE, INJ_EVICT, INJ_BAD_BUS };

static const struct {
	const char *name;
	int cls;
	const char *what;
} injects[] = {
	[INJ_NONE] = { "none", -1, "" },
	[INJ_NO_RELEASE] = { "no-release", SIM_STALE_DEVICE_READ,
			     "source buffer not released before the doorbell" },
	[INJ_NO_ACQUIRE] = { "no-acquire", SIM_STALE_CPU_READ,
			     "destination only cleaned before, no acquire after completion" },
	[INJ_INVAL_BEFORE] = { "inval-before", SIM_SPECULATIVE_STALE,
			       "destination invalidated before the transfer only" },
	[INJ_CPU_WRITE] = { "cpu-write", SIM_CPU_WRITE_DEVICE_OWNED,
			    "CPU writes the destination while the device owns it" },
	[INJ_EVICT] = { "evict", SIM_EVICT_OVER_DEVICE,
			"destination cleared by the CPU and handed over without a clean" },
	[INJ_BAD_BUS] = { "bad-bus", SIM_BAD_BUS_ADDRESS,
			  "one descriptor points outside RAM" },
};

struct drv {
	struct coh_device *dev;
	volatile uint8_t *regs;
	struct dmac_desc *ring;		/* uncached: no maintenance */
	uint8_t *src[NDESC], *dst[NDESC];
	uint32_t len[NDESC], seq[NDESC];
	uint32_t head, tail, inflight;
	unsigned long done, errors;
	enum inject inj;
};

static coh_bus_t bus_of(struct drv *d, const void *p)
{
	return sim_virt_to_phys(p) + d->dev->bus_offset;
}

static uint8_t pat(uint32_t seq, size_t i)
{
	return (uint8_t)(seq * 131u + i * 7u + 1u);
}

static void submit(struct drv *d, uint32_t seq)
{
	uint32_t k = d->tail;
	struct dmac_desc *desc = &d->ring[k];
	uint32_t len = 64 + (seq * 97u) % (BUFSZ - 64);

	d->len[k] = len;
	d->seq[k] = seq;
	for (uint32_t i = 0; i < len; i++)
		d->src[k][i] = pat(seq, i);
	if (d->inj != INJ_NO_RELEASE)
		coh_give(d->dev, d->src[k], len, COH_TO_DEVICE);
	if (d->inj == INJ_EVICT)
		memset(d->dst[k], 0, len); /* cleared, never cleaned */
	else if (d->inj == INJ_NO_ACQUIRE)
		coh_release(d->dev, d->dst[k], len);
	else
		coh_give(d->dev, d->dst[k], len, COH_FROM_DEVICE);
	desc->src = bus_of(d, d->src[k]);
	desc->dst = (d->inj == INJ_BAD_BUS && seq == 100) ? 0xfff00000u
							  : bus_of(d, d->dst[k]);
	desc->cookie = seq;
	coh_dma_wmb(); /* addresses before OWN */
	desc->ctrl = DMAC_DESC_OWN | len;
	d->tail = (k + 1) % NDESC;
	d->inflight++;
	/* ordered: the descriptor and released buffers before the doorbell */
	coh_mmio_write32(d->regs + DMAC_RING_TAIL, d->tail);
	if (d->inj == INJ_CPU_WRITE && seq % 16 == 3)
		d->dst[k][0] = 0xff; /* the device owns it now */
}

static int reap(struct drv *d)
{
	uint32_t k = d->head;
	struct dmac_desc *desc = &d->ring[k];
	int spins = 0;
	uint32_t len = d->len[k];
	uint8_t *dst = d->dst[k];

	/* the status register read is the poll (and lets the device run) */
	while (desc->ctrl & DMAC_DESC_OWN) {
		(void)coh_mmio_read32(d->regs + DMAC_STATUS);
		if (++spins > 100000)
			return -1;
	}
	coh_dma_rmb(); /* OWN before the data */
	if (d->inj != INJ_NO_RELEASE)
		coh_take(d->dev, d->src[k], len, COH_TO_DEVICE);
	if (d->inj == INJ_EVICT)
		coh_acquire(d->dev, dst, len);
	else if (d->inj != INJ_NO_ACQUIRE && d->inj != INJ_INVAL_BEFORE)
		coh_take(d->dev, dst, len, COH_FROM_DEVICE);
	coh_consume(d->dev, dst, len);
	if (desc->ctrl & DMAC_DESC_ERR) {
		d->errors++;
	} else {
		for (uint32_t i = 0; i < len; i++)
			if (dst[i] != pat(d->seq[k], i)) {
				d->errors++;
				break;
			}
	}
	d->done++;
	d->head = (k + 1) % NDESC;
	d->inflight--;
	return 0;
}

static unsigned shown;

static void show(const struct sim_report *r, void *ctx)
{
	(void)ctx;
	if (shown++ < 3)
		sim_print_report(r, stdout);
}

static int usage(void)
{
	fprintf(stderr, "usage: coh-demo [--seed N] [--line 32|64|128] [--coherent] [--count N]\n"
			"                [--inject no-release|no-acquire|inval-before|cpu-write|evict|bad-bus]\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct sim_config cfg;
	struct coh_device dev;
	struct coh_stats st;
	struct drv d;
	unsigned long count = 4096, maint;
	int coherent = 0;
	uint8_t *c, *u;
	char nm[32];

	memset(&d, 0, sizeof(d));
	sim_config_default(&cfg);
	cfg.ram_size = 1u << 20;
	cfg.evict_permille = 20;
	cfg.refill_permille = 20;
	for (int k = 1; k < argc; k++) {
		if (!strcmp(argv[k], "--seed") && k + 1 < argc) {
			cfg.seed = strtoull(argv[++k], NULL, 0);
		} else if (!strcmp(argv[k], "--line") && k + 1 < argc) {
			cfg.line = strtoul(argv[++k], NULL, 0);
		} else if (!strcmp(argv[k], "--count") && k + 1 < argc) {
			count = strtoul(argv[++k], NULL, 0);
		} else if (!strcmp(argv[k], "--coherent")) {
			coherent = 1;
		} else if (!strcmp(argv[k], "--inject") && k + 1 < argc) {
			const char *b = argv[++k];
			size_t n;

			for (n = 1; n < sizeof(injects) / sizeof(injects[0]); n++)
				if (!strcmp(b, injects[n].name))
					d.inj = (enum inject)n;
			if (d.inj == INJ_NONE)
				return usage();
		} else {
			return usage();
		}
	}

	/* board set-up */
	if (sim_init(&cfg)) {
		fprintf(stderr, "coh-demo: bad configuration (line must be 32, 64 or 128)\n");
		return 2;
	}
	sim_set_report_hook(show, NULL);
	coh_device_init(&dev, "dmac0", coherent ? COH_DEV_COHERENT : 0);
	d.dev = &dev;
	d.regs = sim_dmac_create(&dev);
	sim_area(0, (void **)&c, NULL, NULL);
	sim_area(1, (void **)&u, NULL, NULL);
	d.ring = (struct dmac_desc *)(void *)u;
	for (int k = 0; k < NDESC; k++) {
		d.src[k] = c + (size_t)k * 2 * BUFSZ;
		d.dst[k] = d.src[k] + BUFSZ;
		snprintf(nm, sizeof(nm), "src[%d]", k);
		sim_name(d.src[k], BUFSZ, nm);
		snprintf(nm, sizeof(nm), "dst[%d]", k);
		sim_name(d.dst[k], BUFSZ, nm);
	}

	/* driver: program the ring, then keep it full */
	coh_mmio_write32(d.regs + DMAC_RING_LO, (uint32_t)bus_of(&d, d.ring));
	coh_mmio_write32(d.regs + DMAC_RING_HI, (uint32_t)(bus_of(&d, d.ring) >> 32));
	coh_mmio_write32(d.regs + DMAC_DESC_STRIDE, sizeof(struct dmac_desc));
	coh_mmio_write32(d.regs + DMAC_RING_SIZE, NDESC);
	coh_mmio_write32(d.regs + DMAC_CTRL, DMAC_CTRL_RING_EN);
	for (unsigned long seq = 0; seq < count || d.inflight;) {
		if (seq < count && d.inflight < NDESC - 1) {
			submit(&d, (uint32_t)seq++);
			continue;
		}
		if (reap(&d)) {
			fprintf(stderr, "coh-demo: device stopped\n");
			d.errors++;
			break;
		}
	}
	sim_quiesce();

	coh_stats_get(&dev, &st);
	maint = st.lines_cleaned + st.lines_invalidated + st.lines_flushed;
	if (shown > 3)
		printf("coherent-sim: ... %u more report(s)\n", shown - 3);
	printf("coh-demo: transfers=%lu errors=%lu lines-maintained=%lu reports=%lu seed=%llu line=%zu %s\n",
	       d.done, d.errors, maint, sim_reports(-1),
	       (unsigned long long)cfg.seed, cfg.line,
	       coherent ? "coherent" : "non-coherent");
	if (d.inj != INJ_NONE) {
		int cls = injects[d.inj].cls;
		unsigned long n = sim_reports(cls);

		if (!n && coherent)
			printf("inject %s (%s): harmless on a coherent device, no %s\n",
			       injects[d.inj].name, injects[d.inj].what,
			       sim_class_name(cls));
		else
			printf("inject %s (%s): %s%s, %lu report(s) of that class\n",
			       injects[d.inj].name, injects[d.inj].what,
			       n ? "caught as " : "NOT caught as ",
			       sim_class_name(cls), n);
		sim_fini();
		return n || coherent ? 0 : 1;
	}
	maint = sim_reports(-1);
	sim_fini();
	return d.errors || maint ? 1 : 0;
}
