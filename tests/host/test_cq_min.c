/* SPDX-License-Identifier: MIT */
/*
 * The maintenance minimum of the device-produced phase-tag queue
 * (coherent/cq.h), asserted exactly with the recording backend, per
 * layout: an NVMe-shaped completion queue (16-byte entries, the phase tag
 * in bit 0 of the 16-bit status) and an xHCI-shaped event ring (16-byte
 * TRBs, the cycle bit in bit 0 of the control word), cached (lines 64 and
 * 16: four entries to a line, one entry over one line), uncached and for
 * a coherent device, across the wrap; entries spanning lines; bad input
 * refused before anything changes.  Letters: C clean, I invalidate, F
 * flush, B the barrier after maintenance, r dma_rmb (docs/rings.md).
 * No poll or pop ever records C or F: the CPU never writes these lines.
 */
#include <string.h>

#include "coherent/coherent.h"
#include "coherent/cq.h"
#include "harness.h"
#include "record/record_ops.h"

TH_DEFINE_COUNTERS;

#define RSZ (64u << 10)
static unsigned char cmem[RSZ] __attribute__((aligned(4096)));
static unsigned char umem[RSZ] __attribute__((aligned(4096)));
static struct coh_region creg, ureg;
static struct coh_device dev, cdev;
static int diags;

static void diag(const struct coh_where *w, const char *msg, int err)
{
	(void)w;
	(void)msg;
	(void)err;
	diags++;
}

/* NVMe completion queue entry (NVMe base spec, "Completion Queue Entry") */
struct nvme_cqe {
	uint32_t dw0, dw1;
	uint16_t sq_head, sq_id;
	uint16_t cid, status;	/* status bit 0: Phase Tag */
};
/* xHCI event TRB: parameter, status, control (bit 0: Cycle) */
struct xhci_trb {
	uint32_t p0, p1, status, ctrl;
};
/* 48 bytes: neither divides nor is a multiple of a 64-byte line */
struct odd_cqe {
	uint32_t w[11];
	uint32_t tag;
};
/* an entry larger than a 32-byte line */
struct big_cqe {
	uint32_t w[15];
	uint32_t tag;
};

#define CHECK_OPS(want) REC_CHECK_OPS(want, return)

static int setup(size_t line)
{
	rec_hw_line = line;
	rec_fail = 0;
	if (coh_set_cache_line_size(line))
		return -1;
	coh_set_diag_handler(diag);
	diags = 0;
	if (coh_region_add(&creg, cmem, 0x40000000ull, RSZ, 0) ||
	    coh_region_add(&ureg, umem, 0x50000000ull, RSZ, COH_REGION_UNCACHED))
		return -1;
	coh_device_init(&dev, "nvme0", 0);
	dev.dma_mask = ~0ull;
	coh_device_init(&cdev, "nvme1", COH_DEV_COHERENT);
	cdev.dma_mask = ~0ull;
	return 0;
}

static void teardown(void)
{
	coh_region_remove(&ureg);
	coh_region_remove(&creg);
	coh_set_diag_handler(NULL);
}

/* the controller posts a completion in slot i with phase ph */
static void nvme_complete(struct nvme_cqe *q, size_t i, uint16_t cid, unsigned ph)
{
	volatile struct nvme_cqe *e = &q[i];

	e->dw0 = 0x1000u + cid;
	e->sq_head = (uint16_t)(i + 1);
	e->cid = cid;
	e->status = (uint16_t)((0x2u << 1) | ph);	/* a status code, then the tag */
}

static size_t count_op(char op)
{
	size_t n = 0;

	for (size_t i = 0; i < rec_n && i < REC_MAX; i++)
		n += rec_log[i].op == op;
	return n;
}

/*
 * NVMe CQ, cached, line 64 (four entries to a line), 8 entries:
 *   poll with k new in the head's line: I B r; with none: I B;
 *   pop: nothing; the line invalidated is the head's.
 */
