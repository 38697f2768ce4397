/* SPDX-License-Identifier: MIT */
/*
 * Typed DMA memory on whatever backend this binary was built for: regions,
 * the buddy allocator, masks, shared handles and their accessors, boxes,
 * device-only memory, dump, pools and the descriptor ring.  The device is
 * played by the test through coh_raw() where one is needed.
 */
#include <string.h>

#include "coherent/coherent.h"
#include "harness.h"
#include "suites.h"

#define ARENA (256 * 1024)
static unsigned char arena[ARENA] __attribute__((aligned(4096)));
static unsigned char arena2[64 * 1024] __attribute__((aligned(4096)));
static struct coh_region reg, reg2;
static struct coh_device dev, cdev;

struct desc {
	uint32_t d0, d1, d2, d3;
};

static int diags;
static char last_msg[512];
static const struct coh_where *last_where;
static int last_err;

static void count_diag(const struct coh_where *w, const char *m, int e)
{
	size_t n = strlen(m);

	if (n >= sizeof(last_msg))
		n = sizeof(last_msg) - 1;
	memcpy(last_msg, m, n);
	last_msg[n] = '\0';
	last_where = w;
	last_err = e;
	diags++;
}

#if COH_DEBUG
/* msg names this file at `line` ("path/test_mem.c:123") */
static int names_site(const char *msg, int line)
{
	for (const char *p = strstr(msg, __FILE__); p; p = strstr(p + 1, __FILE__)) {
		const char *q = p + strlen(__FILE__);
		int v = 0;

		if (*q++ != ':')
			continue;
		while (*q >= '0' && *q <= '9')
			v = v * 10 + (*q++ - '0');
		if (v == line)
			return 1;
	}
	return 0;
}
#endif

/* arena at a made-up physical address just below 4 GiB, so masks matter */
#define PHYS_BASE 0xFFFE0000ull

static int setup(void)
{
	coh_set_diag_handler(count_diag);
	diags = 0;
	coh_region_remove(&reg);
	coh_region_remove(&reg2);
	coh_device_init(&dev, "nc", 0);
	coh_device_init(&cdev, "coh", COH_DEV_COHERENT);
	dev.dma_mask = cdev.dma_mask = ~0ull;
	return coh_region_add(&reg, arena, PHYS_BASE, ARENA, 0);
}

static void teardown(void)
{
	coh_set_diag_handler(NULL);
}

static void t_region_errors(void)
{
	struct coh_region r;

	CHECK_EQ(setup(), 0);
	CHECK_EQ(coh_region_add(NULL, arena, 0, ARENA, 0), -COH_EINVAL);
	CHECK_EQ(coh_region_add(&r, arena + 1, 0, 4096, 0), -COH_EINVAL);
	CHECK_EQ(coh_region_add(&r, arena2, 0, 64, 0), -COH_ENOMEM);
	CHECK_EQ(coh_region_add(&r, arena2, 0, sizeof(arena2), 0x40), -COH_EINVAL);
	CHECK_EQ(coh_region_add(&r, arena + 4096, 0, 4096, 0), -COH_EINVAL); /* overlaps */
	CHECK(coh_region_find(arena + 100, 10) == &reg);
	CHECK(coh_region_find(arena2, 1) == NULL);
	CHECK(coh_region_free_bytes(&reg) > ARENA - 8192);
	teardown();
}

static void t_shared_accessors(void)
{
	COH_SHARED(struct desc) h;
	size_t line = coh_cache_line_size();

	CHECK_EQ(setup(), 0);
	CHECK_EQ(coh_alloc_shared(&h, &dev, 8, 0), 0);
	CHECK(coh_bus(&h) != COH_BUS_ERROR);
	CHECK_EQ(coh_bus(&h) % COH_MAX_LINE, 0);
	CHECK_EQ(coh_size(&h), 8 * sizeof(struct desc));
	CHECK_EQ(coh_read(&h, [3].d2), 0); /* zeroed */
	coh_stats_reset(&dev);
	coh_write(&h, [3].d2, 0xabcdu);
	CHECK_EQ(dev.stats.lines_cleaned, 1);	/* one field: one line */
	CHECK_EQ(coh_read(&h, [3].d2), 0xabcd);
	CHECK_EQ(dev.stats.lines_flushed + dev.stats.lines_invalidated, 1);
	/* a field spanning two lines is maintained on both */
	{
		COH_SHARED(unsigned char) b;
		uint64_t v = 0x1122334455667788ull;

		CHECK_EQ(coh_alloc_shared(&b, &dev, 2 * line, 0), 0);
		coh_stats_reset(&dev);
		CHECK_EQ(coh_try_write(&b, [0], 7), 0);
		CHECK_EQ(dev.stats.lines_cleaned, 1);
		CHECK_EQ(coh_free(&b), 0);
		(void)v;
	}
	CHECK_EQ(coh_free(&h), 0);
	teardown();
}

static void t_checked_forms(void)
{
	COH_SHARED(struct desc) h;
	uint32_t v = 1;

	CHECK_EQ(setup(), 0);
	CHECK_EQ(coh_alloc_shared(&h, &dev, 4, 0), 0);
	CHECK_EQ(coh_try_write(&h, [3].d3, 9u), 0);
	CHECK_EQ(coh_try_read(&h, [3].d3, &v), 0);
	CHECK_EQ(v, 9);
	CHECK_EQ(coh_try_read(&h, [4].d0, &v), -COH_ERANGE);
	CHECK_EQ(coh_try_write(&h, [100000].d0, 1u), -COH_ERANGE);
	CHECK_EQ(v, 9);
#if COH_DEBUG
	diags = 0;
	CHECK_EQ(coh_read(&h, [4].d1), 0); /* unchecked form: reported, not read */
	CHECK_EQ(diags, 1);
#endif
	CHECK_EQ(coh_free(&h), 0);
	teardown();
}

static void t_coherent_no_maintenance(void)
{
	COH_SHARED(struct desc) h;

	CHECK_EQ(setup(), 0);
	CHECK_EQ(coh_alloc_shared(&h, &cdev, 4, 0), 0);
	coh_write(&h, [1].d1, 5u);
	CHECK_EQ(coh_read(&h, [1].d1), 5);
	CHECK_EQ(cdev.stats.lines_cleaned + cdev.stats.lines_invalidated +
			 cdev.stats.lines_flushed, 0);
	CHECK_EQ(coh_free(&h), 0);
	/* SKIP_CPU_SYNC: the caller maintains */
	CHECK_EQ(coh_alloc_shared(&h, &dev, 4, COH_ATTR_SKIP_CPU_SYNC), 0);
	coh_stats_reset(&dev);
	coh_write(&h, [1].d1, 5u);
	CHECK_EQ(dev.stats.lines_cleaned, 0);
	CHECK_EQ(coh_free(&h), 0);
	teardown();
}

