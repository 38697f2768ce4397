/* SPDX-License-Identifier: MIT */
/*
 * The index-published queue under the simulator, VirtIO-shaped: a table of
 * 16-byte requests (no index), an available queue of 16-bit table slots
 * (index at +2, entries at +4, free-running 16-bit index) published with
 * the table, and a used queue the device produces (8-byte entries at +4,
 * index at +2).  Cached and uncached memory, lines 32/64/128, queue sizes
 * 4 and 16, many wraps of the 16-bit index (it starts near 65535).
 *
 *   queue_sim <seeds> <clean|caught>
 *
 * The device (a test fixture): reads the available index, then the
 * entries up to it, then each entry's table slot; one step later writes a
 * used entry {slot, checksum of the request}, and one step after that the
 * used index.  The driver checks every completion against what it asked.
 *
 * caught: a library without the publish's release of the entries
 * (COH_TEST_MUTATE 11) or the poll's acquire of them (12) must fail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coherent/coherent.h"
#include "sim.h"

enum { Q_TABLE_LO = 0x00, Q_AVAIL_LO = 0x08, Q_USED_LO = 0x10, Q_SIZE = 0x18, Q_START = 0x1c,
       Q_NOTIFY = 0x20, Q_REGS = 0x40 };

struct req {
	uint32_t w[4];
};
struct used {
	uint32_t id, sum;
};

static uint32_t csum(const struct req *r)
{
	return (r->w[0] * 3u) ^ (r->w[1] * 5u) ^ (r->w[2] * 7u) ^ (r->w[3] * 11u);
}

struct qdev {
	const struct coh_device *dev;
	uint64_t table, avail, used;
	uint32_t n, start;
	uint16_t avail_cons, used_prod;
	int stage;		/* 0 idle, 1 entry written, publish the index next */
};

static uint64_t q_read(void *ctx, size_t off, unsigned size)
{
	(void)ctx;
	(void)off;
	(void)size;
	return 0;
}

static void q_write(void *ctx, size_t off, uint64_t v, unsigned size)
{
	struct qdev *q = ctx;

	(void)size;
	switch (off) {
	case Q_TABLE_LO: q->table = v; break;
	case Q_AVAIL_LO: q->avail = v; break;
	case Q_USED_LO: q->used = v; break;
	case Q_SIZE: q->n = (uint32_t)v; break;
	case Q_START:
		/* as a device reset: its used index starts where the driver's does */
		q->avail_cons = q->used_prod = (uint16_t)v;
		sim_dev_write(q->dev, q->used + 2, &q->used_prod, 2);
		break;
	default: break;
	}
}

static void q_step(void *ctx)
{
	struct qdev *q = ctx;
	uint16_t idx, slot;
	struct req r;
	struct used u;

	if (!q->n)
		return;
	if (q->stage == 1) {
		q->used_prod++;
		sim_dev_write(q->dev, q->used + 2, &q->used_prod, 2);
		q->stage = 0;
		return;
	}
	if (sim_dev_read(q->dev, q->avail + 2, &idx, 2) || idx == q->avail_cons)
		return;
	if (sim_dev_read(q->dev, q->avail + 4 + 2u * (q->avail_cons % q->n), &slot, 2))
		return;
	slot %= (uint16_t)q->n;
	if (sim_dev_read(q->dev, q->table + 16u * slot, &r, sizeof(r)))
		return;
	u = (struct used){ slot, csum(&r) };
	sim_dev_write(q->dev, q->used + 4 + 8u * (q->used_prod % q->n), &u, sizeof(u));
	q->avail_cons++;
	q->stage = 1;
}

static const struct sim_mmio_ops q_ops = { q_read, q_write, q_step, free };

static unsigned long reports;
static char first[400];

static void hook(const struct sim_report *r, void *ctx)
{
	(void)ctx;
	if (!reports++)
		snprintf(first, sizeof(first), "%s: %s", sim_class_name(r->cls), r->msg);
}

static uint32_t rnd(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 4;
}

