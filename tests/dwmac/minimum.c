/* SPDX-License-Identifier: MIT */
/*
 * The DWMAC driver's cache maintenance per frame, observed on the recording
 * backend (tests/record: every line operation and barrier logged), against
 * the minimum docs/dwmac.md derives:
 *
 *   TX frame of one buffer, L bytes, line l, cached ring with skip:
 *     clean ceil(L/l) buffer lines (map) + clean 1 descriptor line (post)
 *     + invalidate 1 descriptor line (reclaim)
 *   RX frame of L bytes in k buffers of B bytes:
 *     invalidate ceil(L/l) received lines (take; a partial last line is
 *     flushed) + invalidate k descriptor lines (reap)
 *   every re-armed RX buffer: flush the lines of the bytes taken back from
 *     it (give; the rest of the buffer never left the device) + clean 1
 *     descriptor line (post); one barrier for the gives and one for the
 *     posts of a whole refill batch
 *   uncached ring: the same without any descriptor line.
 *
 * Here the test plays the device: it reads and writes the descriptors and
 * buffers in place (the recording backend has no caches).  The register
 * block is plain memory, so the QoS variant's waits (reset, stop, MDIO)
 * are replaced by ones that complete at once; everything that touches
 * memory is the real driver.
 */
#include <stdio.h>
#include <string.h>

#include "coherent/coherent.h"
#include "dwmac.h"
#include "dwmac_qos_regs.h"
#include "record_hw.h"
#include "harness.h"

TH_DEFINE_COUNTERS;

#define LINE 64
#define SLOTS 16
#define RXB 512

static uint8_t arena[1u << 20] __attribute__((aligned(4096)));
static uint8_t unc_arena[64u << 10] __attribute__((aligned(4096)));
static uint32_t regs[QOS_REGS_SIZE / 4];
static struct coh_region ram, unc;
static struct coh_device dev;
static struct coh_stream st;
static struct coh_map_rec recs[64];
static struct dwmac d;
static uint8_t mem[8192] __attribute__((aligned(16)));

static size_t count(char op)
{
	size_t n = 0;

	for (size_t i = 0; i < rec_n && i < REC_MAX; i++)
		n += rec_log[i].op == op;
	return n;
}

static size_t lines(size_t len)
{
	return (len + LINE - 1) / LINE;
}


static struct dwmac_hw_ops ops;

static int setup(enum dwmac_layout lay)
{
	struct dwmac_config c = {
		.ops = &ops, .regs = regs, .dev = &dev, .layout = lay,
		.tx_count = SLOTS, .rx_count = SLOTS, .rx_buf_size = RXB, .rx_batch = 4,
	};
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };

	/* a scenario that failed half-way left its state behind */
	if (d.open)
		dwmac_close(&d);
	coh_device_set_stream(&dev, NULL);
	coh_region_remove(&unc);
	coh_region_remove(&ram);
	ops = rec_hw_ops();
	rec_hw_line = LINE;
	coh_set_cache_line_size(LINE);
	memset(regs, 0, sizeof(regs));
	rec_hw_regs(regs);
	coh_device_init(&dev, "eth-rec", 0);
	dev.dma_mask = ~0ull;			/* host addresses are the bus addresses here */
	coh_stream_init(&st, recs, 64, 0);
	coh_device_set_stream(&dev, &st);
	if (coh_region_add(&ram, arena, (uintptr_t)arena, sizeof(arena), 0) ||
	    coh_region_add(&unc, unc_arena, (uintptr_t)unc_arena, sizeof(unc_arena),
			   COH_REGION_UNCACHED))
		return -1;
	if (dwmac_open(&d, &c, mac, mem, sizeof(mem))) {
		coh_region_remove(&unc);
		coh_region_remove(&ram);
		return -2;
	}
	return dwmac_link(&d) == 1 ? 0 : -3;
}

static void teardown(void)
{
	dwmac_close(&d);
	coh_device_set_stream(&dev, NULL);
	coh_region_remove(&unc);
	coh_region_remove(&ram);
}

/* the device sends the frame at TX slot i and writes it back */
static void dev_tx_done(size_t i)
{
	struct dwmac_desc *x = rec_hw_slot(&d.tx, i);

	x->des3 &= ~QOS_DES3_OWN;
}

/* the device receives a frame of len bytes into RX slots from i on */
static size_t dev_rx(size_t i, size_t len)
{
	size_t k = 0, off = 0;

	while (off < len) {
		struct dwmac_desc *x = rec_hw_slot(&d.rx, (i + k) % SLOTS);
		uint8_t *buf = (uint8_t *)(uintptr_t)((uint64_t)x->des1 << 32 | x->des0);
		size_t n = len - off < RXB ? len - off : RXB;
		uint32_t des3 = 0;

		memset(buf, (int)(len & 0xff), n);
		if (!off)
			des3 |= QOS_DES3_FD;
		off += n;
		if (off == len)
			des3 |= QOS_DES3_LD | (uint32_t)len;
		x->des3 = des3;
		k++;
	}
	return k;
}

