/* SPDX-License-Identifier: MIT */
/*
 * Streaming DMA on the recording backend: exactly which lines get which
 * operation per direction, bounce decisions and copies, scatter-gather
 * segmentation, every bad input, and every checker class (debug builds):
 * each report names both sides and the mapping's file:line.
 * The "device" here is memcpy through the bus address (identity map).
 */
#include <stdlib.h>
#include <string.h>

#include "coherent/coherent.h"
#include "harness.h"

TH_DEFINE_COUNTERS;

#define L 64
#define ARENA (4u << 20)
#define POOL (64u << 10)
static unsigned char arena[ARENA] __attribute__((aligned(1 << 20)));
static unsigned char *pool = arena;			/* [0, 64K): bounce pool */
static unsigned char *buf = arena + (128u << 10);	/* reachable buffers */
static unsigned char *far_buf = arena + (3u << 20);	/* beyond a 2 MiB mask */

static struct coh_device dev;
static struct coh_stream st;
static struct coh_map_rec recs[2048];

static char msgs[64][512];
static int nmsg, last_err;
static const struct coh_where *last_where;

static void diag(const struct coh_where *w, const char *msg, int err)
{
	if (nmsg < 64)
		snprintf(msgs[nmsg], sizeof(msgs[0]), "%s", msg);
	nmsg++;
	last_err = err;
	last_where = w;
}

/* the message (any since the last reset) containing all of a, b, c */
static const char *find_msg(const char *a, const char *b, const char *c)
{
	for (int i = 0; i < nmsg && i < 64; i++)
		if (strstr(msgs[i], a) && (!b || strstr(msgs[i], b)) &&
		    (!c || strstr(msgs[i], c)))
			return msgs[i];
	return NULL;
}

static __attribute__((unused)) char *site(int line)
{
	static char s[64];

	snprintf(s, sizeof(s), "test_stream.c:%d", line);
	return s;
}

static void setup(unsigned int devflags, unsigned int sflags)
{
	rec_hw_line = L;
	coh_set_cache_line_size(L);
	coh_set_diag_handler(diag);
	nmsg = 0;
	coh_device_init(&dev, "nic", devflags);
	dev.dma_mask = ~(uint64_t)0;
	coh_stream_init(&st, recs, 2048, sflags);
	coh_stream_bounce(&st, pool, (uint64_t)(uintptr_t)pool, POOL);
	coh_device_set_stream(&dev, &st);
	rec_n = 0;
}

static size_t count(char op)
{
	size_t n = 0;

	for (size_t i = 0; i < rec_n && i < REC_MAX; i++)
		n += rec_log[i].op == op;
	return n;
}

/* all maintained lines inside [p, p+n) */
static int lines_within(const void *p, size_t n)
{
	uintptr_t s = (uintptr_t)p & ~(uintptr_t)(L - 1), e = (uintptr_t)p + n;

	for (size_t i = 0; i < rec_n && i < REC_MAX; i++)
		if (strchr("CIF", rec_log[i].op) &&
		    (rec_log[i].addr < s || rec_log[i].addr >= e))
			return 0;
	return 1;
}

static void *dev_ptr(coh_bus_t bus)
{
	return (void *)(uintptr_t)(bus - dev.bus_offset);
}

static void t_directions_exact_lines(void)
{
	coh_bus_t b;

	setup(0, 0);
	b = coh_map_single(&dev, buf, 256, COH_TO_DEVICE);
	CHECK(!coh_mapping_error(&dev, b));
	CHECK(b == (uintptr_t)buf);
	CHECK_EQ(count('C'), 4);
	CHECK_EQ(count('B'), 1);
	CHECK_EQ(rec_n, 5);
	rec_n = 0;
	CHECK_EQ(coh_sync_for_device(&dev, b, 0, 256, COH_TO_DEVICE), 0);
	CHECK_EQ(count('C'), 4);
	rec_n = 0;
	CHECK_EQ(coh_sync_for_cpu(&dev, b, 0, 256, COH_TO_DEVICE), 0);
	CHECK_EQ(coh_unmap_single(&dev, b, 256, COH_TO_DEVICE), 0);
	CHECK_EQ(rec_n, 0);

	for (int d = 0; d < 3; d += 2) { /* BIDIRECTIONAL, FROM_DEVICE */
		rec_n = 0;
		b = coh_map_single(&dev, buf, 256, (enum coh_dir)d);
		CHECK(!coh_mapping_error(&dev, b));
		CHECK_EQ(count('F'), 4);
		CHECK_EQ(count('C') + count('I'), 0);
		CHECK_EQ(count('B'), 1);
		rec_n = 0;
		CHECK_EQ(coh_sync_for_cpu(&dev, b, 64, 64, (enum coh_dir)d), 0);
		CHECK_EQ(count('I'), 1);
		CHECK_EQ(rec_log[0].addr, (uintptr_t)buf + 64);
		rec_n = 0;
		CHECK_EQ(coh_sync_for_device(&dev, b, 0, 256, (enum coh_dir)d), 0);
		CHECK_EQ(count('F'), 4);
		rec_n = 0;
		/* the second invalidate: speculative refills while the device owned it */
		CHECK_EQ(coh_unmap_single(&dev, b, 256, (enum coh_dir)d), 0);
		CHECK_EQ(count('I'), 4);
		CHECK_EQ(count('B'), 1);
		CHECK_EQ(rec_n, 5);
	}
	CHECK_EQ(dev.stats.maps, 3);
	CHECK_EQ(dev.stats.bounces, 0);
	CHECK_EQ(coh_stream_live(&st), 0);
	CHECK_EQ(nmsg, 0);
}

static void t_coherent_barriers_only(void)
{
	coh_bus_t b;

	setup(COH_DEV_COHERENT, 0);
	b = coh_map_single(&dev, buf + 3, 100, COH_FROM_DEVICE); /* edges: no hazard */
	CHECK(!coh_mapping_error(&dev, b));
	CHECK(b == (uintptr_t)buf + 3);
	CHECK_EQ(rec_n, 1);
	CHECK_EQ(rec_log[0].op, 'M');
	rec_n = 0;
	CHECK_EQ(coh_unmap_single(&dev, b, 100, COH_FROM_DEVICE), 0);
	CHECK_EQ(rec_n, 1);
	CHECK_EQ(rec_log[0].op, 'R');
	CHECK_EQ(dev.stats.bounces, 0);
}

