/* SPDX-License-Identifier: MIT */
/*
 * coh-demo - a driver for the simulated DMA controller (sim/sim_dmac.h) in
 * descriptor-ring mode, on the simulated non-coherent SoC.  It copies a few
 * thousand buffers, source -> destination, and checks every payload.
 *
 * The file has two halves:
 *
 *  - the driver (dmac_*), a teaching example: it is written against the
 *    public coherent/ API only, and is the part to copy.  Its descriptor
 *    ring is a coh_ring; its buffers come from a coh_pool and are handed to
 *    the device with coh_give() and taken back with coh_take().  No cache
 *    instruction, no barrier beyond the ordered MMIO accessors, no plain
 *    pointer into the ring.
 *  - the board (main): the simulated SoC, its memory regions, the
 *    controller model and the names reports use.  On hardware this is boot
 *    code and a devicetree.
 *
 * --inject <bug> plants one deliberate driver bug in the buffer handling, to
 * show what the simulator reports.  Every planted bug is a branch marked
 * "BUG (--inject ...)"; the ring itself is always used correctly.
 * --trace FILE records the run as Chrome trace-event JSON (sim_trace_start):
 * open it in docs/trace/viewer.html, chrome://tracing or ui.perfetto.dev;
 * with --count 8 it stays small.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coherent/coherent.h"
#include "sim.h"
#include "sim_dmac.h"

#define NDESC 64	/* ring slots */
#define BUFSZ 2048	/* bytes per source / destination buffer */

enum inject { INJ_NONE, INJ_NO_RELEASE, INJ_NO_ACQUIRE, INJ_INVAL_BEFORE,
	      INJ_CPU_WRITE, INJ_EVICT, INJ_BAD_BUS };

static const struct {
	const char *name;
	int cls;
	const char *what;
} injects[] = {
	[INJ_NONE] = { "none", -1, "" },
	[INJ_NO_RELEASE] = { "no-release", SIM_STALE_DEVICE_READ,
			     "source never given to the device: not cleaned before the doorbell" },
	[INJ_NO_ACQUIRE] = { "no-acquire", SIM_STALE_CPU_READ,
			     "destination given and taken as TO_DEVICE: cleaned, never invalidated" },
	[INJ_INVAL_BEFORE] = { "inval-before", SIM_SPECULATIVE_STALE,
			       "destination given FROM_DEVICE but never taken: invalidated before the DMA only" },
	[INJ_CPU_WRITE] = { "cpu-write", SIM_CPU_WRITE_DEVICE_OWNED,
			    "CPU writes the destination while the device owns it" },
	[INJ_EVICT] = { "evict", SIM_EVICT_OVER_DEVICE,
			"destination cleared by the CPU and handed over without coh_give" },
	[INJ_BAD_BUS] = { "bad-bus", SIM_BAD_BUS_ADDRESS,
			  "one descriptor points outside RAM" },
};

/* ======================================================================
 * The driver.  Public coherent/ API only, from here to "The board".
 * ====================================================================== */

/* One copy in flight: the CPU's memory of what it asked the device to do. */
struct dmac_job {
	uint8_t *src, *dst;		/* CPU addresses, from the pool */
	coh_bus_t src_bus, dst_bus;	/* what the descriptor carries */
	uint64_t seq;			/* also the descriptor's cookie */
	uint32_t len;
	bool busy;			/* the device owns src and dst */
};

struct dmac {
	struct coh_device *dev;
	volatile uint8_t *regs;
	struct coh_ring ring;		/* the descriptors, shared with the device */
	struct coh_pool pool;		/* the buffers, handed over per transfer */
	struct dmac_job job[NDESC];	/* indexed by seq % NDESC */
	uint8_t slot_job[NDESC];	/* ring slot -> job, for teardown */
	unsigned long done, errors;
	enum inject inj;		/* the demo's planted bug, INJ_NONE normally */
};

static void dmac_close(struct dmac *d);

static uint8_t pat(uint64_t seq, size_t i)
{
	return (uint8_t)(seq * 131u + i * 7u + 1u);
}

/*
 * Set the controller up.  ring_attrs picks the ring's memory: 0 for cached
 * memory, where coh_ring gives each descriptor its own cache line(s), or
 * COH_ATTR_UNCACHED for the packed layout of dma_alloc_coherent memory
 * (a coherent device gets the packed layout in either).  The controller
 * has a DESC_STRIDE register (a skip length), so every layout works: the
 * driver programs whatever stride the ring chose.  The layout states the
 * hardware's limit: this controller takes any stride from the descriptor
 * size up, in bytes.  A DWMAC QoS would state { .max_skip = 56,
 * .skip_unit = 8 } (DSL) and get -COH_ENOTSUP before allocation where the
 * line size makes the skip too long.
 */
