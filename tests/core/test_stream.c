/* SPDX-License-Identifier: MIT */
/*
 * Streaming DMA on whatever backend this binary was built for (the host
 * and every emulated target): map/sync/unmap bookkeeping and its errors,
 * bouncing for a DMA mask and by force, record exhaustion, scatter-gather
 * merging and splitting.  The device is played by the test: it reads and
 * writes memory at the bus address it was given, after the maintenance a
 * real device would rely on.
 */
#include <string.h>

#include "coherent/coherent.h"
#include "harness.h"
#include "suites.h"

/* buffers "above 4 GiB", the bounce pool below: a 32-bit device must bounce */
#define HIGH_PHYS 0x180000000ull
#define LOW_PHYS 0x40000000ull

/*
 * Regions give the made-up physical addresses; the allocator keeps its
 * bitmaps at each region's head, so the test uses only the heap part:
 * hb (high) for buffers, the low heap as the bounce pool.
 */
static unsigned char high[64 * 1024] __attribute__((aligned(4096)));
static unsigned char low[32 * 1024] __attribute__((aligned(4096)));
static struct coh_region rhigh, rlow;
static unsigned char *hb;
static uint64_t hphys;
static struct coh_device dev;
static struct coh_stream st;
static struct coh_map_rec recs[8];

static int diags;
static void count_diag(const struct coh_where *w, const char *m, int e)
{
	(void)w;
	(void)m;
	(void)e;
#ifdef TEST_STREAM_VERBOSE
	printf("diag: %s (%d)\n", m, e);
#endif
	diags++;
}

static int setup(unsigned int sflags, uint64_t mask, bool pool)
{
	coh_set_diag_handler(count_diag);
	/* a test that stopped early left them registered */
	coh_region_remove(&rhigh);
	coh_region_remove(&rlow);
	if (coh_region_add(&rhigh, high, HIGH_PHYS, sizeof(high), 0) ||
	    coh_region_add(&rlow, low, LOW_PHYS, sizeof(low), 0))
		return -1;
	hb = (unsigned char *)rhigh.heap;
	hphys = HIGH_PHYS + (rhigh.heap - (uintptr_t)high);
	coh_device_init(&dev, "stream", 0);
	dev.dma_mask = mask;
	if (coh_stream_init(&st, recs, 8, sflags))
		return -1;
	/* the pool is the low region's heap itself (nothing is allocated from it) */
	if (pool && coh_stream_bounce(&st, (void *)rlow.heap,
				      LOW_PHYS + (rlow.heap - (uintptr_t)low),
				      (uintptr_t)low + sizeof(low) - rlow.heap))
		return -1;
	diags = 0;
	return coh_device_set_stream(&dev, &st);
}

static void teardown(void)
{
	coh_device_teardown(&dev);
	coh_region_remove(&rhigh);
	coh_region_remove(&rlow);
	coh_set_diag_handler(NULL);
}

/* the CPU address behind a bus address in one of our regions */
static unsigned char *cpu_of(coh_bus_t bus)
{
	uint64_t phys = bus - dev.bus_offset;

	if (phys >= HIGH_PHYS && phys < HIGH_PHYS + sizeof(high))
		return high + (phys - HIGH_PHYS);
	if (phys >= LOW_PHYS && phys < LOW_PHYS + sizeof(low))
		return low + (phys - LOW_PHYS);
	return NULL;
}

