/* SPDX-License-Identifier: MIT */
/*
 * The per-frame minimum of line operations and barriers (docs/DESIGN.md,
 * "Descriptor ring"), asserted exactly with the recording backend: a
 * DWMAC-shaped RX and TX path (cached ring with skip, uncached packed
 * ring, batched ring), a multi-line descriptor, and a VirtIO-shaped
 * request (descriptor table, available and used rings).  Also: layouts
 * the hardware cannot express, bad input and a failing backend change
 * nothing.  The recorded sequence is compared as a string of operations:
 * C clean, I invalidate, F flush, B the barrier after maintenance,
 * w/r dma_wmb/dma_rmb, W/R/M the coherent-device barriers.
 */
#include <string.h>

#include "coherent/coherent.h"
#include "harness.h"
#include "record/record_ops.h"

TH_DEFINE_COUNTERS;

#define RSZ (256u << 10)
static unsigned char cmem[RSZ] __attribute__((aligned(4096)));
static unsigned char umem[RSZ] __attribute__((aligned(4096)));
static unsigned char bufs[16][2048] __attribute__((aligned(128)));
static struct coh_region creg, ureg;
static struct coh_device dev;
static int diags;

static void diag(const struct coh_where *w, const char *msg, int err)
{
	(void)w;
	(void)msg;
	(void)err;
	diags++;
}

/* DWMAC QoS normal descriptor: RDES3/TDES3 bit 31 is OWN */
struct qos_desc {
	uint32_t des0, des1, des2, des3;
};
#define QOS_OWN (1u << 31)
#define BUFSZ 1536u

static size_t count_op(char op)
{
	size_t n = 0;

	for (size_t i = 0; i < rec_n && i < REC_MAX; i++)
		n += rec_log[i].op == op;
	return n;
}

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
	coh_device_init(&dev, "eth0", 0);
	dev.dma_mask = ~0ull;
	return 0;
}

static void teardown(void)
{
	coh_region_remove(&ureg);
	coh_region_remove(&creg);
	coh_set_diag_handler(NULL);
}

static const struct coh_ring_layout qos = { .max_skip = 56, .skip_unit = 8 };

/* the device gives slot i back: OWN cleared, a length written */
static void dev_done(struct coh_ring *r, size_t i, uint32_t len)
{
	volatile struct qos_desc *d = (volatile struct qos_desc *)(r->mem.cpu_ + i * r->stride);

	d->des3 = len;
}

/* Acceptance: line 64 opens with stride 64; line 128 fails before allocating. */
static void t_dwmac_layout(void)
{
	struct coh_ring r;
	size_t before;

	CHECK_EQ(setup(64), 0);
	CHECK_EQ(coh_ring_create_layout(&r, &dev, 8, struct qos_desc, des3, QOS_OWN, 0, &qos), 0);
	CHECK_EQ(coh_ring_stride(&r), 64);
	CHECK_EQ((coh_ring_stride(&r) - sizeof(struct qos_desc)) / 8, 6);	/* DSL */
	CHECK(coh_ring_bus_end(&r) == coh_ring_bus(&r, 0) + 8 * 64);
	CHECK(coh_ring_bus(&r, 8) == coh_ring_bus(&r, 0));	/* bus() still wraps */
	CHECK_EQ(coh_ring_destroy(&r), 0);
	teardown();

	CHECK_EQ(setup(128), 0);
	before = coh_region_free_bytes(&creg);
	rec_n = 0;
	CHECK_EQ(coh_ring_create_layout(&r, &dev, 8, struct qos_desc, des3, QOS_OWN, 0, &qos),
		 -COH_ENOTSUP);
	CHECK_EQ(diags, 1);
	CHECK_EQ(coh_region_free_bytes(&creg), before);	/* nothing allocated */
	CHECK_EQ(rec_n, 0);
	/* a skip that is not a whole number of bus words */
	{
		struct coh_ring_layout odd = { .max_skip = 200, .skip_unit = 24 };

		CHECK_EQ(coh_ring_create_layout(&r, &dev, 8, struct qos_desc, des3, QOS_OWN, 0, &odd),
			 -COH_ENOTSUP);
	}
	teardown();
}

/* COH_RING_BATCHED with a count that is a multiple of the group: fine. */
static void t_batched_layout(void)
{
	struct coh_ring r;
	struct coh_ring_layout b = qos;

	CHECK_EQ(setup(128), 0);
	b.flags = COH_RING_BATCHED;
	CHECK_EQ(coh_ring_create_layout(&r, &dev, 16, struct qos_desc, des3, QOS_OWN, 0, &b), 0);
	CHECK_EQ(coh_ring_stride(&r), 16);
	CHECK_EQ(r.group, 8);
	CHECK_EQ(coh_ring_destroy(&r), 0);
	/* 12 slots: not whole lines of 8 */
	CHECK_EQ(coh_ring_create_layout(&r, &dev, 12, struct qos_desc, des3, QOS_OWN, 0, &b), -COH_EINVAL);
	/* uncached: packed, no skip at all */
	CHECK_EQ(coh_ring_create_layout(&r, &dev, 12, struct qos_desc, des3, QOS_OWN,
					COH_ATTR_UNCACHED, &qos), 0);
	CHECK_EQ(coh_ring_stride(&r), 16);
	CHECK_EQ(coh_ring_destroy(&r), 0);
	teardown();
}

