/* SPDX-License-Identifier: MIT */
/*
 * drivers/ramfb/ramfb.h - QEMU's ramfb: a frame in guest RAM the display
 * reads by itself, configured once by writing {be64 address, be32 fourcc,
 * be32 flags, be32 width, be32 height, be32 stride} to the fw_cfg file
 * "etc/ramfb" (QEMU hw/display/ramfb.c), offered as a framebuffer
 * (drivers/fb/fb.h).
 *
 * The frame is device-read, continuously: "this rectangle changed" is the
 * rectangle's release (coherent/rect.h), nothing else; the next scan shows
 * it.  QEMU's ramfb shows no frame below 16x16 pixels.
 *
 * Concurrency: one context; not for interrupt context.
 */
#ifndef COHERENT_DRIVERS_RAMFB_H
#define COHERENT_DRIVERS_RAMFB_H

#include "fw_cfg.h"
#include "../fb/fb.h"

#define RAMFB_VIRT_FW_CFG 0x09020000u	/* aarch64 virt */
#define RAMFB_MIN_DIM 16u
#define RAMFB_MAX_DIM 16000u

struct ramfb {
	struct fw_cfg cfg;
	struct fb fb;
};

/*
 * Find etc/ramfb, show the width x height XRGB8888 frame at mem (pitch
 * width * 4, physically contiguous, size bytes; cached memory, or in a
 * write-combining / uncached coh_region).  On success *fb is the
 * framebuffer.  Ownership: the device reads mem from now on, at any time.
 * Returns 0; -COH_EINVAL NULL, size below the frame; -COH_ERANGE width or
 * height outside [16, 16000]; -COH_EFAULT mem is not known memory;
 * -COH_ENODEV no fw_cfg DMA or no etc/ramfb; -COH_EPROTO etc/ramfb is not
 * the 28-byte configuration; the codes of fw_cfg_dma().
 */
int ramfb_init(struct ramfb *r, void *fw_cfg_base, struct coh_device *dev, void *mem,
	       size_t size, uint32_t width, uint32_t height, struct fb **fb);

#endif