/* Shared edges, FROM_DEVICE: bounced; the buffer's neighbours survive. */
static void t_edge_bounce_from_device(void)
{
	unsigned char *p = buf + 5;
	coh_bus_t b;

	setup(0, 0);
	memset(buf, 0xAA, 512);
	b = coh_map_single(&dev, p, 300, COH_FROM_DEVICE);
	CHECK(!coh_mapping_error(&dev, b));
	CHECK(dev_ptr(b) >= (void *)pool && dev_ptr(b) < (void *)(pool + POOL));
	CHECK(lines_within(dev_ptr(b), 300));
	/* the slot starts as a copy of the buffer (transparent), zeros after it */
	for (size_t i = 0; i < 320; i++)
		CHECK_EQ(((unsigned char *)dev_ptr(b))[i], i < 300 ? 0xAA : 0);
	memset(dev_ptr(b), 0x5C, 300); /* the device writes */
	buf[0] = 0x11;			/* the CPU writes a neighbour */
	buf[400] = 0x22;
	rec_n = 0;
	CHECK_EQ(coh_unmap_single(&dev, b, 300, COH_FROM_DEVICE), 0);
	CHECK(lines_within(dev_ptr(b), 300));
	for (size_t i = 0; i < 300; i++)
		CHECK_EQ(p[i], 0x5C);
	CHECK_EQ(buf[0], 0x11);
	CHECK_EQ(buf[400], 0x22);
	CHECK_EQ(buf[305], 0xAA);
	CHECK_EQ(dev.stats.bounces, 1);
	CHECK_EQ(dev.stats.bounce_bytes, 600); /* copied in and back */
	CHECK_EQ(st.b_free, st.b_ngran);
	/* TO_DEVICE with shared edges: cleaning is harmless, mapped in place */
	b = coh_map_single(&dev, p, 300, COH_TO_DEVICE);
	CHECK(!coh_mapping_error(&dev, b));
	CHECK(b == (uintptr_t)p);
	CHECK_EQ(coh_unmap_single(&dev, b, 300, COH_TO_DEVICE), 0);
	CHECK_EQ(nmsg, 0);
}

static void t_edge_refuse_allow(void)
{
	coh_bus_t b;

	setup(0, 0);
	dev.edge_policy = COH_EDGE_REFUSE;
	b = coh_map_single(&dev, buf + 1, 64, COH_BIDIRECTIONAL);
	CHECK(coh_mapping_error(&dev, b));
	CHECK_EQ(last_err, -COH_EINVAL);
	CHECK_EQ(coh_stream_live(&st), 0);
	CHECK_EQ(rec_n, 0);
	dev.edge_policy = COH_EDGE_ALLOW;
	nmsg = 0;
	b = coh_map_single(&dev, buf + 1, 64, COH_BIDIRECTIONAL);
	CHECK(!coh_mapping_error(&dev, b));
	CHECK(b == (uintptr_t)buf + 1);
	CHECK(find_msg("COH_EDGE_ALLOW", NULL, NULL));
	CHECK_EQ(dev.stats.reports, 1);
	CHECK_EQ(coh_unmap_single(&dev, b, 64, COH_BIDIRECTIONAL), 0);
}

/* Beyond the DMA mask: bounced through the (reachable) pool, both ways. */
static void t_mask_bounce(void)
{
	coh_bus_t b;

	setup(0, 0);
	dev.bus_offset = (uint64_t)0 - (uintptr_t)arena;	/* arena at bus 0 */
	dev.dma_mask = (2u << 20) - 1;
	CHECK_EQ(coh_device_set_stream(&dev, &st), 0);
	for (int i = 0; i < 256; i++)
		far_buf[i] = (unsigned char)i;
	b = coh_map_single(&dev, far_buf, 256, COH_BIDIRECTIONAL);
	CHECK(!coh_mapping_error(&dev, b));
	CHECK(b < POOL);
	CHECK(memcmp(dev_ptr(b), far_buf, 256) == 0);
	memset(dev_ptr(b), 0x77, 256);
	CHECK_EQ(coh_sync_for_cpu(&dev, b, 16, 16, COH_BIDIRECTIONAL), 0);
	CHECK_EQ(far_buf[15], 15);
	CHECK_EQ(far_buf[16], 0x77);
	CHECK_EQ(far_buf[32], 32);
	far_buf[40] = 0x99;
	CHECK_EQ(coh_sync_for_device(&dev, b, 40, 1, COH_BIDIRECTIONAL), 0);
	CHECK_EQ(((unsigned char *)dev_ptr(b))[40], 0x99);
	CHECK_EQ(coh_unmap_single(&dev, b, 256, COH_BIDIRECTIONAL), 0);
	CHECK_EQ(far_buf[255], 0x77);
	CHECK_EQ(far_buf[40], 0x99);
	CHECK_EQ(dev.stats.bounces, 1);
	CHECK_EQ(dev.stats.bounce_bytes, 256 + 16 + 1 + 256);
	/* in reach: in place, at its bus address */
	b = coh_map_single(&dev, buf, 256, COH_TO_DEVICE);
	CHECK(!coh_mapping_error(&dev, b));
	CHECK(b == (uint64_t)(buf - arena));
	CHECK_EQ(coh_unmap_single(&dev, b, 256, COH_TO_DEVICE), 0);
	/* a pool beyond the mask cannot be attached */
	dev.dma_mask = 0xfff;
	CHECK_EQ(coh_device_set_stream(&dev, &st), -COH_ERANGE);
	CHECK_EQ(nmsg, 1);
}