/*
 * DWMAC RX, cached ring with skip (line 64, 16-byte descriptors, 1536-byte
 * buffers = 24 lines), a NAPI poll of N frames then a refill of N:
 *   reap:   I (descriptor line) B r                 per frame
 *   take_n: 24 I per buffer, B                      per poll
 *   give_n: 24 F per buffer, B                      per refill
 *   post_n: C per descriptor, B                     per refill
 */
static void t_rx_cached(void)
{
	enum { N = 4 };
	struct coh_ring r;
	struct coh_span sp[N];
	struct qos_desc d[N], out;

	CHECK_EQ(setup(64), 0);
	CHECK_EQ(coh_ring_create_layout(&r, &dev, 8, struct qos_desc, des3, QOS_OWN, 0, &qos), 0);
	for (int k = 0; k < N; k++) {
		sp[k] = (struct coh_span){ bufs[k], BUFSZ, COH_FROM_DEVICE };
		d[k] = (struct qos_desc){ .des0 = (uint32_t)(uintptr_t)bufs[k], .des3 = 1u << 24 };
	}
	rec_n = 0;
	CHECK_EQ(coh_give_n(&dev, sp, N), 0);
	CHECK_EQ(count_op('F'), N * 24);
	CHECK_EQ(count_op('B'), 1);
	CHECK_EQ(rec_log[rec_n - 1].op, 'B');
	rec_n = 0;
	CHECK_EQ(coh_ring_post_n(&r, d, N), 0);
	CHECK_OPS("CCCCB");
	for (int k = 0; k < N; k++)	/* each descriptor's own line, in order */
		CHECK(rec_log[k].addr == r.mem.cpu_ + (size_t)k * 64);
	CHECK_EQ(coh_ring_next(&r), N);
	/* the device receives N frames */
	for (int k = 0; k < N; k++)
		dev_done(&r, (size_t)k, 60);
	rec_n = 0;
	for (int k = 0; k < N; k++)
		CHECK_EQ(coh_ring_reap(&r, &out), k);
	CHECK_OPS("IBrIBrIBrIBr");
	for (int k = 0; k < N; k++)
		CHECK(rec_log[3 * k].addr == r.mem.cpu_ + (size_t)k * 64);
	CHECK_EQ(out.des3, 60);
	rec_n = 0;
	CHECK_EQ(coh_take_n(&dev, sp, N), 0);
	CHECK_EQ(count_op('I'), N * 24);
	CHECK_EQ(rec_n, N * 24 + 1);
	/* the whole cycle again, counted as a per-frame figure */
	rec_n = 0;
	CHECK_EQ(coh_give_n(&dev, sp, N), 0);
	CHECK_EQ(coh_ring_post_n(&r, d, N), N);
	for (int k = 0; k < N; k++)
		dev_done(&r, (size_t)(N + k), 60);
	for (int k = 0; k < N; k++)
		CHECK_EQ(coh_ring_reap(&r, &out), N + k);
	CHECK_EQ(coh_take_n(&dev, sp, N), 0);
	/* per frame: 2 descriptor line ops, 48 buffer line ops, 1 + 3/N barriers, 1 rmb */
	CHECK_EQ(count_op('C') + count_op('I') + count_op('F'), N * (2 + 48));
	CHECK_EQ(count_op('B'), N + 3);
	CHECK_EQ(count_op('r'), N);
	CHECK_EQ(rec_n, (size_t)N * 52 + 3);
	CHECK_EQ(coh_ring_destroy(&r), 0);
	teardown();
}

/*
 * DWMAC TX, uncached packed ring: a frame in two descriptors posted as a
 * chain (the head's OWN last), buffers given in one batch:
 *   give_n: C per buffer line, B;  post_chain: w;  reap: r per descriptor.
 * The same chain in a cached padded ring: C (second) B, C (head) B.
 */
