/* SPDX-License-Identifier: MIT */
/* sim/scanout.c - the scan-out engine model (see sim_scanout.h). */
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "sim_scanout.h"

struct sim_scanout {
	const struct coh_device *dev;
	uint64_t base;
	uint32_t pitch, width, height;
	uint32_t rx, ry, rw, rh;
	uint32_t status, copies;
	/* the copy in progress: its rectangle, as latched at START */
	int active;
	uint64_t t_base;
	uint32_t t_pitch, t_x, t_y, t_w, t_h, t_row;
	uint32_t *screen;
	uint32_t sw, sh;
};

static uint64_t scanout_read(void *ctx, size_t off, unsigned size)
{
	struct sim_scanout *s = ctx;

	(void)size;
	switch (off) {
	case SCANOUT_BASE_LO: return (uint32_t)s->base;
	case SCANOUT_BASE_HI: return (uint32_t)(s->base >> 32);
	case SCANOUT_PITCH: return s->pitch;
	case SCANOUT_WIDTH: return s->width;
	case SCANOUT_HEIGHT: return s->height;
	case SCANOUT_RECT_X: return s->rx;
	case SCANOUT_RECT_Y: return s->ry;
	case SCANOUT_RECT_W: return s->rw;
	case SCANOUT_RECT_H: return s->rh;
	case SCANOUT_STATUS: return s->status | (s->active ? SCANOUT_ST_BUSY : 0);
	case SCANOUT_COPIES: return s->copies;
	default: return 0;
	}
}

/* START: latch the frame and the rectangle, or refuse them */
static void start(struct sim_scanout *s)
{
	if (!s->width || !s->height || s->width > SCANOUT_MAX_DIM ||
	    s->height > SCANOUT_MAX_DIM || s->pitch < 4u * s->width ||
	    s->rx > s->width || s->rw > s->width - s->rx || s->ry > s->height ||
	    s->rh > s->height - s->ry) {
		s->status |= SCANOUT_ST_ERR;
		return;
	}
	if (s->sw != s->width || s->sh != s->height) {
		uint32_t *n = calloc((size_t)s->width * s->height, 4);

		if (!n) {
			s->status |= SCANOUT_ST_ERR;
			return;
		}
		free(s->screen);
		s->screen = n;
		s->sw = s->width;
		s->sh = s->height;
	}
	sim_dev_doorbell(s->dev);
	s->t_base = s->base;
	s->t_pitch = s->pitch;
	s->t_x = s->rx;
	s->t_y = s->ry;
	s->t_w = s->rw;
	s->t_h = s->rh;
	s->t_row = 0;
	s->active = s->rw && s->rh;
	if (!s->active)
		s->copies++;
}

static void scanout_write(void *ctx, size_t off, uint64_t v, unsigned size)
{
	struct sim_scanout *s = ctx;
	uint32_t v32 = (uint32_t)v;

	(void)size;
	switch (off) {
	case SCANOUT_BASE_LO: sim_reg_half(&s->base, 0, v32); break;
	case SCANOUT_BASE_HI: sim_reg_half(&s->base, 1, v32); break;
	case SCANOUT_PITCH: s->pitch = v32; break;
	case SCANOUT_WIDTH: s->width = v32; break;
	case SCANOUT_HEIGHT: s->height = v32; break;
	case SCANOUT_RECT_X: s->rx = v32; break;
	case SCANOUT_RECT_Y: s->ry = v32; break;
	case SCANOUT_RECT_W: s->rw = v32; break;
	case SCANOUT_RECT_H: s->rh = v32; break;
	case SCANOUT_CTRL:
		if ((v32 & SCANOUT_CTRL_START) && !s->active)
			start(s);
		break;
	case SCANOUT_STATUS: s->status &= ~(v32 & SCANOUT_ST_ERR); break;
	default: break;
	}
}

/* a few rows of the rectangle from RAM to the screen */
static void scanout_step(void *ctx)
{
	struct sim_scanout *s = ctx;

	for (int k = 0; k < SCANOUT_ROWS_PER_STEP && s->active; k++) {
		uint32_t y = s->t_y + s->t_row;
		uint64_t a = s->t_base + (uint64_t)y * s->t_pitch + (uint64_t)s->t_x * 4u;

		if (sim_dev_read(s->dev, a, s->screen + (size_t)y * s->sw + s->t_x,
				 (size_t)s->t_w * 4u)) {
			s->status |= SCANOUT_ST_ERR;
			s->active = 0;
			return;
		}
		if (++s->t_row == s->t_h) {
			s->active = 0;
			s->copies++;
		}
	}
}

static void scanout_destroy(void *ctx)
{
	struct sim_scanout *s = ctx;

	free(s->screen);
	free(s);
}

static const struct sim_mmio_ops scanout_ops = {
	.read = scanout_read,
	.write = scanout_write,
	.step = scanout_step,
	.destroy = scanout_destroy,
};

void *sim_scanout_create(const struct coh_device *dev, struct sim_scanout **model)
{
	struct sim_scanout *s;
	void *regs;

	if (!dev)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->dev = dev;
	regs = sim_mmio_map(SCANOUT_REGS_SIZE, &scanout_ops, s);
	if (!regs) {
		free(s);
		return NULL;
	}
	if (model)
		*model = s;
	return regs;
}

const uint32_t *sim_scanout_screen(const struct sim_scanout *s, uint32_t *width,
				   uint32_t *height)
{
	if (width)
		*width = s ? s->sw : 0;
	if (height)
		*height = s ? s->sh : 0;
	return s ? s->screen : NULL;
}