/* Untrusted: nothing but the buffer's bytes ever reaches the device. */
static void t_untrusted_strict(void)
{
	coh_bus_t b;

	setup(COH_DEV_UNTRUSTED | COH_DEV_COHERENT, 0);
	memset(pool, 0xEE, POOL);
	memset(buf, 0x33, 1024);
	b = coh_map_single(&dev, buf, 128, COH_TO_DEVICE); /* line exact */
	CHECK(!coh_mapping_error(&dev, b));
	CHECK(b == (uintptr_t)buf);
	CHECK_EQ(coh_unmap_single(&dev, b, 128, COH_TO_DEVICE), 0);
	b = coh_map_single(&dev, buf, 100, COH_TO_DEVICE);
	CHECK(!coh_mapping_error(&dev, b));
	CHECK(dev_ptr(b) >= (void *)pool && dev_ptr(b) < (void *)(pool + POOL));
	for (size_t i = 0; i < 128; i++)	/* the slack of the last line is zero */
		CHECK_EQ(((unsigned char *)dev_ptr(b))[i], i < 100 ? 0x33 : 0);
	CHECK_EQ(coh_unmap_single(&dev, b, 100, COH_TO_DEVICE), 0);
	CHECK_EQ(dev.stats.bounce_bytes, 100);
	b = coh_map_single(&dev, buf + 8, 60, COH_FROM_DEVICE);
	CHECK(!coh_mapping_error(&dev, b));
	for (size_t i = 0; i < 64; i++)	/* its own bytes and zeros, never the pool's */
		CHECK_EQ(((unsigned char *)dev_ptr(b))[i], i < 60 ? 0x33 : 0);
	CHECK_EQ(coh_unmap_single(&dev, b, 60, COH_FROM_DEVICE), 0);
	CHECK_EQ(dev.stats.bounces, 2);
}

static void t_forced_bounce_and_exhaustion(void)
{
	static struct coh_stream s2;
	static struct coh_map_rec r2[8];
	coh_bus_t b[8];

	setup(0, 0);
	coh_stream_init(&s2, r2, 8, COH_STREAM_FORCE_BOUNCE);
	CHECK_EQ(coh_stream_bounce(&s2, pool, (uintptr_t)pool, 4 * COH_BOUNCE_GRANULE), 0);
	CHECK_EQ(coh_device_set_stream(&dev, &s2), 0);
	for (int i = 0; i < 4; i++) {
		b[i] = coh_map_single(&dev, buf + i * 256, 256, COH_TO_DEVICE);
		CHECK(!coh_mapping_error(&dev, b[i]));
	}
	nmsg = 0;
	b[4] = coh_map_single(&dev, buf + 4 * 256, 1, COH_TO_DEVICE);
	CHECK(coh_mapping_error(&dev, b[4]));
	CHECK_EQ(last_err, -COH_ENOMEM); /* retryable */
	CHECK_EQ(coh_stream_live(&s2), 4);
	CHECK_EQ(coh_unmap_single(&dev, b[2], 256, COH_TO_DEVICE), 0);
	b[4] = coh_map_single(&dev, buf + 4 * 256, 1, COH_TO_DEVICE);
	CHECK(!coh_mapping_error(&dev, b[4]));
	/* larger than the whole pool: never */
	b[5] = coh_map_single(&dev, buf, 5 * COH_BOUNCE_GRANULE, COH_TO_DEVICE);
	CHECK(coh_mapping_error(&dev, b[5]));
	CHECK_EQ(last_err, -COH_ERANGE);
	for (int i = 0; i < 5; i++)
		if (i != 2)
			CHECK_EQ(coh_unmap_single(&dev, b[i], i == 4 ? 1 : 256, COH_TO_DEVICE), 0);
	CHECK_EQ(s2.b_free, 4);
	CHECK_EQ(coh_stream_live(&s2), 0);
	CHECK_EQ(dev.stats.bounces, 5);
	/* in place, records are the checker's alone: a full table fails no map */
	s2.flags = 0;
	nmsg = 0;
	for (int i = 0; i < 8; i++) {
		b[i] = coh_map_single(&dev, buf + i * 64, 64, COH_TO_DEVICE);
		CHECK(!coh_mapping_error(&dev, b[i]));
	}
	b[0] = coh_map_single(&dev, buf + 512, 64, COH_TO_DEVICE);
	CHECK(!coh_mapping_error(&dev, b[0]));
	CHECK_EQ(coh_unmap_single(&dev, b[0], 64, COH_TO_DEVICE), 0);
	for (int i = 0; i < 8; i++)
		CHECK_EQ(coh_unmap_single(&dev, (uintptr_t)(buf + i * 64), 64, COH_TO_DEVICE), 0);
	CHECK_EQ(nmsg, COH_DEBUG ? 1 : 0);	/* the one the checker could not record */
	CHECK_EQ(coh_device_teardown(&dev), 0);
	/* bounced, records exhausted: retryable */
	coh_stream_init(&s2, r2, 2, COH_STREAM_FORCE_BOUNCE);
	CHECK_EQ(coh_stream_bounce(&s2, pool, (uintptr_t)pool, 4 * COH_BOUNCE_GRANULE), 0);
	CHECK_EQ(coh_device_set_stream(&dev, &s2), 0);
	b[0] = coh_map_single(&dev, buf, 64, COH_TO_DEVICE);
	b[1] = coh_map_single(&dev, buf + 64, 64, COH_TO_DEVICE);
	CHECK(!coh_mapping_error(&dev, b[0]) && !coh_mapping_error(&dev, b[1]));
	CHECK(coh_mapping_error(&dev, coh_map_single(&dev, buf + 128, 64, COH_TO_DEVICE)));
	CHECK_EQ(last_err, -COH_ENOMEM);
	CHECK_EQ(s2.b_free, 2);
	for (int i = 0; i < 2; i++)
		CHECK_EQ(coh_unmap_single(&dev, b[i], 64, COH_TO_DEVICE), 0);
	CHECK_EQ(coh_device_teardown(&dev), 0);
	CHECK(dev.bounce == NULL);
}