static void frames(enum dwmac_layout lay)
{
	static uint8_t rx[2048];
	struct coh_pool pool;
	coh_bus_t unused;
	uint8_t *buf;
	size_t desc = lay == DWMAC_LAYOUT_UNCACHED ? 0 : 1;
	size_t rxslot = 0, refills0, armed, batches = 0, give;
	/* bytes each reaped slot gives back when re-armed, in ring order; the
	   slot left unarmed at open was given whole then */
	size_t fifo[64] = { 0 }, fhead = 0, fn = 1;

	CHECK_EQ(setup(lay), 0);
	CHECK_EQ(coh_pool_create(&pool, &dev, "tx", 2048, 1, 0, 2), 0);
	buf = coh_pool_alloc(&pool, &unused);
	for (size_t len = 60; len <= 1514; len += 97) {
		size_t ntx = coh_ring_next(&d.tx), k;

		/* TX */
		rec_n = 0;
		CHECK_EQ(dwmac_xmit(&d, buf, len, NULL), 0);
		dev_tx_done(ntx);
		CHECK_EQ(dwmac_tx_reclaim(&d), 1);
		CHECK_EQ(count('C'), lines(len) + desc);
		CHECK_EQ(count('I'), desc);
		CHECK_EQ(count('F'), 0);

		/* RX */
		refills0 = d.stats.rx_refills;
		k = dev_rx(rxslot, len);
		for (size_t off = 0; off < len; off += RXB)
			fifo[(fhead + fn++) % 64] = len - off < RXB ? len - off : RXB;
		rec_n = 0;
		CHECK_EQ(dwmac_recv(&d, rx, sizeof(rx)), (int)len);
		rxslot = (rxslot + k) % SLOTS;
		armed = d.stats.rx_refills - refills0;
		give = 0;
		for (size_t i = 0; i < armed; i++, fn--, fhead = (fhead + 1) % 64)
			give += lines(fifo[fhead]);
		/* received whole lines invalidated, a partial last one flushed */
		CHECK_EQ(count('I'), len / LINE + k * desc);
		/* re-armed slots: the bytes taken back from each, given back (flushed) */
		CHECK_EQ(count('F'), (len % LINE != 0) + give);
		CHECK_EQ(count('C'), armed * desc);
		/* one barrier for the take, one per reap; a refill: one for the gives, one for the posts */
		CHECK_EQ(count('B'), 1 + k * desc + (give ? 1 : 0) + (armed ? desc : 0));
		batches += armed != 0;
	}
	CHECK(batches > 0);
	coh_pool_free(&pool, buf);
	coh_pool_destroy(&pool);
	teardown();
}

static void cached_skip(void)
{
	frames(DWMAC_LAYOUT_CACHED_SKIP);
}

static void uncached(void)
{
	frames(DWMAC_LAYOUT_UNCACHED);
}

/*
 * A re-arm the library refuses (the recording backend's rec_fail, raised
 * from the variant's rx_encode: after the takes, before the post) is not
 * a success: open fails with the code and gives everything back; recv
 * still delivers the frame in hand, counts the refusal and retries.
 */
static unsigned fail_arm;	/* rx_encode calls before the refusal */

static void failing_rx_encode(struct dwmac_desc *dd, const struct dwmac_rx_arm *arm)
{
	dwmac_qos_ops.rx_encode(dd, arm);
	if (fail_arm && !--fail_arm)
		rec_fail = -COH_ENOTSUP;
}

static void refill_refused(void)
{
	static uint8_t rx[2048];
	size_t k;

	/* in recv: the frame still comes, the refusal is counted, the next recv re-arms */
	CHECK_EQ(setup(DWMAC_LAYOUT_CACHED_SKIP), 0);
	ops.rx_encode = failing_rx_encode;
	k = dev_rx(0, 1000);			/* 2 slots each: 4 reaped = rx_batch */
	k += dev_rx(k, 1000);
	CHECK_EQ(dwmac_recv(&d, rx, sizeof(rx)), 1000);
	fail_arm = 1;
	CHECK_EQ(dwmac_recv(&d, rx, sizeof(rx)), 1000);
	rec_fail = 0;
	CHECK_EQ(d.stats.rx_refill_errors, 1);
	CHECK_EQ(d.stats.rx_refills, SLOTS - 1);	/* only open's arming */
	dev_rx(k, 100);
	CHECK_EQ(dwmac_recv(&d, rx, sizeof(rx)), 100);
	CHECK_EQ(d.stats.rx_refill_errors, 1);
	CHECK(d.stats.rx_refills >= SLOTS - 1 + 4);
	teardown();

	/* at open, the first arming (last: the refusal also hits open's unwinding) */
	ops = rec_hw_ops();
	ops.rx_encode = failing_rx_encode;
	{
		struct dwmac_config c = {
			.ops = &ops, .regs = regs, .dev = &dev, .layout = DWMAC_LAYOUT_CACHED_SKIP,
			.tx_count = SLOTS, .rx_count = SLOTS, .rx_buf_size = RXB, .rx_batch = 4,
		};

		coh_device_set_stream(&dev, &st);
		CHECK_EQ(coh_region_add(&ram, arena, (uintptr_t)arena, sizeof(arena), 0), 0);
		CHECK_EQ(coh_region_add(&unc, unc_arena, (uintptr_t)unc_arena, sizeof(unc_arena),
					COH_REGION_UNCACHED), 0);
		fail_arm = 1;
		CHECK_EQ(dwmac_open(&d, &c, NULL, mem, sizeof(mem)), -COH_ENOTSUP);
		rec_fail = 0;
		/* (what open takes back runs under the same refusal: no leak count here) */
		CHECK(!d.open);
		coh_device_set_stream(&dev, NULL);
		coh_region_remove(&unc);
		coh_region_remove(&ram);
	}

}

int main(void)
{
	RUN(cached_skip);
	RUN(uncached);
	RUN(refill_refused);
	return th_finish("dwmac_minimum");
}
