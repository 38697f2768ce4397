/* SPDX-License-Identifier: MIT */
#include "picture.h"

static int draw_rect(struct fb *fb, const struct coh_rect *r, const uint8_t *rgb)
{
	int rc;

	for (uint32_t y = r->y; y < r->y + r->h; y++) {
		rc = fb_put_rgb24(fb, r->x, y, r->w,
				  rgb + ((size_t)y * fb->frame.width + r->x) * 3);
		if (rc)
			return rc;
	}
	return fb_update(fb, r);
}

int pic_draw(struct fb *fb, const uint8_t *rgb)
{
	uint32_t w = fb->frame.width, h = fb->frame.height;
	uint32_t lw = w / 3 + (w > 2), y = 0, k = 0;
	struct coh_rect left = { 0, 0, lw, h };
	int rc = draw_rect(fb, &left, rgb);

	while (!rc && lw < w && y < h) {
		uint32_t rh = h / 4 + 1 + k++ % 3;
		struct coh_rect r = { lw, y, w - lw, rh < h - y ? rh : h - y };

		rc = draw_rect(fb, &r, rgb);
		y += r.h;
	}
	return rc;
}

struct coh_rect pic_second(uint32_t w, uint32_t h)
{
	struct coh_rect r = { w / 4, h / 3, w / 3 + 1, h / 4 + 1 };

	if (r.x + r.w > w)
		r.w = w - r.x;
	if (r.y + r.h > h)
		r.h = h - r.y;
	return r;
}