static void t_bad_input(void)
{
	struct coh_sg sg[1] = { { buf, 64, 0, 0, 0 } };
	coh_bus_t b;

	setup(0, 0);
	CHECK(coh_mapping_error(&dev, coh_map_single(&dev, NULL, 64, COH_TO_DEVICE)));
	CHECK_EQ(last_err, -COH_EINVAL);
	CHECK(coh_mapping_error(&dev, coh_map_single(&dev, buf, 0, COH_TO_DEVICE)));
	CHECK_EQ(last_err, -COH_EINVAL);
	CHECK(coh_mapping_error(&dev, coh_map_single(&dev, (void *)(UINTPTR_MAX - 7), 16, COH_TO_DEVICE)));
	CHECK_EQ(last_err, -COH_EOVERFLOW);
	CHECK(coh_mapping_error(&dev, coh_map_single(&dev, buf, SIZE_MAX, COH_TO_DEVICE)));
	CHECK_EQ(last_err, -COH_EOVERFLOW);
	CHECK(coh_mapping_error(&dev, coh_map_single(&dev, buf, 64, (enum coh_dir)9)));
	CHECK(coh_mapping_error(NULL, coh_map_single(NULL, buf, 64, COH_TO_DEVICE)));
	CHECK_EQ(coh_map_sg(&dev, sg, 0, COH_TO_DEVICE), -COH_EINVAL);
	CHECK_EQ(coh_map_sg(&dev, NULL, 1, COH_TO_DEVICE), -COH_EINVAL);
	CHECK_EQ(coh_unmap_sg(&dev, sg, -1, COH_TO_DEVICE), -COH_EINVAL);
	CHECK_EQ(rec_n, 0);
	CHECK_EQ(coh_stream_live(&st), 0);
	CHECK_EQ(dev.stats.maps, 0);

	/* unmap twice: the second touches nothing */
	b = coh_map_single(&dev, buf, 128, COH_FROM_DEVICE);
	CHECK(!coh_mapping_error(&dev, b));
	CHECK_EQ(coh_unmap_single(&dev, b, 128, COH_FROM_DEVICE), 0);
	rec_n = 0;
	CHECK_EQ(coh_unmap_single(&dev, b, 128, COH_FROM_DEVICE), -COH_EINVAL);
	CHECK_EQ(rec_n, 0);
	CHECK_EQ(coh_sync_for_cpu(&dev, b, 0, 128, COH_FROM_DEVICE), -COH_EINVAL);

	/* wrong size: ended with its own size (nothing leaks), flagged */
	b = coh_map_single(&dev, buf + 1, 100, COH_FROM_DEVICE); /* bounced */
	CHECK(!coh_mapping_error(&dev, b));
	memset(dev_ptr(b), 0x42, 100);
	CHECK_EQ(coh_unmap_single(&dev, b, 50, COH_FROM_DEVICE), -COH_EINVAL);
	CHECK_EQ(buf[100], 0x42);
	CHECK_EQ(coh_stream_live(&st), 0);
	CHECK_EQ(st.b_free, st.b_ngran);

	/* needs a bounce but the stream has no pool (regression: divided by zero) */
	{
		static struct coh_stream s0;
		static struct coh_map_rec r0[4];

		coh_stream_init(&s0, r0, 4, 0);
		CHECK_EQ(coh_device_set_stream(&dev, &s0), 0);
		CHECK(coh_mapping_error(&dev, coh_map_single(&dev, buf + 1, 64, COH_FROM_DEVICE)));
		CHECK_EQ(last_err, -COH_ERANGE);
		CHECK_EQ(coh_stream_live(&s0), 0);
	}

	/* no stream attached */
	coh_device_set_stream(&dev, NULL);
	CHECK(coh_mapping_error(&dev, coh_map_single(&dev, buf, 64, COH_TO_DEVICE)));
	CHECK_EQ(coh_unmap_single(&dev, 0x1000, 64, COH_TO_DEVICE), -COH_EINVAL);
}

static void t_sg_merge_and_limits(void)
{
	struct coh_sg sg[4];
	int n;

	setup(0, 0);
	for (int i = 0; i < 4; i++)
		sg[i] = (struct coh_sg){ buf + i * 256, 256, 0, 0, 0 };
	n = coh_map_sg(&dev, sg, 4, COH_TO_DEVICE);
	CHECK_EQ(n, 1);
	CHECK(sg[0].bus == (uintptr_t)buf);
	CHECK_EQ(sg[0].bus_len, 1024);
	CHECK(sg[1].bus == COH_BUS_ERROR);
	CHECK_EQ(count('C'), 16);
	CHECK_EQ(coh_sync_sg_for_device(&dev, sg, 4, COH_TO_DEVICE), 0);
	CHECK_EQ(coh_unmap_sg(&dev, sg, 4, COH_TO_DEVICE), 0);
	CHECK_EQ(coh_stream_live(&st), 0);

	dev.max_seg_size = 512;
	CHECK_EQ(coh_map_sg(&dev, sg, 4, COH_TO_DEVICE), 2);
	CHECK_EQ(sg[0].bus_len, 512);
	CHECK(sg[1].bus == (uintptr_t)buf + 512);
	CHECK_EQ(coh_unmap_sg(&dev, sg, 4, COH_TO_DEVICE), 0);

	dev.max_seg_size = 0;
	dev.seg_boundary_mask = ((uintptr_t)buf & 0xfff) + 767; /* never true for 1 MiB-aligned buf */
	dev.seg_boundary_mask = 511;
	CHECK_EQ(coh_map_sg(&dev, sg, 4, COH_TO_DEVICE), 2);
	CHECK_EQ(coh_unmap_sg(&dev, sg, 4, COH_TO_DEVICE), 0);
	dev.seg_boundary_mask = ~(uint64_t)0;

	/* not contiguous: separate segments; a bounced entry has its own */
	sg[1].ptr = buf + 2048;
	sg[2].ptr = buf + 2048 + 256 + 3;
	sg[2].len = 100;
	memset(buf + 2048 + 256, 0x12, 128);
	CHECK_EQ(coh_map_sg(&dev, sg, 3, COH_FROM_DEVICE), 3);
	CHECK(dev_ptr(sg[2].bus) >= (void *)pool && dev_ptr(sg[2].bus) < (void *)(pool + POOL));
	memset(dev_ptr(sg[2].bus), 0x34, 100);
	CHECK_EQ(coh_sync_sg_for_cpu(&dev, sg, 3, COH_FROM_DEVICE), 0);
	CHECK_EQ(buf[2048 + 256 + 3], 0x34);
	CHECK_EQ(buf[2048 + 256 + 2], 0x12);
	CHECK_EQ(coh_unmap_sg(&dev, sg, 3, COH_FROM_DEVICE), 0);
	CHECK_EQ(dev.stats.bounces, 1);
	CHECK_EQ(coh_stream_live(&st), 0);
	CHECK_EQ(nmsg, 0);

	/* a failure part-way leaves nothing mapped */
	sg[2].ptr = NULL;
	CHECK_EQ(coh_map_sg(&dev, sg, 3, COH_FROM_DEVICE), -COH_EINVAL);
	CHECK_EQ(coh_stream_live(&st), 0);
	CHECK_EQ(st.b_free, st.b_ngran);
}


/*
 * Two live mappings of one buffer: a header (64 B) and the frame holding
 * it, which share a bus address in place.  Each syncs and unmaps on its
 * own; the checker tells them apart by what the caller names, and still
 * reports a call that matches neither.  Bounced, each has its own slot.
 */
