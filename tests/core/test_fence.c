/* SPDX-License-Identifier: MIT */
/*
 * The fence contract on whatever backend this binary was built for.  On a
 * target with real caches the neighbour checks are the point: an acquire of
 * a misaligned range must never lose CPU data next to it.
 */
#include <string.h>

#include "coherent/coherent.h"
#include "harness.h"
#include "suites.h"

#define MAXL COH_MAX_LINE
static unsigned char buf[8 * MAXL] __attribute__((aligned(MAXL)));

static struct coh_device dev, cdev;

static void setup(void)
{
	coh_device_init(&dev, "nc", 0);
	coh_device_init(&cdev, "coh", COH_DEV_COHERENT);
}

static void t_line_size(void)
{
	size_t l = coh_cache_line_size();

	CHECK(coh_is_pow2(l));
	CHECK(l >= 16 && l <= MAXL);
#ifdef COH_TEST_EXPECT_LINE
	CHECK_EQ(l, COH_TEST_EXPECT_LINE);
#endif
}

static void t_zero_length(void)
{
	setup();
	CHECK_EQ(coh_release(&dev, buf, 0), 0);
	CHECK_EQ(coh_acquire(&dev, buf + 3, 0), 0);
	CHECK_EQ(coh_flush(&dev, NULL, 0), 0);
	CHECK_EQ(coh_give(&dev, buf, 0, COH_FROM_DEVICE), 0);
	CHECK_EQ(coh_take(&dev, buf, 0, COH_FROM_DEVICE), 0);
	CHECK_EQ(dev.stats.release_calls + dev.stats.acquire_calls +
			 dev.stats.flush_calls,
		 0);
}

static void t_bad_args(void)
{
	setup();
	CHECK_EQ(coh_release(NULL, buf, 8), -COH_EINVAL);
	CHECK_EQ(coh_acquire(NULL, buf, 0), -COH_EINVAL);
	CHECK_EQ(coh_acquire(&dev, NULL, 8), -COH_EINVAL);
	CHECK_EQ(coh_give(&dev, buf, 8, (enum coh_dir)7), -COH_EINVAL);
	CHECK_EQ(coh_take(&dev, buf, 8, (enum coh_dir)-1), -COH_EINVAL);
	CHECK_EQ(coh_device_init(NULL, "x", 0), -COH_EINVAL);
	CHECK_EQ(coh_device_init(&dev, "x", 0x80), -COH_EINVAL);
	CHECK_EQ(dev.stats.release_calls + dev.stats.acquire_calls, 0);
}

static void t_wrap(void)
{
	setup();
	/* ptr + len wraps: refused before anything is touched */
	CHECK_EQ(coh_release(&dev, (void *)(UINTPTR_MAX - 7), 16), -COH_EOVERFLOW);
	CHECK_EQ(coh_acquire(&dev, (void *)(UINTPTR_MAX - 7), SIZE_MAX), -COH_EOVERFLOW);
	CHECK_EQ(coh_flush(&dev, (void *)16, SIZE_MAX), -COH_EOVERFLOW);
	/* the range fits but its last line would wrap when rounded up */
	CHECK_EQ(coh_release(&dev, (void *)(UINTPTR_MAX - 10), 5), -COH_EOVERFLOW);
	CHECK_EQ(dev.stats.lines_cleaned + dev.stats.lines_invalidated +
			 dev.stats.lines_flushed,
		 0);
}

static void t_line_size_setter(void)
{
	size_t l = coh_cache_line_size();

	CHECK_EQ(coh_set_cache_line_size(0), -COH_EINVAL);
	CHECK_EQ(coh_set_cache_line_size(48), -COH_EINVAL);
	CHECK_EQ(coh_set_cache_line_size(8), -COH_EINVAL);
	CHECK_EQ(coh_set_cache_line_size(2 * MAXL), -COH_EINVAL);
	CHECK_EQ(coh_cache_line_size(), l);
	CHECK_EQ(coh_set_cache_line_size(l), 0);
}

/* Expected line counts for [off, off+len) within buf. */
static void lines_of(size_t off, size_t len, size_t l, size_t *total,
		     size_t *edges)
{
	size_t s = off / l, e = (off + len + l - 1) / l;

	*total = e - s;
	*edges = 0;
	if (off % l)
		(*edges)++;
	if ((off + len) % l && (e - 1 > s || !(off % l)))
		(*edges)++;
}

/*
 * Every misalignment 0..line-1 at both ends: the right number of lines,
 * and an acquire never loses CPU data outside its range.
 */
static void t_misalignment_sweep(void)
{
	size_t l = coh_cache_line_size();

	setup();
	for (size_t head = 0; head < l; head++) {
		for (size_t tail = 0; tail < l; tail++) {
			size_t off = l + head, len = 3 * l - head - tail;
			size_t total, edges;
			struct coh_stats before = dev.stats;

			memset(buf, 0xA5, sizeof(buf));
			CHECK_EQ(coh_acquire(&dev, buf + off, len), 0);
			lines_of(off, len, l, &total, &edges);
			CHECK_EQ(dev.stats.lines_flushed - before.lines_flushed, edges);
			CHECK_EQ(dev.stats.lines_invalidated - before.lines_invalidated,
				 total - edges);
			for (size_t i = 0; i < off; i++)
				CHECK_EQ(buf[i], 0xA5);
			for (size_t i = off + len; i < sizeof(buf); i++)
				CHECK_EQ(buf[i], 0xA5);

			before = dev.stats;
			CHECK_EQ(coh_release(&dev, buf + off, len), 0);
			CHECK_EQ(dev.stats.lines_cleaned - before.lines_cleaned, total);
			CHECK_EQ(coh_flush(&dev, buf + off, len), 0);
			CHECK_EQ(dev.stats.lines_flushed - before.lines_flushed, total);
		}
	}
}