static int dmac_open(struct dmac *d, struct coh_device *dev, void *regs,
		     unsigned int ring_attrs)
{
	static const struct coh_ring_layout hw = { .max_skip = COH_RING_ANY_SKIP,
						   .skip_unit = 1 };
	coh_bus_t base;
	int rc;

	d->dev = dev;
	d->regs = regs;
	rc = coh_ring_create_layout(&d->ring, dev, NDESC, struct dmac_desc, ctrl,
				    DMAC_DESC_OWN, ring_attrs, &hw);
	if (rc)
		return rc;
	/* line-aligned blocks, so no buffer shares a line with another */
	rc = coh_pool_create(&d->pool, dev, "dmac", BUFSZ, 1, 0, 2 * NDESC);
	if (rc) {
		coh_ring_destroy(&d->ring);
		return rc;
	}
	for (size_t k = 0; k < NDESC; k++) {
		struct dmac_job *j = &d->job[k];

		j->src = coh_pool_alloc(&d->pool, &j->src_bus);
		j->dst = coh_pool_alloc(&d->pool, &j->dst_bus);
		if (!j->src || !j->dst) {
			dmac_close(d);	/* cannot happen: the pool was sized for it */
			return -COH_ENOMEM;
		}
	}

	base = coh_ring_bus(&d->ring, 0);
	coh_mmio_write32(d->regs + DMAC_RING_LO, (uint32_t)base);
	coh_mmio_write32(d->regs + DMAC_RING_HI, (uint32_t)(base >> 32));
	coh_mmio_write32(d->regs + DMAC_DESC_STRIDE, (uint32_t)coh_ring_stride(&d->ring));
	coh_mmio_write32(d->regs + DMAC_RING_SIZE, (uint32_t)coh_ring_count(&d->ring));
	coh_mmio_write32(d->regs + DMAC_CTRL, DMAC_CTRL_RING_EN);
	return 0;
}

/*
 * Queue the copy number seq.  The doorbell is rung separately, once per
 * batch (dmac_kick).
 * @retval 0 queued; -COH_EAGAIN the ring is full, reap first.
 */
static int dmac_submit(struct dmac *d, uint64_t seq)
{
	struct dmac_job *j = &d->job[seq % NDESC];
	struct dmac_desc desc;
	uint32_t len = 64 + (uint32_t)(seq * 97u % (BUFSZ - 64));
	struct coh_span give[2];
	size_t ngive = 0;
	int slot;

	/*
	 * One slot stays empty: the controller treats head == tail as "idle",
	 * so a completely full ring would look empty to it.
	 */
	if (coh_ring_space(&d->ring) <= 1 || j->busy)
		return -COH_EAGAIN;

	/* the CPU owns both buffers here: plain C */
	for (uint32_t i = 0; i < len; i++)
		j->src[i] = pat(seq, i);
	j->seq = seq;
	j->len = len;

	/* source: clean, so the device reads what the CPU just wrote */
	if (d->inj != INJ_NO_RELEASE)
		give[ngive++] = (struct coh_span){ j->src, len, COH_TO_DEVICE };
	/* else BUG (--inject no-release): the fill is still in the CPU cache */

	if (d->inj == INJ_NO_ACQUIRE) {
		/* BUG (--inject no-acquire): wrong direction, lines stay cached */
		give[ngive++] = (struct coh_span){ j->dst, len, COH_TO_DEVICE };
	} else if (d->inj == INJ_EVICT) {
		/* BUG (--inject evict): dirty lines handed over uncleaned */
		memset(j->dst, 0, len);
	} else {
		/* destination: clean+invalidate, nothing dirty left to evict */
		give[ngive++] = (struct coh_span){ j->dst, len, COH_FROM_DEVICE };
	}
	/* both buffers under one barrier */
	if (coh_give_n(d->dev, give, ngive))
		return -COH_EIO;

	desc = (struct dmac_desc){
		.ctrl = len,		/* coh_ring_post adds OWN, last */
		.src = j->src_bus,
		.dst = j->dst_bus,
		.cookie = seq,
	};
	if (d->inj == INJ_BAD_BUS && seq == 100)
		desc.dst = 0xfff00000u;	/* BUG (--inject bad-bus): not RAM */

	/* fields, release, OWN, release: the slot belongs to the device */
	slot = coh_ring_post(&d->ring, &desc);
	if (slot < 0)
		return slot;
	j->busy = true;
	d->slot_job[slot] = (uint8_t)(seq % NDESC);

	if (d->inj == INJ_CPU_WRITE && seq % 16 == 3)
		j->dst[0] = 0xff;	/* BUG (--inject cpu-write): the device owns it */
	return 0;
}

