/* SPDX-License-Identifier: MIT */
/*
 * The descriptor ring and the field accessors, driven end to end by the
 * simulated DMA controller in descriptor-ring mode, under the sanitizer.
 *
 *   ring_sim <ring|accessor|accessor-nowmb|accessor-normb|bulk> <cached|uncached>
 *            <noncoherent|coherent> <seeds>
 *            <clean|caught|unordered=PCT|unordered-loads=PCT> [poll]
 *
 * clean:  every seed on line sizes 32, 64 and 128 must finish with exact
 *         payloads and zero sanitizer reports.
 * caught: (a library built with one maintenance step deleted) some seed
 *         must produce a report or a wrong payload; prints the first.
 * unordered=PCT: at least PCT percent of the runs must report
 *         UNORDERED_STORES (a driver missing its coh_dma_wmb); prints the
 *         fraction.
 * unordered-loads=PCT: the same for UNORDERED_LOADS (a driver or library
 *         missing its coh_dma_rmb).
 * poll:   the controller polls OWN at every step (DMAC_CTRL_POLL) instead of
 *         waiting for the tail doorbell, so it can read a descriptor between
 *         two of the driver's stores; the accessor driver then rings no
 *         doorbell.  Only for rings the device sees directly (uncached or
 *         coherent): a poll of a cached descriptor line being written is a
 *         read of uncleaned data.
 * accessor-nowmb: the accessor driver without the coh_dma_wmb() between
 *         the fields and OWN (correct only with a doorbell; a bug with poll).
 * accessor-normb: the accessor driver without the coh_dma_rmb() between
 *         reading OWN cleared and reading the status the device wrote
 *         before it (a bug in uncached memory or for a coherent device).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coherent/coherent.h"
#include "sim.h"
#include "sim_dmac.h"

struct pdesc {			/* a descriptor alone in its cache line(s) */
	struct dmac_desc d;
	uint8_t pad[COH_MAX_LINE - sizeof(struct dmac_desc)];
};

static unsigned long quiet_reports;
static char first_report[512];

static void hook(const struct sim_report *r, void *ctx)
{
	(void)ctx;
	if (!quiet_reports++)
		snprintf(first_report, sizeof(first_report), "%s bus=0x%llx seed=%llu: %s",
			 sim_class_name(r->cls), (unsigned long long)r->bus,
			 (unsigned long long)r->seed, r->msg);
}