/* A range inside one line: one flush, no invalidate. */
static void t_inside_one_line(void)
{
	size_t l = coh_cache_line_size();

	setup();
	CHECK_EQ(coh_acquire(&dev, buf + l + 1, l - 2), 0);
	CHECK_EQ(dev.stats.lines_flushed, 1);
	CHECK_EQ(dev.stats.lines_invalidated, 0);
	CHECK_EQ(coh_acquire(&dev, buf + l, 1), 0);
	CHECK_EQ(dev.stats.lines_flushed, 2);
	CHECK_EQ(coh_acquire(&dev, buf + 2 * l, l), 0);
	CHECK_EQ(dev.stats.lines_invalidated, 1);
}

static void t_many_lines(void)
{
	size_t l = coh_cache_line_size();

	setup();
	CHECK_EQ(coh_release(&dev, buf + 1, 7 * l), 0);
	CHECK_EQ(dev.stats.lines_cleaned, 8);
	CHECK_EQ(coh_give(&dev, buf, 8 * l, COH_FROM_DEVICE), 0);
	CHECK_EQ(dev.stats.lines_flushed, 8);
	CHECK_EQ(coh_take(&dev, buf, 8 * l, COH_FROM_DEVICE), 0);
	CHECK_EQ(dev.stats.lines_invalidated, 8);
	CHECK_EQ(coh_give(&dev, buf, 8 * l, COH_TO_DEVICE), 0);
	CHECK_EQ(dev.stats.lines_cleaned, 16);
	CHECK_EQ(coh_take(&dev, buf, 8 * l, COH_TO_DEVICE), 0);
	CHECK_EQ(dev.stats.lines_invalidated, 8);
	CHECK_EQ(dev.stats.release_calls, 2);
	CHECK_EQ(dev.stats.acquire_calls, 1);
}

static void t_coherent_skips(void)
{
	setup();
	CHECK_EQ(coh_release(&cdev, buf + 5, 1000), 0);
	CHECK_EQ(coh_acquire(&cdev, buf + 5, 1000), 0);
	CHECK_EQ(coh_flush(&cdev, buf + 5, 1000), 0);
#if COH_STATS >= 2
	CHECK_EQ(cdev.stats.release_calls, 1);
	CHECK_EQ(cdev.stats.acquire_calls, 1);
	CHECK_EQ(cdev.stats.flush_calls, 1);
#else
	/* the shipped release default: barrier-only calls are not counted */
	CHECK_EQ(cdev.stats.release_calls + cdev.stats.acquire_calls +
			 cdev.stats.flush_calls,
		 0);
#endif
	CHECK_EQ(cdev.stats.lines_cleaned + cdev.stats.lines_invalidated +
			 cdev.stats.lines_flushed,
		 0);
}

static void t_mmio_on_ram(void)
{
	static volatile uint64_t reg;

	coh_mmio_write32(&reg, 0x12345678u);
	CHECK_EQ(coh_mmio_read32(&reg), 0x12345678u);
	coh_mmio_write64_relaxed(&reg, 0x0123456789abcdefull);
	CHECK(coh_mmio_read64(&reg) == 0x0123456789abcdefull);
	coh_mmio_write8((volatile uint8_t *)&reg, 0x5a);
	CHECK_EQ(coh_mmio_read8_relaxed((volatile uint8_t *)&reg), 0x5a);
	coh_mmio_write16((volatile uint16_t *)&reg, 0xbeef);
	CHECK_EQ(coh_mmio_read16((volatile uint16_t *)&reg), 0xbeef);
	coh_dma_wmb();
	coh_dma_rmb();
	coh_mb();
}

static void t_masks(void)
{
	uint64_t m = 0;

	CHECK(COH_DMA_MASK(32) == 0xffffffffull);
	CHECK(COH_DMA_MASK(64) == ~0ull);
	CHECK(COH_DMA_MASK(1) == 1);
	CHECK_EQ(coh_dma_mask_try(0, &m), -COH_EINVAL);
	CHECK_EQ(coh_dma_mask_try(65, &m), -COH_EINVAL);
	CHECK_EQ(coh_dma_mask_try(40, &m), 0);
	CHECK(m == 0xffffffffffull);
	setup();
	CHECK_EQ(coh_device_set_mask_bits(&dev, 99), -COH_EINVAL);
	CHECK(dev.dma_mask == 0xffffffffull);
}

static void t_strerror(void)
{
	CHECK(strcmp(coh_strerror(-COH_EINVAL), "EINVAL") == 0);
	CHECK(strcmp(coh_strerror(COH_EOVERFLOW), "EOVERFLOW") == 0);
	CHECK(strcmp(coh_strerror(0), "OK") == 0);
}

void suite_fence(void)
{
	RUN(t_line_size);
	RUN(t_zero_length);
	RUN(t_bad_args);
	RUN(t_wrap);
	RUN(t_line_size_setter);
	RUN(t_misalignment_sweep);
	RUN(t_inside_one_line);
	RUN(t_many_lines);
	RUN(t_coherent_skips);
	RUN(t_mmio_on_ram);
	RUN(t_masks);
	RUN(t_strerror);
}