static void t_nvme_cached(void)
{
	COH_SHARED(struct nvme_cqe) h;
	struct coh_cq cq;
	struct nvme_cqe e, *q;

	CHECK_EQ(setup(64), 0);
	CHECK_EQ(coh_alloc_shared(&h, &dev, 8, 0), 0);
	q = coh_raw(&h);	/* the simulated controller's side */
	CHECK_EQ(coh_cq_attach(&cq, &h, .status, 1u << 0, COH_CQ_TAG1), 0);
	CHECK_EQ(coh_cq_count(&cq), 8);
	CHECK(coh_cq_bus(&cq, 0) == coh_bus(&h));
	rec_n = 0;
	CHECK_EQ(coh_cq_poll(&cq, NULL), 0);	/* empty: the head's line, nothing new */
	CHECK_OPS("IB");
	CHECK(rec_log[0].addr == (uintptr_t)q);
	nvme_complete(q, 0, 7, 1);
	nvme_complete(q, 1, 8, 1);
	rec_n = 0;
	CHECK_EQ(coh_cq_poll(&cq, NULL), 2);
	CHECK_OPS("IBr");
	rec_n = 0;
	CHECK_EQ(coh_cq_pop(&cq, &h, &e), 0);
	CHECK_EQ(e.cid, 7);
	CHECK_EQ(coh_cq_pop(&cq, &h, &e), 1);
	CHECK_EQ(e.cid, 8);
	CHECK_EQ(coh_cq_pop(&cq, &h, &e), -COH_EAGAIN);
	CHECK_EQ(rec_n, 0);			/* pops: no maintenance, no barrier */
	CHECK_EQ(coh_cq_head(&cq), 2);
	CHECK(coh_cq_head_bus(&cq) == coh_bus(&h) + 2 * sizeof(struct nvme_cqe));
	/* a burst of five over two lines: two polls with news, one that sees the end */
	for (size_t i = 2; i < 7; i++)
		nvme_complete(q, i, (uint16_t)(20 + i), 1);
	rec_n = 0;
	CHECK_EQ(coh_cq_poll(&cq, NULL), 2);	/* slots 2, 3: the rest of line 0 */
	CHECK_EQ(coh_cq_poll(&cq, NULL), 5);	/* slots 4, 5, 6 of line 1 */
	CHECK_EQ(coh_cq_poll(&cq, NULL), 5);	/* slot 7 old: the end */
	CHECK_OPS("IBrIBrIB");
	CHECK(rec_log[0].addr == (uintptr_t)q && rec_log[3].addr == (uintptr_t)q + 64 &&
	      rec_log[6].addr == (uintptr_t)q + 64);
	for (int k = 0; k < 5; k++) {
		CHECK_EQ(coh_cq_pop(&cq, &h, &e), 2 + k);
		CHECK_EQ(e.cid, 22 + k);
		CHECK_EQ(e.status & 1, 1);
	}
	/* the wrap: slot 7 with phase 1, then slots 0, 1 of lap 1 with phase 0 */
	nvme_complete(q, 7, 27, 1);
	rec_n = 0;
	CHECK_EQ(coh_cq_poll(&cq, NULL), 1);
	CHECK_EQ(coh_cq_pop(&cq, &h, &e), 7);
	CHECK_EQ(coh_cq_head(&cq), 0);
	CHECK_EQ(coh_cq_phase(&cq), 0);
	CHECK_EQ(coh_cq_poll(&cq, NULL), 0);	/* slot 0 still says phase 1: old */
	nvme_complete(q, 0, 30, 0);
	nvme_complete(q, 1, 31, 0);
	CHECK_EQ(coh_cq_poll(&cq, NULL), 2);
	CHECK_OPS("IBrIBIBr");
	CHECK_EQ(coh_cq_pop(&cq, &h, &e), 0);
	CHECK_EQ(e.cid, 30);
	CHECK_EQ(count_op('C') + count_op('F'), 0);
	CHECK_EQ(coh_cq_detach(&cq), 0);
	CHECK_EQ(coh_free(&h), 0);
	teardown();
}

/*
 * The whole queue visible at once in a poll that continues from entries
 * already seen; a full lap seen without popping is not looked at again.
 */
