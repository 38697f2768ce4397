/* SPDX-License-Identifier: MIT */
/*
 * Maintenance and barriers of virtio-net per frame, exactly, on the
 * recording backend (tests/record): a receive burst of 16 frames (with the
 * refill it triggers) and one transmitted frame, per memory layout, against
 * the minimum docs/virtio.md derives.  The "device" is this test, writing
 * the rings through plain pointers (the recording backend does not see it).
 *
 * White box: the driver's source is included so the queues can be set up
 * without a register file that answers like a device (queues_up is static).
 */
#include <stdio.h>
#include <string.h>

#include "coherent/coherent.h"
#include "harness.h"
/* the driver, or a test copy of it with one sync deleted (tests/virtio/mutants.txt) */
#if !defined(VIO_NET_SRC)
#define VIO_NET_SRC "../../drivers/virtio/virtio_net.c"
#endif
#include VIO_NET_SRC
#include "record_tally.h"

TH_DEFINE_COUNTERS;

#define ARENA (512 * 1024)
#define BURST VIRTIO_NET_RX_REFILL
static uint8_t arena[ARENA] __attribute__((aligned(4096)));
static uint8_t uarena[128 * 1024] __attribute__((aligned(4096)));
static uint8_t regs[0x200] __attribute__((aligned(8)));
static struct virtio_net net;
static struct coh_region reg, ureg;
static struct coh_device dev;
static struct coh_stream st;
static struct coh_map_rec recs[256];
static uint16_t rx_last, tx_last;	/* the device's next available entries */

/* the device: k frames of len bytes into the next posted receive buffers */
static void dev_rx(unsigned k, uint32_t len)
{
	struct virtq *vq = &net.rxq;
	uint8_t *avail = (uint8_t *)vq->aq.mem.cpu_, *used = (uint8_t *)vq->uq.mem.cpu_;
	uint16_t uidx, head, q = vq->size;

	memcpy(&uidx, used + 2, 2);
	for (unsigned f = 0; f < k; f++, rx_last++, uidx++) {
		struct virtq_desc d;
		uint32_t elem[2];

		memcpy(&head, avail + 4 + 2 * (rx_last % q), 2);
		memcpy(&d, (uint8_t *)vq->dq.mem.cpu_ + 16 * head, 16);
		memset((void *)(uintptr_t)d.addr, 0, VIRTIO_NET_HDR_LEN);
		memset((uint8_t *)(uintptr_t)d.addr + VIRTIO_NET_HDR_LEN, 0x5a, len);
		elem[0] = head;
		elem[1] = VIRTIO_NET_HDR_LEN + len;
		memcpy(used + 4 + 8 * (uidx % q), elem, 8);
	}
	memcpy(used + 2, &uidx, 2);
}

/* the device: every published transmit request done */
static void dev_tx(void)
{
	struct virtq *vq = &net.txq;
	uint8_t *avail = (uint8_t *)vq->aq.mem.cpu_, *used = (uint8_t *)vq->uq.mem.cpu_;
	uint16_t aidx, uidx, head, q = vq->size;

	memcpy(&aidx, avail + 2, 2);
	memcpy(&uidx, used + 2, 2);
	for (; tx_last != aidx; tx_last++, uidx++) {
		uint32_t elem[2] = { 0, 0 };

		memcpy(&head, avail + 4 + 2 * (tx_last % q), 2);
		elem[0] = head;
		memcpy(used + 4 + 8 * (uidx % q), elem, 8);
	}
	memcpy(used + 2, &uidx, 2);
}

