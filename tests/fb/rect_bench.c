/* SPDX-License-Identifier: MIT */
/*
 * make bench: line operations of one dirty-rectangle update of a
 * 1280x800x32bpp frame (line 64), exact, on the recording backend:
 * coh_release_rect() against the lines the rectangle's bytes touch (the
 * minimum, counted byte by byte here), and what releasing the whole frame
 * costs instead; barriers against a release per row.
 */
#include <stdio.h>

#include "coherent/coherent.h"
#include "coherent/rect.h"
#include "record/coh_arch.h"

#define FAKE_BASE ((uintptr_t)0x10000000u)	/* never dereferenced */

static unsigned long min_lines(const struct coh_frame *f, const struct coh_rect *r, size_t line)
{
	unsigned long n = 0;
	uintptr_t last = 0;

	for (uint32_t y = r->y; y < r->y + r->h; y++) {
		uintptr_t a = (uintptr_t)f->base + y * f->pitch + (size_t)r->x * f->bpp;

		for (uintptr_t b = a; b < a + (size_t)r->w * f->bpp; b++)
			if ((b & ~(uintptr_t)(line - 1)) != last || !n) {
				last = b & ~(uintptr_t)(line - 1);
				n++;
			}
	}
	return n;
}


int main(void)
{
	static const struct coh_rect rects[] = { { 37, 123, 100, 50 }, { 320, 200, 640, 400 } };
	struct coh_frame f = { (void *)FAKE_BASE, 1280 * 4, 1280, 800, 4 };
	struct coh_device dev;
	int failed = 0;

	rec_hw_line = 64;
	if (coh_set_cache_line_size(64) || coh_device_init(&dev, "scanout", 0))
		return 1;
	for (size_t k = 0; k < sizeof(rects) / sizeof(rects[0]); k++) {
		const struct coh_rect *r = &rects[k];
		unsigned long want = min_lines(&f, r, 64), got, whole, bar;

		/* the device's statistics: lines cleaned, and one release call
		 * per barrier (the recording log holds only REC_MAX events) */
		dev.stats = (struct coh_stats){ 0 };
		rec_n = 0;
		failed |= coh_release_rect(&dev, &f, r, NULL) != 0;
		got = dev.stats.lines_cleaned;
		bar = dev.stats.release_calls;
		failed |= got + bar != rec_n || got != want || bar != 1;
		dev.stats = (struct coh_stats){ 0 };
		failed |= coh_release(&dev, f.base, f.pitch * f.height) != 0;
		whole = dev.stats.lines_cleaned;
		printf("ROW|per-frame|framebuffer 1280x800x32bpp, line 64, dirty %ux%u at (%u,%u): line ops, coh_release_rect|"
		       "the rectangle's own lines|%lu vs %lu|%.2f|<=|1.00\n",
		       r->w, r->h, r->x, r->y, got, want, (double)got / (double)want);
		printf("ROW|per-frame|framebuffer 1280x800x32bpp, line 64, dirty %ux%u at (%u,%u): line ops, releasing the whole frame|"
		       "the rectangle's own lines|%lu vs %lu|%.2f|-|-\n",
		       r->w, r->h, r->x, r->y, whole, want, (double)whole / (double)want);
		printf("ROW|per-frame|framebuffer 1280x800x32bpp, line 64, dirty %ux%u at (%u,%u): barriers, coh_release_rect|"
		       "a release per row (%u)|%lu vs %u|%.3f|<=|%.3f\n",
		       r->w, r->h, r->x, r->y, r->h, bar, r->h, (double)bar / r->h, 1.0 / r->h);
	}
	return failed;
}