static void t_nvme_ready(void)
{
	COH_SHARED(struct nvme_cqe) h;
	struct coh_cq cq;
	struct nvme_cqe e, *q;

	CHECK_EQ(setup(64), 0);
	CHECK_EQ(coh_alloc_shared(&h, &dev, 4, 0), 0);
	q = coh_raw(&h);
	CHECK_EQ(coh_cq_attach(&cq, &h, .status, 1u << 0, COH_CQ_TAG1), 0);
	for (size_t i = 0; i < 4; i++)
		nvme_complete(q, i, (uint16_t)i, 1);
	rec_n = 0;
	CHECK_EQ(coh_cq_poll(&cq, NULL), 4);
	CHECK_EQ(coh_cq_ready(&cq), 4);
	CHECK_EQ(coh_cq_poll(&cq, NULL), 4);	/* full: nothing to look at */
	CHECK_OPS("IBr");
	CHECK_EQ(coh_cq_pop(&cq, &h, &e), 0);
	rec_n = 0;
	CHECK_EQ(coh_cq_poll(&cq, NULL), 3);	/* slot 0 of lap 1: old */
	CHECK_OPS("IB");
	CHECK_EQ(coh_cq_detach(&cq), 0);
	CHECK_EQ(coh_free(&h), 0);
	teardown();
}

/* xHCI event ring, cached, line 16: one TRB a line, one line per poll. */
static void t_xhci_cached(void)
{
	COH_SHARED(struct xhci_trb) h;
	struct coh_cq cq;
	struct xhci_trb t, *q;

	CHECK_EQ(setup(16), 0);
	CHECK_EQ(coh_alloc_shared(&h, &dev, 16, 0), 0);
	q = coh_raw(&h);
	CHECK_EQ(coh_cq_attach(&cq, &h, .ctrl, 1u << 0, COH_CQ_TAG1), 0);
	q[0].p0 = 0xabc;
	q[0].ctrl = (32u << 10) | 1;	/* a Transfer Event, cycle 1 */
	q[1].ctrl = (33u << 10) | 1;
	rec_n = 0;
	CHECK_EQ(coh_cq_poll(&cq, NULL), 1);
	CHECK_EQ(coh_cq_poll(&cq, NULL), 2);
	CHECK_EQ(coh_cq_poll(&cq, NULL), 2);
	CHECK_OPS("IBrIBrIB");
	CHECK_EQ(coh_cq_pop(&cq, &h, &t), 0);
	CHECK_EQ(t.p0, 0xabc);
	CHECK_EQ(t.ctrl >> 10, 32);
	CHECK_EQ(coh_cq_pop(&cq, &h, &t), 1);
	CHECK(coh_cq_head_bus(&cq) == coh_bus(&h) + 32);	/* ERDP */
	CHECK_EQ(coh_cq_detach(&cq), 0);
	CHECK_EQ(coh_free(&h), 0);
	teardown();
}

/* Entries over two 32-byte lines: the tag's line, r, then the other line. */
static void t_spanning(void)
{
	COH_SHARED(struct big_cqe) h;
	struct coh_cq cq;
	struct big_cqe e, *q;

	CHECK_EQ(setup(32), 0);
	CHECK_EQ(coh_alloc_shared(&h, &dev, 4, 0), 0);
	q = coh_raw(&h);
	CHECK_EQ(coh_cq_attach(&cq, &h, .tag, 1u << 31, COH_CQ_TAG1), 0);
	q[0].w[0] = 5;
	q[0].tag = 1u << 31;
	q[1].tag = 1u << 31;
	rec_n = 0;
	CHECK_EQ(coh_cq_poll(&cq, NULL), 1);
	CHECK_OPS("IBrIB");
	CHECK(rec_log[0].addr == (uintptr_t)q + 32 && rec_log[3].addr == (uintptr_t)q);
	rec_n = 0;
	CHECK_EQ(coh_cq_poll(&cq, NULL), 2);
	CHECK_EQ(coh_cq_poll(&cq, NULL), 2);
	CHECK_OPS("IBrIBIB");
	CHECK_EQ(coh_cq_pop(&cq, &h, &e), 0);
	CHECK_EQ(e.w[0], 5);
	CHECK_EQ(coh_cq_detach(&cq), 0);
	CHECK_EQ(coh_free(&h), 0);
	teardown();
}

