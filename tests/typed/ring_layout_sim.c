/* SPDX-License-Identifier: MIT */
/*
 * Ring layouts under the simulator: descriptors of 16, 32 and 64 bytes, the
 * owner word in the first, a middle and the last word (so, for a descriptor
 * spanning lines, in its first or its last line), at line sizes 32, 64 and
 * 128, in every layout (padded cached, batched cached, packed uncached),
 * posted one at a time, in batches (coh_ring_post_n) and as chains
 * (coh_ring_post_chain), against an engine that rewrites every field.
 *
 *   ring_layout_sim <seeds> <clean|caught>
 *
 * The engine (a test fixture, reaching RAM only through the simulator's
 * device interface): up to its tail register, it fetches the descriptor at
 * its head, stops if OWN is clear, and otherwise writes back every field
 * but the owner word inverted, one step later the owner word with OWN
 * cleared and bit 0 flipped.  The driver checks every reaped descriptor
 * against what it posted, so a field the device read stale, or the CPU
 * read stale, is a payload error; the sanitizer reports the rest.
 *
 * clean:  every run finishes with exact descriptors and zero reports.
 * caught: (a library with one release or acquire of post or reap deleted,
 *         COH_TEST_MUTATE 7..10 in src/ring.c) some run must fail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coherent/coherent.h"
#include "sim.h"

#define OWN (1u << 31)
#define MAXW 16			/* 64-byte descriptors at most */
#define COUNT 16		/* slots */

/* ---- the engine ---------------------------------------------------------- */

enum { E_BASE_LO = 0x00, E_BASE_HI = 0x04, E_COUNT = 0x08, E_STRIDE = 0x0c,
       E_SIZE = 0x10, E_OWN_OFF = 0x14, E_TAIL = 0x18, E_HEAD = 0x1c, E_REGS = 0x20 };

struct echo {
	const struct coh_device *dev;
	uint64_t base;
	uint32_t count, stride, size, own_off, tail, head;
	int phase;			/* 0 idle, 1 fields written, own next */
	uint32_t own;
};

static uint64_t e_read(void *ctx, size_t off, unsigned size)
{
	struct echo *e = ctx;

	(void)size;
	return off == E_HEAD ? e->head : off == E_TAIL ? e->tail : 0;
}

static void e_write(void *ctx, size_t off, uint64_t v, unsigned size)
{
	struct echo *e = ctx;
	uint32_t v32 = (uint32_t)v;

	(void)size;
	switch (off) {
	case E_BASE_LO: e->base = (e->base & ~0xffffffffull) | v32; break;
	case E_BASE_HI: e->base = (e->base & 0xffffffffull) | ((uint64_t)v32 << 32); break;
	case E_COUNT: e->count = v32; break;
	case E_STRIDE: e->stride = v32; break;
	case E_SIZE: e->size = v32; break;
	case E_OWN_OFF: e->own_off = v32; break;
	case E_TAIL: e->tail = v32; break;
	default: break;
	}
}

static void e_step(void *ctx)
{
	struct echo *e = ctx;
	uint32_t w[MAXW];
	uint64_t a;

	if (!e->count || (e->phase == 0 && e->head == e->tail))
		return;
	a = e->base + (uint64_t)e->head * e->stride;
	if (e->phase == 1) {
		/* the owner word last, as real engines write back */
		sim_dev_write(e->dev, a + e->own_off, &e->own, 4);
		e->head = (e->head + 1) % e->count;
		e->phase = 0;
		return;
	}
	if (sim_dev_fetch(e->dev, a, w, e->size, e->own_off, OWN) ||
	    !(w[e->own_off / 4] & OWN))
		return;
	for (uint32_t k = 0; k < e->size / 4; k++) {
		if (k * 4 == e->own_off)
			continue;
		w[k] = ~w[k];
		sim_dev_write(e->dev, a + k * 4, &w[k], 4);
	}
	e->own = (w[e->own_off / 4] ^ 1u) & ~OWN;
	e->phase = 1;
}

static const struct sim_mmio_ops echo_ops = { e_read, e_write, e_step, free };

/* ---- the driver ---------------------------------------------------------- */

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

struct cfg {
	size_t line, size, own_w;	/* owner word index */
	int layout;			/* 0 padded, 1 batched, 2 uncached */
};

static const char *layout_name[] = { "padded", "batched", "uncached" };