static void t_tx_chain(void)
{
	struct coh_ring r;
	struct qos_desc d[2] = { { .des0 = 1, .des3 = 1u << 29 }, { .des0 = 2, .des3 = 1u << 28 } };
	struct qos_desc out;
	struct coh_span sp[2] = { { bufs[0], 64, COH_TO_DEVICE }, { bufs[1], 1000, COH_TO_DEVICE } };
	volatile struct qos_desc *s;

	CHECK_EQ(setup(64), 0);
	CHECK_EQ(coh_ring_create_layout(&r, &dev, 8, struct qos_desc, des3, QOS_OWN,
					COH_ATTR_UNCACHED, &qos), 0);
	rec_n = 0;
	CHECK_EQ(coh_give_n(&dev, sp, 2), 0);
	CHECK_EQ(count_op('C'), 1 + 16);
	CHECK_EQ(rec_n, 1 + 16 + 1);
	rec_n = 0;
	CHECK_EQ(coh_ring_post_chain(&r, d, 2), 0);
	CHECK_OPS("w");
	s = (volatile struct qos_desc *)r.mem.cpu_;
	CHECK_EQ(s[0].des3, QOS_OWN | (1u << 29));
	CHECK_EQ(s[1].des3, QOS_OWN | (1u << 28));
	s[0].des3 = 0;
	s[1].des3 = 0;
	rec_n = 0;
	CHECK_EQ(coh_ring_reap(&r, &out), 0);
	CHECK_EQ(coh_ring_reap(&r, &out), 1);
	CHECK_OPS("rr");
	rec_n = 0;
	CHECK_EQ(coh_take_n(&dev, sp, 2), 0);	/* TO_DEVICE: nothing to do */
	CHECK_EQ(rec_n, 0);
	CHECK_EQ(coh_ring_destroy(&r), 0);

	/* cached padded: the non-head first, then the head's line */
	CHECK_EQ(coh_ring_create_layout(&r, &dev, 8, struct qos_desc, des3, QOS_OWN, 0, &qos), 0);
	rec_n = 0;
	CHECK_EQ(coh_ring_post_chain(&r, d, 2), 0);
	CHECK_OPS("CBCB");
	CHECK(rec_log[0].addr == r.mem.cpu_ + 64);
	CHECK(rec_log[2].addr == r.mem.cpu_);
	CHECK_EQ(coh_ring_reset(&r), 0);
	CHECK_EQ(coh_ring_destroy(&r), 0);
	teardown();
}

/*
 * A 64-byte descriptor at line 32 with the owner word in its second line:
 * the fields' line is released before the owner's, acquired after it.
 */
struct big {
	uint32_t w[12];
	uint32_t own;
	uint32_t x[3];
};

static void t_multiline(void)
{
	struct coh_ring r;
	struct big d = { .w = { 1 } }, out;
	uintptr_t s;

	CHECK_EQ(setup(32), 0);
	CHECK_EQ(coh_ring_create(&r, &dev, 4, struct big, own, 1u, 0), 0);
	CHECK_EQ(coh_ring_stride(&r), 64);
	s = r.mem.cpu_;
	rec_n = 0;
	CHECK_EQ(coh_ring_post(&r, &d), 0);
	CHECK_OPS("CBCB");
	CHECK(rec_log[0].addr == s);		/* fields line first */
	CHECK(rec_log[2].addr == s + 32);	/* then the owner's */
	((volatile struct big *)s)->own = 0;
	rec_n = 0;
	CHECK_EQ(coh_ring_reap(&r, &out), 0);
	CHECK_OPS("IBrIB");
	CHECK(rec_log[0].addr == s + 32);	/* the owner's line once */
	CHECK(rec_log[3].addr == s);		/* then only the other line */
	/* a post_n of three: fields lines together, owner lines together */
	rec_n = 0;
	{
		struct big three[3] = { d, d, d };

		CHECK_EQ(coh_ring_post_n(&r, three, 3), 1);
	}
	CHECK_OPS("CCCBCCCB");
	CHECK_EQ(coh_ring_reset(&r), 0);
	CHECK_EQ(coh_ring_destroy(&r), 0);
	teardown();
}

/*
 * Batched ring, cached (line 64, four 16-byte descriptors a line): posts
 * are staged until a line is whole, then one clean of the line and one
 * barrier; the tail (next) moves a line at a time.
 */
static void t_batched(void)
{
	struct coh_ring r;
	struct coh_ring_layout b = qos;
	struct qos_desc d = { .des3 = 1u << 24 }, out, two[2] = { { 0 } };
	volatile struct qos_desc *s;

	CHECK_EQ(setup(64), 0);
	b.flags = COH_RING_BATCHED;
	CHECK_EQ(coh_ring_create_layout(&r, &dev, 8, struct qos_desc, des3, QOS_OWN, 0, &b), 0);
	s = (volatile struct qos_desc *)r.mem.cpu_;
	rec_n = 0;
	for (int k = 0; k < 3; k++)
		CHECK_EQ(coh_ring_post(&r, &d), k);
	CHECK_EQ(rec_n, 0);
	CHECK_EQ(coh_ring_next(&r), 0);
	CHECK_EQ(s[0].des3 & QOS_OWN, 0);	/* staged: not the device's yet */
	CHECK_EQ(coh_ring_reap(&r, &out), -COH_EAGAIN);
	CHECK_EQ(coh_ring_post(&r, &d), 3);
	CHECK_OPS("CB");
	CHECK(rec_log[0].addr == r.mem.cpu_);
	CHECK_EQ(coh_ring_next(&r), 4);
	CHECK(s[0].des3 & s[3].des3 & QOS_OWN);
	CHECK_EQ(coh_ring_space(&r), 4);
	/* one frame back: its line is not whole, so only line 1 can be re-armed */
	s[0].des3 = 60;
	rec_n = 0;
	CHECK_EQ(coh_ring_reap(&r, &out), 0);
	CHECK_OPS("IBr");
	CHECK_EQ(coh_ring_space(&r), 4);
	{
		struct qos_desc four[4] = { d, d, d, d };

		CHECK_EQ(coh_ring_post_n(&r, four, 4), 4);
	}
	CHECK_EQ(coh_ring_space(&r), 0);	/* slot 0 free, but its line is not */
	CHECK_EQ(coh_ring_post(&r, &d), -COH_EAGAIN);
	CHECK_EQ(coh_ring_post_chain(&r, two, 2), -COH_ENOTSUP);
	CHECK_EQ(coh_ring_reset(&r), 0);
	CHECK_EQ(coh_ring_destroy(&r), 0);
	teardown();
}