/* Uncached memory and a coherent device: every new entry in one poll, one r. */
static void t_nomaint(void)
{
	COH_SHARED(struct nvme_cqe) h;
	struct coh_cq cq;
	struct nvme_cqe e, *q;
	struct coh_device *d[2] = { &dev, &cdev };
	unsigned int attrs[2] = { COH_ATTR_UNCACHED, 0 };

	for (int k = 0; k < 2; k++) {
		CHECK_EQ(setup(64), 0);
		CHECK_EQ(coh_alloc_shared(&h, d[k], 8, attrs[k]), 0);
		q = coh_raw(&h);
		CHECK_EQ(coh_cq_attach(&cq, &h, .status, 1u << 0, COH_CQ_TAG1), 0);
		rec_n = 0;
		CHECK_EQ(coh_cq_poll(&cq, NULL), 0);
		CHECK_EQ(rec_n, 0);		/* nothing new: no barrier at all */
		for (size_t i = 0; i < 7; i++)
			nvme_complete(q, i, (uint16_t)i, 1);
		CHECK_EQ(coh_cq_poll(&cq, NULL), 7);
		CHECK_OPS("r");
		for (int i = 0; i < 7; i++)
			CHECK_EQ(coh_cq_pop(&cq, &h, &e), i);
		nvme_complete(q, 7, 7, 1);
		nvme_complete(q, 0, 8, 0);	/* lap 1 */
		rec_n = 0;
		CHECK_EQ(coh_cq_poll(&cq, NULL), 2);
		CHECK_OPS("r");
		CHECK_EQ(coh_cq_pop(&cq, &h, &e), 7);
		CHECK_EQ(coh_cq_pop(&cq, &h, &e), 0);
		CHECK_EQ(e.cid, 8);
		CHECK_EQ(coh_cq_detach(&cq), 0);
		CHECK_EQ(coh_free(&h), 0);
		teardown();
	}
}

/* A driver's batch joins the poll's barrier: its cleans, then I, one B. */
static void t_batch(void)
{
	COH_SHARED(struct nvme_cqe) h;
	COH_SHARED(uint32_t) sq;
	struct coh_cq cq;
	struct coh_batch b;
	struct nvme_cqe *q;

	CHECK_EQ(setup(64), 0);
	CHECK_EQ(coh_alloc_shared(&h, &dev, 8, 0), 0);
	CHECK_EQ(coh_alloc_shared(&sq, &dev, 16, 0), 0);
	q = coh_raw(&h);
	CHECK_EQ(coh_cq_attach(&cq, &h, .status, 1u << 0, COH_CQ_TAG1), 0);
	nvme_complete(q, 0, 1, 1);
	CHECK_EQ(coh_batch_init(&b, &dev), 0);
	rec_n = 0;
	CHECK_EQ(coh_write_batch(&b, &sq, [0], 5u), 0);
	CHECK_EQ(coh_cq_poll(&cq, &b), 1);
	CHECK_OPS("CIBr");
	CHECK_EQ(coh_batch_end(&b), 0);
	CHECK_EQ(rec_n, 4);			/* empty afterwards: no second barrier */
	{
		struct coh_batch other;

		CHECK_EQ(coh_batch_init(&other, &cdev), 0);
		CHECK_EQ(coh_cq_poll(&cq, &other), -COH_EINVAL);
	}
	CHECK_EQ(coh_cq_detach(&cq), 0);
	CHECK_EQ(coh_free(&sq), 0);
	CHECK_EQ(coh_free(&h), 0);
	teardown();
}

/* Reset: the entries zeroed and released under one barrier, lap 0 again. */
static void t_reset(void)
{
	COH_SHARED(struct nvme_cqe) h;
	struct coh_cq cq;
	struct nvme_cqe e, *q;

	CHECK_EQ(setup(64), 0);
	CHECK_EQ(coh_alloc_shared(&h, &dev, 8, 0), 0);
	q = coh_raw(&h);
	CHECK_EQ(coh_cq_attach(&cq, &h, .status, 1u << 0, COH_CQ_TAG1), 0);
	nvme_complete(q, 0, 1, 1);
	CHECK_EQ(coh_cq_poll(&cq, NULL), 1);
	CHECK_EQ(coh_cq_pop(&cq, &h, &e), 0);
	rec_n = 0;
	CHECK_EQ(coh_cq_reset(&cq), 0);
	CHECK_OPS("CCB");
	CHECK_EQ(coh_cq_head(&cq), 0);
	CHECK_EQ(coh_cq_phase(&cq), 1);
	CHECK_EQ(q[0].status, 0);
	CHECK_EQ(coh_cq_poll(&cq, NULL), 0);
	CHECK_EQ(coh_cq_detach(&cq), 0);
	CHECK_EQ(coh_free(&h), 0);
	teardown();
}