static void t_map_in_place(void)
{
	unsigned char *buf;
	coh_bus_t b;

	CHECK_EQ(setup(0, ~0ull, false), 0);
	buf = hb + 256;
	dev.bus_offset = 0x1000;
	memset(buf, 0x5a, 1024);
	b = coh_map_single(&dev, buf, 1024, COH_FROM_DEVICE);
	CHECK(!coh_mapping_error(&dev, b));
	CHECK_EQ(b, hphys + 256 + 0x1000);
	/* in place: no record, except the debug checker's */
	CHECK_EQ(coh_stream_live(&st), COH_DEBUG ? 1 : 0);
	/* the device writes, then the CPU takes it back */
	memset(cpu_of(b), 0xa5, 1024);
	CHECK_EQ(coh_flush(&dev, cpu_of(b), 1024), 0); /* the device's write reaches RAM */
	CHECK_EQ(coh_sync_for_cpu(&dev, b, 0, 1024, COH_FROM_DEVICE), 0);
	CHECK_EQ(buf[0], 0xa5);
	CHECK_EQ(buf[1023], 0xa5);
#if COH_DEBUG
	/* misuse (the checker's records): refused, the mapping stays */
	CHECK_EQ(coh_sync_for_cpu(&dev, b, 512, 1024, COH_FROM_DEVICE), -COH_ERANGE);
	CHECK_EQ(coh_sync_for_cpu(&dev, b, 0, 16, COH_TO_DEVICE), -COH_EINVAL);
	CHECK_EQ(coh_sync_for_cpu(&dev, b + 64, 0, 16, COH_FROM_DEVICE), -COH_EINVAL);
	CHECK_EQ(coh_stream_live(&st), 1);
	/* wrong size: reported, but the mapping's own size is unmapped */
	CHECK_EQ(coh_unmap_single(&dev, b, 1000, COH_FROM_DEVICE), -COH_EINVAL);
	CHECK_EQ(coh_stream_live(&st), 0);
	CHECK_EQ(coh_unmap_single(&dev, b, 1024, COH_FROM_DEVICE), -COH_EINVAL);
#else
	/* release, in place: no record (as dma-direct), the caller's word is taken */
	CHECK_EQ(coh_unmap_single(&dev, b, 1024, COH_FROM_DEVICE), 0);
#endif
	CHECK_EQ(dev.stats.maps, 1);
	CHECK_EQ(dev.stats.bounces, 0);
	/* bad input: nothing mapped */
	CHECK(coh_mapping_error(&dev, coh_map_single(&dev, NULL, 16, COH_TO_DEVICE)));
	CHECK(coh_mapping_error(&dev, coh_map_single(&dev, buf, 0, COH_TO_DEVICE)));
	CHECK(coh_mapping_error(&dev, coh_map_single(&dev, buf, 16, (enum coh_dir)7)));
	CHECK(coh_mapping_error(&dev, coh_map_single(&dev, (void *)(UINTPTR_MAX - 8), 64,
						     COH_TO_DEVICE)));
	CHECK_EQ(coh_stream_live(&st), 0);
	/* five checker reports (debug builds only), four refused maps */
	CHECK_EQ(diags, COH_DEBUG ? 9 : 4);
	teardown();
}

static void t_bounce_for_mask(void)
{
	unsigned char *buf, *slot;
	coh_bus_t b;

	CHECK_EQ(setup(0, 0xFFFFFFFFull, true), 0);
	buf = hb + 1000; /* unaligned too */
	for (int i = 0; i < 300; i++)
		buf[i] = (unsigned char)(i * 7 + 1);
	b = coh_map_single(&dev, buf, 300, COH_TO_DEVICE);
	CHECK(!coh_mapping_error(&dev, b));
	CHECK(b + 300 - 1 <= 0xFFFFFFFFull);
	slot = cpu_of(b);
	CHECK(slot >= low && slot < low + sizeof(low));
	if (slot) {
		/* the device reads the bytes; the rest of the slot's last line is zero */
		CHECK_EQ(memcmp(slot, buf, 300), 0);
		CHECK_EQ(slot[300], 0);
	}
	CHECK_EQ(coh_unmap_single(&dev, b, 300, COH_TO_DEVICE), 0);
	CHECK_EQ(dev.stats.bounces, 1);
	CHECK_EQ(dev.stats.bounce_bytes, 300);

	memset(buf, 0, 300);
	b = coh_map_single(&dev, buf, 300, COH_FROM_DEVICE);
	CHECK(!coh_mapping_error(&dev, b));
	slot = cpu_of(b);
	if (slot) {
		memset(slot, 0x3c, 300);
		CHECK_EQ(coh_flush(&dev, slot, 300), 0);
	}
	CHECK_EQ(coh_sync_for_cpu(&dev, b, 100, 100, COH_FROM_DEVICE), 0);
	CHECK_EQ(buf[99], 0);		/* only the synced bytes are copied */
	CHECK_EQ(buf[100], 0x3c);
	CHECK_EQ(buf[199], 0x3c);
	CHECK_EQ(buf[200], 0);
	CHECK_EQ(coh_unmap_single(&dev, b, 300, COH_FROM_DEVICE), 0);
	CHECK_EQ(buf[0], 0x3c);
	CHECK_EQ(buf[299], 0x3c);
	CHECK_EQ(buf[300], 0);		/* never past the buffer */
	CHECK_EQ(dev.stats.bounces, 2);
	CHECK_EQ(diags, 0);
	teardown();
}