/*
 * VirtIO-shaped request on cached memory (line 64): a three-descriptor
 * chain (header to the device, 512 data bytes and a status byte from it)
 * in the descriptor table, its head in the available ring, completion in
 * the used ring.
 *   give_n:   C header, F x 8 data, F status, B
 *   publish:  C table line, C avail entry line, B, C avail index line, B
 *   poll:     I used index line (entry 0 shares it), B, r
 *   take_n:   (header: nothing) I x 8 data, F status (a partial line), B
 */
struct vdesc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};
struct vused {
	uint32_t id, len;
};

static void t_virtio(void)
{
	struct coh_queue table, avail, used;
	const struct coh_queue_layout lt = { .count = 8, .entry_size = 16,
					     .idx_off = COH_QUEUE_IDX_NONE, .idx_wrap = 8 };
	const struct coh_queue_layout la = { .count = 8, .entry_size = 2, .entries_off = 4,
					     .idx_off = 2, .idx_size = 2, .idx_wrap = 0x10000,
					     .size = 6 + 16 };
	const struct coh_queue_layout lu = { .count = 8, .entry_size = 8, .entries_off = 4,
					     .idx_off = 2, .idx_size = 2, .idx_wrap = 0x10000,
					     .size = 6 + 64 };
	struct coh_span sp[3] = { { bufs[0], 16, COH_TO_DEVICE },
				  { bufs[1], 512, COH_FROM_DEVICE },
				  { bufs[2], 1, COH_FROM_DEVICE } };
	struct vdesc vd[3] = { { 1, 16, 1, 1 }, { 2, 512, 3, 2 }, { 3, 1, 2, 0 } };
	uint16_t head = 0;
	uint32_t idx;
	struct vused u;
	volatile unsigned char *um;

	CHECK_EQ(setup(64), 0);
	CHECK_EQ(coh_queue_create(&table, &dev, &lt, COH_QUEUE_CPU_PRODUCES, 0), 0);
	CHECK_EQ(coh_queue_create(&avail, &dev, &la, COH_QUEUE_CPU_PRODUCES, 0), 0);
	CHECK_EQ(coh_queue_create(&used, &dev, &lu, COH_QUEUE_DEVICE_PRODUCES, 0), 0);
	rec_n = 0;
	CHECK_EQ(coh_give_n(&dev, sp, 3), 0);
	CHECK_OPS("CFFFFFFFFFB");
	rec_n = 0;
	for (int k = 0; k < 3; k++)
		CHECK_EQ(coh_queue_write(&table, (size_t)k, &vd[k]), 0);
	CHECK_EQ(coh_queue_push(&avail, &head), 0);
	CHECK_EQ(rec_n, 0);
	CHECK_EQ(coh_queue_publish(&avail, &table, &idx), 0);
	/* the entry shares avail.idx's line: cleaned once, after the index */
	CHECK_OPS("CBCB");
	CHECK(rec_log[0].addr == table.mem.cpu_);
	CHECK(rec_log[2].addr == avail.mem.cpu_);
	CHECK_EQ(idx, 1);
	CHECK_EQ(*(volatile uint16_t *)(avail.mem.cpu_ + 2), 1);
	CHECK_EQ(*(volatile uint16_t *)(avail.mem.cpu_ + 4), 0);
	/* the device completes: used entry 0, then the index */
	um = (volatile unsigned char *)used.mem.cpu_;
	*(volatile uint32_t *)(volatile void *)(um + 4) = 0;
	*(volatile uint32_t *)(volatile void *)(um + 8) = 513;
	*(volatile uint16_t *)(volatile void *)(um + 2) = 1;
	rec_n = 0;
	CHECK_EQ(coh_queue_poll(&used), 1);
	CHECK_OPS("IBr");
	rec_n = 0;
	CHECK_EQ(coh_queue_ready(&used), 1);	/* seen, not popped: no access */
	CHECK_EQ(coh_queue_ready(&avail), 0);
	CHECK_EQ(coh_queue_pop(&used, &u), 0);
	CHECK_EQ(coh_queue_ready(&used), 0);
	CHECK_EQ(u.len, 513);
	CHECK_EQ(coh_queue_pop(&used, &u), -COH_EAGAIN);
	CHECK_EQ(coh_take_n(&dev, sp, 3), 0);
	CHECK_OPS("IIIIIIIIFB");
	CHECK_EQ(coh_queue_consumed(&avail, coh_queue_index(&used)), 0);
	CHECK_EQ(coh_queue_space(&avail), 8);
	/* per request: 3 ring lines + 19 buffer lines, 5 barriers, 1 rmb (docs) */

	/* event indices after the rings (VIRTIO_F_EVENT_IDX) */
	rec_n = 0;
	CHECK_EQ(coh_queue_field_write(&avail, 20, 2, 5), 0);	/* used_event */
	CHECK_OPS("CB");
	CHECK_EQ(*(volatile uint16_t *)(avail.mem.cpu_ + 20), 5);
	*(volatile uint16_t *)(volatile void *)(um + 68) = 9;			/* avail_event */
	rec_n = 0;
	CHECK_EQ(coh_queue_field_read(&used, 68, 2, &idx), 0);
	CHECK_OPS("IB");
	CHECK_EQ(idx, 9);
	CHECK_EQ(coh_queue_field_write(&avail, 4, 2, 1), -COH_ERANGE);	/* an entry */
	CHECK_EQ(coh_queue_field_write(&avail, 2, 2, 1), -COH_ERANGE);	/* the index */
	CHECK_EQ(coh_queue_field_write(&avail, 22, 2, 1), -COH_ERANGE);	/* past size */
	CHECK_EQ(coh_queue_field_write(&avail, 21, 2, 1), -COH_EINVAL);	/* misaligned */
	CHECK_EQ(coh_queue_field_write(&used, 68, 2, 1), -COH_EINVAL);	/* the device's */
	CHECK_EQ(coh_queue_field_read(&avail, 20, 2, &idx), -COH_EINVAL);
	CHECK_EQ(coh_queue_field_read(&used, 68, 2, NULL), -COH_EINVAL);
	CHECK_EQ(rec_n, 2);

	/* a hostile device: index more than the queue ahead, or going back */
	*(volatile uint16_t *)(volatile void *)(um + 2) = 10;
	diags = 0;
	CHECK_EQ(coh_queue_poll(&used), -COH_EPROTO);
	CHECK_EQ(diags, 1);
	*(volatile uint16_t *)(volatile void *)(um + 2) = 0;
	CHECK_EQ(coh_queue_poll(&used), -COH_EPROTO);
	*(volatile uint16_t *)(volatile void *)(um + 2) = 1;
	CHECK_EQ(coh_queue_poll(&used), 0);
	CHECK_EQ(coh_queue_consumed(&avail, 2), -COH_EPROTO);	/* never published */
	CHECK_EQ(coh_queue_destroy(&used), 0);
	CHECK_EQ(coh_queue_destroy(&avail), 0);
	CHECK_EQ(coh_queue_destroy(&table), 0);
	teardown();
}

