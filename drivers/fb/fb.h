/* SPDX-License-Identifier: MIT */
/*
 * drivers/fb/fb.h - the framebuffer both display drivers offer
 * (virtio-gpu, ramfb), so drawing code is written once.
 *
 * A frame is CPU memory the driver set up (cached, or write-combining)
 * that a device reads: the pixel format, the pitch, and one call, "this
 * rectangle changed", which does what the device needs for the pixels of
 * that rectangle to reach the screen: the rectangle's release
 * (coherent/rect.h), then for virtio-gpu a transfer and a flush of just
 * that rectangle; for ramfb (which scans the frame out continuously) the
 * release alone.
 *
 * Drawing protocol: draw into a rectangle, then fb_update() it; pixels
 * drawn and not yet updated may or may not be on the screen.  Never draw
 * while an fb_update() of an overlapping rectangle runs (one context per
 * framebuffer).
 */
#ifndef COHERENT_DRIVERS_FB_H
#define COHERENT_DRIVERS_FB_H

#include "coherent/coherent.h"
#include "coherent/rect.h"

/*
 * Pixel formats, as DRM fourcc codes (little-endian 32-bit words): the one
 * both drivers use is XRGB8888, bytes B, G, R, X in memory.
 */
#define FB_FOURCC(a, b, c, d) \
	((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)
#define FB_FORMAT_XRGB8888 FB_FOURCC('X', 'R', '2', '4')

struct fb;

/* What a driver provides. */
struct fb_ops {
	/* the pixels of r (inside the frame, non-empty) to the screen */
	int (*update)(struct fb *fb, const struct coh_rect *r);
};

struct fb {
	struct coh_frame frame;		/* base, pitch, width, height, bytes per pixel */
	uint32_t format;		/* FB_FORMAT_* */
	struct coh_device *dev;		/* the device that reads the frame */
	const struct fb_ops *ops;
	void *drv;			/* the driver's */
	unsigned long updates;		/* fb_update() calls that reached the driver */
};

/*
 * "This rectangle changed": its pixels reach the screen before the call
 * returns (virtio-gpu: the device has copied them; ramfb: the next scan
 * reads them).  A rectangle of no pixels does nothing.
 * Returns 0; -COH_EINVAL fb NULL or without a driver, r NULL;
 * -COH_ERANGE r not inside the frame; the driver's codes (drivers/virtio/
 * virtio_gpu.h, drivers/ramfb/ramfb.h).  Not for interrupt context.
 */
int fb_update(struct fb *fb, const struct coh_rect *r);

/* The whole frame (fb_update() of every pixel). */
int fb_update_all(struct fb *fb);

/* Address of pixel (x, y); the caller keeps x, y inside the frame. */
static inline uint32_t *fb_pixel(const struct fb *fb, uint32_t x, uint32_t y)
{
	return (uint32_t *)(void *)((uint8_t *)fb->frame.base + (size_t)y * fb->frame.pitch +
				    (size_t)x * 4u);
}

/* 0x00RRGGBB as an XRGB8888 pixel */
static inline uint32_t fb_rgb(uint8_t r, uint8_t g, uint8_t b)
{
	return (uint32_t)r << 16 | (uint32_t)g << 8 | b;
}

/*
 * Drawing (drivers/fb/draw.c), CPU only: nothing reaches the screen until
 * fb_update().  Each clips nothing: -COH_ERANGE when r is not inside the
 * frame, -COH_EINVAL for NULL arguments or a format other than XRGB8888;
 * nothing is drawn on error.
 */
int fb_fill(struct fb *fb, const struct coh_rect *r, uint32_t xrgb);
/* one row of w packed 8-bit RGB pixels (a PPM row) at (x, y) */
int fb_put_rgb24(struct fb *fb, uint32_t x, uint32_t y, uint32_t w, const uint8_t *rgb);
/* every pixel of r XORed with 0x00ffffff (its negative) */
int fb_invert(struct fb *fb, const struct coh_rect *r);

#endif