/* Bad input: refused with its code, reported, nothing recorded or changed. */
static void t_bad_input(void)
{
	COH_SHARED(struct nvme_cqe) h, other, none = { 0 };
	COH_SHARED(struct odd_cqe) odd;
	COH_SHARED(struct nvme_cqe) one;
	struct coh_cq cq, snap;
	struct nvme_cqe e;

	CHECK_EQ(setup(64), 0);
	CHECK_EQ(coh_alloc_shared(&h, &dev, 8, 0), 0);
	CHECK_EQ(coh_alloc_shared(&other, &dev, 8, 0), 0);
	CHECK_EQ(coh_alloc_shared(&one, &dev, 1, 0), 0);
	CHECK_EQ(coh_alloc_shared(&odd, &dev, 4, 0), 0);
	rec_n = 0;
	diags = 0;
	CHECK_EQ(coh_cq_attach(&cq, &h, .status, 1u << 0, 0), -COH_EINVAL);
	CHECK_EQ(coh_cq_attach(&cq, &h, .status, 1u << 0, COH_CQ_TAG1 | COH_CQ_TAG0), -COH_EINVAL);
	CHECK_EQ(coh_cq_attach(&cq, &h, .status, 1u << 0, 1u << 5), -COH_EINVAL);
	CHECK_EQ(coh_cq_attach(&cq, &h, .status, 3u, COH_CQ_TAG1), -COH_EINVAL);
	CHECK_EQ(coh_cq_attach(&cq, &h, .status, 1u << 16, COH_CQ_TAG1), -COH_EINVAL);
	CHECK_EQ(coh_cq_attach(&cq, &h, .status, 0, COH_CQ_TAG1), -COH_EINVAL);
	CHECK_EQ(coh_cq_attach(&cq, &none, .status, 1u << 0, COH_CQ_TAG1), -COH_EINVAL);
	CHECK_EQ(coh_cq_attach(&cq, &one, .status, 1u << 0, COH_CQ_TAG1), -COH_EINVAL);
	CHECK_EQ(coh_cq_attach(&cq, &odd, .tag, 1u << 0, COH_CQ_TAG1), -COH_ENOTSUP);
	CHECK_EQ(diags, 9);
	CHECK_EQ(rec_n, 0);
	CHECK_EQ(coh_cq_attach(&cq, &h, .status, 1u << 0, COH_CQ_TAG1), 0);
	nvme_complete(coh_raw(&h), 0, 1, 1);
	CHECK_EQ(coh_cq_poll(&cq, NULL), 1);
	snap = cq;
	rec_n = 0;
	CHECK_EQ(coh_cq_pop(&cq, &other, &e), -COH_EINVAL);	/* not its handle */
	CHECK_EQ(coh_cq_pop(&cq, &h, NULL), -COH_EINVAL);
	CHECK_EQ(coh_cq_poll(NULL, NULL), -COH_EINVAL);
	CHECK_EQ(rec_n, 0);
	CHECK(!memcmp(&snap, &cq, sizeof(cq)));
	CHECK_EQ(coh_cq_detach(&cq), 0);
	CHECK_EQ(coh_cq_detach(&cq), -COH_EINVAL);
	CHECK_EQ(coh_cq_poll(&cq, NULL), -COH_EINVAL);
	/* a backend that cannot maintain the memory: refused at attach */
	rec_fail = -COH_ENODEV;
	CHECK_EQ(coh_cq_attach(&cq, &h, .status, 1u << 0, COH_CQ_TAG1), -COH_ENODEV);
	rec_fail = 0;
	CHECK_EQ(coh_free(&odd), 0);
	CHECK_EQ(coh_free(&one), 0);
	CHECK_EQ(coh_free(&other), 0);
	CHECK_EQ(coh_free(&h), 0);
	teardown();
}

int main(void)
{
	RUN(t_nvme_cached);
	RUN(t_nvme_ready);
	RUN(t_xhci_cached);
	RUN(t_spanning);
	RUN(t_nomaint);
	RUN(t_batch);
	RUN(t_reset);
	RUN(t_bad_input);
	return th_finish("cq-min");
}