/* Free-running 16-bit index across the wrap, and an NVMe-shaped SQ. */
static void t_queue_wrap(void)
{
	struct coh_queue sq, uq;
	const struct coh_queue_layout ls = { .count = 4, .entry_size = 64,
					     .idx_off = COH_QUEUE_IDX_NONE, .idx_wrap = 4 };
	const struct coh_queue_layout lu = { .count = 4, .entry_size = 8, .entries_off = 4,
					     .idx_off = 2, .idx_size = 2, .idx_wrap = 0x10000 };
	unsigned char e[64] = { 0 };
	uint32_t idx = 99;

	CHECK_EQ(setup(64), 0);
	CHECK_EQ(coh_queue_create(&sq, &dev, &ls, COH_QUEUE_CPU_PRODUCES, 0), 0);
	for (int k = 0; k < 3; k++)
		CHECK_EQ(coh_queue_push(&sq, e), k);
	rec_n = 0;
	CHECK_EQ(coh_queue_publish(&sq, NULL, &idx), 0);
	CHECK_OPS("CCCB");	/* three 64-byte entries, one barrier, no index in memory */
	CHECK_EQ(idx, 3);	/* the SQ tail doorbell */
	CHECK_EQ(coh_queue_push(&sq, e), -COH_EAGAIN);	/* tail + 1 == head: full */
	CHECK_EQ(coh_queue_consumed(&sq, 2), 0);	/* CQE sq_head */
	CHECK_EQ(coh_queue_space(&sq), 2);
	CHECK_EQ(coh_queue_push(&sq, e), 3);
	CHECK_EQ(coh_queue_push(&sq, e), 0);
	rec_n = 0;
	CHECK_EQ(coh_queue_publish(&sq, NULL, &idx), 0);
	CHECK_OPS("CCB");	/* slot 3, then slot 0 after the wrap */
	CHECK_EQ(idx, 1);
	CHECK_EQ(coh_queue_destroy(&sq), 0);

	CHECK_EQ(coh_queue_create(&uq, &dev, &lu, COH_QUEUE_DEVICE_PRODUCES, 0), 0);
	uq.cons = uq.pub = 0xfffe;	/* as after 65534 completions */
	*(volatile uint16_t *)(uq.mem.cpu_ + 2) = 1;	/* 0xffff and 0x0000 written */
	CHECK_EQ(coh_queue_poll(&uq), 3);
	{
		uint64_t out;

		CHECK_EQ(coh_queue_pop(&uq, &out), 2);
		CHECK_EQ(coh_queue_pop(&uq, &out), 3);
		CHECK_EQ(coh_queue_pop(&uq, &out), 0);
		CHECK_EQ(coh_queue_index(&uq), 1);
	}
	CHECK_EQ(coh_queue_destroy(&uq), 0);
	/* layouts the queue cannot use */
	{
		struct coh_queue q;
		struct coh_queue_layout bad = lu;

		bad.idx_off = 4;	/* on top of the entries */
		CHECK_EQ(coh_queue_create(&q, &dev, &bad, COH_QUEUE_DEVICE_PRODUCES, 0), -COH_EINVAL);
		bad = lu;
		bad.count = 3;		/* 65536 % 3 */
		CHECK_EQ(coh_queue_create(&q, &dev, &bad, COH_QUEUE_DEVICE_PRODUCES, 0), -COH_EINVAL);
		bad = lu;
		bad.idx_wrap = 0x20000;	/* a 16-bit index */
		CHECK_EQ(coh_queue_create(&q, &dev, &bad, COH_QUEUE_DEVICE_PRODUCES, 0), -COH_EINVAL);
		CHECK_EQ(coh_queue_create(&q, &dev, &lu, 7, 0), -COH_EINVAL);
	}
	teardown();
}

