/* SPDX-License-Identifier: MIT */
/*
 * bench/hand.h - the baselines: descriptor handling and a buffer pool
 * written by hand, the way drivers do it without the library (a pointer to
 * the descriptors in the driver's own structure, volatile stores, one
 * maintenance call where the driver knows it needs one).
 */
#ifndef COHERENT_BENCH_HAND_H
#define COHERENT_BENCH_HAND_H

#include <stddef.h>
#include <string.h>

#include "coherent/coherent.h"

struct hand_desc {
	uint32_t addr_lo, addr_hi, len, ctrl;
};

#define HAND_NDESC 64
#define HAND_OWN 0x80000000u

struct hand_drv {
	struct hand_desc *ring;		/* packed descriptors (accessor rows) */
	unsigned char *slots;		/* one COH_MAX_LINE per descriptor (ring rows) */
	struct coh_device *dev;
	size_t head, tail;
};

static inline unsigned char *hand_ring_mem(struct coh_device *dev)
{
	static unsigned char mem[HAND_NDESC * COH_MAX_LINE]
		__attribute__((aligned(COH_MAX_LINE)));

	(void)dev;
	return mem;
}

static inline uint32_t *hand_own(struct hand_drv *d, size_t slot)
{
	return (uint32_t *)(void *)(d->slots + slot * COH_MAX_LINE +
				    offsetof(struct hand_desc, ctrl));
}

/* fields, then the owner word, all in one line: one release */
static inline void hand_post(struct hand_drv *d, const struct hand_desc *in)
{
	unsigned char *s = d->slots + d->head * COH_MAX_LINE;
	uint32_t *own = hand_own(d, d->head);

	memcpy(s, in, offsetof(struct hand_desc, ctrl));
	*(volatile uint32_t *)own = in->ctrl | HAND_OWN;
	coh_release(d->dev, s, sizeof(*in));
	d->head = (d->head + 1) & (HAND_NDESC - 1);
}

static inline int hand_reap(struct hand_drv *d, struct hand_desc *out)
{
	unsigned char *s = d->slots + d->tail * COH_MAX_LINE;
	uint32_t *own = hand_own(d, d->tail);

	coh_acquire(d->dev, own, sizeof(*own));
	if (*(volatile uint32_t *)own & HAND_OWN)
		return -COH_EAGAIN;
	coh_dma_rmb();
	coh_acquire(d->dev, s, sizeof(*out));
	memcpy(out, s, sizeof(*out));
	d->tail = (d->tail + 1) & (HAND_NDESC - 1);
	return 0;
}

/* fixed blocks carved from one static area, a singly linked free list */
struct hand_pool {
	void *free;
	uintptr_t base;
	coh_bus_t bus;
};

static inline int hand_pool_init(struct hand_pool *p, struct coh_device *dev,
				 size_t block, size_t n)
{
	static unsigned char mem[16 * 2048] __attribute__((aligned(4096)));

	(void)dev;
	if (block * n > sizeof(mem) || block < sizeof(void *))
		return -COH_EINVAL;
	p->base = (uintptr_t)mem;
	p->bus = (coh_bus_t)(uintptr_t)mem;
	p->free = NULL;
	for (size_t i = n; i-- > 0;) {
		void **b = (void **)(void *)(mem + i * block);

		*b = p->free;
		p->free = b;
	}
	return 0;
}

static inline void *hand_pool_alloc(struct hand_pool *p, coh_bus_t *bus)
{
	void **b = p->free;

	if (!b)
		return NULL;
	p->free = *b;
	*bus = p->bus + (coh_bus_t)((uintptr_t)b - p->base);
	return b;
}

static inline void hand_pool_free(struct hand_pool *p, void *blk)
{
	*(void **)blk = p->free;
	p->free = blk;
}

#endif
