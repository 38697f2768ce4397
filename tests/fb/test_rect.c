/* SPDX-License-Identifier: MIT */
/*
 * The rectangle release and acquire (coherent/rect.h) on the recording
 * backend, line by line: every line the rectangle's bytes touch exactly
 * once, in address order, nothing else, then one barrier; an acquire
 * invalidates the lines wholly inside the rectangle and flushes the others.
 * The model is the obvious one (every byte of every row, its line), run
 * over hand-picked and 3000 pseudo-random frames, rectangles and line
 * sizes.  Built again from mutated copies of src/rect.c (CMakeLists.txt:
 * a shared line maintained twice, the last row dropped, the pitch
 * ignored), where it must fail.
 */
#include <string.h>

#include "coherent/coherent.h"
#include "coherent/rect.h"
#include "harness.h"
#include "record/record_ops.h"

TH_DEFINE_COUNTERS;

static struct coh_device dev, cdev, other;
static int diags;

static void diag(const struct coh_where *w, const char *msg, int err)
{
	(void)w;
	(void)msg;
	(void)err;
	diags++;
}

/* frames are never dereferenced here: any address will do */
#define FAKE_BASE ((uintptr_t)0x10000000u)

static uint32_t seed = 12345;
static uint32_t rnd(uint32_t n)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 8) % n;
}

/*
 * The model: for each line the rectangle touches, in address order, 'C'
 * (release) or 'I'/'F' (acquire: whole line inside the rectangle or not).
 */
static size_t model(const struct coh_frame *f, const struct coh_rect *r, size_t line,
		    bool acq, uintptr_t *addr, char *op, size_t max)
{
	size_t n = 0;
	uintptr_t base = (uintptr_t)f->base;

	for (uint32_t y = r->y; y < r->y + r->h; y++) {
		uintptr_t a = base + y * f->pitch + (size_t)r->x * f->bpp;
		uintptr_t e = a + (size_t)r->w * f->bpp;

		for (uintptr_t l = a & ~(uintptr_t)(line - 1); l < e; l += line) {
			if (n && addr[n - 1] == l)
				continue;
			if (n == max)
				return max + 1;
			addr[n] = l;
			op[n++] = 'C';
		}
	}
	if (acq) {
		for (size_t i = 0; i < n; i++) {
			size_t in = 0;

			for (uintptr_t b = addr[i]; b < addr[i] + line; b++) {
				uintptr_t o = b - base;
				uintptr_t y = o / f->pitch, x = o % f->pitch;

				if (y >= r->y && y < r->y + r->h && x >= (size_t)r->x * f->bpp &&
				    x < (size_t)(r->x + r->w) * f->bpp)
					in++;
			}
			op[i] = in == line ? 'I' : 'F';
		}
	}
	return n;
}

#define MAXL 2048
static uintptr_t want_a[MAXL];
static char want_op[MAXL];

/* the log since rec_n = 0 against the model: 0 or a message printed */
static int compare(const struct coh_frame *f, const struct coh_rect *r, size_t line,
		   bool acq, bool barrier)
{
	size_t n = model(f, r, line, acq, want_a, want_op, MAXL);
	size_t got = rec_n;

	if (n > MAXL)
		return 0;	/* too big to check here: the caller sizes cases */
	if (got != n + (barrier ? 1 : 0)) {
		printf("rect %ux%u at (%u,%u) pitch %zu bpp %u line %zu %s: %zu events, want %zu\n",
		       r->w, r->h, r->x, r->y, f->pitch, f->bpp, line, acq ? "acquire" : "release",
		       got, n + (barrier ? 1 : 0));
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		bool found = false;

		/* an acquire flushes a run's edges before its middle: match by address */
		for (size_t j = 0; j < n; j++)
			if (rec_log[j].addr == want_a[i] && rec_log[j].op == want_op[i])
				found = true;
		if (!acq && (rec_log[i].addr != want_a[i] || rec_log[i].op != 'C'))
			found = false;
		if (!found) {
			printf("rect %ux%u at (%u,%u) pitch %zu line %zu: line %#lx not %c once\n",
			       r->w, r->h, r->x, r->y, f->pitch, line, (unsigned long)want_a[i],
			       want_op[i]);
			return -1;
		}
	}
	if (barrier && rec_log[n].op != 'B') {
		printf("rect: no barrier after the lines (%c)\n", rec_log[n].op);
		return -1;
	}
	return 0;
}