static int setup(unsigned int attrs, bool coherent)
{
	uint32_t nmax = 64;

	rec_hw_line = 64;
	coh_set_cache_line_size(64);
	coh_device_init(&dev, "net", coherent ? COH_DEV_COHERENT : 0);
	dev.dma_mask = ~0ull;
	if (coh_stream_init(&st, recs, 256, 0) || coh_device_set_stream(&dev, &st))
		return -1;
	memset(regs, 0, sizeof(regs));
	memcpy(regs + VIRTIO_MMIO_QUEUE_NUM_MAX, &nmax, 4);
	memset(&net, 0, sizeof(net));
	rx_last = tx_last = 0;
	net.vm = (struct virtio_mmio){ .base = regs, .dev = &dev, .poll_budget = 10 };
	net.vm.features = VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC) |
			  VIRTIO_BIT(VIRTIO_F_EVENT_IDX);
	net.ring_attrs = attrs;
	net.rx_idle = VIRTIO_NET_RX_BUFS;	/* what virtio_net_init sets */
	for (unsigned i = 0; i < VIRTIO_NET_RX_BUFS; i++)
		net.rx_bus[i] = COH_BUS_ERROR;
	for (unsigned i = 0; i < VIRTIO_NET_TX_BUFS; i++)
		net.tx_bus[i] = COH_BUS_ERROR;
	if (virtq_init(&net.rxq, &net.vm, 0, VIRTIO_NET_RX_BUFS, attrs)) {
		printf("rxq\n");
		return -1;
	}
	memset(regs + VIRTIO_MMIO_QUEUE_READY, 0, 4);	/* a device would show queue 1 not ready */
	if (virtq_init(&net.txq, &net.vm, 1, VIRTIO_NET_TX_BUFS, attrs))
		return -1;
	{
		int rc = queues_up(&net);

		if (rc)
			printf("queues_up: %d\n", rc);
		return rc;
	}
}

static void teardown(void)
{
	(void)virtio_net_destroy(&net);
	coh_device_set_stream(&dev, NULL);
}

/* One burst of BURST received 60-byte frames, drained by BURST calls. */
static struct tally rx_burst(void)
{
	uint8_t buf[VIRTIO_NET_MAX_FRAME];
	size_t len;

	dev_rx(BURST, 60);
	rec_n = 0;
	for (unsigned f = 0; f < BURST; f++) {
		if (virtio_net_recv(&net, buf, sizeof(buf), &len) || len != 60 || buf[59] != 0x5a)
			return (struct tally){ .clean = 9999 };
	}
	return tally();
}

/* One 60-byte frame sent (buffers are plenty: no reap on the way). */
static struct tally tx_one(void)
{
	uint8_t frame[60];

	memset(frame, 0xa5, sizeof(frame));
	rec_n = 0;
	if (virtio_net_send(&net, frame, sizeof(frame)))
		return (struct tally){ .clean = 9999 };
	return tally();
}

static void show(const char *what, const char *layout, struct tally t, struct tally min,
		 unsigned per)
{
	printf("virtio-net %s, %s: clean %u inval %u flush %u lines, %u fence barriers; "
	       "%u line ops, %u barriers per %u frame(s) (minimum %u, %u)\n",
	       what, layout, t.clean, t.inval, t.flush, t.maint_barriers, lineops(t),
	       barriers(t), per, lineops(min), barriers(min));
	rec_show_ops();
}

static void run(const char *layout, unsigned int attrs, bool coherent,
		struct tally rxmin, struct tally txmin)
{
	struct tally t;

	CHECK_EQ(setup(attrs, coherent), 0);
	for (int w = 0; w < 5; w++)	/* steady state: buffers already mapped */
		(void)rx_burst();
	t = rx_burst();
	show("receive burst", layout, t, rxmin, BURST);
	EXPECT_TALLY(t, rxmin);
	(void)tx_one();
	dev_tx();
	(void)tx_one();
	t = tx_one();
	show("send", layout, t, txmin, 1);
	EXPECT_TALLY(t, txmin);
	teardown();
}

/* lines cleaned, invalidated, flushed; fence barriers; wmb, rmb, mb, io_wmb, io_rmb */
#define T(c, i, f, b, w, r, m, iw, ir) { c, i, f, b, w, r, m, iw, ir }

