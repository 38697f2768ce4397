/* SPDX-License-Identifier: MIT */
/*
 * The device-produced phase-tag queue (coherent/cq.h) under the
 * simulator, NVMe-shaped: 16-byte completion entries (the phase tag in
 * bit 0 of the status at +14), a head doorbell, cached and uncached
 * memory, a coherent device, lines 32/64/128, queue sizes 4 and 16, many
 * laps.
 *
 *   queue_cq_sim <seeds> <clean|caught|stale>
 *
 * The device (a test fixture): commands arrive as MMIO writes of a
 * command id; for each, one step writes the entry's first twelve bytes
 * (a result derived from the id, the SQ head), a later step its command
 * id and status with the phase of the lap - never into an entry the head
 * doorbell has not given back.  The driver polls, pops, checks every
 * completion against what it asked, and rings the head doorbell.
 *
 * caught: a library without the poll's dma_rmb must fail a run.
 * stale: a library without the poll's invalidate must end a run with
 * -COH_EPROTO from coh_cq_poll (the stale tag reported), not spin.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coherent/coherent.h"
#include "coherent/cq.h"
#include "sim.h"

enum { C_BASE = 0x00, C_SIZE = 0x08, C_SUBMIT = 0x0c, C_HEAD = 0x10, C_REGS = 0x40 };

struct cqe {
	uint32_t dw0, dw1;
	uint16_t sq_head, sq_id;
	uint16_t cid, status;
};

static uint32_t result(uint16_t cid)
{
	return 0x5a000000u ^ (cid * 2654435761u);
}

struct cdev {
	const struct coh_device *dev;
	uint64_t base;
	uint32_t n, tail, head, phase;
	uint16_t pending[64];
	uint32_t np;
	int stage;	/* 1: the first twelve bytes of the tail entry written */
};

static uint64_t c_read(void *ctx, size_t off, unsigned size)
{
	(void)ctx;
	(void)off;
	(void)size;
	return 0;
}

static void c_write(void *ctx, size_t off, uint64_t v, unsigned size)
{
	struct cdev *c = ctx;

	(void)size;
	switch (off) {
	case C_BASE: c->base = v; break;
	case C_SIZE: c->n = (uint32_t)v; c->tail = c->head = 0; c->phase = 1; break;
	case C_SUBMIT:
		if (c->np < 64)
			c->pending[c->np++] = (uint16_t)v;
		break;
	case C_HEAD: c->head = (uint32_t)v % (c->n ? c->n : 1); break;
	default: break;
	}
}

static void c_step(void *ctx)
{
	struct cdev *c = ctx;
	struct cqe e;

	if (!c->n || !c->np || (c->tail + 1) % c->n == c->head)
		return;	/* nothing to complete, or the queue is full */
	if (!c->stage) {
		e = (struct cqe){ result(c->pending[0]), 0, (uint16_t)c->tail, 1, 0, 0 };
		sim_dev_write(c->dev, c->base + 16u * c->tail, &e, 12);
		c->stage = 1;
		return;
	}
	e.cid = c->pending[0];
	e.status = (uint16_t)c->phase;
	sim_dev_write(c->dev, c->base + 16u * c->tail + 12, &e.cid, 4);
	memmove(c->pending, c->pending + 1, --c->np * sizeof(c->pending[0]));
	c->stage = 0;
	if (++c->tail == c->n) {
		c->tail = 0;
		c->phase ^= 1;
	}
}

static const struct sim_mmio_ops c_ops = { c_read, c_write, c_step, free };

static unsigned long reports;
static char first[400];
static int stale_seen;

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