/* Doorbell: the controller fetches up to the next slot to post. */
static void dmac_kick(struct dmac *d)
{
	/* ordered: cannot overtake the releases done by coh_ring_post */
	coh_mmio_write32(d->regs + DMAC_RING_TAIL, (uint32_t)coh_ring_next(&d->ring));
}

/*
 * Reap one finished copy, if the device gave its slot back, and check it.
 * @retval 0 one reaped; -COH_EAGAIN nothing finished yet.
 */
static int dmac_reap(struct dmac *d)
{
	struct dmac_desc desc;
	struct dmac_job *j;
	struct coh_span take[2];
	size_t ntake = 0;
	bool bad;

	/* acquire OWN, rmb, acquire the fields: desc is a CPU copy */
	if (coh_ring_reap(&d->ring, &desc) < 0)
		return -COH_EAGAIN;
	/* the ring vouches for OWN only: check the rest before trusting it */
	j = &d->job[desc.cookie % NDESC];
	if (!j->busy || j->seq != desc.cookie) {
		d->errors++;
		return 0;
	}

	/* TO_DEVICE: no maintenance, the CPU may write the source again */
	if (d->inj != INJ_NO_RELEASE)
		take[ntake++] = (struct coh_span){ j->src, j->len, COH_TO_DEVICE };
	if (d->inj == INJ_NO_ACQUIRE) {
		/* BUG (--inject no-acquire): the matching wrong take: no invalidate */
		take[ntake++] = (struct coh_span){ j->dst, j->len, COH_TO_DEVICE };
	} else if (d->inj != INJ_INVAL_BEFORE) {
		/* invalidate again: lines refilled during the DMA are dropped */
		take[ntake++] = (struct coh_span){ j->dst, j->len, COH_FROM_DEVICE };
	}
	/* else BUG (--inject inval-before): the second invalidate is missing */
	if (coh_take_n(d->dev, take, ntake))
		d->errors++;
	j->busy = false;

	/* where a real driver hands the data on (simulator: proves it fresh) */
	coh_consume(d->dev, j->dst, j->len);
	bad = (desc.ctrl & DMAC_DESC_ERR) || desc.status != j->len;
	for (uint32_t i = 0; !bad && i < j->len; i++)
		bad = j->dst[i] != pat(j->seq, i);
	d->errors += bad;
	d->done++;
	return 0;
}

/*
 * Wait for the oldest copy and reap everything finished.  A real driver
 * sleeps until the controller's interrupt; this one polls STATUS (an
 * ordered read, and on the simulator what lets the engine run).
 * @retval 0; -COH_EIO the controller made no progress.
 */
static int dmac_poll(struct dmac *d)
{
	int n = 0;

	for (long spins = 0; spins < 100000; spins++) {
		while (!dmac_reap(d))
			n++;
		if (n || !coh_ring_pending(&d->ring))
			return 0;
		(void)coh_mmio_read32(d->regs + DMAC_STATUS);
	}
	return -COH_EIO;
}

/* Stop the engine and take every buffer and slot back. */
static void dmac_halt(struct dmac *d)
{
	coh_mmio_write32(d->regs + DMAC_CTRL, 0);
	/* the transfer in progress runs to its end */
	for (long spins = 0; spins < 100000; spins++)
		if (!(coh_mmio_read32(d->regs + DMAC_STATUS) & DMAC_ST_BUSY))
			break;
	/* the slots still out, oldest first: their buffers come back */
	size_t k, slot;

	coh_ring_for_each_pending(&d->ring, k, slot) {
		struct dmac_job *j = &d->job[d->slot_job[slot]];
		struct coh_span back[2] = { { j->src, j->len, COH_TO_DEVICE },
					    { j->dst, j->len, COH_FROM_DEVICE } };

		coh_take_n(d->dev, back, 2);
		j->busy = false;
	}
	coh_ring_reset(&d->ring);	/* slots back; the ring restarts at 0 */
}

static void dmac_close(struct dmac *d)
{
	if (coh_ring_pending(&d->ring))
		dmac_halt(d);
	else
		coh_mmio_write32(d->regs + DMAC_CTRL, 0);
	for (size_t k = 0; k < NDESC; k++) {
		if (d->job[k].src)
			coh_pool_free(&d->pool, d->job[k].src);
		if (d->job[k].dst)
			coh_pool_free(&d->pool, d->job[k].dst);
	}
	coh_pool_destroy(&d->pool);
	coh_ring_destroy(&d->ring);
}

/* ======================================================================
 * The board: the simulated SoC, and the demo around the driver.
 * ====================================================================== */

static unsigned shown;

static int want_cls = -1, want_shown;