static int run(size_t line, size_t n, int uncached, uint64_t seed)
{
	struct sim_config sc;
	struct coh_region r0, r1;
	struct coh_device dev;
	struct coh_queue table, avail, used;
	const struct coh_queue_layout lt = { .count = n, .entry_size = 16,
					     .idx_off = COH_QUEUE_IDX_NONE, .idx_wrap = (uint32_t)n };
	const struct coh_queue_layout la = { .count = n, .entry_size = 2, .entries_off = 4,
					     .idx_off = 2, .idx_size = 2, .idx_wrap = 0x10000,
					     .size = 6 + 2 * n };
	const struct coh_queue_layout lu = { .count = n, .entry_size = 8, .entries_off = 4,
					     .idx_off = 2, .idx_size = 2, .idx_wrap = 0x10000,
					     .size = 6 + 8 * n };
	unsigned int attrs = uncached ? COH_ATTR_UNCACHED : 0;
	struct req reqs[16];
	int busy[16] = { 0 };
	uint32_t s = (uint32_t)seed * 2654435761u + (uint32_t)(line + n);
	uint16_t start = (uint16_t)(0x10000 - 1 - rnd(&s) % (2 * n));
	size_t done = 0, sent = 0, total = 6 * n;
	volatile uint8_t *regs;
	struct qdev *q;
	int errors = 0;
	void *cpu;
	uint64_t phys;
	size_t sz;

	sim_config_default(&sc);
	sc.seed = seed;
	sc.line = line;
	sc.ram_size = 64 * 1024;
	sc.uncached_size = 16 * 1024;
	if (sim_init(&sc))
		return 1000;
	sim_set_report_hook(hook, NULL);
	if (sim_area(0, &cpu, &phys, &sz) || coh_region_add(&r0, cpu, phys, sz, 0) ||
	    sim_area(1, &cpu, &phys, &sz) || coh_region_add(&r1, cpu, phys, sz, COH_REGION_UNCACHED))
		return 1000;
	coh_device_init(&dev, "vq", 0);
	dev.dma_mask = ~0ull;
	q = calloc(1, sizeof(*q));
	q->dev = &dev;
	regs = sim_mmio_map(Q_REGS, &q_ops, q);
	if (!regs || coh_queue_create(&table, &dev, &lt, COH_QUEUE_CPU_PRODUCES, attrs) ||
	    coh_queue_create(&avail, &dev, &la, COH_QUEUE_CPU_PRODUCES, attrs) ||
	    coh_queue_create(&used, &dev, &lu, COH_QUEUE_DEVICE_PRODUCES, attrs))
		return 1000;
	/* both sides start near the 16-bit wrap */
	avail.prod = avail.pub = avail.cons = start;
	used.pub = used.cons = start;
	if (coh_queue_publish(&avail, NULL, NULL))	/* the available index = start */
		return 1000;
	coh_mmio_write32(regs + Q_TABLE_LO, (uint32_t)coh_queue_bus(&table));
	coh_mmio_write32(regs + Q_AVAIL_LO, (uint32_t)coh_queue_bus(&avail));
	coh_mmio_write32(regs + Q_USED_LO, (uint32_t)coh_queue_bus(&used));
	coh_mmio_write32(regs + Q_START, start);
	coh_mmio_write32(regs + Q_SIZE, (uint32_t)n);

	for (int spins = 0; done < total && spins < 20000 && !errors; spins++) {
		size_t m = 1 + rnd(&s) % n;
		uint32_t idx;
		struct used u;
		int rc;

		/* submit up to m requests, each in a free table slot */
		for (size_t k = 0; k < m && sent < total && coh_queue_space(&avail); k++) {
			uint16_t slot = (uint16_t)(rnd(&s) % n);

			if (busy[slot])
				continue;
			for (int w = 0; w < 4; w++)
				reqs[slot].w[w] = rnd(&s);
			busy[slot] = 1;
			coh_queue_write(&table, slot, &reqs[slot]);
			if (coh_queue_push(&avail, &slot) < 0)
				errors++;
			sent++;
		}
		if (coh_queue_publish(&avail, &table, &idx))
			errors++;
		coh_mmio_write32(regs + Q_NOTIFY, idx);
		sim_step();
		rc = coh_queue_poll(&used);
		if (rc < 0) {
			errors++;
			break;
		}
		while (coh_queue_pop(&used, &u) >= 0) {
			if (u.id >= n || !busy[u.id] || u.sum != csum(&reqs[u.id]))
				errors++;
			else
				busy[u.id] = 0;
			done++;
		}
		if (coh_queue_consumed(&avail, coh_queue_index(&used)))
			errors++;
	}
	if (done < total)
		errors++;
	coh_mmio_write32(regs + Q_SIZE, 0);
	coh_queue_destroy(&used);
	coh_queue_destroy(&avail);
	coh_queue_destroy(&table);
	sim_quiesce();
	coh_region_remove(&r1);
	coh_region_remove(&r0);
	sim_fini();
	return errors;
}

int main(int argc, char **argv)
{
	static const size_t lines[] = { 32, 64, 128 }, sizes[] = { 4, 16 };
	unsigned long seeds, runs = 0, bad = 0;
	int want_clean;

	if (argc != 3) {
		fprintf(stderr, "usage: %s seeds clean|caught\n", argv[0]);
		return 2;
	}
	seeds = strtoul(argv[1], NULL, 0);
	want_clean = !strcmp(argv[2], "clean");
	for (unsigned long seed = 1; seed <= seeds; seed++)
		for (size_t li = 0; li < 3; li++)
			for (size_t ni = 0; ni < 2; ni++)
				for (int unc = 0; unc < 2; unc++) {
					unsigned long before = reports;
					int err = run(lines[li], sizes[ni], unc, seed);

					runs++;
					if (!err && reports == before)
						continue;
					bad++;
					if (want_clean || bad == 1)
						printf("seed %lu line %zu size %zu %s: %d errors, %lu reports%s%s\n",
						       seed, lines[li], sizes[ni], unc ? "uncached" : "cached",
						       err, reports - before, reports != before ? "; first: " : "",
						       reports != before ? first : "");
					if (!want_clean) {
						printf("queue_sim: caught\nqueue_sim: 1 passed, 0 failed\n");
						return 0;
					}
				}
	if (!want_clean) {
		printf("queue_sim: mutation NOT caught in %lu runs\nqueue_sim: 0 passed, 1 failed\n", runs);
		return 1;
	}
	printf("queue_sim: %lu runs (%lu seeds x 3 lines x 2 sizes x cached/uncached), %lu bad\n",
	       runs, seeds, bad);
	printf("queue_sim: %lu passed, %lu failed\n", runs - bad, bad);
	return bad ? 1 : 0;
}
