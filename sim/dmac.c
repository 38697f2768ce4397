/* SPDX-License-Identifier: MIT */
/* sim/dmac.c - the memory-to-memory DMA controller model (see sim_dmac.h). */
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "sim_dmac.h"

struct dmac {
	const struct coh_device *dev;
	void *regs;
	uint32_t ctrl, status, len, ring_size, head, tail, stride;
	uint32_t done_count, err_count;
	uint64_t src, dst, ring;
	/* the transfer in progress */
	int active, from_ring;
	uint64_t t_src, t_dst, t_desc;
	uint32_t t_len, t_pos, t_ctrl;
};

static void set_hi(uint64_t *r, uint64_t v)
{
	*r = (*r & 0xffffffffu) | (v << 32);
}

static void set_lo(uint64_t *r, uint64_t v)
{
	*r = (*r & ~(uint64_t)0xffffffffu) | (v & 0xffffffffu);
}

static void fetch(struct dmac *d);

static uint64_t dmac_read(void *ctx, size_t off, unsigned size)
{
	struct dmac *d = ctx;

	(void)size;
	switch (off) {
	case DMAC_CTRL: return d->ctrl;
	case DMAC_STATUS: return d->status | (d->active ? DMAC_ST_BUSY : 0);
	case DMAC_SRC_LO: return (uint32_t)d->src;
	case DMAC_SRC_HI: return (uint32_t)(d->src >> 32);
	case DMAC_DST_LO: return (uint32_t)d->dst;
	case DMAC_DST_HI: return (uint32_t)(d->dst >> 32);
	case DMAC_LEN: return d->len;
	case DMAC_RING_LO: return (uint32_t)d->ring;
	case DMAC_RING_HI: return (uint32_t)(d->ring >> 32);
	case DMAC_RING_SIZE: return d->ring_size;
	case DMAC_RING_HEAD: return d->head;
	case DMAC_RING_TAIL: return d->tail;
	case DMAC_DESC_STRIDE: return d->stride;
	case DMAC_DONE_COUNT: return d->done_count;
	case DMAC_ERR_COUNT: return d->err_count;
	default: return 0;
	}
}

static void dmac_write(void *ctx, size_t off, uint64_t v, unsigned size)
{
	struct dmac *d = ctx;
	uint32_t v32 = (uint32_t)v;

	(void)size;
	switch (off) {
	case DMAC_CTRL:
		d->ctrl = v32 & (DMAC_CTRL_RING_EN | DMAC_CTRL_IRQ_EN | DMAC_CTRL_POLL);
		if ((v32 & DMAC_CTRL_START) && !d->active) {
			sim_dev_doorbell(d->dev);
			d->active = 1;
			d->from_ring = 0;
			d->t_src = d->src;
			d->t_dst = d->dst;
			d->t_len = d->len;
			d->t_pos = 0;
			d->status &= ~(DMAC_ST_DONE | DMAC_ST_ERR);
		}
		break;
	case DMAC_STATUS:
		d->status &= ~(v32 & (DMAC_ST_DONE | DMAC_ST_ERR | DMAC_ST_RING_STALL));
		break;
	case DMAC_SRC_LO: set_lo(&d->src, v); break;
	case DMAC_SRC_HI: set_hi(&d->src, v32); break;
	case DMAC_DST_LO: set_lo(&d->dst, v); break;
	case DMAC_DST_HI: set_hi(&d->dst, v32); break;
	case DMAC_LEN: d->len = v32; break;
	case DMAC_RING_LO: set_lo(&d->ring, v); break;
	case DMAC_RING_HI: set_hi(&d->ring, v32); break;
	case DMAC_RING_SIZE: d->ring_size = v32; d->head = d->tail = 0; break;
	case DMAC_RING_TAIL:
		if (d->ring_size)
			d->tail = v32 % d->ring_size;
		d->status &= ~DMAC_ST_RING_STALL;
		sim_dev_doorbell(d->dev);
		/* a doorbell: the engine fetches the next descriptor at once,
		 * as real ones do, not at some later step */
		if (!d->active && (d->ctrl & DMAC_CTRL_RING_EN) && d->head != d->tail)
			fetch(d);
		break;
	case DMAC_DESC_STRIDE:
		d->stride = v32 >= sizeof(struct dmac_desc) ? v32 : (uint32_t)sizeof(struct dmac_desc);
		break;
	default: break;
	}
}

