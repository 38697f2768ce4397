/* SPDX-License-Identifier: MIT */
/*
 * What the recording backend (tests/record) logged since rec_n = 0, by
 * kind: the per-request and per-frame figures record_blk.c and
 * record_net.c assert against docs/virtio.md.  REC_OPS=1 in the
 * environment prints the sequence itself (rec_show_ops).
 */
#ifndef COHERENT_TEST_RECORD_TALLY_H
#define COHERENT_TEST_RECORD_TALLY_H

#include <stdio.h>
#include <stdlib.h>

struct tally {
	unsigned clean, inval, flush;		/* lines */
	unsigned maint_barriers;		/* 'B': one per fence call */
	unsigned wmb, rmb, mb, io_wmb, io_rmb;	/* mb: coh_mb and coh_dma_mb */
};

static inline struct tally tally(void)
{
	struct tally t = { 0 };

	for (size_t i = 0; i < rec_n && i < REC_MAX; i++) {
		switch (rec_log[i].op) {
		case 'C': t.clean++; break;
		case 'I': t.inval++; break;
		case 'F': t.flush++; break;
		case 'B': t.maint_barriers++; break;
		case 'w': t.wmb++; break;
		case 'r': t.rmb++; break;
		case 'M': t.mb++; break;
		case 'D': t.mb++; break;	/* coh_dma_mb where the backend has one */
		case 'W': t.io_wmb++; break;
		case 'R': t.io_rmb++; break;
		default: break;
		}
	}
	return t;
}

static inline unsigned lineops(struct tally t)
{
	return t.clean + t.inval + t.flush;
}

static inline unsigned barriers(struct tally t)
{
	return t.maint_barriers + t.wmb + t.rmb + t.mb + t.io_wmb + t.io_rmb;
}

static inline void rec_show_ops(void)
{
	if (!getenv("REC_OPS"))
		return;
	for (size_t i = 0; i < rec_n && i < REC_MAX; i++)
		putchar(rec_log[i].op);
	putchar('\n');
}

/* every kind of operation equal to the documented minimum */
#define EXPECT_TALLY(t, m)                                                     \
	do {                                                                   \
		CHECK_EQ((t).clean, (m).clean);                                \
		CHECK_EQ((t).inval, (m).inval);                                \
		CHECK_EQ((t).flush, (m).flush);                                \
		CHECK_EQ((t).maint_barriers, (m).maint_barriers);              \
		CHECK_EQ((t).wmb, (m).wmb);                                    \
		CHECK_EQ((t).rmb, (m).rmb);                                    \
		CHECK_EQ((t).mb, (m).mb);                                      \
		CHECK_EQ((t).io_wmb, (m).io_wmb);                              \
		CHECK_EQ((t).io_rmb, (m).io_rmb);                              \
	} while (0)

#endif