static void setup(size_t line)
{
	rec_hw_line = line;
	rec_fail = 0;
	rec_n = 0;
	(void)coh_set_cache_line_size(line);
	coh_set_diag_handler(diag);
	diags = 0;
}

/* A frame whose rows are contiguous: one run, its lines once, one barrier. */
static void test_full_width(void)
{
	struct coh_frame f = { (void *)FAKE_BASE, 256, 64, 8, 4 };
	struct coh_rect r = { 0, 2, 64, 3 };

	setup(64);
	CHECK_EQ(coh_release_rect(&dev, &f, &r, NULL), 0);
	REC_CHECK_OPS("CCCCCCCCCCCCB", return);
	CHECK_EQ(rec_log[0].addr, FAKE_BASE + 512);
	CHECK_EQ(rec_log[11].addr, FAKE_BASE + 1280 - 64);
	CHECK_EQ(compare(&f, &r, 64, false, true), 0);
}

/* The bench's case: 1280x800x32bpp, a 100x50 rectangle at (37, 123). */
static void test_1280(void)
{
	struct coh_frame f = { (void *)FAKE_BASE, 5120, 1280, 800, 4 };
	struct coh_rect r = { 37, 123, 100, 10 };

	setup(64);
	CHECK_EQ(coh_release_rect(&dev, &f, &r, NULL), 0);
	/* 400 bytes from offset 148 of each row: lines 2..8, 7 lines a row */
	CHECK_EQ(rec_n, 7 * 10 + 1);
	CHECK_EQ(compare(&f, &r, 64, false, true), 0);
	rec_n = 0;
	CHECK_EQ(coh_acquire_rect(&dev, &f, &r, NULL), 0);
	CHECK_EQ(compare(&f, &r, 64, true, true), 0);
}

/* A small, odd pitch: rows share lines, each is maintained once. */
static void test_shared_lines(void)
{
	struct coh_frame f = { (void *)(FAKE_BASE + 6), 20, 10, 10, 2 };
	struct coh_rect r = { 3, 1, 4, 5 };

	setup(32);
	CHECK_EQ(coh_release_rect(&dev, &f, &r, NULL), 0);
	CHECK_EQ(compare(&f, &r, 32, false, true), 0);
	rec_n = 0;
	CHECK_EQ(coh_acquire_rect(&dev, &f, &r, NULL), 0);
	CHECK_EQ(compare(&f, &r, 32, true, true), 0);
	for (size_t i = 0; i + 1 < rec_n; i++)
		CHECK(rec_log[i].op == 'F'); /* no line is wholly inside */
}

/* Pseudo-random frames, rectangles, bases and line sizes against the model. */
static void test_random(void)
{
	static const size_t lines[] = { 16, 32, 64, 128 };

	for (int k = 0; k < 3000; k++) {
		size_t line = lines[rnd(4)];
		struct coh_frame f;
		struct coh_rect r;
		bool acq = rnd(2);

		f.bpp = 1 + rnd(4);
		f.width = 1 + rnd(300);
		f.height = 1 + rnd(20);
		f.pitch = (size_t)f.width * f.bpp + (rnd(3) ? rnd(200) : 0);
		f.base = (void *)(FAKE_BASE + rnd(4096));
		r.x = rnd(f.width);
		r.w = 1 + rnd(f.width - r.x);
		r.y = rnd(f.height);
		r.h = 1 + rnd(f.height - r.y);
		setup(line);
		if (acq)
			CHECK_EQ(coh_acquire_rect(&dev, &f, &r, NULL), 0);
		else
			CHECK_EQ(coh_release_rect(&dev, &f, &r, NULL), 0);
		if (compare(&f, &r, line, acq, true)) {
			printf("case %d\n", k);
			CHECK(0);
		}
	}
}