static void finish(struct dmac *d, int err)
{
	d->active = 0;
	if (err) {
		d->status |= DMAC_ST_ERR;
		d->err_count++;
	} else {
		d->done_count++;
	}
	d->status |= DMAC_ST_DONE;
	if (d->from_ring) {
		uint32_t ctrl = (d->t_ctrl & ~(DMAC_DESC_OWN | DMAC_DESC_ERR)) |
				(err ? DMAC_DESC_ERR : 0);
		uint32_t moved = d->t_pos;

		/* data first, then the status word, then the hand-back (OWN cleared) */
		if (sim_dev_write(d->dev, d->t_desc + __builtin_offsetof(struct dmac_desc, status),
				  &moved, sizeof(moved)) ||
		    sim_dev_write(d->dev, d->t_desc, &ctrl, sizeof(ctrl)))
			d->status |= DMAC_ST_ERR;
		d->head = (d->head + 1) % d->ring_size;
		if ((d->ctrl & DMAC_CTRL_IRQ_EN) && (d->t_ctrl & DMAC_DESC_IRQ))
			sim_irq_raise(d->regs);
	} else if (d->ctrl & DMAC_CTRL_IRQ_EN) {
		sim_irq_raise(d->regs);
	}
}

static void fetch(struct dmac *d)
{
	struct dmac_desc desc;
	uint64_t a = d->ring + (uint64_t)d->head * d->stride;

	/* acts on the descriptor only if it owns it: ordering is checked then */
	if (sim_dev_fetch(d->dev, a, &desc, sizeof(desc),
			  __builtin_offsetof(struct dmac_desc, ctrl), DMAC_DESC_OWN)) {
		d->status |= DMAC_ST_ERR | DMAC_ST_RING_STALL;
		d->err_count++;
		d->tail = d->head; /* stop: the ring itself is unreachable */
		return;
	}
	if (!(desc.ctrl & DMAC_DESC_OWN)) {
		if (!(d->ctrl & DMAC_CTRL_POLL))
			d->status |= DMAC_ST_RING_STALL;
		return;
	}
	d->active = 1;
	d->from_ring = 1;
	d->t_desc = a;
	d->t_ctrl = desc.ctrl;
	d->t_src = desc.src;
	d->t_dst = desc.dst;
	d->t_len = desc.ctrl & DMAC_DESC_LEN_MASK;
	d->t_pos = 0;
}

static void dmac_step(void *ctx)
{
	struct dmac *d = ctx;
	uint8_t buf[DMAC_CHUNK];
	uint32_t n;

	/* the next descriptor: up to the tail, or in poll mode at every step */
	if (!d->active && (d->ctrl & DMAC_CTRL_RING_EN) && d->ring_size &&
	    ((d->ctrl & DMAC_CTRL_POLL) ||
	     (d->head != d->tail && !(d->status & DMAC_ST_RING_STALL))))
		fetch(d);
	if (!d->active)
		return;
	n = d->t_len - d->t_pos;
	if (n > DMAC_CHUNK)
		n = DMAC_CHUNK;
	if (n && (sim_dev_read(d->dev, d->t_src + d->t_pos, buf, n) ||
		  sim_dev_write(d->dev, d->t_dst + d->t_pos, buf, n))) {
		finish(d, 1);
		return;
	}
	d->t_pos += n;
	if (d->t_pos == d->t_len)
		finish(d, 0);
}

static const struct sim_mmio_ops dmac_ops = {
	.read = dmac_read,
	.write = dmac_write,
	.step = dmac_step,
	.destroy = free,
};

void *sim_dmac_create(const struct coh_device *dev)
{
	struct dmac *d;

	if (!dev)
		return NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->dev = dev;
	d->stride = sizeof(struct dmac_desc);
	d->regs = sim_mmio_map(DMAC_REGS_SIZE, &dmac_ops, d);
	if (!d->regs) {
		free(d);
		return NULL;
	}
	return d->regs;
}