static uint32_t rnd(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

#define NBUF 8
#define BATCH 4
#define TRANSFERS 16

struct rig {
	struct coh_region r0, r1;
	struct coh_device dev;
	struct coh_pool pool;
	volatile uint8_t *regs;
};

static int rig_up(struct rig *g, uint64_t seed, size_t line, int coherent)
{
	struct sim_config cfg;
	void *c;
	uint64_t p;
	size_t n;

	sim_config_default(&cfg);
	cfg.seed = seed;
	cfg.line = line;
	cfg.ram_size = 128 * 1024;
	cfg.uncached_size = 32 * 1024;
	if (sim_init(&cfg))
		return -1;
	sim_set_report_hook(hook, NULL);
	if (sim_area(0, &c, &p, &n) || coh_region_add(&g->r0, c, p, n, 0))
		return -1;
	if (sim_area(1, &c, &p, &n) || coh_region_add(&g->r1, c, p, n, COH_REGION_UNCACHED))
		return -1;
	coh_device_init(&g->dev, "dmac", coherent ? COH_DEV_COHERENT : 0);
	g->dev.dma_mask = ~0ull;
	g->regs = sim_dmac_create(&g->dev);
	if (!g->regs)
		return -1;
	return coh_pool_create(&g->pool, &g->dev, "buf", 512, 64, 0, 2 * NBUF);
}

static void rig_down(struct rig *g)
{
	coh_pool_destroy(&g->pool);
	sim_quiesce();
	coh_region_remove(&g->r1);
	coh_region_remove(&g->r0);
	sim_fini();
}

static int poll_mode;

static void program_ring(struct rig *g, coh_bus_t base, size_t count, size_t stride)
{
	coh_mmio_write32(g->regs + DMAC_RING_LO, (uint32_t)base);
	coh_mmio_write32(g->regs + DMAC_RING_HI, (uint32_t)(base >> 32));
	coh_mmio_write32(g->regs + DMAC_RING_SIZE, (uint32_t)count);
	coh_mmio_write32(g->regs + DMAC_DESC_STRIDE, (uint32_t)stride);
	coh_mmio_write32(g->regs + DMAC_CTRL,
			 DMAC_CTRL_RING_EN | (poll_mode ? DMAC_CTRL_POLL : 0));
}

struct xfer {
	uint8_t *src, *dst;
	coh_bus_t sbus, dbus;
	uint32_t len, tag;
};

static void fill(struct xfer *x, uint32_t *s)
{
	x->len = 1 + rnd(s) % 500;
	x->tag = rnd(s);
	for (uint32_t i = 0; i < x->len; i++)
		x->src[i] = (uint8_t)(x->tag + i * 7);
	memset(x->dst, 0xee, 512);
}

static int check(struct rig *g, struct xfer *x)
{
	int bad = 0;

	coh_take(&g->dev, x->dst, x->len, COH_FROM_DEVICE);
	coh_consume(&g->dev, x->dst, x->len);
	for (uint32_t i = 0; i < x->len; i++)
		bad |= x->dst[i] != (uint8_t)(x->tag + i * 7);
	coh_take(&g->dev, x->src, x->len, COH_TO_DEVICE);
	return bad;
}

/* Mode "ring": coh_ring_post / coh_ring_reap. */
static int run_ring(struct rig *g, int uncached, uint32_t *s)
{
	struct coh_ring ring;
	struct xfer x[BATCH];
	int errors = 0;

	if (coh_ring_create(&ring, &g->dev, 8, struct dmac_desc, ctrl, DMAC_DESC_OWN,
			    uncached ? COH_ATTR_UNCACHED : 0))
		return 1000;
	program_ring(g, coh_ring_bus(&ring, 0), coh_ring_count(&ring), coh_ring_stride(&ring));
	for (int t = 0; t < TRANSFERS; t += BATCH) {
		for (int b = 0; b < BATCH; b++) {
			x[b].src = coh_pool_alloc(&g->pool, &x[b].sbus);
			x[b].dst = coh_pool_alloc(&g->pool, &x[b].dbus);
			fill(&x[b], s);
			coh_give(&g->dev, x[b].src, x[b].len, COH_TO_DEVICE);
			coh_give(&g->dev, x[b].dst, x[b].len, COH_FROM_DEVICE);
		}
		/* back to back: a polling device may read slot b while b + 1 is written */
		for (int b = 0; b < BATCH; b++) {
			struct dmac_desc d;

			d = (struct dmac_desc){ .ctrl = x[b].len, .src = x[b].sbus,
						.dst = x[b].dbus, .cookie = x[b].tag };
			if (coh_ring_post(&ring, &d) < 0)
				errors++;
		}
		coh_mmio_write32(g->regs + DMAC_RING_TAIL, (uint32_t)coh_ring_next(&ring));
		for (int b = 0; b < BATCH; b++) {
			struct dmac_desc d;
			int rc, steps = 0;

			while ((rc = coh_ring_reap(&ring, &d)) < 0 && steps++ < 5000)
				sim_step();
			if (rc < 0 || (d.ctrl & DMAC_DESC_ERR) || d.cookie != x[b].tag ||
			    d.status != x[b].len) {
				errors++;
				coh_take(&g->dev, x[b].src, x[b].len, COH_TO_DEVICE);
				coh_take(&g->dev, x[b].dst, x[b].len, COH_FROM_DEVICE);
			} else {
				errors += check(g, &x[b]);
			}
			coh_pool_free(&g->pool, x[b].src);
			coh_pool_free(&g->pool, x[b].dst);
		}
		if (errors)
			break;
	}
	if (errors) {	/* stop the engine, then take the ring back */
		coh_mmio_write32(g->regs + DMAC_CTRL, 0);
		coh_ring_reset(&ring);
	}
	coh_ring_destroy(&ring);
	return errors;
}

/* Mode "accessor": the same ring written field by field with coh_write/coh_read. */
static int run_accessor(struct rig *g, int uncached, int wmb, int rmb, uint32_t *s)
{
	COH_SHARED(struct pdesc) h;
	struct xfer x;
	int errors = 0;

	if (coh_alloc_shared(&h, &g->dev, 8, uncached ? COH_ATTR_UNCACHED : 0))
		return 1000;
	program_ring(g, coh_bus(&h), 8, sizeof(struct pdesc));
	for (uint32_t t = 0; t < TRANSFERS; t++) {
		size_t i = t % 8;
		int steps = 0;
		uint32_t ctrl;

		x.src = coh_pool_alloc(&g->pool, &x.sbus);
		x.dst = coh_pool_alloc(&g->pool, &x.dbus);
		fill(&x, s);
		coh_give(&g->dev, x.src, x.len, COH_TO_DEVICE);
		coh_give(&g->dev, x.dst, x.len, COH_FROM_DEVICE);
		coh_write(&h, [i].d.src, x.sbus);
		coh_write(&h, [i].d.dst, x.dbus);
		coh_write(&h, [i].d.cookie, (uint64_t)x.tag);
		if (wmb)
			coh_dma_wmb();	/* the fields before OWN (uncached / coherent) */
		coh_write(&h, [i].d.ctrl, DMAC_DESC_OWN | x.len);	/* owner last */
		if (!poll_mode)
			coh_mmio_write32(g->regs + DMAC_RING_TAIL, (uint32_t)((i + 1) % 8));
		while (((ctrl = coh_read(&h, [i].d.ctrl)) & DMAC_DESC_OWN) && steps++ < 5000)
			sim_step();
		if (rmb)
			coh_dma_rmb();	/* OWN before the fields the device wrote before it */
		if ((ctrl & (DMAC_DESC_OWN | DMAC_DESC_ERR)) || coh_read(&h, [i].d.status) != x.len) {
			/* stop the engine and take the buffers back, so the rig comes down */
			errors++;
			coh_mmio_write32(g->regs + DMAC_CTRL, 0);
			coh_take(&g->dev, x.src, x.len, COH_TO_DEVICE);
			coh_take(&g->dev, x.dst, x.len, COH_FROM_DEVICE);
		} else {
			errors += check(g, &x);
		}
		coh_pool_free(&g->pool, x.src);
		coh_pool_free(&g->pool, x.dst);
		if (errors)
			break;
	}
	coh_free(&h);
	return errors;
}

/*
 * Mode "bulk": coh_put() fills a shared source buffer, the controller copies
 * it (single-transfer registers) into a shared destination, coh_get() reads
 * that back.  The device reads what coh_put wrote and writes what coh_get
 * reads, so a coh_put without its release (device reads stale RAM) or a
 * coh_get without its acquire (CPU reads its stale cached copy) shows.
 */
static void bulk_relax(void *ctx)
{
	(void)ctx;
	sim_step();
}

static int run_bulk(struct rig *g, int uncached, uint32_t *s)
{
	COH_SHARED(uint8_t) src, dst;
	struct coh_poll done = { .relax = bulk_relax, .timeout = 5000,
				 .order = COH_POLL_LE };
	uint8_t in[512], out[512];
	int errors = 0;
	unsigned int attrs = uncached ? COH_ATTR_UNCACHED : 0;

	if (coh_alloc_shared(&src, &g->dev, sizeof(in), attrs))
		return 1000;
	if (coh_alloc_shared(&dst, &g->dev, sizeof(out), attrs)) {
		coh_free(&src);
		return 1000;
	}
	for (uint32_t t = 0; t < TRANSFERS && !errors; t++) {
		uint32_t len = 1 + rnd(s) % 500, off = rnd(s) % (512 - len + 1), tag = rnd(s);

		for (uint32_t i = 0; i < len; i++)
			in[i] = (uint8_t)(tag + i * 13);
		/* the CPU reads the destination first, so its lines are cached */
		errors += coh_get(&dst, off, len, out) != 0;
		errors += coh_put(&src, off, len, in) != 0;
		coh_mmio_write32_le(g->regs + DMAC_SRC_LO, coh_lo32(coh_bus(&src) + off));
		coh_mmio_write32_le(g->regs + DMAC_SRC_HI, coh_hi32(coh_bus(&src) + off));
		coh_mmio_write32_le(g->regs + DMAC_DST_LO, coh_lo32(coh_bus(&dst) + off));
		coh_mmio_write32_le(g->regs + DMAC_DST_HI, coh_hi32(coh_bus(&dst) + off));
		coh_mmio_write32_le(g->regs + DMAC_LEN, len);
		coh_mmio_write32_le(g->regs + DMAC_CTRL, DMAC_CTRL_START);
		if (coh_mmio_poll32(g->regs + DMAC_STATUS, DMAC_ST_DONE | DMAC_ST_ERR,
				    DMAC_ST_DONE, &done, NULL)) {
			errors++;
			break;
		}
		coh_mmio_write32_le(g->regs + DMAC_STATUS, DMAC_ST_DONE);
		errors += coh_get(&dst, off, len, out) != 0;
		errors += memcmp(in, out, len) != 0;
	}
	coh_mmio_write32(g->regs + DMAC_CTRL, 0);
	coh_free(&dst);
	coh_free(&src);
	return errors;
}

int main(int argc, char **argv)
{
	static const size_t lines[] = { 32, 64, 128 };
	int accessor, bulk, wmb, rmb, uncached, coherent, want_clean, rate_pct = -1;
	int rate_cls = SIM_UNORDERED_STORES;
	unsigned long seeds, runs = 0, bad_runs = 0, unordered_runs = 0;

	if (argc != 6 && !(argc == 7 && !strcmp(argv[6], "poll"))) {
		fprintf(stderr, "usage: %s ring|accessor|accessor-nowmb|accessor-normb|bulk cached|uncached noncoherent|coherent seeds clean|caught|unordered=PCT|unordered-loads=PCT [poll]\n", argv[0]);
		return 2;
	}
	accessor = !strncmp(argv[1], "accessor", 8);
	bulk = !strcmp(argv[1], "bulk");
	wmb = strcmp(argv[1], "accessor-nowmb") != 0;
	rmb = strcmp(argv[1], "accessor-normb") != 0;
	uncached = !strcmp(argv[2], "uncached");
	coherent = !strcmp(argv[3], "coherent");
	seeds = strtoul(argv[4], NULL, 0);
	want_clean = !strcmp(argv[5], "clean");
	if (!strncmp(argv[5], "unordered=", 10))
		rate_pct = atoi(argv[5] + 10);
	if (!strncmp(argv[5], "unordered-loads=", 16)) {
		rate_pct = atoi(argv[5] + 16);
		rate_cls = SIM_UNORDERED_LOADS;
	}
	poll_mode = argc == 7;

	for (unsigned long seed = 1; seed <= seeds; seed++) {
		for (size_t li = 0; li < 3; li++) {
			struct rig g;
			uint32_t s = (uint32_t)seed * 2654435761u;
			int errors;
			unsigned long before = quiet_reports;

			memset(&g, 0, sizeof(g));
			if (rig_up(&g, seed, lines[li], coherent)) {
				fprintf(stderr, "rig setup failed\n");
				return 1;
			}
			errors = bulk ? run_bulk(&g, uncached, &s)
				 : accessor ? run_accessor(&g, uncached, wmb, rmb, &s)
					    : run_ring(&g, uncached, &s);
			unordered_runs += sim_reports(rate_cls) != 0;
			rig_down(&g);
			runs++;
			if (rate_pct >= 0)
				continue;
			if (errors || quiet_reports != before) {
				bad_runs++;
				if (want_clean || bad_runs == 1)
					printf("seed %lu line %zu: %d payload/descriptor errors, %lu reports%s%s\n",
					       seed, lines[li], errors, quiet_reports - before,
					       quiet_reports != before ? "; first: " : "",
					       quiet_reports != before ? first_report : "");
				if (!want_clean) {
					printf("ring_sim: caught at seed %lu (line %zu)\n", seed, lines[li]);
					printf("ring_sim: 1 passed, 0 failed\n");
					return 0;
				}
			}
		}
	}
	if (rate_pct >= 0) {
		int ok = unordered_runs * 100 >= (unsigned long)rate_pct * runs;

		printf("ring_sim %s %s %s%s: %s in %lu/%lu runs (%.1f%%, floor %d%%)\n",
		       argv[1], argv[2], argv[3], poll_mode ? " poll" : "",
		       sim_class_name(rate_cls), unordered_runs, runs,
		       100.0 * (double)unordered_runs / (double)runs, rate_pct);
		printf("ring_sim: %d passed, %d failed\n", ok, !ok);
		return ok ? 0 : 1;
	}
	if (!want_clean) {
		printf("ring_sim: mutation NOT caught in %lu runs\nring_sim: 0 passed, 1 failed\n", runs);
		return 1;
	}
	printf("ring_sim %s %s %s%s: %lu runs (%lu seeds x 3 line sizes), %lu bad\n", argv[1],
	       argv[2], argv[3], poll_mode ? " poll" : "", runs, seeds, bad_runs);
	printf("ring_sim: %lu passed, %lu failed\n", runs - bad_runs, bad_runs);
	return bad_runs ? 1 : 0;
}