static void t_cached(void)
{
	/*
	 * Receive: a burst of 16 frames of 60 bytes (72 with the header: two
	 * lines, the second partly), the sixth burst since the queue was
	 * filled (used elements 16..31, bytes 132..259 of the used ring).
	 *   poll: used.idx's line (I, B), rmb, the three lines the 16 new
	 *     elements span (3 I, B) - after the index, never before;
	 *   the burst's data: per frame I + F (the partial second line),
	 *     one B for the 16 frames;
	 *   the refill of 16 buffers: the two lines each frame took (2 F),
	 *     the 16 descriptors (4 lines: 4 C) and their available entries
	 *     (1 C; the part in avail.idx's line rides with it), one B;
	 *     avail.idx's line (C, B); the mb; avail_event (I, B).
	 * 6 fence barriers for 16 frames; every one separates two steps the
	 * VirtIO ordering keeps apart (docs/virtio.md).
	 */
	run("cached rings, non-coherent device", 0, false,
	    (struct tally)T(4 + 1 + 1, 1 + 3 + 16 + 1, 16 + 32, 6, 0, 1, 1, 0, 0),
	    (struct tally)T(4, 1, 0, 3, 0, 0, 1, 0, 0));
}

static void t_uncached(void)
{
	/*
	 * receive: the poll's rmb (no ring line); the burst's data (I + F a
	 * frame, one B); the refill's 2 F a frame and one B, which also orders
	 * the uncached descriptor and entry stores before avail.idx (no wmb);
	 * the kick's mb; avail_event read without maintenance.  send: the
	 * frame's two lines cleaned, one B before avail.idx, the mb.
	 */
	run("uncached rings, non-coherent device", COH_ATTR_UNCACHED, false,
	    (struct tally)T(0, 16, 48, 2, 0, 1, 1, 0, 0), (struct tally)T(2, 0, 0, 1, 0, 0, 1, 0, 0));
}

static void t_coherent(void)
{
	/*
	 * barriers only.  receive: the poll's rmb, the burst's read barrier,
	 * the refill's full barrier (the CPU's reads of the buffers before the
	 * device may write them again), the kick's mb.  send: the wmb before
	 * avail.idx, the mb.
	 */
	run("coherent device", 0, true,
	    (struct tally)T(0, 0, 0, 0, 0, 1, 2, 0, 1), (struct tally)T(0, 0, 0, 0, 1, 0, 1, 0, 0));
}

/*
 * Bad lengths within the buffer, one policy: a frame shorter than the
 * headers and one longer than the MTU are each dropped (-COH_ERANGE,
 * rx_dropped), not protocol errors (cnt.errors untouched, no reset), and
 * the frame after each is delivered.
 */
static void t_bad_lengths(void)
{
	uint8_t buf[VIRTIO_NET_MAX_FRAME];
	size_t len;

	CHECK_EQ(setup(0, false), 0);
	dev_rx(1, 5);
	dev_rx(1, 60);
	dev_rx(1, VIRTIO_NET_MAX_FRAME + 1);
	dev_rx(1, 61);
	CHECK_EQ(virtio_net_recv(&net, buf, sizeof(buf), &len), -COH_ERANGE);
	CHECK_EQ(virtio_net_recv(&net, buf, sizeof(buf), &len), 0);
	CHECK_EQ(len, 60);
	CHECK_EQ(virtio_net_recv(&net, buf, sizeof(buf), &len), -COH_ERANGE);
	CHECK_EQ(virtio_net_recv(&net, buf, sizeof(buf), &len), 0);
	CHECK_EQ(len, 61);
	CHECK_EQ(net.rx_dropped, 2);
	CHECK_EQ(net.vm.cnt.errors, 0);
	CHECK_EQ(net.vm.cnt.resets, 0);
	teardown();
}

int main(void)
{
	if (coh_region_add(&reg, arena, (uint64_t)(uintptr_t)arena, ARENA, 0) ||
	    coh_region_add(&ureg, uarena, (uint64_t)(uintptr_t)uarena, sizeof(uarena),
			   COH_REGION_UNCACHED))
		return 1;
	RUN(t_cached);
	RUN(t_uncached);
	RUN(t_coherent);
	RUN(t_bad_lengths);
	return th_finish("virtio_net_record");
}