static void two_live_mappings(unsigned int sflags)
{
	coh_bus_t hdr, all;

	setup(0, sflags);
	for (int i = 0; i < 1536; i++)
		buf[i] = (unsigned char)i;
	all = coh_map_single(&dev, buf, 1536, COH_BIDIRECTIONAL);
	hdr = coh_map_single(&dev, buf, 64, COH_TO_DEVICE);
	CHECK(!coh_mapping_error(&dev, all) && !coh_mapping_error(&dev, hdr));
	CHECK(sflags ? hdr != all : hdr == all);
	CHECK_EQ(memcmp(dev_ptr(hdr), buf, 64), 0);
	CHECK_EQ(memcmp(dev_ptr(all), buf, 1536), 0);
	/* syncs name their own mapping: no direction or range mismatch */
	CHECK_EQ(coh_sync_for_cpu(&dev, all, 0, 1536, COH_BIDIRECTIONAL), 0);
	CHECK_EQ(coh_sync_for_device(&dev, all, 0, 1536, COH_BIDIRECTIONAL), 0);
	CHECK_EQ(coh_sync_for_device(&dev, hdr, 0, 64, COH_TO_DEVICE), 0);
	/* the frame ends first (the device wrote into it): the header stays mapped */
	memset((unsigned char *)dev_ptr(all) + 100, 0xee, 10);
	CHECK_EQ(coh_unmap_single(&dev, all, 1536, COH_BIDIRECTIONAL), 0);
	CHECK_EQ(buf[100], 0xee);
	CHECK_EQ(nmsg, 0);
	CHECK_EQ(coh_stream_live(&st), 1);	/* the header's record */
	CHECK_EQ(memcmp(dev_ptr(hdr), buf, 64), 0);
	if (sflags)
		CHECK_EQ(st.b_free, st.b_ngran - 1);	/* the header's slot only */
	CHECK_EQ(coh_unmap_single(&dev, hdr, 64, COH_TO_DEVICE), 0);
	CHECK_EQ(coh_stream_live(&st), 0);
	CHECK_EQ(st.b_free, st.b_ngran);
	CHECK_EQ(nmsg, 0);
	/* a real mismatch is still one: neither mapping has 100 bytes */
	all = coh_map_single(&dev, buf, 1536, COH_TO_DEVICE);
	hdr = coh_map_single(&dev, buf, 64, COH_TO_DEVICE);
	CHECK(!coh_mapping_error(&dev, all) && !coh_mapping_error(&dev, hdr));
	if (!sflags) {
		CHECK_EQ(coh_unmap_single(&dev, hdr, 100, COH_TO_DEVICE), -COH_EINVAL);
		CHECK(find_msg("with 100 bytes, mapped with", NULL, NULL));
		CHECK_EQ(coh_stream_live(&st), 1);	/* one of them was ended */
		CHECK_EQ(coh_sync_for_cpu(&dev, hdr, 0, 64, COH_FROM_DEVICE), -COH_EINVAL);
		CHECK(find_msg("FROM_DEVICE, mapped TO_DEVICE", NULL, NULL));
		/* whichever is left ends with its own length, reported or not */
		(void)coh_unmap_single(&dev, hdr, 64, COH_TO_DEVICE);
		CHECK_EQ(coh_stream_live(&st), 0);
	} else {
		CHECK_EQ(coh_unmap_single(&dev, hdr, 100, COH_TO_DEVICE), -COH_EINVAL);
		CHECK(find_msg("with 100 bytes, mapped with 64 bytes", NULL, NULL));
		CHECK_EQ(coh_unmap_single(&dev, all, 1536, COH_TO_DEVICE), 0);
		CHECK_EQ(st.b_free, st.b_ngran);
	}
}

static void t_two_live_mappings_in_place(void)
{
	two_live_mappings(0);
}

static void t_two_live_mappings_bounced(void)
{
	two_live_mappings(COH_STREAM_FORCE_BOUNCE);
}

/* FROM_DEVICE bounced, the device writes part: the rest keeps the CPU's bytes */
static void t_bounce_keeps_unwritten(void)
{
	coh_bus_t b;

	setup(0, COH_STREAM_FORCE_BOUNCE);
	memset(buf, 0x55, 512);
	buf[511] = 0x77;
	b = coh_map_single(&dev, buf, 512, COH_FROM_DEVICE);
	CHECK(!coh_mapping_error(&dev, b));
	CHECK(b != (uintptr_t)buf);
	memset((unsigned char *)dev_ptr(b) + 100, 0xd0, 100);	/* the device writes [100, 200) */
	CHECK_EQ(coh_unmap_single(&dev, b, 512, COH_FROM_DEVICE), 0);
	CHECK_EQ(buf[99], 0x55);
	CHECK_EQ(buf[100], 0xd0);
	CHECK_EQ(buf[199], 0xd0);
	CHECK_EQ(buf[200], 0x55);
	CHECK_EQ(buf[511], 0x77);
}

/*
 * Contiguity is checked for every page: a three-page buffer whose middle
 * page is mapped elsewhere passes a first-and-last-byte check, not this.
 * Three regions make the translation (each a page multiple, granule aligned).
 */
static void t_middle_page_refused(void)
{
	static struct coh_region ra, rb, rc;
	unsigned char *x = arena + (2u << 20);
	uint64_t pa = 0x40000000ull, pb = 0x50000000ull;
	coh_bus_t b;

	setup(0, 0);
	dev.dma_mask = ~(uint64_t)0;
	CHECK_EQ(coh_region_add(&ra, x, pa, 8192, 0), 0);
	CHECK_EQ(coh_region_add(&rb, x + 8192, pb, 8192, 0), 0);
	CHECK_EQ(coh_region_add(&rc, x + 16384, pa + 16384, 8192, 0), 0);
	/* [7K, 17K): its first and last bytes agree, its middle pages are rb's */
	b = coh_map_single(&dev, x + 7168, 10240, COH_TO_DEVICE);
	CHECK(coh_mapping_error(&dev, b));
	CHECK(find_msg("not physically contiguous", NULL, NULL));
	CHECK_EQ(last_err, -COH_EINVAL);
	CHECK_EQ(rec_n, 0);
	/* within one region: contiguous, mapped in place at its physical address */
	b = coh_map_single(&dev, x + 1024, 4096, COH_TO_DEVICE);
	CHECK(!coh_mapping_error(&dev, b));
	CHECK_EQ(b, pa + 1024);
	CHECK_EQ(coh_unmap_single(&dev, b, 4096, COH_TO_DEVICE), 0);
	CHECK_EQ(coh_region_remove(&ra), 0);
	CHECK_EQ(coh_region_remove(&rb), 0);
	CHECK_EQ(coh_region_remove(&rc), 0);
}