/* Two rectangles in a driver's batch: their lines, one barrier at the end. */
static void test_batch(void)
{
	struct coh_frame f = { (void *)FAKE_BASE, 5120, 1280, 800, 4 };
	struct coh_rect a = { 0, 0, 16, 1 }, b2 = { 16, 1, 16, 1 };
	struct coh_batch b;

	setup(64);
	CHECK_EQ(coh_batch_init(&b, &dev), 0);
	CHECK_EQ(coh_release_rect(&dev, &f, &a, &b), 0);
	CHECK_EQ(coh_release_rect(&dev, &f, &b2, &b), 0);
	REC_CHECK_OPS("CC", return);	/* no barrier until the batch ends */
	CHECK_EQ(rec_log[0].addr, FAKE_BASE);
	CHECK_EQ(coh_batch_end(&b), 0);
	REC_CHECK_OPS("CCB", return);
	CHECK_EQ(rec_log[1].addr, FAKE_BASE + 5120 + 64);
	/* another device's batch: refused, nothing touched */
	rec_n = 0;
	CHECK_EQ(coh_release_rect(&other, &f, &a, &b), -COH_EINVAL);
	CHECK_EQ(rec_n, 0);
	/* a failure kept in the batch refuses the rectangle */
	b.err = -COH_EFAULT;
	CHECK_EQ(coh_release_rect(&dev, &f, &a, &b), -COH_EFAULT);
	CHECK_EQ(rec_n, 0);
}

/* A coherent device, and a write-combining frame: the barrier alone. */
static void test_barrier_only(void)
{
	static unsigned char wc[64 << 10] __attribute__((aligned(4096)));
	struct coh_region reg;
	struct coh_frame f = { (void *)FAKE_BASE, 5120, 1280, 800, 4 };
	struct coh_rect r = { 1, 1, 100, 100 };

	setup(64);
	CHECK_EQ(coh_release_rect(&cdev, &f, &r, NULL), 0);
	REC_CHECK_OPS("W", return);
	rec_n = 0;
	CHECK_EQ(coh_acquire_rect(&cdev, &f, &r, NULL), 0);
	REC_CHECK_OPS("R", return);
	CHECK_EQ(coh_region_add(&reg, wc, 0x60000000ull, sizeof(wc), COH_REGION_WC), 0);
	f = (struct coh_frame){ wc + 4096, 256, 64, 32, 4 };
	rec_n = 0;
	CHECK_EQ(coh_release_rect(&dev, &f, &r, NULL), -COH_ERANGE);
	r = (struct coh_rect){ 3, 4, 20, 20 };
	CHECK_EQ(coh_release_rect(&dev, &f, &r, NULL), 0);
	REC_CHECK_OPS("W", goto out);
	rec_n = 0;
	CHECK_EQ(coh_acquire_rect(&dev, &f, &r, NULL), 0);
	REC_CHECK_OPS("R", goto out);
out:
	CHECK_EQ(coh_region_remove(&reg), 0);
}

/* Give and take: a release, a flush, nothing, an acquire. */
static void test_give_take(void)
{
	struct coh_frame f = { (void *)FAKE_BASE, 5120, 1280, 800, 4 };
	struct coh_rect r = { 37, 123, 100, 3 };
	struct coh_batch b;

	setup(64);
	CHECK_EQ(coh_give_rect(&dev, &f, &r, COH_TO_DEVICE, NULL), 0);
	CHECK_EQ(compare(&f, &r, 64, false, true), 0);
	rec_n = 0;
	CHECK_EQ(coh_take_rect(&dev, &f, &r, COH_TO_DEVICE, NULL), 0);
	CHECK_EQ(rec_n, 0);	/* the device only read: nothing to do */
	CHECK_EQ(coh_give_rect(&dev, &f, &r, COH_FROM_DEVICE, NULL), 0);
	CHECK_EQ(rec_n, 7 * 3 + 1);
	for (size_t i = 0; i < rec_n - 1; i++)
		CHECK(rec_log[i].op == 'F');
	CHECK(rec_log[rec_n - 1].op == 'B');
	rec_n = 0;
	CHECK_EQ(coh_take_rect(&dev, &f, &r, COH_FROM_DEVICE, NULL), 0);
	CHECK_EQ(compare(&f, &r, 64, true, true), 0);
	rec_n = 0;
	CHECK_EQ(coh_batch_init(&b, &dev), 0);
	CHECK_EQ(coh_give_rect(&dev, &f, &r, COH_TO_DEVICE, &b), 0);
	CHECK_EQ(rec_n, 7 * 3);
	CHECK_EQ(coh_batch_end(&b), 0);
	CHECK_EQ(compare(&f, &r, 64, false, true), 0);
	rec_n = 0;
	CHECK_EQ(coh_give_rect(&dev, &f, &r, (enum coh_dir)7, NULL), -COH_EINVAL);
	CHECK_EQ(coh_take_rect(&dev, &f, &r, (enum coh_dir)7, NULL), -COH_EINVAL);
	CHECK_EQ(rec_n, 0);
}