static void t_exhaustion(void)
{
	coh_bus_t b[9];
	size_t pool, big, small;
	int n = 0;

	CHECK_EQ(setup(COH_STREAM_FORCE_BOUNCE, ~0ull, true), 0);
	/* two slots of 3/8 of the pool and a bit fit, a third of 1/4 does not */
	pool = st.b_ngran * st.b_gran;
	big = pool * 3 / 8 + 512;
	small = pool / 4;
	CHECK(2 * big + small <= (size_t)((uintptr_t)high + sizeof(high) - (uintptr_t)hb));
	b[0] = coh_map_single(&dev, hb, big, COH_TO_DEVICE);
	b[1] = coh_map_single(&dev, hb + big, big, COH_TO_DEVICE);
	b[2] = coh_map_single(&dev, hb + 2 * big, small, COH_TO_DEVICE);
	CHECK(!coh_mapping_error(&dev, b[0]));
	CHECK(!coh_mapping_error(&dev, b[1]));
	CHECK(coh_mapping_error(&dev, b[2]));
	CHECK_EQ(coh_stream_live(&st), 2);
	CHECK_EQ(coh_unmap_single(&dev, b[0], big, COH_TO_DEVICE), 0);
	/* retry after a release succeeds: exhaustion is temporary */
	b[2] = coh_map_single(&dev, hb + 2 * big, small, COH_TO_DEVICE);
	CHECK(!coh_mapping_error(&dev, b[2]));
	CHECK_EQ(coh_unmap_single(&dev, b[1], big, COH_TO_DEVICE), 0);
	CHECK_EQ(coh_unmap_single(&dev, b[2], small, COH_TO_DEVICE), 0);
	CHECK_EQ(st.b_free, st.b_ngran);
	teardown();

	/*
	 * Eight records.  In place, nine maps all succeed: records are for
	 * bounce slots (and the debug checker, which reports the ninth as not
	 * checked); bounced, the ninth map fails and nothing is lost.
	 */
	CHECK_EQ(setup(0, ~0ull, false), 0);
	for (int i = 0; i < 9; i++) {
		b[i] = coh_map_single(&dev, hb + i * 1024, 512, COH_TO_DEVICE);
		n += !coh_mapping_error(&dev, b[i]);
	}
	CHECK_EQ(n, 9);
	CHECK_EQ(diags, COH_DEBUG ? 1 : 0);
	for (int i = 0; i < 9; i++)
		CHECK_EQ(coh_unmap_single(&dev, b[i], 512, COH_TO_DEVICE), 0);
	CHECK_EQ(coh_stream_live(&st), 0);
	CHECK_EQ(coh_device_teardown(&dev), 0);
	teardown();
	n = 0;
	CHECK_EQ(setup(COH_STREAM_FORCE_BOUNCE, ~0ull, true), 0);
	for (int i = 0; i < 9; i++) {
		b[i] = coh_map_single(&dev, hb + i * 1024, 512, COH_TO_DEVICE);
		n += !coh_mapping_error(&dev, b[i]);
	}
	CHECK_EQ(n, 8);
	CHECK(coh_mapping_error(&dev, b[8]));
	CHECK_EQ(coh_device_teardown(&dev), -COH_EBUSY);
	for (int i = 0; i < 8; i++)
		CHECK_EQ(coh_unmap_single(&dev, b[i], 512, COH_TO_DEVICE), 0);
	CHECK_EQ(coh_stream_live(&st), 0);
	CHECK_EQ(st.b_free, st.b_ngran);
	CHECK_EQ(coh_device_teardown(&dev), 0);
	teardown();
}