static void t_bad_sizes(void)
{
	COH_SHARED(struct desc) h;
	COH_SHARED(uint64_t) big;

	CHECK_EQ(setup(), 0);
	CHECK_EQ(coh_alloc_shared(&h, &dev, 0, 0), -COH_EINVAL);
	CHECK_EQ(coh_alloc_shared(&big, &dev, SIZE_MAX / 4, 0), -COH_EOVERFLOW);
	CHECK_EQ(coh_alloc_shared(&h, NULL, 1, 0), -COH_EINVAL);
	CHECK_EQ(coh_alloc_shared(&h, &dev, 1, 0x100), -COH_EINVAL);
	dev.min_align = 24;
	CHECK_EQ(coh_alloc_shared(&h, &dev, 1, 0), -COH_EINVAL);
	dev.min_align = 1;
	/* no region can ever hold it: refused as impossible, not as "full" */
	CHECK_EQ(coh_alloc_shared(&h, &dev, ARENA, 0), -COH_ERANGE);
	teardown();
}

/* A 32-bit device never gets memory above 4 GiB; exhaustion is an error. */
static void t_mask_respected(void)
{
	struct coh_device d32;
	COH_SHARED(unsigned char) h[128];
	int n = 0, rc = 0;

	CHECK_EQ(setup(), 0);
	coh_device_init(&d32, "d32", 0);	/* default mask: 32 bits */
	while (n < 128 && !(rc = coh_alloc_shared(&h[n], &d32, 1000, COH_ATTR_NO_WARN))) {
		CHECK(coh_bus(&h[n]) + coh_size(&h[n]) - 1 <= 0xffffffffull);
		n++;
	}
	CHECK_EQ(rc, -COH_ENOMEM);
	CHECK(n > 0 && n < 128);
	/* a 64-bit device still finds room above 4 GiB */
	{
		COH_SHARED(unsigned char) hi;

		CHECK_EQ(coh_alloc_shared(&hi, &dev, 1000, 0), 0);
		CHECK(coh_bus(&hi) > 0xffffffffull);
		CHECK_EQ(coh_free(&hi), 0);
	}
	while (n--)
		CHECK_EQ(coh_free(&h[n]), 0);
	/* a mask no region satisfies */
	d32.dma_mask = 0xffffff;
	CHECK_EQ(coh_alloc_shared(&h[0], &d32, 16, 0), -COH_ERANGE);
	/* a bus offset moves the device's view */
	dev.bus_offset = 0x100000000ull;
	CHECK_EQ(coh_alloc_shared(&h[0], &dev, 16, 0), 0);
	CHECK(coh_bus(&h[0]) == h[0].m_.phys + 0x100000000ull);
	CHECK_EQ(coh_free(&h[0]), 0);
	teardown();
}

static void t_double_free_and_leaks(void)
{
	COH_SHARED(struct desc) h, copy;

	CHECK_EQ(setup(), 0);
	CHECK_EQ(coh_alloc_shared(&h, &dev, 2, 0), 0);
	copy = h;
	CHECK_EQ(coh_free(&h), 0);
	CHECK_EQ(coh_free(&h), -COH_EINVAL);
#if COH_DEBUG
	diags = 0;
	CHECK_EQ(coh_free(&copy), -COH_EINVAL); /* stale copy: double free */
	CHECK(diags >= 1);
	diags = 0;
	(void)coh_read(&copy, [0].d0);		/* use after free */
	CHECK(diags >= 1);
	CHECK_EQ(coh_alloc_shared(&h, &dev, 2, 0), 0);
	CHECK_EQ(coh_device_leaks(&dev), 1);
	CHECK_EQ(coh_region_remove(&reg), -COH_EBUSY);
	CHECK_EQ(coh_free(&h), 0);
	CHECK_EQ(coh_device_leaks(&dev), 0);
#else
	(void)copy;
#endif
	teardown();
}

/*
 * Free while the device owns the memory: coh_free refuses in debug builds
 * (-COH_EBUSY, nothing freed, one diagnostic naming the allocation and the
 * give); gives are idempotent per byte, takes may split them.
 */