/* One run: 64 descriptors through the ring; 0 or the number of errors. */
static int run(const struct cfg *c, uint64_t seed)
{
	struct sim_config sc;
	struct coh_region r0, r1;
	struct coh_device dev;
	struct coh_ring ring;
	struct coh_ring_layout lay = { COH_RING_ANY_SKIP, 4, c->layout == 1 ? COH_RING_BATCHED : 0 };
	volatile uint8_t *regs;
	struct echo *e;
	uint32_t imgs[COUNT][MAXW];	/* what was posted per slot */
	uint32_t batch[COUNT * MAXW];
	uint32_t s = (uint32_t)seed * 2654435761u + (uint32_t)(c->size * 7 + c->own_w);
	size_t words = c->size / 4, posted = 0, reaped = 0, total = 64;
	int errors = 0, rc;
	void *cpu;
	uint64_t phys;
	size_t n;

	sim_config_default(&sc);
	sc.seed = seed;
	sc.line = c->line;
	sc.ram_size = 64 * 1024;
	sc.uncached_size = 16 * 1024;
	if (sim_init(&sc))
		return 1000;
	sim_set_report_hook(hook, NULL);
	if (sim_area(0, &cpu, &phys, &n) || coh_region_add(&r0, cpu, phys, n, 0) ||
	    sim_area(1, &cpu, &phys, &n) || coh_region_add(&r1, cpu, phys, n, COH_REGION_UNCACHED))
		return 1000;
	coh_device_init(&dev, "echo", 0);
	dev.dma_mask = ~0ull;
	e = calloc(1, sizeof(*e));
	e->dev = &dev;
	regs = sim_mmio_map(E_REGS, &echo_ops, e);
	rc = coh_ring_create_layout_at(&ring, &dev, COUNT, c->size, 4, c->own_w * 4, OWN,
				       c->layout == 2 ? COH_ATTR_UNCACHED : 0, &lay, COH_HERE);
	if (rc || !regs) {
		printf("ring_layout_sim: ring refused (%d) line %zu size %zu %s\n", rc, c->line,
		       c->size, layout_name[c->layout]);
		return 1000;
	}
	coh_mmio_write32(regs + E_BASE_LO, (uint32_t)coh_ring_bus(&ring, 0));
	coh_mmio_write32(regs + E_BASE_HI, (uint32_t)(coh_ring_bus(&ring, 0) >> 32));
	coh_mmio_write32(regs + E_COUNT, COUNT);
	coh_mmio_write32(regs + E_STRIDE, (uint32_t)coh_ring_stride(&ring));
	coh_mmio_write32(regs + E_SIZE, (uint32_t)c->size);
	coh_mmio_write32(regs + E_OWN_OFF, (uint32_t)(c->own_w * 4));

	for (int spins = 0; reaped < total && spins < 20000 && !errors; spins++) {
		size_t space = coh_ring_space(&ring);
		uint32_t d[MAXW], want;

		/* post: one, a batch, or a chain, while there is room (one slot
		 * stays empty: the engine reads head == tail as idle) */
		if (posted < total && space > 1) {
			size_t m = 1 + rnd(&s) % (space - 1);
			int how = (int)(rnd(&s) % 3);

			if (m > total - posted)
				m = total - posted;
			if (c->layout == 1 && how == 2)
				how = 1;	/* chains: not on batched rings */
			if (how == 0)
				m = 1;
			for (size_t k = 0; k < m; k++)
				for (size_t w = 0; w < words; w++)
					batch[k * words + w] = w == c->own_w ? rnd(&s) & ~OWN & ~1u : rnd(&s);
			rc = how == 2 ? coh_ring_post_chain(&ring, batch, m)
				      : coh_ring_post_n(&ring, batch, m);
			if (rc < 0) {
				printf("post of %zu failed: %d\n", m, rc);
				errors++;
				break;
			}
			for (size_t k = 0; k < m; k++)
				memcpy(imgs[((size_t)rc + k) % COUNT], &batch[k * words], c->size);
			posted += m;
			/* the doorbell: ordered after the ring's releases */
			coh_mmio_write32(regs + E_TAIL, (uint32_t)coh_ring_next(&ring));
		}
		sim_step();
		while ((rc = coh_ring_reap(&ring, d)) >= 0) {
			uint32_t *p = imgs[rc];

			for (size_t w = 0; w < words; w++) {
				want = w == c->own_w ? (p[w] ^ 1u) & ~OWN : ~p[w];
				errors += d[w] != want;
			}
			reaped++;
		}
		if (rc != -COH_EAGAIN)
			errors++;
		/* a batched ring: stage fillers until the last group is whole */
		if (posted == total && c->layout == 1 && ring.staged) {
			memset(d, 0, sizeof(d));
			rc = coh_ring_post(&ring, d);
			if (rc < 0) {
				errors++;
				break;
			}
			memcpy(imgs[rc], d, c->size);
			if (!ring.staged)
				coh_mmio_write32(regs + E_TAIL, (uint32_t)coh_ring_next(&ring));
			total++;
			posted++;
		}
	}
	if (reaped < total)
		errors++;
	coh_mmio_write32(regs + E_COUNT, 0);	/* stop the engine */
	coh_ring_reset(&ring);
	coh_ring_destroy(&ring);
	sim_quiesce();
	coh_region_remove(&r1);
	coh_region_remove(&r0);
	sim_fini();
	return errors;
}

int main(int argc, char **argv)
{
	static const size_t lines[] = { 32, 64, 128 }, sizes[] = { 16, 32, 64 };
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
			for (size_t si = 0; si < 3; si++)
				for (int pos = 0; pos < 3; pos++)
					for (int lay = 0; lay < 3; lay++) {
						size_t w = sizes[si] / 4;
						struct cfg c = { lines[li], sizes[si],
								 pos == 0 ? 0 : pos == 1 ? w / 2 : w - 1, lay };
						unsigned long before = reports;
						int err = run(&c, seed);

						runs++;
						if (!err && reports == before)
							continue;
						bad++;
						if (want_clean || bad == 1)
							printf("seed %lu line %zu size %zu owner word %zu %s: %d errors, %lu reports%s%s\n",
							       seed, c.line, c.size, c.own_w, layout_name[lay], err,
							       reports - before, reports != before ? "; first: " : "",
							       reports != before ? first : "");
						if (!want_clean) {
							printf("ring_layout_sim: caught\nring_layout_sim: 1 passed, 0 failed\n");
							return 0;
						}
					}
	if (!want_clean) {
		printf("ring_layout_sim: mutation NOT caught in %lu runs\nring_layout_sim: 0 passed, 1 failed\n", runs);
		return 1;
	}
	printf("ring_layout_sim: %lu runs (%lu seeds x 3 lines x 3 sizes x 3 owner words x 3 layouts), %lu bad\n",
	       runs, seeds, bad);
	printf("ring_layout_sim: %lu passed, %lu failed\n", runs - bad, bad);
	return bad ? 1 : 0;
}
