/* SPDX-License-Identifier: MIT */
/*
 * sim/sim_scanout.h - a display controller's scan-out engine (sim/scanout.c):
 * told a frame (bus address, pitch, width, height of 32-bit pixels) and a
 * rectangle, it copies the rectangle from RAM to its screen a few rows per
 * simulator step, busy until done: the shape of a virtio-gpu transfer or a
 * display controller's partial refresh.  Everything it reads goes through
 * sim_dev_read(), so the sanitizer sees a frame line read with CPU writes
 * not yet released (drawn but not released, the wrong rectangle released,
 * drawing while it reads).
 */
#ifndef COHERENT_SIM_SCANOUT_H
#define COHERENT_SIM_SCANOUT_H

#include <stdint.h>

#include "coherent/device.h"

#define SCANOUT_BASE_LO	0x00
#define SCANOUT_BASE_HI	0x04
#define SCANOUT_PITCH	0x08	/* bytes, >= 4 * WIDTH */
#define SCANOUT_WIDTH	0x0c	/* pixels, at most SCANOUT_MAX_DIM */
#define SCANOUT_HEIGHT	0x10
#define SCANOUT_RECT_X	0x14
#define SCANOUT_RECT_Y	0x18
#define SCANOUT_RECT_W	0x1c
#define SCANOUT_RECT_H	0x20
#define SCANOUT_CTRL	0x24	/* write START: copy the rectangle (ignored while busy) */
#define SCANOUT_STATUS	0x28	/* BUSY while copying; ERR (write 1 to clear) */
#define SCANOUT_COPIES	0x2c	/* copies completed */
#define SCANOUT_REGS_SIZE 0x30

#define SCANOUT_CTRL_START	(1u << 0)
#define SCANOUT_ST_BUSY		(1u << 0)
#define SCANOUT_ST_ERR		(1u << 1)	/* bad geometry, or a bus error */

#define SCANOUT_ROWS_PER_STEP	2
#define SCANOUT_MAX_DIM		4096

struct sim_scanout;

/*
 * A scan-out engine reading RAM as dev.  Returns its register window (for
 * coh_mmio_*), or NULL; *model (may be NULL) names it for sim_scanout_screen().
 * Freed by sim_fini().
 */
void *sim_scanout_create(const struct coh_device *dev, struct sim_scanout **model);

/* The screen: width x height XRGB8888 pixels, tightly packed; NULL before a geometry. */
const uint32_t *sim_scanout_screen(const struct sim_scanout *s, uint32_t *width,
				   uint32_t *height);

#endif