static void t_free_while_given(void)
{
	COH_SHARED(unsigned char) h, other;
	COH_BOX(uint32_t) b;
	COH_SHARED(uint32_t) bs;
	struct coh_pool pl;
	unsigned char *p;
	void *blk;
	coh_bus_t bus;
	size_t before;
	int alloc_line, give_line, free_line;

	CHECK_EQ(setup(), 0);
	before = coh_region_free_bytes(&reg);
	alloc_line = __LINE__ + 1;
	CHECK_EQ(coh_alloc_shared(&h, &dev, 1024, 0), 0);
	CHECK_EQ(coh_alloc_shared(&other, &dev, 64, 0), 0);
	p = coh_raw(&h);
	/* the whole allocation */
	give_line = __LINE__ + 1;
	CHECK_EQ(coh_give(&dev, p, 1024, COH_FROM_DEVICE), 0);
	CHECK_EQ(coh_free(&other), 0);		/* a neighbour is not held up */
#if COH_DEBUG
	diags = 0;
	free_line = __LINE__ + 1;
	CHECK_EQ(coh_free(&h), -COH_EBUSY);
	CHECK_EQ(diags, 1);
	CHECK_EQ(last_err, -COH_EBUSY);
	CHECK(last_where && last_where->line == free_line);
	CHECK(names_site(last_msg, alloc_line));
	CHECK(names_site(last_msg, give_line));
	CHECK(strstr(last_msg, "1024 byte(s) at +0") != NULL);
	CHECK(coh_raw(&h) == p);		/* the handle is intact */
	CHECK_EQ(coh_device_leaks(&dev), 1);	/* and still live */
#else
	(void)alloc_line;
	(void)give_line;
	(void)free_line;
#endif
	CHECK_EQ(coh_take(&dev, p, 1024, COH_FROM_DEVICE), 0);

	/* a buffer re-posted (given twice) is back after one take */
	CHECK_EQ(coh_give(&dev, p + 100, 50, COH_TO_DEVICE), 0);
	CHECK_EQ(coh_give(&dev, p + 100, 50, COH_TO_DEVICE), 0);
	CHECK_EQ(coh_give(&dev, p + 512, 256, COH_BIDIRECTIONAL), 0);
	CHECK_EQ(coh_take(&dev, p + 100, 50, COH_TO_DEVICE), 0);
#if COH_DEBUG
	CHECK_EQ(coh_free(&h), -COH_EBUSY);	/* [512, 768) is still out */
	CHECK(strstr(last_msg, "256 byte(s) at +512") != NULL);
#endif
	/* taken back in pieces: the middle first, then both ends */
	CHECK_EQ(coh_take(&dev, p + 600, 8, COH_BIDIRECTIONAL), 0);
	CHECK_EQ(coh_take(&dev, p + 512, 88, COH_BIDIRECTIONAL), 0);
#if COH_DEBUG
	CHECK_EQ(coh_free(&h), -COH_EBUSY);
	CHECK(strstr(last_msg, "160 byte(s) at +608") != NULL);
#endif
	CHECK_EQ(coh_take(&dev, p + 608, 160, COH_BIDIRECTIONAL), 0);

	/* a refill loop: adjacent gives from one call site, taken one by one */
	for (int i = 0; i < 8; i++)
		CHECK_EQ(coh_give(&dev, p + 128 * i, 128, COH_FROM_DEVICE), 0);
	for (int i = 7; i >= 0; i--) {
#if COH_DEBUG
		CHECK_EQ(coh_free(&h), -COH_EBUSY);
#endif
		CHECK_EQ(coh_take(&dev, p + 128 * i, 128, COH_FROM_DEVICE), 0);
	}
	/* memory outside every allocation is not tracked */
	CHECK_EQ(coh_give(&dev, arena2, 64, COH_TO_DEVICE), 0);
	diags = 0;
	CHECK_EQ(coh_free(&h), 0);
	CHECK_EQ(diags, 0);
	CHECK_EQ(coh_take(&dev, arena2, 64, COH_TO_DEVICE), 0);

	/* a box, given in part before it was shared: the share moves the
	 * record with the memory */
	CHECK_EQ(coh_box_alloc(&b, &dev, 64, 0), 0);
	CHECK_EQ(coh_give(&dev, coh_box_ptr(&b) + 8, 16, COH_TO_DEVICE), 0);
	CHECK_EQ(coh_box_share(&b, &bs), 0);
#if COH_DEBUG
	CHECK_EQ(coh_free(&bs), -COH_EBUSY);
#endif
	CHECK_EQ(coh_take(&dev, (uint32_t *)coh_raw(&bs) + 8, 16, COH_TO_DEVICE), 0);
	CHECK_EQ(coh_free(&bs), 0);

	/* a pool block freed while given: refused (debug), the block stays the caller's */
	CHECK_EQ(coh_pool_create(&pl, &dev, "rx", 256, 64, 0, 4), 0);
	blk = coh_pool_alloc(&pl, &bus);
	CHECK(blk != NULL);
	CHECK_EQ(coh_give(&dev, blk, 256, COH_FROM_DEVICE), 0);
#if COH_DEBUG
	diags = 0;
	CHECK_EQ(coh_pool_free(&pl, blk), -COH_EBUSY);
	CHECK_EQ(diags, 1);
	CHECK_EQ(coh_pool_avail(&pl), 3);
	CHECK_EQ(coh_pool_destroy(&pl), -COH_EBUSY);
#endif
	CHECK_EQ(coh_take(&dev, blk, 256, COH_FROM_DEVICE), 0);
	CHECK_EQ(coh_pool_free(&pl, blk), 0);
	CHECK_EQ(coh_pool_avail(&pl), 4);
	/* returned, then given (a stale pointer): the pool cannot go */
	CHECK_EQ(coh_give(&dev, blk, 256, COH_FROM_DEVICE), 0);
#if COH_DEBUG
	CHECK_EQ(coh_pool_destroy(&pl), -COH_EBUSY);
#endif
	CHECK_EQ(coh_take(&dev, blk, 256, COH_FROM_DEVICE), 0);
	CHECK_EQ(coh_pool_destroy(&pl), 0);

	CHECK_EQ(coh_device_leaks(&dev), 0);
	CHECK_EQ(coh_region_free_bytes(&reg), before);
	teardown();
}

#if COH_DEBUG
/* More outstanding ranges than the table holds: reported, never refused wrongly. */
static void t_give_table_full(void)
{
	enum { N = COH_CHECK_GIVES + 8 };
	COH_SHARED(unsigned char) h;
	unsigned char *p;

	CHECK_EQ(setup(), 0);
	CHECK_EQ(coh_alloc_shared(&h, &cdev, 32 * N, 0), 0);
	p = coh_raw(&h);
	diags = 0;
	for (int i = 0; i < N; i++)
		CHECK_EQ(coh_give(&cdev, p + 32 * i, 16, COH_TO_DEVICE), 0);
	CHECK_EQ(diags, 8);			/* one per range not tracked */
	CHECK(strstr(last_msg, "COH_CHECK_GIVES") != NULL);
	CHECK_EQ(coh_free(&h), -COH_EBUSY);
	/* a hole in a range needs one more entry: its right part is dropped */
	diags = 0;
	CHECK_EQ(coh_take(&cdev, p + 4, 8, COH_TO_DEVICE), 0);
	CHECK_EQ(diags, 1);
	CHECK(strstr(last_msg, "no longer tracked") != NULL);
	for (int i = 0; i < N; i++)
		CHECK_EQ(coh_take(&cdev, p + 32 * i, 16, COH_TO_DEVICE), 0);
	CHECK_EQ(coh_free(&h), 0);
	teardown();
}
#endif

static int init_desc(struct desc *d, size_t i, void *ctx)
{
	if (ctx && i == 3)
		return -COH_EIO;
	d->d0 = (uint32_t)i * 10;
	return 0;
}