/* the first three reports, and the first of the planted bug's class */
static void show(const struct sim_report *r, void *ctx)
{
	(void)ctx;
	if (shown++ < 3 || (r->cls == want_cls && !want_shown))
		sim_print_report(r, stdout);
	if (r->cls == want_cls)
		want_shown = 1;
}

static int usage(void)
{
	fprintf(stderr, "usage: coh-demo [--seed N] [--line 32|64|128] [--coherent] [--count N]\n"
			"                [--ring cached|uncached] [--trace FILE]\n"
			"                [--inject no-release|no-acquire|inval-before|cpu-write|evict|bad-bus]\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct sim_config cfg;
	struct coh_region ram, uncached;
	struct coh_device dev;
	struct coh_stats st;
	struct dmac d;
	unsigned long count = 4096, maint;
	size_t stride;
	unsigned int ring_attrs = 0;
	int coherent = 0, rc;
	const char *trace = NULL;
	void *cpu;
	uint64_t phys;
	size_t size;
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
		} else if (!strcmp(argv[k], "--trace") && k + 1 < argc) {
			trace = argv[++k];
		} else if (!strcmp(argv[k], "--coherent")) {
			coherent = 1;
		} else if (!strcmp(argv[k], "--ring") && k + 1 < argc) {
			const char *l = argv[++k];

			if (!strcmp(l, "uncached"))
				ring_attrs = COH_ATTR_UNCACHED;
			else if (strcmp(l, "cached"))
				return usage();
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

	/* the SoC: cached RAM (area 0) and uncached RAM (area 1), both DMA-capable */
	if (sim_init(&cfg)) {
		fprintf(stderr, "coh-demo: bad configuration (line must be 32, 64 or 128)\n");
		return 2;
	}
	if (d.inj != INJ_NONE)
		want_cls = injects[d.inj].cls;
	sim_set_report_hook(show, NULL);
	/* the one call: everything below lands in a Chrome trace-event file */
	if (trace && sim_trace_start(trace)) {
		fprintf(stderr, "coh-demo: cannot write %s\n", trace);
		return 2;
	}
	if (sim_area(0, &cpu, &phys, &size) || coh_region_add(&ram, cpu, phys, size, 0) ||
	    sim_area(1, &cpu, &phys, &size) ||
	    coh_region_add(&uncached, cpu, phys, size, COH_REGION_UNCACHED)) {
		fprintf(stderr, "coh-demo: cannot register memory\n");
		return 2;
	}
	coh_device_init(&dev, "dmac0", coherent ? COH_DEV_COHERENT : 0);

	rc = dmac_open(&d, &dev, sim_dmac_create(&dev), ring_attrs);
	if (rc) {
		fprintf(stderr, "coh-demo: dmac_open: error %d\n", rc);
		return 1;
	}
	sim_name(sim_phys_to_virt(coh_ring_bus(&d.ring, 0) - dev.bus_offset),
		 coh_ring_count(&d.ring) * coh_ring_stride(&d.ring), "ring");
	for (int k = 0; k < NDESC; k++) {
		snprintf(nm, sizeof(nm), "src[%d]", k);
		sim_name(d.job[k].src, BUFSZ, nm);
		snprintf(nm, sizeof(nm), "dst[%d]", k);
		sim_name(d.job[k].dst, BUFSZ, nm);
	}

	/* keep the ring full: queue what fits, ring once, reap what finished */
	for (unsigned long seq = 0; seq < count || coh_ring_pending(&d.ring);) {
		unsigned long queued = seq;

		while (seq < count && !dmac_submit(&d, seq))
			seq++;
		if (seq != queued)
			dmac_kick(&d);
		if (dmac_poll(&d)) {
			fprintf(stderr, "coh-demo: the controller stopped\n");
			d.errors++;
			break;
		}
	}
	stride = coh_ring_stride(&d.ring);
	dmac_close(&d);
	if (coh_device_leaks(&dev))
		d.errors++;
	sim_quiesce();

	coh_stats_get(&dev, &st);
	maint = st.lines_cleaned + st.lines_invalidated + st.lines_flushed;
	if (shown > 3)
		printf("coherent-sim: ... %u more report(s)\n", shown - 3);
	printf("coh-demo: transfers=%lu errors=%lu lines-maintained=%lu reports=%lu seed=%llu line=%zu %s ring=%s stride=%zu\n",
	       d.done, d.errors, maint, sim_reports(-1),
	       (unsigned long long)cfg.seed, cfg.line,
	       coherent ? "coherent" : "non-coherent",
	       ring_attrs & COH_ATTR_UNCACHED ? "uncached" : "cached",
	       stride);
	coh_region_remove(&uncached);
	coh_region_remove(&ram);
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