/* Bad input: documented errors, nothing written, nothing maintained. */
static void t_bad_input(void)
{
	struct coh_ring r;
	struct qos_desc d[9] = { { 0 } };
	unsigned char snap[8 * 64];

	CHECK_EQ(setup(64), 0);
	CHECK_EQ(coh_ring_create_layout(&r, &dev, 8, struct qos_desc, des3, QOS_OWN, 0, &qos), 0);
	CHECK_EQ(coh_ring_post_n(&r, d, 5), 0);
	memcpy(snap, (void *)r.mem.cpu_, sizeof(snap));
	rec_n = 0;
	diags = 0;
	CHECK_EQ(coh_ring_post_n(&r, d, 9), -COH_EINVAL);	/* larger than the ring */
	CHECK_EQ(coh_ring_post_n(&r, d, 0), -COH_EINVAL);
	CHECK_EQ(diags, 2);
	CHECK_EQ(coh_ring_post_n(&r, d, 4), -COH_EAGAIN);	/* 3 free */
	CHECK_EQ(coh_ring_post_chain(&r, d, 4), -COH_EAGAIN);	/* no partial chain */
	CHECK_EQ(coh_ring_phase(&r), -COH_EINVAL);		/* no phase */
	CHECK_EQ(rec_n, 0);
	CHECK(!memcmp(snap, (void *)r.mem.cpu_, sizeof(snap)));
	CHECK_EQ(coh_ring_pending(&r), 5);
	CHECK_EQ(coh_ring_next(&r), 5);
	{
		struct coh_ring_layout f = { COH_RING_ANY_SKIP, 0, COH_RING_PHASE_INVERT };

		CHECK_EQ(coh_ring_create_layout(&r, &dev, 8, struct qos_desc, des3, QOS_OWN, 0, &f),
			 -COH_EINVAL);
		f.flags = 1u << 7;
		CHECK_EQ(coh_ring_create_layout(&r, &dev, 8, struct qos_desc, des3, QOS_OWN, 0, &f),
			 -COH_EINVAL);
	}
	/* the pending slots, oldest first (teardown) */
	{
		size_t k, slot, seen = 0;

		coh_ring_for_each_pending(&r, k, slot)
			seen |= (size_t)1 << slot;
		CHECK_EQ(seen, 0x1f);
	}
	{
		struct coh_span bad[2] = { { bufs[0], 64, COH_FROM_DEVICE }, { NULL, 64, COH_FROM_DEVICE } };

		CHECK_EQ(coh_give_n(&dev, bad, 2), -COH_EINVAL);
		bad[1] = (struct coh_span){ bufs[1], 64, (enum coh_dir)9 };
		CHECK_EQ(coh_give_n(&dev, bad, 2), -COH_EINVAL);
		CHECK_EQ(rec_n, 0);	/* the good first span was not given either */
	}
	CHECK_EQ(coh_ring_reset(&r), 0);
	CHECK_EQ(coh_ring_destroy(&r), 0);
	teardown();
}