/* layout: 0 cached, 1 uncached, 2 coherent device */
static int run(size_t line, size_t n, int layout, uint64_t seed)
{
	struct sim_config sc;
	struct coh_region r0, r1;
	struct coh_device dev;
	COH_SHARED(struct cqe) h;
	struct coh_cq cq;
	uint32_t s = (uint32_t)seed * 2654435761u + (uint32_t)(line + n);
	size_t done = 0, sent = 0, total = 5 * n;
	uint16_t next_cid = 0, want_cid = 0;
	volatile uint8_t *regs;
	struct cdev *c;
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
	coh_device_init(&dev, "nvme-cq", layout == 2 ? COH_DEV_COHERENT : 0);
	dev.dma_mask = ~0ull;
	c = calloc(1, sizeof(*c));
	c->dev = &dev;
	regs = sim_mmio_map(C_REGS, &c_ops, c);
	if (!regs || coh_alloc_shared(&h, &dev, n, layout == 1 ? COH_ATTR_UNCACHED : 0) ||
	    coh_cq_attach(&cq, &h, .status, 1u << 0, COH_CQ_TAG1))
		return 1000;
	coh_mmio_write32(regs + C_BASE, (uint32_t)coh_cq_bus(&cq, 0));
	coh_mmio_write32(regs + C_SIZE, (uint32_t)coh_cq_count(&cq));

	for (int spins = 0; done < total && spins < 20000 && !errors; spins++) {
		size_t m = 1 + rnd(&s) % n;
		struct cqe e;
		int rc, popped = 0;

		/* at most n - 1 outstanding: the device needs a free entry */
		for (size_t k = 0; k < m && sent < total && sent - done < n - 1; k++, sent++)
			coh_mmio_write32(regs + C_SUBMIT, next_cid++);
		sim_step();
		while ((rc = coh_cq_poll(&cq, NULL)) > 0) {
			while (coh_cq_pop(&cq, &h, &e) >= 0) {
				if (e.cid != want_cid || e.dw0 != result(e.cid) || e.sq_id != 1)
					errors++;
				want_cid++;
				done++;
				popped++;
			}
		}
		if (rc < 0) {
			if (rc == -COH_EPROTO)
				stale_seen++;
			errors++;
			break;
		}
		if (popped)
			coh_mmio_write32(regs + C_HEAD, coh_cq_head(&cq));
	}
	if (done < total)
		errors++;
	coh_mmio_write32(regs + C_SIZE, 0);
	coh_cq_detach(&cq);
	coh_free(&h);
	sim_quiesce();
	coh_region_remove(&r1);
	coh_region_remove(&r0);
	sim_fini();
	return errors;
}

int main(int argc, char **argv)
{
	static const size_t lines[] = { 32, 64, 128 }, sizes[] = { 4, 16 };
	static const char *names[] = { "cached", "uncached", "coherent" };
	unsigned long seeds, runs = 0, bad = 0;
	int mode;

	if (argc != 3) {
		fprintf(stderr, "usage: %s seeds clean|caught|stale\n", argv[0]);
		return 2;
	}
	seeds = strtoul(argv[1], NULL, 0);
	mode = !strcmp(argv[2], "clean") ? 0 : !strcmp(argv[2], "caught") ? 1 : 2;
	for (unsigned long seed = 1; seed <= seeds; seed++)
		for (size_t li = 0; li < 3; li++)
			for (size_t ni = 0; ni < 2; ni++)
				for (int lay = 0; lay < 3; lay++) {
					unsigned long before = reports;
					int stale_before = stale_seen;
					int err = run(lines[li], sizes[ni], lay, seed);

					runs++;
					if (!err && reports == before)
						continue;
					bad++;
					if (mode == 0 || bad == 1)
						printf("seed %lu line %zu size %zu %s: %d errors, %lu reports%s%s\n",
						       seed, lines[li], sizes[ni], names[lay],
						       err, reports - before, reports != before ? "; first: " : "",
						       reports != before ? first : "");
					if (mode == 1 || (mode == 2 && stale_seen > stale_before)) {
						printf("queue_cq_sim: caught%s\nqueue_cq_sim: 1 passed, 0 failed\n",
						       mode == 2 ? " (the poll ended with -COH_EPROTO)" : "");
						return 0;
					}
				}
	if (mode) {
		printf("queue_cq_sim: mutation NOT caught in %lu runs\nqueue_cq_sim: 0 passed, 1 failed\n",
		       runs);
		return 1;
	}
	printf("queue_cq_sim: %lu runs (%lu seeds x 3 lines x 2 sizes x 3 layouts), %lu bad\n",
	       runs, seeds, bad);
	printf("queue_cq_sim: %lu passed, %lu failed\n", runs - bad, bad);
	return bad ? 1 : 0;
}