/* COH_MAP_SG_SPLIT: an entry crossing a 4 KiB boundary is cut there. */
static void t_sg_split_boundary(void)
{
	struct coh_sg sg[3];
	struct coh_seg_iter it;
	coh_bus_t pb;
	size_t pl;

	setup(0, 0);
	dev.seg_boundary_mask = 0xfff;
	sg[0] = (struct coh_sg){ buf + 0x800, 6000, 0, 0, 0 };
	sg[1] = (struct coh_sg){ NULL, 0, 0, 0, 0 };	/* room for a segment */
	/* without the flag: refused as before */
	CHECK_EQ(coh_map_sg(&dev, sg, 1, COH_TO_DEVICE), -COH_EINVAL);
	CHECK_EQ(coh_stream_live(&st), 0);
	/* with it but no room: refused, nothing mapped */
	CHECK_EQ(coh_map_sg_attrs(&dev, sg, 1, COH_TO_DEVICE, COH_MAP_SG_SPLIT), -COH_ERANGE);
	CHECK_EQ(coh_stream_live(&st), 0);
	rec_n = 0;
	CHECK_EQ(coh_map_sg_attrs(&dev, sg, 2, COH_TO_DEVICE, COH_MAP_SG_SPLIT), 2);
	CHECK_EQ(sg[0].bus, (uintptr_t)buf + 0x800);
	CHECK_EQ(sg[0].bus_len, 0x800);
	CHECK_EQ(sg[1].bus, (uintptr_t)buf + 0x1000);
	CHECK_EQ(sg[1].bus_len, 6000 - 0x800);
	CHECK_EQ(count('B'), 1);		/* one barrier for the list */
	/* PRP-style pieces of the segments: never across a 4 KiB page */
	CHECK_EQ(coh_seg_iter_init(&it, sg, 2, 4096, 0, 0), 0);
	CHECK_EQ(coh_seg_iter_count(&it), 2);
	CHECK(coh_seg_next(&it, &pb, &pl));
	CHECK_EQ(pl, 0x800);
	CHECK_EQ(coh_sync_sg_for_device(&dev, sg, 2, COH_TO_DEVICE), 0);
	CHECK_EQ(coh_unmap_sg(&dev, sg, 2, COH_TO_DEVICE), 0);
	CHECK_EQ(coh_stream_live(&st), 0);
	/* max_seg_size too: 6000 bytes in 2 KiB segments within the boundary */
	dev.max_seg_size = 2048;
	sg[1] = (struct coh_sg){ NULL, 0, 0, 0, 0 };
	sg[2] = (struct coh_sg){ NULL, 0, 0, 0, 0 };
	CHECK_EQ(coh_map_sg_attrs(&dev, sg, 2, COH_TO_DEVICE, COH_MAP_SG_SPLIT), -COH_ERANGE);
	CHECK_EQ(coh_stream_live(&st), 0);
	CHECK_EQ(coh_map_sg_attrs(&dev, sg, 3, COH_TO_DEVICE, COH_MAP_SG_SPLIT), 3);
	CHECK_EQ(sg[0].bus_len, 2048);
	CHECK_EQ(sg[1].bus, (uintptr_t)buf + 0x1000);
	CHECK_EQ(sg[1].bus_len, 2048);
	CHECK_EQ(sg[2].bus, (uintptr_t)buf + 0x1800);
	CHECK_EQ(sg[2].bus_len, 6000 - 4096);
	CHECK_EQ(coh_unmap_sg(&dev, sg, 3, COH_TO_DEVICE), 0);
	CHECK_EQ(coh_stream_live(&st), 0);
	CHECK_EQ(coh_map_sg_attrs(&dev, sg, 3, COH_TO_DEVICE, 1u << 3), -COH_EINVAL);
	CHECK_EQ(nmsg, 3 + 1);
}

/* Peer MMIO: the bus address, no maintenance, no record. */
static void t_map_resource(void)
{
	coh_bus_t b;

	setup(0, 0);
	dev.bus_offset = 0x1000;
	b = coh_map_resource(&dev, 0xfe000000ull, 4096, COH_BIDIRECTIONAL);
	CHECK_EQ(b, 0xfe001000ull);
	CHECK_EQ(rec_n, 0);
	CHECK_EQ(coh_stream_live(&st), 0);
	CHECK_EQ(coh_unmap_resource(&dev, b, 4096, COH_BIDIRECTIONAL), 0);
	dev.dma_mask = 0xffffffffull;
	CHECK(coh_mapping_error(&dev, coh_map_resource(&dev, 0x100000000ull, 16, COH_TO_DEVICE)));
	CHECK(coh_mapping_error(&dev, coh_map_resource(&dev, 0x1000, 0, COH_TO_DEVICE)));
	CHECK(coh_mapping_error(&dev, coh_map_resource(NULL, 0x1000, 16, COH_TO_DEVICE)));
	CHECK_EQ(coh_unmap_resource(&dev, b, 0, COH_BIDIRECTIONAL), -COH_EINVAL);
	dev.bus_offset = 0;
}

#if COH_DEBUG
/* ---- checker classes: each names both sides and the mapping's file:line */

static void t_chk_never_mapped(void)
{
	int line;

	setup(0, 0);
	line = __LINE__; CHECK_EQ(coh_unmap_single(&dev, 0x123440, 64, COH_TO_DEVICE), -COH_EINVAL);
	CHECK(find_msg("unmapped bus 0x123440", "not mapped", NULL));
	CHECK(last_where && last_where->line == line);
	CHECK(find_msg("nic:", NULL, NULL));
	nmsg = 0;
	CHECK_EQ(coh_sync_for_device(&dev, 0x123440, 0, 64, COH_TO_DEVICE), -COH_EINVAL);
	CHECK(find_msg("synced bus 0x123440", "not mapped", NULL));
	CHECK_EQ(dev.stats.reports, 2);
}