/* A phase ring: the owner bit's meaning flips every lap (NVMe CQ, xHCI). */
static void t_phase(void)
{
	struct coh_ring r;
	struct coh_ring_layout f = { COH_RING_ANY_SKIP, 0, COH_RING_PHASE | COH_RING_PHASE_INVERT };
	struct qos_desc d = { 0 }, out, two[2] = { { 0 } };
	volatile struct qos_desc *s;

	CHECK_EQ(setup(64), 0);
	CHECK_EQ(coh_ring_create_layout(&r, &dev, 2, struct qos_desc, des3, 1u, COH_ATTR_UNCACHED, &f), 0);
	s = (volatile struct qos_desc *)r.mem.cpu_;
	CHECK_EQ(coh_ring_phase(&r), 0);	/* zeroed queue, lap 0: clear = device's */
	CHECK_EQ(coh_ring_post_n(&r, two, 2), 0);
	CHECK_EQ(s[0].des3 & 1, 0);
	CHECK_EQ(coh_ring_reap(&r, &out), -COH_EAGAIN);
	s[0].des3 = 1;	/* the device completes with phase 1 */
	CHECK_EQ(coh_ring_reap(&r, &out), 0);
	s[1].des3 = 1;
	CHECK_EQ(coh_ring_reap(&r, &out), 1);
	CHECK_EQ(coh_ring_phase(&r), 1);	/* lap 1: set = device's */
	CHECK_EQ(coh_ring_post(&r, &d), 0);
	CHECK_EQ(s[0].des3 & 1, 1);
	CHECK_EQ(coh_ring_reap(&r, &out), -COH_EAGAIN);	/* still phase 1: not new */
	s[0].des3 = 0;	/* lap 1 completes with phase 0 */
	CHECK_EQ(coh_ring_reap(&r, &out), 0);
	CHECK_EQ(coh_ring_reset(&r), 0);
	CHECK_EQ(coh_ring_phase(&r), 0);
	CHECK_EQ(coh_ring_destroy(&r), 0);
	teardown();
}

/* A backend that cannot maintain: the error reaches the caller, nothing done. */
static void t_backend_fails(void)
{
	struct coh_ring r;
	struct coh_queue q;
	const struct coh_queue_layout lu = { .count = 4, .entry_size = 8, .entries_off = 4,
					     .idx_off = 2, .idx_size = 2, .idx_wrap = 0x10000 };
	struct qos_desc d = { 0 }, out, two[2] = { { 0 } };
	struct coh_span sp = { bufs[0], 64, COH_FROM_DEVICE };
	unsigned char snap[4 * 64];

	CHECK_EQ(setup(64), 0);
	CHECK_EQ(coh_ring_create_layout(&r, &dev, 4, struct qos_desc, des3, QOS_OWN, 0, &qos), 0);
	CHECK_EQ(coh_queue_create(&q, &dev, &lu, COH_QUEUE_DEVICE_PRODUCES, 0), 0);
	CHECK_EQ(coh_ring_post(&r, &d), 0);
	memcpy(snap, (void *)r.mem.cpu_, sizeof(snap));
	rec_fail = -COH_ENODEV;
	rec_n = 0;
	diags = 0;
	CHECK_EQ(coh_ring_post(&r, &d), -COH_ENODEV);
	CHECK_EQ(coh_ring_post_n(&r, two, 2), -COH_ENODEV);
	CHECK_EQ(coh_ring_post_chain(&r, two, 2), -COH_ENODEV);
	CHECK_EQ(coh_ring_reap(&r, &out), -COH_ENODEV);
	CHECK_EQ(coh_ring_reset(&r), -COH_ENODEV);
	CHECK_EQ(coh_queue_poll(&q), -COH_ENODEV);
	CHECK_EQ(coh_give_n(&dev, &sp, 1), -COH_ENODEV);
	CHECK_EQ(rec_n, 0);
	CHECK(diags >= 6);
	CHECK(!memcmp(snap, (void *)r.mem.cpu_, sizeof(snap)));
	CHECK_EQ(coh_ring_pending(&r), 1);
	CHECK_EQ(coh_ring_next(&r), 1);
	rec_fail = 0;
	CHECK_EQ(coh_ring_reset(&r), 0);
	CHECK_EQ(coh_ring_destroy(&r), 0);
	CHECK_EQ(coh_queue_destroy(&q), 0);
	teardown();
}

/*
 * A ring attached to a typed handle: T padded to the line (one line per
 * descriptor) costs what a created padded ring does - push C B, pop I B r;
 * T sharing a line needs COH_RING_BATCHED; uncached: w / r.  The handle
 * stays the memory's owner: typed accessors and the ring agree on slots.
 */
