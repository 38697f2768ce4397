/* SPDX-License-Identifier: MIT */
/*
 * The segment iterator (coh_seg_iter): pieces cut at page, boundary and
 * length limits, exactly as an NVMe PRP list and an ADMA2 table need them.
 */
#include "coherent/coherent.h"
#include "harness.h"

TH_DEFINE_COUNTERS;

struct piece {
	coh_bus_t bus;
	size_t len;
};

static size_t pieces(struct coh_seg_iter *it, struct piece *p, size_t max)
{
	size_t n = 0;
	coh_bus_t b;
	size_t l;

	while (n < max && coh_seg_next(it, &b, &l))
		p[n++] = (struct piece){ b, l };
	return n;
}

/* PRP: a buffer starting 0x200 into a 4 KiB page, 10000 bytes */
static void t_prp_pages(void)
{
	struct coh_seg_iter it;
	struct piece p[8];

	CHECK_EQ(coh_seg_iter_init_one(&it, 0x10200, 10000, 4096, 0, 0), 0);
	CHECK_EQ(coh_seg_iter_count(&it), 3);
	CHECK_EQ(pieces(&it, p, 8), 3);
	CHECK_EQ(p[0].bus, 0x10200);
	CHECK_EQ(p[0].len, 4096 - 0x200);
	CHECK_EQ(p[1].bus, 0x11000);
	CHECK_EQ(p[1].len, 4096);
	CHECK_EQ(p[2].bus, 0x12000);
	CHECK_EQ(p[2].len, 10000 - (4096 - 0x200) - 4096);
	CHECK(!coh_seg_next(&it, &p[0].bus, &p[0].len));
}

/* ADMA2-like: a list of segments, 64 KiB descriptors, a 128 KiB boundary */
static void t_list_limits(void)
{
	struct coh_sg sg[2] = {
		{ .bus = 0x1f000, .bus_len = 0x11000 },	/* crosses 0x20000 */
		{ .bus = 0x40000, .bus_len = 0x20000 },	/* 128 KiB: two pieces */
	};
	struct coh_seg_iter it;
	struct piece p[8];

	CHECK_EQ(coh_seg_iter_init(&it, sg, 2, 0, 0x20000, 0x10000), 0);
	CHECK_EQ(coh_seg_iter_count(&it), 4);
	CHECK_EQ(pieces(&it, p, 8), 4);
	CHECK_EQ(p[0].bus, 0x1f000);
	CHECK_EQ(p[0].len, 0x1000);
	CHECK_EQ(p[1].bus, 0x20000);
	CHECK_EQ(p[1].len, 0x10000);
	CHECK_EQ(p[2].bus, 0x40000);
	CHECK_EQ(p[2].len, 0x10000);
	CHECK_EQ(p[3].bus, 0x50000);
	CHECK_EQ(p[3].len, 0x10000);
}

static void t_bad_args(void)
{
	struct coh_seg_iter it;
	coh_bus_t b;
	size_t l;

	CHECK_EQ(coh_seg_iter_init(&it, NULL, 1, 4096, 0, 0), -COH_EINVAL);
	CHECK(!coh_seg_next(&it, &b, &l));
	CHECK_EQ(coh_seg_iter_init_one(&it, 0, 10, 3000, 0, 0), -COH_EINVAL);
	CHECK(!coh_seg_next(&it, &b, &l));
	CHECK_EQ(coh_seg_iter_init(NULL, NULL, 0, 0, 0, 0), -COH_EINVAL);
	CHECK_EQ(coh_seg_iter_init(&it, NULL, 0, 0, 0, 0), 0);
	CHECK_EQ(coh_seg_iter_count(&it), 0);
}

static void quiet(const struct coh_where *w, const char *m, int e)
{
	(void)w;
	(void)m;
	(void)e;
}

int main(void)
{
	coh_set_diag_handler(quiet);
	RUN(t_prp_pages);
	RUN(t_list_limits);
	RUN(t_bad_args);
	return th_finish("stream_seg");
}