static void t_box_and_init(void)
{
	COH_BOX(struct desc) b = { 0 };
	COH_SHARED(struct desc) s;
	struct desc src[3] = { { 1, 2, 3, 4 }, { 5, 6, 7, 8 }, { 9, 10, 11, 12 } };
	size_t before;

	CHECK_EQ(setup(), 0);
	before = coh_region_free_bytes(&reg);
	CHECK(!coh_is_allocated(&b) && coh_cpu_addr(&b) == 0);
	CHECK_EQ(coh_box_alloc(&b, &dev, 4, 0), 0);
	CHECK(coh_bus(&b) == COH_BUS_ERROR);
	CHECK(coh_is_allocated(&b));
	{
		struct desc *bp = coh_box_ptr(&b);

		CHECK(bp != NULL);
		memcpy(bp, src, sizeof(src));
	}
	CHECK_EQ(coh_box_init_at(&b, 3, ((struct desc){ 13, 14, 15, 16 })), 0);
	CHECK_EQ(coh_box_init_at(&b, 4, ((struct desc){ 0 })), -COH_ERANGE);
	coh_stats_reset(&dev);
	CHECK_EQ(coh_box_share(&b, &s), 0);
	CHECK_EQ(dev.stats.release_calls, 1);	/* one release for the whole box */
	CHECK(coh_bus(&s) != COH_BUS_ERROR);
	/* consumed: no plain pointer through the box, nothing to free */
	CHECK(coh_box_ptr(&b) == NULL);
	CHECK(coh_bus(&b) == COH_BUS_ERROR);
	CHECK_EQ(coh_box_init_at(&b, 0, ((struct desc){ 0 })), -COH_EINVAL);
	CHECK_EQ(coh_box_share(&b, &s), -COH_EINVAL);	/* twice */
	CHECK_EQ(coh_free(&b), -COH_EINVAL);
	CHECK(!coh_is_allocated(&b) && coh_is_allocated(&s));
	CHECK(coh_cpu_addr(&s) == (uintptr_t)coh_raw(&s));
	CHECK_EQ(coh_read(&s, [3].d1), 14);
	CHECK_EQ(coh_read(&s, [1].d2), 7);
	CHECK_EQ(coh_free(&s), 0);

	CHECK_EQ(coh_alloc_shared_copy(&s, &dev, 3, 0, src), 0);
	CHECK_EQ(coh_read(&s, [2].d3), 12);
	CHECK_EQ(coh_free(&s), 0);
	CHECK_EQ(coh_alloc_shared_init(&s, &dev, 5, 0, init_desc, NULL), 0);
	CHECK_EQ(coh_read(&s, [4].d0), 40);
	CHECK_EQ(coh_free(&s), 0);
	CHECK_EQ(coh_alloc_shared_init(&s, &dev, 5, 0, init_desc, (void *)1), -COH_EIO);
	CHECK_EQ(coh_region_free_bytes(&reg), before);	/* failure freed it */
	teardown();
}

static void t_devmem_and_dump(void)
{
	struct coh_devmem d;
	COH_SHARED(unsigned char) h;
	unsigned char out[300];

	CHECK_EQ(setup(), 0);
	CHECK_EQ(coh_alloc_devmem(&d, &dev, 5000, 0), 0);
	CHECK(coh_bus(&d) != COH_BUS_ERROR);
	CHECK_EQ(coh_size(&d), 5000);
	CHECK_EQ(coh_free(&d), 0);

	CHECK_EQ(coh_alloc_shared(&h, &dev, 200, 0), 0);
	for (int i = 0; i < 200; i++)
		coh_write(&h, [i], (unsigned char)i);
	CHECK_EQ(coh_dump(&h, 0, out, sizeof(out)), 200);
	CHECK_EQ(out[199], 199);
	CHECK_EQ(coh_dump(&h, 150, out, 10), 10);
	CHECK_EQ(out[0], 150);
	CHECK_EQ(coh_dump(&h, 200, out, 10), 0);
	CHECK_EQ(coh_dump(&h, 5000, out, 10), 0);
	CHECK_EQ(coh_dump(&h, -1, out, 10), -COH_EINVAL);
	{
		unsigned char in[4] = { 9, 8, 7, 6 }, back[4];

		CHECK_EQ(coh_put(&h, 196, 4, in), 0);
		CHECK_EQ(coh_get(&h, 196, 4, back), 0);
		CHECK_EQ(back[3], 6);
		CHECK_EQ(coh_get(&h, 197, 4, back), -COH_ERANGE);
		CHECK_EQ(coh_put(&h, SIZE_MAX, 2, in), -COH_ERANGE);
	}
	CHECK_EQ(coh_free(&h), 0);
	teardown();
}

/* Buddy allocator: no overlap, every block line-aligned, all memory comes back. */
static void t_allocator_stress(void)
{
	COH_SHARED(unsigned char) h[64];
	uint32_t seed = 12345;
	size_t before;
	int live[64] = { 0 };

	CHECK_EQ(setup(), 0);
	before = coh_region_free_bytes(&reg);
	for (int it = 0; it < 2000; it++) {
		int i;

		seed = seed * 1103515245u + 12345u;
		i = (int)((seed >> 16) % 64);
		if (live[i]) {
			CHECK_EQ(coh_free(&h[i]), 0);
			live[i] = 0;
		} else if (!coh_alloc_shared(&h[i], &dev, 1 + (seed >> 8) % 3000,
					     COH_ATTR_NO_WARN)) {
			uintptr_t a = (uintptr_t)coh_raw(&h[i]);

			live[i] = 1;
			CHECK_EQ(a % COH_MAX_LINE, 0);
			for (int j = 0; j < 64; j++) {
				uintptr_t b = (uintptr_t)coh_raw(&h[j]);
				size_t bs = (coh_size(&h[j]) + COH_MAX_LINE - 1) /
					    COH_MAX_LINE * COH_MAX_LINE;

				if (j == i || !live[j])
					continue;
				CHECK(a + coh_size(&h[i]) <= b || b + bs <= a);
			}
		}
	}
	for (int i = 0; i < 64; i++)
		if (live[i])
			CHECK_EQ(coh_free(&h[i]), 0);
	CHECK_EQ(coh_region_free_bytes(&reg), before);
	teardown();
}

static void t_pool(void)
{
	struct coh_pool p;
	void *blk[40];
	coh_bus_t bus;

	CHECK_EQ(setup(), 0);
	CHECK_EQ(coh_pool_create(&p, &dev, "desc", 48, 16, 0, 0), -COH_EINVAL);
	CHECK_EQ(coh_pool_create(&p, &dev, "desc", 48, 24, 0, 4), -COH_EINVAL);
	CHECK_EQ(coh_pool_create(&p, &dev, "desc", 300, 16, 256, 4), -COH_EINVAL);
	CHECK_EQ(coh_pool_create(&p, &dev, "desc", 200, 16, 512, 40), 0);
	for (int i = 0; i < 40; i++) {
		blk[i] = coh_pool_alloc(&p, &bus);
		CHECK(blk[i] != NULL);
		CHECK_EQ((uintptr_t)blk[i] % COH_MAX_LINE, 0);
		CHECK_EQ(bus / 512, (bus + 199) / 512);	/* never crosses */
	}
	CHECK(coh_pool_alloc(&p, &bus) == NULL);	/* exhausted */
	CHECK(bus == COH_BUS_ERROR);
	CHECK_EQ(coh_pool_destroy(&p), -COH_EBUSY);
	CHECK_EQ(coh_pool_free(&p, blk[5]), 0);
	CHECK_EQ(coh_pool_free(&p, blk[5]), -COH_EINVAL);	/* double free */
	CHECK_EQ(coh_pool_free(&p, (char *)blk[6] + 1), -COH_EINVAL);
	CHECK(coh_pool_alloc(&p, &bus) == blk[5]);
	for (int i = 0; i < 40; i++)
		CHECK_EQ(coh_pool_free(&p, blk[i]), 0);
	CHECK_EQ(coh_pool_avail(&p), 40);
	CHECK_EQ(coh_pool_destroy(&p), 0);
	teardown();
}

