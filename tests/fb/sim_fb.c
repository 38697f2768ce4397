/* SPDX-License-Identifier: MIT */
/*
 * The framebuffer drawing code (drivers/fb, tests/fb/picture.c: what the
 * QEMU runs draw) on the simulated non-coherent SoC, read by the scan-out
 * model (sim/scanout.c) through a small driver below, under the sanitizer:
 * a picture in partial updates, one rectangle inverted, then inverted back
 * (drawing again where the engine has just read).
 * The screen must equal the picture and the sanitizer must stay silent,
 * for every seed and line size.
 *
 * usage: sim_fb <mode> <seeds> [uncached]
 *   clean       the driver as it should be: no report, screen right
 *   unreleased  one rectangle drawn but never released (nor given)
 *   offbyone    every rectangle released one row too low
 *   pitch       released as if rows were contiguous (the pitch ignored)
 *   drawbusy    no wait for the engine (the rectangle taken back only at the
 *               next update): the next drawing lands while it reads
 * A planted bug must be caught (a report, or a wrong screen) at some seed:
 * "caught at seed N"; "NOT caught" otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "sim_scanout.h"
#include "picture.h"

#define W 150
#define H 61
#define PITCH (W * 4 + 96)	/* rows padded: a release that ignores it misses lines */

enum mode { CLEAN, UNRELEASED, OFFBYONE, PITCHBUG, DRAWBUSY };
static enum mode mode;
static struct coh_device dev;
static void *regs;
static unsigned updates;

static uint32_t rd(size_t off)
{
	return coh_mmio_read32((volatile uint8_t *)regs + off);
}

static void wr(size_t off, uint32_t v)
{
	coh_mmio_write32((volatile uint8_t *)regs + off, v);
}

static int wait_idle(void)
{
	for (int i = 0; i < 100000; i++) {
		uint32_t st = rd(SCANOUT_STATUS);

		if (st & SCANOUT_ST_ERR)
			return -COH_EIO;
		if (!(st & SCANOUT_ST_BUSY))
			return 0;
	}
	return -COH_ETIMEDOUT;
}

/* drawbusy: the copy not waited for, its rectangle taken back only later */
static struct coh_frame pend_f;
static struct coh_rect pend_r;
static bool pending;

static int finish_pending(struct coh_device *d)
{
	int rc = pending ? wait_idle() : 0;

	if (pending && !rc)
		rc = coh_take_rect(d, &pend_f, &pend_r, COH_TO_DEVICE, NULL);
	pending = false;
	return rc;
}

/*
 * The driver: the rectangle to the engine (given TO_DEVICE: its lines
 * cleaned, the device owns it), the copy started, waited for, the
 * rectangle taken back: the CPU may draw again.
 */
static int sim_update(struct fb *fb, const struct coh_rect *r)
{
	struct coh_frame f = fb->frame;
	struct coh_rect rr = *r;
	uint64_t phys = sim_virt_to_phys(f.base);
	int rc = finish_pending(fb->dev);

	if (rc)
		return rc;
	updates++;
	if (mode == OFFBYONE && rr.y + rr.h < f.height)
		rr.y++;
	if (mode == PITCHBUG)
		f.pitch = (size_t)f.width * 4u;
	if (!(mode == UNRELEASED && updates == 3))
		rc = coh_give_rect(fb->dev, &f, &rr, COH_TO_DEVICE, NULL);
	if (rc)
		return rc;
	wr(SCANOUT_BASE_LO, (uint32_t)phys);
	wr(SCANOUT_BASE_HI, (uint32_t)(phys >> 32));
	wr(SCANOUT_PITCH, (uint32_t)fb->frame.pitch);
	wr(SCANOUT_WIDTH, fb->frame.width);
	wr(SCANOUT_HEIGHT, fb->frame.height);
	wr(SCANOUT_RECT_X, r->x);
	wr(SCANOUT_RECT_Y, r->y);
	wr(SCANOUT_RECT_W, r->w);
	wr(SCANOUT_RECT_H, r->h);
	/* ordered: the release above completes before the engine starts */
	wr(SCANOUT_CTRL, SCANOUT_CTRL_START);
	if (mode == DRAWBUSY) {
		pend_f = f;
		pend_r = rr;
		pending = true;
		return 0;
	}
	rc = wait_idle();
	if (!rc && !(mode == UNRELEASED && updates == 3))
		rc = coh_take_rect(fb->dev, &f, &rr, COH_TO_DEVICE, NULL);
	return rc;
}

static const struct fb_ops sim_ops = { sim_update };

static uint8_t rgb[W * H * 3];

static char first[160];

static void quiet(const struct sim_report *r, void *ctx)
{
	(void)ctx;
	if (mode == CLEAN)
		sim_print_report(r, stdout);
	else if (!first[0])
		snprintf(first, sizeof(first), "%s, last change %s:%d", sim_class_name(r->cls),
			 r->file ? r->file : "-", r->line);
}

