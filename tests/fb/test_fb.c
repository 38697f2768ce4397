/* SPDX-License-Identifier: MIT */
/*
 * drivers/fb (fb.h, draw.c): drawing and "this rectangle changed" through a
 * driver's ops, on the recording backend: the update reaches the driver
 * with the rectangle, its release cleans the rectangle's lines; bad
 * rectangles are refused before anything is drawn or released.
 */
#include <string.h>

#include "coherent/coherent.h"
#include "harness.h"
#include "record/record_ops.h"
#include "../drivers/fb/fb.h"

TH_DEFINE_COUNTERS;

#define W 37
#define H 11
static uint32_t frame[H][W + 3] __attribute__((aligned(64)));
static struct coh_device dev;
static struct coh_rect last;
static int calls;

static int fake_update(struct fb *fb, const struct coh_rect *r)
{
	last = *r;
	calls++;
	return coh_release_rect(fb->dev, &fb->frame, r, NULL);
}

static const struct fb_ops ops = { fake_update };

static void init(struct fb *fb)
{
	memset(frame, 0, sizeof(frame));
	*fb = (struct fb){ { frame, sizeof(frame[0]), W, H, 4 }, FB_FORMAT_XRGB8888, &dev, &ops,
			   NULL, 0 };
	calls = 0;
	rec_n = 0;
}

static void test_draw_update(void)
{
	struct fb fb;
	struct coh_rect r = { 3, 2, 5, 4 };
	static const uint8_t rgb[6] = { 1, 2, 3, 0xff, 0x80, 0 };

	init(&fb);
	CHECK_EQ(fb_fill(&fb, &r, 0x123456), 0);
	CHECK_EQ(frame[2][3], 0x123456);
	CHECK_EQ(frame[5][7], 0x123456);
	CHECK_EQ(frame[1][3], 0);
	CHECK_EQ(frame[2][8], 0);
	CHECK_EQ(frame[6][3], 0);
	CHECK_EQ(fb_invert(&fb, &r), 0);
	CHECK_EQ(frame[3][4], 0x123456 ^ 0xffffff);
	CHECK_EQ(fb_put_rgb24(&fb, W - 2, H - 1, 2, rgb), 0);
	CHECK_EQ(frame[H - 1][W - 2], 0x010203);
	CHECK_EQ(frame[H - 1][W - 1], 0xff8000);
	CHECK_EQ(rec_n, 0);	/* drawing is CPU only */
	CHECK_EQ(fb_update(&fb, &r), 0);
	CHECK_EQ(calls, 1);
	CHECK(!memcmp(&last, &r, sizeof(r)));
	/* pitch 160: rows 2..5 at 320 + 12 .. + 32: one line each, one barrier */
	REC_CHECK_OPS("CCCCB", return);
	CHECK_EQ(rec_log[0].addr, (uintptr_t)&frame[2][0]);
	CHECK_EQ(fb_update_all(&fb), 0);
	CHECK_EQ(last.w, W);
	CHECK_EQ(last.h, H);
}

static void test_refused(void)
{
	struct fb fb;
	struct coh_rect out = { W - 1, 0, 2, 1 }, empty = { 1, 1, 0, 1 }, r = { 0, 0, 1, 1 };
	static const uint8_t rgb[9];

	init(&fb);
	CHECK_EQ(fb_update(NULL, &r), -COH_EINVAL);
	CHECK_EQ(fb_update(&fb, NULL), -COH_EINVAL);
	CHECK_EQ(fb_update(&fb, &out), -COH_ERANGE);
	CHECK_EQ(fb_fill(&fb, &out, 1), -COH_ERANGE);
	CHECK_EQ(fb_invert(&fb, &out), -COH_ERANGE);
	CHECK_EQ(fb_put_rgb24(&fb, W - 2, 0, 3, rgb), -COH_ERANGE);
	CHECK_EQ(fb_put_rgb24(&fb, 0, 0, 3, NULL), -COH_EINVAL);
	CHECK_EQ(fb_update(&fb, &empty), 0);
	fb.format = 0;
	CHECK_EQ(fb_fill(&fb, &r, 1), -COH_EINVAL);
	fb.format = FB_FORMAT_XRGB8888;
	fb.ops = NULL;
	CHECK_EQ(fb_update(&fb, &r), -COH_EINVAL);
	CHECK_EQ(calls, 0);
	CHECK_EQ(rec_n, 0);
	CHECK_EQ(frame[0][W - 1], 0);
}

int main(void)
{
	rec_hw_line = 64;
	(void)coh_set_cache_line_size(64);
	coh_device_init(&dev, "fb", 0);
	RUN(test_draw_update);
	RUN(test_refused);
	return th_finish("fb_record");
}