/*
 * A freed pointer finds its block three ways (src/pool.c): a shift when the
 * blocks are evenly spaced a power of two apart (t_pool), a division when
 * evenly spaced otherwise, a search when boundary skips made them uneven.
 * Each must take back exactly the blocks it gave, and refuse a double free,
 * a pointer inside a block, before the first and past the last.
 */
static void t_pool_layouts(void)
{
	/* 300-byte blocks: a 384-byte stride; with 1024-byte boundaries, skips */
	static const size_t boundary[2] = { 0, 1024 };

	for (int l = 0; l < 2; l++) {
		struct coh_pool p;
		void *blk[12];
		coh_bus_t bus, b2;
		int skips = 0;

		CHECK_EQ(setup(), 0);
		CHECK_EQ(coh_pool_create(&p, &dev, "layout", 300, 16, boundary[l], 12), 0);
		for (int i = 0; i < 12; i++) {
			blk[i] = coh_pool_alloc(&p, &bus);
			CHECK(blk[i] != NULL);
			CHECK_EQ(coh_pool_bus(&p, blk[i], &b2), 0);
			CHECK(b2 == bus);
			if (i)
				skips += (char *)blk[i] - (char *)blk[i - 1] != 384;
		}
		CHECK(l ? skips > 0 : skips == 0);
		CHECK_EQ(coh_pool_free(&p, (char *)blk[0] - 384), -COH_EINVAL);
		CHECK_EQ(coh_pool_free(&p, (char *)blk[11] + 384), -COH_EINVAL);
		CHECK_EQ(coh_pool_free(&p, (char *)blk[3] + 64), -COH_EINVAL);
		for (int i = 0; i < 12; i++)
			CHECK_EQ(coh_pool_free(&p, blk[i]), 0);
		CHECK_EQ(coh_pool_free(&p, blk[7]), -COH_EINVAL);	/* double free */
		CHECK_EQ(coh_pool_avail(&p), 12);
		CHECK(coh_pool_alloc(&p, &bus) == blk[11]);		/* last in, first out */
		CHECK_EQ(coh_pool_free(&p, blk[11]), 0);
		CHECK_EQ(coh_pool_destroy(&p), 0);
		teardown();
	}
}

/* The ring against a device played by the test (coherent view of memory). */
static void t_ring_protocol(void)
{
	struct coh_ring r;
	struct desc d = { 1, 2, 3, 0 }, out;
	int rc;

	CHECK_EQ(setup(), 0);
	CHECK_EQ(coh_ring_create(&r, &dev, 4, struct desc, d3, 0x80000000u, 0), 0);
	CHECK_EQ(r.stride, coh_cache_line_size());	/* cached: a line (in force) per descriptor */
	CHECK_EQ(coh_ring_reap(&r, &out), -COH_EAGAIN);
	for (int i = 0; i < 4; i++) {
		d.d0 = (uint32_t)i;
		CHECK_EQ(coh_ring_post(&r, &d), i);
	}
	CHECK_EQ(coh_ring_post(&r, &d), -COH_EAGAIN);	/* full */
	CHECK_EQ(coh_ring_reap(&r, &out), -COH_EAGAIN);	/* device owns slot 0 */
	/* bad arguments: refused and reported, the ring untouched */
	diags = 0;
	CHECK_EQ(coh_ring_post(NULL, &d), -COH_EINVAL);
	CHECK_EQ(coh_ring_post(&r, NULL), -COH_EINVAL);
	CHECK_EQ(coh_ring_reap(&r, NULL), -COH_EINVAL);
	CHECK_EQ(diags, 3);
	CHECK_EQ(coh_ring_pending(&r), 4);
	{
		volatile struct desc *s0 = (volatile struct desc *)r.mem.cpu_;
		volatile struct desc *s1 = (volatile struct desc *)(r.mem.cpu_ + r.stride);

		CHECK(s0->d3 & 0x80000000u);
		s0->d3 = 77;		/* device: done, status 77 */
		s1->d3 = 0;
	}
	rc = coh_ring_reap(&r, &out);
	CHECK_EQ(rc, 0);
	CHECK_EQ(out.d3, 77);
	CHECK_EQ(out.d0, 0);
	CHECK_EQ(coh_ring_reap(&r, &out), 1);
	CHECK_EQ(coh_ring_reap(&r, &out), -COH_EAGAIN);
	CHECK_EQ(coh_ring_destroy(&r), -COH_EBUSY);	/* slots 2, 3 still out */
	CHECK_EQ(coh_ring_post(&r, &d), 0);		/* wraps to slot 0 */
	CHECK(coh_ring_bus(&r, 5) == coh_ring_bus(&r, 1));
	CHECK_EQ(coh_ring_reset(&r), 0);		/* device stopped: all slots back */
	CHECK_EQ(coh_ring_pending(&r), 0);
	CHECK_EQ(coh_ring_reap(&r, &out), -COH_EAGAIN);
	CHECK_EQ(coh_ring_post(&r, &d), 0);		/* starts again at slot 0 */
	CHECK_EQ(coh_ring_reset(&r), 0);
	CHECK_EQ(coh_ring_destroy(&r), 0);
	/* coherent device: packed */
	CHECK_EQ(coh_ring_create(&r, &cdev, 8, struct desc, d3, 1u << 31, 0), 0);
	CHECK_EQ(r.stride, sizeof(struct desc));
	CHECK_EQ(coh_ring_destroy(&r), 0);
	teardown();
}

/*
 * An alignment above the size makes the allocator take a larger block:
 * freeing must return all of it (a regression: the free once returned only
 * the size's worth, leaking the rest of the block).
 */