/* 0: clean and right; else 1 (reports) | 2 (a wrong screen); -1: setup failure */
static int run(uint64_t seed, size_t line, bool uncached)
{
	struct sim_config cfg;
	struct sim_scanout *model;
	struct coh_region reg;
	const uint32_t *scr;
	uint32_t sw, sh;
	void *area;
	uint64_t phys;
	size_t size;
	struct fb fb;
	struct coh_rect r;
	int rc, bad = 0;

	sim_config_default(&cfg);
	cfg.line = line;
	cfg.seed = seed;
	cfg.ram_size = 1u << 20;
	cfg.uncached_size = 256u << 10;
	if (sim_init(&cfg))
		return -1;
	first[0] = 0;
	sim_set_report_hook(quiet, NULL);
	coh_device_init(&dev, "scanout", 0);
	pending = false;
	regs = sim_scanout_create(&dev, &model);
	if (!regs || sim_area(uncached ? 1 : 0, &area, &phys, &size))
		return -1;
	if (uncached && coh_region_add(&reg, area, phys, size, COH_REGION_WC))
		return -1;
	/* after the region's own bitmaps (coherent/region.h) */
	area = (uint8_t *)area + 16384;
	sim_name(area, (size_t)PITCH * H, "frame");
	fb = (struct fb){ { area, PITCH, W, H, 4 }, FB_FORMAT_XRGB8888, &dev, &sim_ops, NULL, 0 };
	updates = 0;
	rc = pic_draw(&fb, rgb);
	r = pic_second(W, H);
	if (!rc)
		rc = fb_invert(&fb, &r);
	if (!rc)
		rc = fb_update(&fb, &r);
	/* drawing again into what the engine may still be reading */
	if (!rc)
		rc = fb_invert(&fb, &r);
	if (!rc)
		rc = fb_update(&fb, &r);
	if (!rc)
		rc = finish_pending(&dev);
	if (rc) {
		printf("seed %llu line %zu: update failed (%s)\n", (unsigned long long)seed, line,
		       coh_strerror(rc));
		bad = 1;
	}
	scr = sim_scanout_screen(model, &sw, &sh);
	if (!scr || sw != W || sh != H) {
		bad = 2;
	} else {
		for (uint32_t y = 0; y < H && !bad; y++)
			for (uint32_t x = 0; x < W; x++) {
				const uint8_t *p = rgb + ((size_t)y * W + x) * 3;

				if (scr[(size_t)y * W + x] != fb_rgb(p[0], p[1], p[2])) {
					if (mode == CLEAN)
						printf("seed %llu line %zu: screen (%u,%u) wrong\n",
						       (unsigned long long)seed, line, x, y);
					bad = 2;
					break;
				}
			}
	}
	if (sim_quiesce() || sim_reports(-1))
		bad |= 1;
	if (uncached)
		(void)coh_region_remove(&reg);
	sim_fini();
	return bad;
}

int main(int argc, char **argv)
{
	static const char *const names[] = { "clean", "unreleased", "offbyone", "pitch", "drawbusy" };
	static const size_t lines[] = { 32, 64, 128 };
	unsigned long seeds = argc > 2 ? strtoul(argv[2], NULL, 0) : 50;
	bool uncached = argc > 3 && !strcmp(argv[3], "uncached");
	unsigned long runs = 0, failed = 0;
	uint32_t s = 7;

	mode = CLEAN;
	for (unsigned i = 0; argc > 1 && i < 5; i++)
		if (!strcmp(argv[1], names[i]))
			mode = (enum mode)i;
	for (size_t i = 0; i < sizeof(rgb); i++) {
		s = s * 1103515245u + 12345u;
		rgb[i] = (uint8_t)(s >> 16);
	}
	for (unsigned long seed = 1; seed <= seeds; seed++)
		for (size_t l = 0; l < 3; l++) {
			int rc = run(seed, lines[l], uncached);

			if (rc < 0) {
				printf("sim_fb: setup failed\n");
				return 2;
			}
			runs++;
			if (rc && mode != CLEAN) {
				printf("sim_fb %s: caught at seed %lu line %zu:%s%s%s%s\n", names[mode],
				       seed, lines[l], rc & 1 ? " sanitizer reports (first: " : "",
				       rc & 1 ? first : "", rc & 1 ? ")" : "",
				       rc & 2 ? " wrong screen" : "");
				return 0;
			}
			failed += (unsigned long)rc;
		}
	if (mode != CLEAN) {
		printf("sim_fb %s: NOT caught in %lu runs\n", names[mode], runs);
		return 1;
	}
	printf("sim_fb clean%s: %lu runs, %lu failed\n", uncached ? " (write-combining frame)" : "",
	       runs, failed);
	return failed ? 1 : 0;
}
