/* SPDX-License-Identifier: MIT */
/* drivers/fb/draw.c - the drawing both framebuffer drivers share (fb.h). */
#include "fb.h"

static int rect_ok(const struct fb *fb, const struct coh_rect *r)
{
	if (!fb || !r || !fb->frame.base)
		return -COH_EINVAL;
	if (fb->format != FB_FORMAT_XRGB8888 || fb->frame.bpp != 4)
		return -COH_EINVAL;
	if (r->x > fb->frame.width || r->w > fb->frame.width - r->x ||
	    r->y > fb->frame.height || r->h > fb->frame.height - r->y)
		return -COH_ERANGE;
	return 0;
}

int fb_update(struct fb *fb, const struct coh_rect *r)
{
	int rc = rect_ok(fb, r);

	if (rc)
		return rc;
	if (!fb->ops || !fb->ops->update)
		return -COH_EINVAL;
	if (!r->w || !r->h)
		return 0;
	fb->updates++;
	return fb->ops->update(fb, r);
}

int fb_update_all(struct fb *fb)
{
	struct coh_rect r = { 0, 0, fb ? fb->frame.width : 0, fb ? fb->frame.height : 0 };

	return fb_update(fb, &r);
}

int fb_fill(struct fb *fb, const struct coh_rect *r, uint32_t xrgb)
{
	int rc = rect_ok(fb, r);

	if (rc)
		return rc;
	for (uint32_t y = r->y; y < r->y + r->h; y++) {
		uint32_t *p = fb_pixel(fb, r->x, y);

		for (uint32_t x = 0; x < r->w; x++)
			p[x] = xrgb;
	}
	return 0;
}

int fb_put_rgb24(struct fb *fb, uint32_t x, uint32_t y, uint32_t w, const uint8_t *rgb)
{
	struct coh_rect r = { x, y, w, 1 };
	int rc = rgb ? rect_ok(fb, &r) : -COH_EINVAL;
	uint32_t *p;

	if (rc)
		return rc;
	p = fb_pixel(fb, x, y);
	for (uint32_t i = 0; i < w; i++)
		p[i] = fb_rgb(rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]);
	return 0;
}

int fb_invert(struct fb *fb, const struct coh_rect *r)
{
	int rc = rect_ok(fb, r);

	if (rc)
		return rc;
	for (uint32_t y = r->y; y < r->y + r->h; y++) {
		uint32_t *p = fb_pixel(fb, r->x, y);

		for (uint32_t x = 0; x < r->w; x++)
			p[x] ^= 0x00ffffffu;
	}
	return 0;
}