static void t_align_above_size(void)
{
	COH_SHARED(uint32_t) h;
	struct coh_pool pl;
	size_t before;

	CHECK_EQ(setup(), 0);
	before = coh_region_free_bytes(&reg);
	dev.min_align = 4096;
	for (int i = 0; i < 64; i++) {
		CHECK_EQ(coh_alloc_shared(&h, &dev, 16, 0), 0);
		CHECK_EQ(coh_bus(&h) % 4096, 0);
		CHECK_EQ(coh_free(&h), 0);
	}
	dev.min_align = 1;
	for (int i = 0; i < 64; i++) {
		CHECK_EQ(coh_pool_create(&pl, &dev, "b", 32, 16, 4096, 8), 0);
		CHECK_EQ(coh_pool_destroy(&pl), 0);
	}
	CHECK_EQ(coh_region_free_bytes(&reg), before);
	teardown();
}

/* does [bus, bus+n) cross a multiple of b? */
static int crosses(coh_bus_t bus, size_t n, size_t b)
{
	return ((bus ^ (bus + n - 1)) & ~(coh_bus_t)(b - 1)) != 0;
}

/*
 * Allocation constraints (issue 19 item 3): alignments above a page, a
 * no-cross boundary, whole pages; each impossible request refused with its
 * code before anything is allocated.
 */
static void t_placement(void)
{
	COH_SHARED(struct desc) h[8];
	COH_BOX(struct desc) pb;
	COH_SHARED(uint64_t) prp;
	COH_SHARED(unsigned char) b;
	struct coh_devmem dm;
	struct coh_pool pl;
	struct coh_device off;
	const struct coh_placement both = { .align = 32768, .boundary = 65536 },
				   adma = { .align = 16384, .boundary = 8192 };
	size_t before;

	CHECK_EQ(setup(), 0);
	before = coh_region_free_bytes(&reg);
	/* 64 KiB alignment (xHCI, scratchpad tables): several at once */
	for (int i = 0; i < 2; i++) {
		CHECK_EQ(coh_alloc_shared_placed(&h[i], &dev, 4, 0,
						 &(struct coh_placement){ .align = 65536 }), 0);
		CHECK_EQ(coh_bus(&h[i]) % 65536, 0);
		coh_write(&h[i], [3].d3, 7u);
		CHECK_EQ(coh_read(&h[i], [3].d3), 7u);
	}
	for (int i = 0; i < 2; i++)
		CHECK_EQ(coh_free(&h[i]), 0);
	/* a no-cross boundary: sizes up to the boundary, none crosses it */
	for (int i = 0; i < 8; i++) {
		size_t n = (size_t)(i * 37 + 5) % 256 + 1;	/* 16 B .. 4 KiB */

		CHECK_EQ(coh_alloc_shared_placed(&h[i], &dev, n, 0,
						 &(struct coh_placement){ .boundary = 4096 }), 0);
		CHECK(!crosses(coh_bus(&h[i]), coh_size(&h[i]), 4096));
	}
	for (int i = 0; i < 8; i++)
		CHECK_EQ(coh_free(&h[i]), 0);
	/* both, on the device's bus addresses (a bus offset that is a multiple) */
	coh_device_init(&off, "off", 0);
	off.dma_mask = ~0ull;
	off.bus_offset = 0x40000000ull;
	CHECK_EQ(coh_box_alloc_placed(&pb, &off, 100, 0, &both), 0);
	CHECK_EQ(coh_box_share(&pb, &h[0]), 0);
	CHECK_EQ(coh_bus(&h[0]) % 32768, 0);
	CHECK(!crosses(coh_bus(&h[0]), coh_size(&h[0]), 65536));
	CHECK_EQ(coh_free(&h[0]), 0);
	CHECK_EQ(coh_alloc_devmem_placed(&dm, &dev, 9000, COH_ATTR_NO_WARN, &adma), -COH_EINVAL);
	CHECK_EQ(coh_alloc_devmem_placed(&dm, &dev, 5000, 0, &adma), 0);
	CHECK_EQ(coh_bus(&dm) % 16384, 0);
	CHECK_EQ(coh_free(&dm), 0);
	/* a region whose physical address is aligned to 4 KiB only still
	 * serves larger alignments: the buddy grid is laid on physical space */
	CHECK_EQ(coh_region_add(&reg2, arena2, 0x10001000ull, sizeof(arena2), 0), 0);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(coh_alloc_shared_placed(&h[i], &dev, 1, 0,
						 &(struct coh_placement){ .align = 16384 }), 0);
		CHECK(coh_bus(&h[i]) >= 0x10001000ull && coh_bus(&h[i]) < 0x10011000ull);
		CHECK_EQ(coh_bus(&h[i]) % 16384, 0);
	}
	for (int i = 0; i < 3; i++)
		CHECK_EQ(coh_free(&h[i]), 0);
	CHECK_EQ(coh_region_remove(&reg2), 0);
	/* impossible requests: their codes, nothing kept */
	CHECK_EQ(coh_alloc_shared_placed(&h[0], &dev, 4, COH_ATTR_NO_WARN,
					 &(struct coh_placement){ .align = 3 * 4096 }), -COH_EINVAL);
	CHECK_EQ(coh_alloc_shared_placed(&h[0], &dev, 4, COH_ATTR_NO_WARN,
					 &(struct coh_placement){ .boundary = 100 }), -COH_EINVAL);
	CHECK_EQ(coh_alloc_shared_placed(&h[0], &dev, 512, COH_ATTR_NO_WARN,
					 &(struct coh_placement){ .boundary = 4096 }), -COH_EINVAL);
	/* an alignment no region's block reaches (the region is 256 KiB) */
	CHECK_EQ(coh_alloc_shared_placed(&h[0], &dev, 4, COH_ATTR_NO_WARN,
					 &(struct coh_placement){ .align = 1u << 20 }), -COH_ERANGE);
	CHECK_EQ(coh_bus(&h[0]), COH_BUS_ERROR);
	CHECK_EQ(coh_region_free_bytes(&reg), before);
	/* whole pages: an NVMe PRP list, xHCI scratchpads */
	CHECK_EQ(coh_alloc_shared_pages(&prp, &dev, 1, 4096, 0), 0);
	CHECK_EQ(coh_count(&prp), 512);
	CHECK_EQ(coh_bus(&prp) % 4096, 0);
	coh_write(&prp, [511], 0x1234ull);
	CHECK_EQ(coh_read(&prp, [511]), 0x1234ull);
	CHECK_EQ(coh_free(&prp), 0);
	CHECK_EQ(coh_alloc_shared_pages(&prp, &dev, 2, 16384, 0), 0);
	CHECK_EQ(coh_size(&prp), 32768);
	CHECK_EQ(coh_bus(&prp) % 16384, 0);
	CHECK_EQ(coh_free(&prp), 0);
	CHECK_EQ(coh_alloc_devmem_pages(&dm, &dev, 2, 65536, 0), 0);
	CHECK_EQ(coh_bus(&dm) % 65536, 0);
	CHECK_EQ(coh_size(&dm), 2 * 65536);
	CHECK_EQ(coh_free(&dm), 0);
	CHECK_EQ(coh_alloc_shared_pages(&prp, &dev, 0, 4096, 0), -COH_EINVAL);
	CHECK_EQ(coh_alloc_shared_pages(&prp, &dev, 1, 4000, 0), -COH_EINVAL);
	CHECK_EQ(coh_alloc_shared_pages(&prp, &dev, 1, 4, 0), -COH_EINVAL);	/* half a uint64_t */
	CHECK_EQ(coh_alloc_shared_pages(&prp, &dev, SIZE_MAX / 2, 4096, 0), -COH_EOVERFLOW);
	/* 192 KiB takes a 256 KiB block, which this region can never hold */
	CHECK_EQ(coh_alloc_devmem_pages(&dm, &dev, 3, 65536, COH_ATTR_NO_WARN), -COH_ERANGE);
	CHECK_EQ(coh_alloc_shared_placed(&b, &dev, 1, 0, NULL), 0);	/* NULL: no constraint */
	CHECK_EQ(coh_free(&b), 0);
	/* a pool of 64 KiB-aligned blocks */
	CHECK_EQ(coh_pool_create(&pl, &dev, "big", 512, 65536, 0, 2), 0);
	{
		coh_bus_t b0, b1;
		void *p0 = coh_pool_alloc(&pl, &b0), *p1 = coh_pool_alloc(&pl, &b1);

		CHECK(p0 && p1);
		CHECK_EQ(b0 % 65536, 0);
		CHECK_EQ(b1 % 65536, 0);
		CHECK_EQ(coh_pool_free(&pl, p0), 0);
		CHECK_EQ(coh_pool_free(&pl, p1), 0);
	}
	CHECK_EQ(coh_pool_destroy(&pl), 0);
	CHECK_EQ(coh_region_free_bytes(&reg), before);
	teardown();
}