static void t_scatter_gather(void)
{
	struct coh_sg sg[4];
	int n;

	CHECK_EQ(setup(0, ~0ull, false), 0);
	/* three physically contiguous, line-exact pieces merge into one segment */
	for (int i = 0; i < 3; i++) {
		sg[i].ptr = hb + i * 1024;
		sg[i].len = 1024;
	}
	n = coh_map_sg(&dev, sg, 3, COH_BIDIRECTIONAL);
	CHECK_EQ(n, 1);
	CHECK_EQ(sg[0].bus, hphys);
	CHECK_EQ(sg[0].bus_len, 3072);
	CHECK_EQ(coh_sync_sg_for_cpu(&dev, sg, 3, COH_BIDIRECTIONAL), 0);
	CHECK_EQ(coh_unmap_sg(&dev, sg, 3, COH_BIDIRECTIONAL), 0);

	/* a 2 KiB max segment splits them again */
	dev.max_seg_size = 2048;
	n = coh_map_sg(&dev, sg, 3, COH_TO_DEVICE);
	CHECK_EQ(n, 2);
	CHECK_EQ(sg[0].bus_len, 2048);
	CHECK_EQ(sg[1].bus, hphys + 2048);
	CHECK_EQ(sg[1].bus_len, 1024);
	CHECK_EQ(coh_unmap_sg(&dev, sg, 3, COH_TO_DEVICE), 0);

	/* an entry over max_seg_size: refused, nothing left mapped */
	sg[3].ptr = hb + 4096;
	sg[3].len = 4096;
	CHECK_EQ(coh_map_sg(&dev, sg, 4, COH_TO_DEVICE), -COH_EINVAL);
	CHECK_EQ(coh_stream_live(&st), 0);
	CHECK_EQ(coh_map_sg(&dev, sg, 0, COH_TO_DEVICE), -COH_EINVAL);
	teardown();
}

/* A coherent allocation mapped for streaming cannot be freed while mapped (debug). */
static void t_free_while_mapped(void)
{
	COH_SHARED(uint8_t) h;
	coh_bus_t b;

	CHECK_EQ(setup(0, ~0ull, false), 0);
	CHECK_EQ(coh_alloc_shared(&h, &dev, 1024, 0), 0);
	b = coh_map_single(&dev, coh_raw(&h), 1024, COH_FROM_DEVICE);
	CHECK(!coh_mapping_error(&dev, b));
#if COH_DEBUG
	CHECK_EQ(coh_free(&h), -COH_EBUSY);
	CHECK_EQ(diags, 1);
#endif
	CHECK_EQ(coh_unmap_single(&dev, b, 1024, COH_FROM_DEVICE), 0);
	CHECK_EQ(coh_free(&h), 0);
	CHECK_EQ(coh_device_leaks(&dev), 0);
	teardown();
}

void suite_stream(void)
{
	RUN(t_map_in_place);
	RUN(t_bounce_for_mask);
	RUN(t_exhaustion);
	RUN(t_scatter_gather);
	RUN(t_free_while_mapped);
}
