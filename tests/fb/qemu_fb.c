/* SPDX-License-Identifier: MIT */
/*
 * A framebuffer on QEMU aarch64 virt (MMU and caches on), driven by
 * tools/fb.sh: read fb-in.ppm (binary P6, up to 1280x800) by semihosting,
 * set the mode to its size, draw it in several rectangles, each updated
 * ("this rectangle changed") as soon as it is drawn (picture.c, the
 * drawing the simulator's test runs too); say "fb: ready 1" and
 * wait for the harness's screendump (it creates fb-go-1); then invert one
 * rectangle, update it alone, say "fb: ready 2 x y w h", wait for fb-go-2.
 * Built for virtio-gpu (FB_VIRTIO_GPU) or ramfb (FB_RAMFB); FB_WC puts the
 * frame in write-combining memory instead of cached memory.
 * Any failure prints "fb: error ..." and exits non-zero.  FB_MUTANT_ROW (a
 * test-only build): the second update names the rectangle one row too low,
 * which tools/fb.sh must catch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coherent/coherent.h"
#include "mmu.h"
#include "virtio/qemu_env.h"
#include "../drivers/fb/fb.h"
#include "picture.h"
#if defined(FB_VIRTIO_GPU)
#include "../drivers/virtio/virtio_gpu.h"
#else
#include "../drivers/ramfb/ramfb.h"
#endif

#define MAXW 1280u
#define MAXH 800u
#define FRAME_BYTES (MAXW * MAXH * 4u)

static uint8_t ppm[MAXW * MAXH * 3];
#if defined(FB_WC)
/* after the region's allocator bitmaps (coherent/region.h) */
#define FRAME ((uint8_t *)(uintptr_t)(PLAT_WC_BASE + 0x10000u))
static struct coh_region wc;
#else
static uint8_t frame_mem[FRAME_BYTES] __attribute__((aligned(4096)));
#define FRAME frame_mem
#endif
static struct coh_device dev;
#if defined(FB_VIRTIO_GPU)
static struct virtio_gpu gpu;
#else
static struct ramfb rfb;
#endif

static void fail(const char *what, int rc)
{
	printf("fb: error: %s (%s)\n", what, coh_strerror(rc));
	exit(1);
}

static int ppm_int(FILE *f, unsigned *v)
{
	int c = fgetc(f);

	for (;;) {
		while (c == ' ' || c == '\n' || c == '\r' || c == '\t')
			c = fgetc(f);
		if (c != '#')
			break;
		while (c != '\n' && c != EOF)
			c = fgetc(f);
	}
	if (c < '0' || c > '9')
		return -1;
	*v = 0;
	while (c >= '0' && c <= '9') {
		if (*v > 100000)
			return -1;
		*v = *v * 10 + (unsigned)(c - '0');
		c = fgetc(f);
	}
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' ? 0 : -1;
}

static void load(unsigned *w, unsigned *h)
{
	FILE *f = fopen("fb-in.ppm", "rb");
	unsigned max;

	if (!f)
		fail("cannot open fb-in.ppm", -COH_EINVAL);
	if (fgetc(f) != 'P' || fgetc(f) != '6' || ppm_int(f, w) || ppm_int(f, h) ||
	    ppm_int(f, &max))
		fail("fb-in.ppm is not a binary PPM (P6)", -COH_EINVAL);
	if (!*w || !*h || *w > MAXW || *h > MAXH || max != 255)
		fail("fb-in.ppm: size above 1280x800, empty, or not 8-bit", -COH_ERANGE);
	if (fread(ppm, 3, (size_t)*w * *h, f) != (size_t)*w * *h)
		fail("fb-in.ppm: short pixel data", -COH_EINVAL);
	fclose(f);
}

static uint64_t now_ms(void)
{
	uint64_t c, fr;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(c));
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(fr));
	return c / (fr / 1000);
}

/* the harness's go-ahead: a file it creates once its screendump is done */
static void wait_go(const char *name)
{
	uint64_t t0 = now_ms();

	while (now_ms() - t0 < 60000) {
		FILE *f = fopen(name, "rb");

		if (f) {
			fclose(f);
			return;
		}
		for (volatile int i = 0; i < 200000; i++)
			;
	}
	fail("no go-ahead from the harness", -COH_ETIMEDOUT);
}

/*
 * QEMU's displays refuse a scan-out under 16 pixels wide or high (ramfb
 * silently keeps 640x480): such a picture is shown in the top-left corner of
 * a 16-pixel mode on black, and tools/fb.sh crops the dumps to the picture.
 */
#define MIN_DIM 16u
static uint8_t padded[MAXW * MIN_DIM * 3];

static const uint8_t *pad_picture(unsigned w, unsigned h, unsigned W, unsigned H)
{
	if (W == w && H == h)
		return ppm;
	for (unsigned y = 0; y < H; y++)
		for (unsigned x = 0; x < W; x++)
			for (unsigned c = 0; c < 3; c++)
				padded[((size_t)y * W + x) * 3 + c] =
					x < w && y < h ? ppm[((size_t)y * w + x) * 3 + c] : 0;
	return padded;
}

int main(void)
{
	unsigned w, h, W, H;
	struct fb *fb;
	int rc;

	rc = env_init();
	if (!rc)
		rc = env_device(&dev, "display", false);
#if defined(FB_WC)
	if (!rc)
		rc = coh_region_add(&wc, (void *)(uintptr_t)PLAT_WC_BASE, PLAT_WC_BASE,
				    PLAT_WC_SIZE, COH_REGION_WC);
#endif
	if (rc)
		fail("environment", rc);
	load(&w, &h);
#if defined(FB_UNPADDED)
	W = w, H = h;
#else
	W = w < MIN_DIM ? MIN_DIM : w;
	H = h < MIN_DIM ? MIN_DIM : h;
#endif
#if defined(FB_VIRTIO_GPU)
	{
		void *mmio = env_find(VIRTIO_ID_GPU, &dev, &rc);

		if (!mmio)
			fail("no virtio-gpu", rc);
		rc = virtio_gpu_init(&gpu, mmio, &dev, 0, 0);
		if (rc)
			fail("virtio_gpu_init", rc);
		rc = virtio_gpu_set_mode(&gpu, FRAME, FRAME_BYTES, W, H, &fb);
		if (rc) {
			printf("fb: device response type %#x\n", (unsigned)gpu.resp_type);
			fail("virtio_gpu_set_mode", rc);
		}
	}
#else
	rc = ramfb_init(&rfb, (void *)(uintptr_t)RAMFB_VIRT_FW_CFG, &dev, FRAME, FRAME_BYTES, W, H,
			&fb);
	if (rc)
		fail("ramfb_init", rc);
#endif
	rc = pic_draw(fb, pad_picture(w, h, W, H));
	if (rc)
		fail("drawing in partial updates", rc);
	printf("fb: ready 1 %u updates\n", (unsigned)fb->updates);
	fflush(stdout);
	wait_go("fb-go-1");
	{
		struct coh_rect r = pic_second(w, h);

		rc = fb_invert(fb, &r);
#if defined(FB_MUTANT_ROW)
		r.y++;
#endif
		if (!rc)
			rc = fb_update(fb, &r);
#if defined(FB_MUTANT_ROW)
		r.y--;
#endif
		if (rc)
			fail("second update", rc);
		printf("fb: ready 2 %u %u %u %u\n", (unsigned)r.x, (unsigned)r.y, (unsigned)r.w,
		       (unsigned)r.h);
		fflush(stdout);
	}
	wait_go("fb-go-2");
	printf("%s: 1 passed, 0 failed\n", COH_TEST_TARGET);
	return 0;
}