/*
 * Diagnostics of library calls name the caller's line, not the library's
 * (issue 19 item 9): coh_dump, coh_set_cache_line_size and coh_region_add
 * once passed their own COH_HERE (src/mem.c, src/fence.c, src/region.c).
 */
static void t_diag_names_caller(void)
{
	COH_SHARED(uint32_t) h;
	struct coh_region r;
	unsigned char out[8];
	int line;

	CHECK_EQ(setup(), 0);
	CHECK_EQ(coh_alloc_shared(&h, &dev, 4, 0), 0);
	last_where = NULL;
	line = __LINE__ + 1;
	CHECK(coh_dump(&h, -1, out, sizeof(out)) < 0);
	if (COH_DEBUG)
		CHECK(last_where && last_where->line == line &&
		      strstr(last_where->file, "test_mem.c"));
	last_where = NULL;
	line = __LINE__ + 1;
	CHECK_EQ(coh_set_cache_line_size(48), -COH_EINVAL);
	if (COH_DEBUG)
		CHECK(last_where && last_where->line == line &&
		      strstr(last_where->file, "test_mem.c"));
	last_where = NULL;
	line = __LINE__ + 1;
	CHECK_EQ(coh_region_add(&r, arena2 + 1, 0, 4096, 0), -COH_EINVAL);
	if (COH_DEBUG)
		CHECK(last_where && last_where->line == line &&
		      strstr(last_where->file, "test_mem.c"));
	/* the functions behind the macros stay, for callers that take their address */
	{
		int (*set)(size_t) = coh_set_cache_line_size;

		CHECK_EQ(set(48), -COH_EINVAL);
	}
	CHECK_EQ(coh_free(&h), 0);
	teardown();
}

/* A VirtIO-style available ring: a header and a flexible array. */
struct avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
};

static void t_flex(void)
{
	COH_SHARED(struct avail) a, b;
	size_t before;
	uint16_t v = 0;

	CHECK_EQ(setup(), 0);
	before = coh_region_free_bytes(&reg);
	CHECK_EQ(coh_alloc_shared_flex(&a, &dev, ring, 256, 0), 0);
	CHECK_EQ(coh_size(&a), 4 + 2 * 256);
	CHECK_EQ(coh_count(&a), 1);
	CHECK_EQ(coh_bus(&a) % COH_MAX_LINE, 0);
	coh_write(&a, [0].ring[255], 7);
	coh_write(&a, [0].idx, 1);
	CHECK_EQ(coh_read(&a, [0].ring[255]), 7);
	CHECK_EQ(coh_read(&a, [0].idx), 1);
	CHECK_EQ(coh_read(&a, [0].ring[0]), 0);	/* zeroed */
	/* one past the n elements is out of bounds */
	CHECK_EQ(coh_try_read(&a, [0].ring[256], &v), -COH_ERANGE);
	CHECK_EQ(coh_try_write(&a, [0].ring[300], 1), -COH_ERANGE);
	CHECK_EQ(coh_try_read(&a, [0].ring[128], &v), 0);
	/* no elements: the header alone; sizes that overflow: refused */
	CHECK_EQ(coh_alloc_shared_flex(&b, &dev, ring, 0, 0), 0);
	CHECK_EQ(coh_size(&b), sizeof(struct avail));
	CHECK_EQ(coh_try_write(&b, [0].ring[0], 1), -COH_ERANGE);
	CHECK_EQ(coh_free(&b), 0);
	CHECK_EQ(coh_alloc_shared_flex(&b, &dev, ring, SIZE_MAX / 2, 0), -COH_EOVERFLOW);
	CHECK_EQ(coh_bus(&b), COH_BUS_ERROR);
	/* bulk copies: per array element, never the whole allocation as one T */
	{
		struct avail hdr;
		uint16_t el[4] = { 1, 2, 3, 4 }, back[4] = { 0 };

		CHECK_EQ(coh_get(&a, 0, 1, &hdr), -COH_EINVAL);
		CHECK_EQ(coh_put(&a, 0, 1, &hdr), -COH_EINVAL);
		CHECK_EQ(coh_put_flex(&a, ring, 252, 4, el), 0);
		CHECK_EQ(coh_read(&a, [0].ring[252]), 1);
		CHECK_EQ(coh_read(&a, [0].ring[255]), 4);
		CHECK_EQ(coh_get_flex(&a, ring, 252, 4, back), 0);
		CHECK(!memcmp(el, back, sizeof(el)));
		CHECK_EQ(coh_get_flex(&a, ring, 253, 4, back), -COH_ERANGE);
		CHECK_EQ(coh_put_flex(&a, ring, SIZE_MAX, 2, el), -COH_ERANGE);
		CHECK_EQ(coh_get_flex(&a, ring, 256, 0, back), 0);
	}
	CHECK_EQ(coh_free(&a), 0);
	CHECK_EQ(coh_region_free_bytes(&reg), before);
	CHECK_EQ(coh_device_leaks(&dev), 0);
	teardown();
}