static void t_chk_unmap_mismatch(void)
{
	coh_bus_t b;
	int ml;

	setup(0, 0);
	ml = __LINE__; b = coh_map_single(&dev, buf, 128, COH_TO_DEVICE);
	CHECK(!coh_mapping_error(&dev, b));
	CHECK_EQ(coh_unmap_single(&dev, b, 100, COH_FROM_DEVICE), -COH_EINVAL);
	CHECK(find_msg("with 100 bytes, mapped with 128 bytes", site(ml), NULL));
	CHECK(find_msg("unmapped", "FROM_DEVICE, mapped TO_DEVICE", site(ml)));
	CHECK_EQ(dev.stats.reports, 2);
}

static void t_chk_type_mismatch(void)
{
	struct coh_sg sg[1] = { { buf, 128, 0, 0, 0 } };
	int ml;

	setup(0, 0);
	ml = __LINE__; CHECK_EQ(coh_map_sg(&dev, sg, 1, COH_TO_DEVICE), 1);
	CHECK_EQ(coh_unmap_single(&dev, sg[0].bus, 128, COH_TO_DEVICE), -COH_EINVAL);
	CHECK(find_msg("as single, mapped as scatter-gather", site(ml), NULL));
	CHECK_EQ(coh_stream_live(&st), 1); /* refused: the list is still mapped */
	CHECK_EQ(coh_unmap_sg(&dev, sg, 1, COH_TO_DEVICE), 0);
	nmsg = 0;
	ml = __LINE__; coh_bus_t b = coh_map_single(&dev, buf, 128, COH_TO_DEVICE);
	CHECK(!coh_mapping_error(&dev, b));
	sg[0].ent_bus = b;
	CHECK_EQ(coh_unmap_sg(&dev, sg, 1, COH_TO_DEVICE), -COH_EINVAL);
	CHECK(find_msg("as scatter-gather, mapped as single", site(ml), NULL));
	CHECK_EQ(coh_unmap_single(&dev, b, 128, COH_TO_DEVICE), 0);
}

static void t_chk_sync_direction(void)
{
	coh_bus_t b;
	int ml;

	setup(0, 0);
	ml = __LINE__; b = coh_map_single(&dev, buf, 128, COH_TO_DEVICE);
	CHECK(!coh_mapping_error(&dev, b));
	rec_n = 0;
	CHECK_EQ(coh_sync_for_cpu(&dev, b, 0, 128, COH_FROM_DEVICE), -COH_EINVAL);
	CHECK(find_msg("synced", "FROM_DEVICE, mapped TO_DEVICE", site(ml)));
	CHECK_EQ(rec_n, 0);
	CHECK_EQ(coh_unmap_single(&dev, b, 128, COH_TO_DEVICE), 0);
}

static void t_chk_sync_outside(void)
{
	coh_bus_t b;
	int ml;

	setup(0, 0);
	ml = __LINE__; b = coh_map_single(&dev, buf, 128, COH_FROM_DEVICE);
	CHECK(!coh_mapping_error(&dev, b));
	rec_n = 0;
	CHECK_EQ(coh_sync_for_cpu(&dev, b, 96, 64, COH_FROM_DEVICE), -COH_ERANGE);
	CHECK(find_msg("bytes [96, 96+64)", "mapping of 128 bytes", site(ml)));
	CHECK_EQ(coh_sync_for_cpu(&dev, b, SIZE_MAX, 2, COH_FROM_DEVICE), -COH_ERANGE);
	CHECK_EQ(rec_n, 0);
	CHECK_EQ(coh_unmap_single(&dev, b, 128, COH_FROM_DEVICE), 0);
}

static void t_chk_mapping_error_unchecked(void)
{
	coh_bus_t b;
	int ml;

	setup(0, 0);
	ml = __LINE__; b = coh_map_single(&dev, buf, 128, COH_TO_DEVICE);
	CHECK_EQ(coh_sync_for_device(&dev, b, 0, 128, COH_TO_DEVICE), 0);
	CHECK(find_msg("synced", "without checking", site(ml)));
	CHECK_EQ(coh_unmap_single(&dev, b, 128, COH_TO_DEVICE), 0);
	CHECK_EQ(dev.stats.reports, 1); /* once per mapping */
	nmsg = 0;
	ml = __LINE__; b = coh_map_single(&dev, buf, 128, COH_TO_DEVICE);
	CHECK_EQ(coh_unmap_single(&dev, b, 128, COH_TO_DEVICE), 0);
	CHECK(find_msg("unmapped", "coh_mapping_error", site(ml)));
}

static void t_chk_sg_limits(void)
{
	struct coh_sg sg[2] = { { buf, 256, 0, 0, 0 }, { buf + 1024, 2048, 0, 0, 0 } };
	int ml;

	setup(0, 0);
	dev.max_seg_size = 1024;
	ml = __LINE__; CHECK_EQ(coh_map_sg(&dev, sg, 2, COH_TO_DEVICE), -COH_EINVAL);
	CHECK(find_msg("entry 1 of 2048 bytes exceeds", "max_seg_size 1024", site(ml)));
	CHECK_EQ(coh_stream_live(&st), 0);
	dev.max_seg_size = 0;
	dev.seg_boundary_mask = 1023;
	sg[1].ptr = buf + 1024 + 512;
	sg[1].len = 1024;
	ml = __LINE__; CHECK_EQ(coh_map_sg(&dev, sg, 2, COH_TO_DEVICE), -COH_EINVAL);
	CHECK(find_msg("entry 1", "crosses", "seg_boundary_mask 0x3ff"));
	CHECK(find_msg("crosses", site(ml), NULL));
	CHECK_EQ(coh_stream_live(&st), 0);
}

static void t_chk_shared_line(void)
{
	coh_bus_t a, b;
	int ml1, ml2;

	setup(0, 0);
	dev.edge_policy = COH_EDGE_ALLOW;
	ml1 = __LINE__; a = coh_map_single(&dev, buf, 100, COH_FROM_DEVICE);
	ml2 = __LINE__; b = coh_map_single(&dev, buf + 100, 100, COH_FROM_DEVICE);
	CHECK(!coh_mapping_error(&dev, a) && !coh_mapping_error(&dev, b));
	CHECK(find_msg("shares a cache line", site(ml1), site(ml2)));
	CHECK(find_msg("FROM_DEVICE mapping", "with FROM_DEVICE mapping", NULL));
	CHECK_EQ(coh_unmap_single(&dev, a, 100, COH_FROM_DEVICE), 0);
	CHECK_EQ(coh_unmap_single(&dev, b, 100, COH_FROM_DEVICE), 0);
	/* TO_DEVICE neighbours are fine (as Linux) */
	nmsg = 0;
	a = coh_map_single(&dev, buf, 100, COH_TO_DEVICE);
	b = coh_map_single(&dev, buf + 100, 100, COH_TO_DEVICE);
	CHECK(!coh_mapping_error(&dev, a) && !coh_mapping_error(&dev, b));
	CHECK(!find_msg("shares", NULL, NULL));
	coh_unmap_single(&dev, a, 100, COH_TO_DEVICE);
	coh_unmap_single(&dev, b, 100, COH_TO_DEVICE);
}