/* Every bad argument: its code, nothing maintained. */
static void test_errors(void)
{
	struct coh_frame f = { (void *)FAKE_BASE, 5120, 1280, 800, 4 }, g;
	struct coh_rect r = { 0, 0, 1, 1 }, s;

	setup(64);
	CHECK_EQ(coh_release_rect(NULL, &f, &r, NULL), -COH_EINVAL);
	CHECK_EQ(coh_release_rect(&dev, NULL, &r, NULL), -COH_EINVAL);
	CHECK_EQ(coh_acquire_rect(&dev, &f, NULL, NULL), -COH_EINVAL);
	g = f;
	g.base = NULL;
	CHECK_EQ(coh_release_rect(&dev, &g, &r, NULL), -COH_EINVAL);
	g = f;
	g.bpp = 0;
	CHECK_EQ(coh_release_rect(&dev, &g, &r, NULL), -COH_EINVAL);
	g = f;
	g.pitch = 5119;
	CHECK_EQ(coh_release_rect(&dev, &g, &r, NULL), -COH_EINVAL);
	s = (struct coh_rect){ 1280, 0, 1, 1 };
	CHECK_EQ(coh_release_rect(&dev, &f, &s, NULL), -COH_ERANGE);
	s = (struct coh_rect){ 0, 799, 1, 2 };
	CHECK_EQ(coh_acquire_rect(&dev, &f, &s, NULL), -COH_ERANGE);
	s = (struct coh_rect){ 1, 0, UINT32_MAX, 1 };
	CHECK_EQ(coh_release_rect(&dev, &f, &s, NULL), -COH_ERANGE);
	g = f;
	g.base = (void *)(UINTPTR_MAX - 4096);
	CHECK_EQ(coh_release_rect(&dev, &g, &r, NULL), -COH_EOVERFLOW);
	g = f;
	g.width = UINT32_MAX;
	g.bpp = UINT32_MAX;
	g.pitch = SIZE_MAX;
	CHECK(coh_release_rect(&dev, &g, &r, NULL) < 0);
	CHECK_EQ(rec_n, 0);
	CHECK(diags >= 10);
	/* an empty rectangle: nothing at all */
	s = (struct coh_rect){ 5, 5, 0, 3 };
	CHECK_EQ(coh_release_rect(&dev, &f, &s, NULL), 0);
	s = (struct coh_rect){ 5, 5, 3, 0 };
	CHECK_EQ(coh_acquire_rect(&dev, &f, &s, NULL), 0);
	CHECK_EQ(rec_n, 0);
	/* a backend that refuses the range: its code, no line touched */
	rec_fail = -COH_EFAULT;
	CHECK_EQ(coh_release_rect(&dev, &f, &r, NULL), -COH_EFAULT);
	CHECK_EQ(rec_n, 0);
	rec_fail = 0;
}

int main(void)
{
	coh_device_init(&dev, "scanout", 0);
	coh_device_init(&cdev, "coherent", COH_DEV_COHERENT);
	coh_device_init(&other, "other", 0);
	RUN(test_full_width);
	RUN(test_1280);
	RUN(test_shared_lines);
	RUN(test_random);
	RUN(test_batch);
	RUN(test_barrier_only);
	RUN(test_errors);
	RUN(test_give_take);
	coh_set_diag_handler(NULL);
	return th_finish("rect_record");
}