/* VirtIO split rings: the event index after the array, as a declared trailer. */
struct used_elem {
	uint32_t id, len;
};
struct used {
	uint16_t flags, idx;
	struct used_elem ring[];
};
struct used_tail {
	uint16_t avail_event;
};
struct avail_tail {
	uint16_t used_event;
};

static void t_flex_tail(void)
{
	COH_SHARED_FLEX(struct avail, struct avail_tail) av;
	COH_SHARED_FLEX(struct used, struct used_tail) us, bad;
	COH_SHARED(struct avail) plain;
	struct used_elem e[2] = { { 1, 100 }, { 2, 200 } }, back[2];
	uint16_t v = 0;

	CHECK_EQ(setup(), 0);
	CHECK_EQ(coh_alloc_shared_flex_tail(&av, &dev, ring, 8, 0), 0);
	CHECK_EQ(coh_size(&av), 4 + 2 * 8 + 2);	/* used_event at 4 + 2n */
	CHECK_EQ(coh_alloc_shared_flex_tail(&us, &dev, ring, 8, 0), 0);
	CHECK_EQ(coh_size(&us), 4 + 8 * 8 + 2);	/* avail_event at 4 + 8n */
	coh_write_tail(&av, .used_event, 0x1234);
	coh_write_tail(&us, .avail_event, 7);
	CHECK_EQ(coh_read_tail(&av, .used_event), 0x1234);
	CHECK_EQ(coh_read_tail(&us, .avail_event), 7);
	/* the trailer is where the device looks for it */
	{
		uint16_t raw;

		memcpy(&raw, (const char *)coh_raw(&av) + 4 + 2 * 8, 2);
		CHECK_EQ(raw, 0x1234);
		memcpy(&raw, (const char *)coh_raw(&us) + 4 + 8 * 8, 2);
		CHECK_EQ(raw, 7);
	}
	/* the array's last element and the trailer do not overlap */
	coh_write(&us, [0].ring[7].len, 0xffffffffu);
	CHECK_EQ(coh_read_tail(&us, .avail_event), 7);
	CHECK_EQ(coh_put_flex(&us, ring, 6, 2, e), 0);
	CHECK_EQ(coh_get_flex(&us, ring, 6, 2, back), 0);
	CHECK(back[1].id == 2 && back[1].len == 200);
	CHECK_EQ(coh_read_tail(&us, .avail_event), 7);
	CHECK_EQ(coh_try_read_tail(&us, .avail_event, &v), 0);
	CHECK_EQ(v, 7);
	CHECK_EQ(coh_try_write_tail(&av, .used_event, 9), 0);
	CHECK_EQ(coh_read_tail(&av, .used_event), 9);
	/* n = 0: the trailer right after the header */
	CHECK_EQ(coh_alloc_shared_flex_tail(&bad, &dev, ring, 0, 0), 0);
	CHECK_EQ(coh_size(&bad), 6);
	coh_write_tail(&bad, .avail_event, 3);
	CHECK_EQ(coh_read_tail(&bad, .avail_event), 3);
	CHECK_EQ(coh_free(&bad), 0);
	/* a flex-with-trailer handle allocated without one: refused, reported */
	diags = 0;
	CHECK_EQ(coh_alloc_shared_flex(&bad, &dev, ring, 8, 0), 0);
	CHECK_EQ(coh_try_read_tail(&bad, .avail_event, &v), -COH_ERANGE);
	CHECK_EQ(coh_try_write_tail(&bad, .avail_event, 1), -COH_ERANGE);
	CHECK_EQ(diags, 0);
	CHECK_EQ(coh_read_tail(&bad, .avail_event), 0);
	coh_write_tail(&bad, .avail_event, 5);
	CHECK_EQ(diags, 2);
	CHECK_EQ(coh_read(&bad, [0].flags), 0);	/* offset 0 was not written */
	CHECK_EQ(coh_free(&bad), 0);
	/* through a freed handle: reported, nothing touched */
	CHECK_EQ(coh_read_tail(&bad, .avail_event), 0);
	CHECK_EQ(diags, 3);
	CHECK_EQ(coh_try_read_tail(&bad, .avail_event, &v), -COH_ERANGE);
	/* coh_get_flex on a handle that is not flex, or the wrong member */
	CHECK_EQ(coh_alloc_shared(&plain, &dev, 2, 0), 0);
	CHECK_EQ(coh_get_flex(&plain, ring, 0, 1, &v), -COH_EINVAL);
	CHECK_EQ(coh_free(&plain), 0);
	/* a member that is not an array does not compile (_Static_assert) */
	CHECK_EQ(coh_free(&av), 0);
	CHECK_EQ(coh_free(&us), 0);
	/* the array fits, the trailer after it does not */
	CHECK_EQ(coh_alloc_shared_flex_tail(&av, &dev, ring, (SIZE_MAX - 4) / 2, 0),
		 -COH_EOVERFLOW);
	CHECK_EQ(coh_alloc_shared_flex_tail(&av, &dev, ring, SIZE_MAX / 2, 0), -COH_EOVERFLOW);
	CHECK_EQ(coh_device_leaks(&dev), 0);
	teardown();
}

void suite_mem(void)
{
	RUN(t_region_errors);
	RUN(t_shared_accessors);
	RUN(t_checked_forms);
	RUN(t_flex);
	RUN(t_flex_tail);
	RUN(t_align_above_size);
	RUN(t_placement);
	RUN(t_diag_names_caller);
	RUN(t_coherent_no_maintenance);
	RUN(t_bad_sizes);
	RUN(t_mask_respected);
	RUN(t_double_free_and_leaks);
	RUN(t_free_while_given);
#if COH_DEBUG
	RUN(t_give_table_full);
#endif
	RUN(t_box_and_init);
	RUN(t_devmem_and_dump);
	RUN(t_allocator_stress);
	RUN(t_pool);
	RUN(t_pool_layouts);
	RUN(t_ring_protocol);
	coh_region_remove(&reg);
}