static void t_chk_teardown_live(void)
{
	coh_bus_t b;
	int ml;

	setup(0, 0);
	ml = __LINE__; b = coh_map_single(&dev, buf, 128, COH_BIDIRECTIONAL);
	CHECK(!coh_mapping_error(&dev, b));
	CHECK_EQ(coh_device_teardown(&dev), -COH_EBUSY);
	CHECK(find_msg("torn down", "BIDIRECTIONAL, mapped at", site(ml)));
	CHECK(dev.bounce == &st);
	CHECK_EQ(coh_unmap_single(&dev, b, 128, COH_BIDIRECTIONAL), 0);
	CHECK_EQ(coh_device_teardown(&dev), 0);
}

static void t_chk_table_full(void)
{
	static coh_bus_t b[COH_CHECK_MAPS + 1];
	int ml = 0;

	setup(COH_DEV_COHERENT, 0);
	for (int i = 0; i <= COH_CHECK_MAPS; i++) {
		ml = __LINE__; b[i] = coh_map_single(&dev, buf + i * 64, 64, COH_TO_DEVICE);
		CHECK(!coh_mapping_error(&dev, b[i]));
	}
	CHECK(find_msg("checker table full", "COH_CHECK_MAPS", site(ml)));
	CHECK_EQ(dev.stats.reports, 1);
	for (int i = 0; i <= COH_CHECK_MAPS; i++)
		CHECK_EQ(coh_unmap_single(&dev, b[i], 64, COH_TO_DEVICE), 0);
	CHECK_EQ(dev.stats.reports, 1);
}
#endif

/* COH_ATTR_SKIP_CPU_SYNC: map and unmap do no maintenance, syncs do it all. */
static void t_skip_cpu_sync(void)
{
	coh_bus_t b;

	setup(0, 0);
	b = coh_map_single_attrs(&dev, buf, 512, COH_FROM_DEVICE, COH_ATTR_SKIP_CPU_SYNC);
	CHECK(!coh_mapping_error(&dev, b));
	CHECK(b == (uintptr_t)buf);
	CHECK_EQ(rec_n, 0);
	CHECK_EQ(coh_sync_for_device(&dev, b, 0, 512, COH_FROM_DEVICE), 0);
	CHECK_EQ(count('F'), 8);
	rec_n = 0;
	CHECK_EQ(coh_sync_for_cpu(&dev, b, 0, 128, COH_FROM_DEVICE), 0);
	CHECK_EQ(count('I'), 2);
	CHECK(lines_within(buf, 128));
	rec_n = 0;
	/* unknown bits: refused, the mapping stays */
	CHECK_EQ(coh_unmap_single_attrs(&dev, b, 512, COH_FROM_DEVICE, 1u << 9), -COH_EINVAL);
	CHECK_EQ(coh_stream_live(&st), 1);
	CHECK_EQ(coh_unmap_single_attrs(&dev, b, 512, COH_FROM_DEVICE, COH_ATTR_SKIP_CPU_SYNC), 0);
	CHECK_EQ(rec_n, 0);
	CHECK_EQ(coh_stream_live(&st), 0);
	CHECK(coh_mapping_error(&dev, coh_map_single_attrs(&dev, buf, 64, COH_TO_DEVICE, 1u << 9)));
	CHECK_EQ(coh_stream_live(&st), 0);

	/* bounced: the slot is always prepared at map; unmap skips the copy back */
	setup(0, COH_STREAM_FORCE_BOUNCE);
	memset(buf, 0x11, 300);
	b = coh_map_single_attrs(&dev, buf, 300, COH_BIDIRECTIONAL, COH_ATTR_SKIP_CPU_SYNC);
	CHECK(!coh_mapping_error(&dev, b));
	CHECK(b != (uintptr_t)buf);
	CHECK_EQ(((unsigned char *)dev_ptr(b))[299], 0x11);
	CHECK(count('F') > 0);
	memset(dev_ptr(b), 0x22, 300);	/* the device writes */
	CHECK_EQ(coh_sync_for_cpu(&dev, b, 0, 100, COH_BIDIRECTIONAL), 0);
	CHECK_EQ(buf[99], 0x22);
	CHECK_EQ(buf[100], 0x11);
	CHECK_EQ(coh_unmap_single_attrs(&dev, b, 300, COH_BIDIRECTIONAL, COH_ATTR_SKIP_CPU_SYNC), 0);
	CHECK_EQ(buf[100], 0x11);	/* not copied back */
	CHECK_EQ(st.b_free, st.b_ngran);
}

int main(void)
{
	RUN(t_directions_exact_lines);
	RUN(t_coherent_barriers_only);
	RUN(t_edge_bounce_from_device);
	RUN(t_edge_refuse_allow);
	RUN(t_mask_bounce);
	RUN(t_untrusted_strict);
	RUN(t_forced_bounce_and_exhaustion);
	RUN(t_bad_input);
	RUN(t_sg_merge_and_limits);
	RUN(t_skip_cpu_sync);
	RUN(t_two_live_mappings_in_place);
	RUN(t_two_live_mappings_bounced);
	RUN(t_bounce_keeps_unwritten);
	RUN(t_middle_page_refused);
	RUN(t_sg_split_boundary);
	RUN(t_map_resource);
#if COH_DEBUG
	RUN(t_chk_never_mapped);
	RUN(t_chk_unmap_mismatch);
	RUN(t_chk_type_mismatch);
	RUN(t_chk_sync_direction);
	RUN(t_chk_sync_outside);
	RUN(t_chk_mapping_error_unchecked);
	RUN(t_chk_sg_limits);
	RUN(t_chk_shared_line);
	RUN(t_chk_teardown_live);
	RUN(t_chk_table_full);
#endif
	return th_finish("stream-record");
}