struct qos_slot {
	struct qos_desc d;
	uint8_t pad[48];
};

static void t_attach(void)
{
	COH_SHARED(struct qos_slot) h, other;
	COH_SHARED(struct qos_desc) p;
	struct coh_ring r;
	struct qos_slot sl = { .d = { .des0 = 7, .des3 = 1u << 24 } }, out;
	struct qos_desc pd = { .des0 = 9 }, pout;

	CHECK_EQ(setup(64), 0);
	CHECK_EQ(coh_alloc_shared(&h, &dev, 8, 0), 0);
	CHECK_EQ(coh_alloc_shared(&other, &dev, 8, 0), 0);
	CHECK_EQ(coh_ring_attach(&r, &h, d.des3, QOS_OWN, 0), 0);
	CHECK_EQ(coh_ring_stride(&r), 64);
	CHECK(coh_ring_bus(&r, 1) == coh_bus(&h) + 64);
	CHECK(coh_ring_raw(&r) == coh_raw(&h));
	rec_n = 0;
	CHECK_EQ(coh_ring_push(&r, &h, &sl), 0);
	CHECK_OPS("CB");
	CHECK(rec_log[0].addr == (uintptr_t)coh_raw(&h));
	CHECK_EQ(coh_read(&h, [0].d.des3), QOS_OWN | (1u << 24));	/* the handle sees it */
	CHECK_EQ(coh_ring_push(&r, &other, &sl), -COH_EINVAL);	/* not its handle */
	CHECK_EQ(coh_ring_detach(&r), -COH_EBUSY);
	CHECK_EQ(coh_ring_destroy(&r), -COH_EINVAL);		/* attached: detach */
	((volatile struct qos_slot *)coh_raw(&h))[0].d.des3 = 60;	/* the device */
	rec_n = 0;
	CHECK_EQ(coh_ring_pop(&r, &h, &out), 0);
	CHECK_OPS("IBr");
	CHECK_EQ(out.d.des0, 7);
	CHECK_EQ(out.d.des3, 60);
	CHECK_EQ(coh_ring_pop(&r, &h, &out), -COH_EAGAIN);
	CHECK_EQ(coh_ring_detach(&r), 0);
	/* 16-byte descriptors in 64-byte lines: batched only */
	CHECK_EQ(coh_alloc_shared(&p, &dev, 8, 0), 0);
	CHECK_EQ(coh_ring_attach(&r, &p, des3, QOS_OWN, 0), -COH_ENOTSUP);
	CHECK_EQ(coh_ring_attach(&r, &p, des3, QOS_OWN, COH_RING_BATCHED), 0);
	rec_n = 0;
	for (int k = 0; k < 4; k++)
		CHECK_EQ(coh_ring_push(&r, &p, &pd), k);
	CHECK_OPS("CB");	/* staged until the line is whole: one clean */
	CHECK_EQ(coh_ring_reset(&r), 0);
	CHECK_EQ(coh_ring_detach(&r), 0);
	CHECK_EQ(coh_free(&p), 0);
	/* uncached: packed, barriers only */
	CHECK_EQ(coh_alloc_shared(&p, &dev, 4, COH_ATTR_UNCACHED), 0);
	CHECK_EQ(coh_ring_attach(&r, &p, des3, QOS_OWN, 0), 0);
	rec_n = 0;
	CHECK_EQ(coh_ring_push(&r, &p, &pd), 0);
	CHECK_OPS("w");
	((volatile struct qos_desc *)coh_raw(&p))[0].des3 = 0;
	rec_n = 0;
	CHECK_EQ(coh_ring_pop(&r, &p, &pout), 0);
	CHECK_OPS("r");
	CHECK_EQ(pout.des0, 9);
	CHECK_EQ(coh_ring_detach(&r), 0);
	CHECK_EQ(coh_free(&p), 0);
	/* bad input: an unallocated handle, an unknown flag */
	{
		COH_SHARED(struct qos_slot) none = { 0 };

		CHECK_EQ(coh_ring_attach(&r, &none, d.des3, QOS_OWN, 0), -COH_EINVAL);
		CHECK_EQ(coh_ring_attach(&r, &h, d.des3, QOS_OWN, 1u << 9), -COH_EINVAL);
		CHECK_EQ(coh_ring_attach(&r, &h, d.des3, 0, 0), -COH_EINVAL);
	}
	CHECK_EQ(coh_free(&other), 0);
	CHECK_EQ(coh_free(&h), 0);
	teardown();
}

int main(void)
{
	RUN(t_dwmac_layout);
	RUN(t_batched_layout);
	RUN(t_rx_cached);
	RUN(t_tx_chain);
	RUN(t_multiline);
	RUN(t_batched);
	RUN(t_virtio);
	RUN(t_queue_wrap);
	RUN(t_bad_input);
	RUN(t_phase);
	RUN(t_backend_fails);
	RUN(t_attach);
	return th_finish("ring-min");
}
