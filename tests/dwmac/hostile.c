/* SPDX-License-Identifier: MIT */
/*
 * The DWMAC driver against a hostile or broken controller (the QoS model's
 * faults, sim/sim_dwmac.h), against bad input from its caller, and against
 * memory it cannot reach (a 32-bit DMA mask with buffers above 4 GiB).
 * Built with ASan and UBSan: an out-of-bounds access fails the test even
 * where the driver's own answers look right.
 *
 * usage: dwmac_hostile [fuzz SEEDS FRAMES]
 *   without arguments: every scenario once;
 *   fuzz: random device-written RX descriptor words (SIM_DWMAC_F_RX_GARBAGE)
 *   mixed into good traffic for SEEDS seeds, checked against a model of
 *   what may be delivered (only frames the host sent, in order, intact).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coherent/coherent.h"
#include "dwmac.h"
#include "harness.h"
#include "sim.h"
#include "sim_dwmac.h"

TH_DEFINE_COUNTERS;

#define SLOTS 16
#define RXBUF 256	/* the model's over-long PL (4 x RBSZ + 100) then stays below the MTU */

static struct {
	struct coh_device dev;
	struct coh_stream st;
	struct coh_map_rec recs[64];
	struct coh_region ram, unc;
	struct dwmac d;
	void *regs;
	uint8_t mem[8192] __attribute__((aligned(16)));
	uint8_t sink[2048];
	size_t sink_len;
	unsigned long sunk;
	uint64_t seed;
} T;

static const uint8_t MAC[6] = { 0x02, 0, 0, 0, 0, 0x11 };

static void sink(void *ctx, const void *frame, size_t len)
{
	(void)ctx;
	T.sunk++;
	T.sink_len = len < sizeof(T.sink) ? len : sizeof(T.sink);
	memcpy(T.sink, frame, T.sink_len);
}

static uint8_t pat(unsigned long seq, size_t i)
{
	return (uint8_t)(seq * 37u + i * 11u + (i >> 8));
}

static size_t build(uint8_t *f, unsigned long seq, size_t len)
{
	memcpy(f, MAC, 6);
	memset(f + 6, 0x42, 6);
	f[12] = 0x88;
	f[13] = 0xb5;
	memcpy(f + 14, &seq, sizeof(seq));
	for (size_t i = 14 + sizeof(seq); i < len; i++)
		f[i] = pat(seq, i);
	return len;
}

static size_t wire_len(unsigned long seq)
{
	return 60 + (size_t)((seq * 2654435761u) % 1455);
}

/* a frame as build() made it (traffic() sends frame seq with wire_len(seq) bytes), or -1 */
static long parse(const uint8_t *f, size_t len, bool any_len)
{
	unsigned long seq;

	if (len < 14 + sizeof(seq) || memcmp(f, MAC, 6))
		return -1;
	memcpy(&seq, f + 14, sizeof(seq));
	if (!any_len && len != wire_len(seq))
		return -1;
	for (size_t i = 14 + sizeof(seq); i < len; i++)
		if (f[i] != pat(seq, i))
			return -1;
	return (long)seq;
}

/*
 * The fuzz's device: the QoS variant, except that the RX write-back words
 * it decodes were (sometimes) written by a device that lies: a plausible
 * corruption of the real write-back (FD or LD flipped, the error summary
 * set, the length anywhere from 0 to twice the MTU or just past a buffer
 * boundary).  The words reach the driver exactly where a device's would.
 */
static uint64_t fz_state;
static unsigned fz_permille;
static bool fz_dirty;		/* a lie was told since the last frame delivered */
static unsigned long fz_lies_delivered;
/* what the driver decoded (device words, lies included) and what it delivered */
#define FZ_LOG 4096
static struct dwmac_rx_wb fz_log[FZ_LOG];
static size_t fz_nlog, fz_ndeliv, fz_deliv[FZ_LOG];

static uint32_t fz_rand(void)
{
	fz_state = fz_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(fz_state >> 33);
}

static void fuzz_rx_decode(const struct dwmac_desc *dd, struct dwmac_rx_wb *wb)
{
	struct dwmac_desc x = *dd;

	if (fz_rand() % 1000 < fz_permille) {
		uint32_t pl;

		fz_dirty = true;
		switch (fz_rand() % 6) {
		case 0: x.des3 ^= 1u << 29; break;	/* FD */
		case 1: x.des3 ^= 1u << 28; break;	/* LD */
		case 2: x.des3 |= 1u << 15; break;	/* ES */
		case 3: pl = fz_rand() % 3029; goto len;
		case 4: pl = (fz_rand() % 7) * RXBUF + fz_rand() % 3; goto len;
		default: pl = (x.des3 & 0x7fffu) + fz_rand() % 9 - 4;
		len:
			x.des3 = (x.des3 & ~0x7fffu) | (pl & 0x7fffu);
			break;
		}
	}
	dwmac_qos_ops.rx_decode(&x, wb);
	if (fz_nlog < FZ_LOG)
		fz_log[fz_nlog++] = *wb;
}

/*
 * The reference: which frames the driver's documented rules (dwmac.h,
 * docs/dwmac.md) deliver from that sequence of write-backs, and how long.
 * Returns the count, lengths in out[].
 */
static size_t fz_reference(size_t *out, size_t mtu, size_t cap)
{
	size_t held = 0, n = 0;
	bool drop = false;

	for (size_t i = 0; i < fz_nlog; i++) {
		const struct dwmac_rx_wb *w = &fz_log[i];
		size_t consumed;

		if (w->first) {
			held = 0;
			drop = false;
		} else if (!held && !drop) {
			drop = true;
		}
		if (drop) {
			drop = !w->last;
			continue;
		}
		held++;
		if (!w->last) {
			if (held * RXBUF >= mtu) {
				held = 0;
				drop = true;
			}
			continue;
		}
		consumed = (held - 1) * RXBUF;
		if (!w->error && w->frame_len > consumed && w->frame_len <= mtu &&
		    w->frame_len <= cap && w->frame_len - consumed <= RXBUF)
			out[n++] = w->frame_len;
		held = 0;
	}
	return n;
}

static struct dwmac_hw_ops fuzz_ops;
static bool use_fuzz_ops;
static unsigned long csr_hz;	/* config(): the board's CSR clock (0: unknown) */
static bool use_irq;		/* config(): interrupt-driven */

static struct dwmac_config config(enum dwmac_layout lay)
{
	return (struct dwmac_config){
		.ops = use_fuzz_ops ? &fuzz_ops : &dwmac_qos_ops, .regs = T.regs, .dev = &T.dev, .layout = lay,
		.tx_count = SLOTS, .rx_count = 2 * SLOTS, .rx_buf_size = RXBUF, .rx_batch = 4,
		.csr_clk_hz = csr_hz, .irq = use_irq,
	};
}

/* the SoC with one MAC; area 0 at ram_phys (0: the default) */
static int soc(uint64_t seed, uint64_t ram_phys, bool bounce)
{
	struct sim_config cfg;
	void *cpu;
	uint64_t phys;
	size_t size;

	/* a scenario that failed half-way left its regions registered */
	coh_region_remove(&T.unc);
	coh_region_remove(&T.ram);
	sim_fini();
	memset(&T, 0, sizeof(T));
	T.seed = seed;
	sim_config_default(&cfg);
	cfg.ram_size = 2u << 20;
	cfg.seed = seed;
	if (ram_phys)
		cfg.ram_phys = ram_phys;
	if (sim_init(&cfg))
		return -1;
	sim_area(0, &cpu, &phys, &size);
	coh_device_init(&T.dev, "eth-hostile", 0);
	T.dev.dma_mask = COH_DMA_MASK(32);
	coh_stream_init(&T.st, T.recs, 64, 0);
	/* the first 256 KiB: bounce pool (below 4 GiB in every layout used here) */
	if (bounce)
		coh_stream_bounce(&T.st, cpu, phys, 256u << 10);
	coh_device_set_stream(&T.dev, &T.st);
	if (coh_region_add(&T.ram, (uint8_t *)cpu + (256u << 10), phys + (256u << 10),
			   (1u << 20) - (256u << 10), 0))
		return -1;
	sim_area(1, &cpu, &phys, &size);
	if (coh_region_add(&T.unc, cpu, phys, size, COH_REGION_UNCACHED))
		return -1;
	T.regs = sim_dwmac_create(&T.dev);
	sim_dwmac_set_sink(T.regs, sink, NULL);
	return T.regs ? 0 : -1;
}

static int up(enum dwmac_layout lay)
{
	struct dwmac_config c = config(lay);
	int rc = dwmac_open(&T.d, &c, MAC, T.mem, sizeof(T.mem));

	if (rc)
		return rc;
	sim_dwmac_set_link(T.regs, true);
	return dwmac_link(&T.d) == 1 ? 0 : -1;
}

/* close, then nothing may be left: allocations, mappings, reports */
static int down(void)
{
	int rc = dwmac_close(&T.d);

	if (rc)
		return rc;
	if (coh_device_leaks(&T.dev) || coh_device_teardown(&T.dev))
		return -100;
	if (sim_quiesce())
		return -101;
	coh_region_remove(&T.unc);
	coh_region_remove(&T.ram);
	return 0;
}

/*
 * Offer n frames from the wire and receive what the driver delivers.
 * Returns frames delivered intact, in order; any delivered frame that is
 * not one the wire carried, or out of order, counts in *bad.
 */
static unsigned long traffic(unsigned long first, unsigned long n, unsigned long *bad)
{
	static uint8_t f[1600], got[1600];
	unsigned long ok = 0, next = first;

	for (unsigned long s = first; s < first + n; s++) {
		size_t len = wire_len(s);

		build(f, s, len);
		for (int tries = 0; sim_dwmac_receive(T.regs, f, len) == -COH_EAGAIN && tries < 50;
		     tries++)
			sim_step();
		for (int spin = 0; spin < 64; spin++) {
			int l;

			(void)dwmac_interrupt(&T.d);
			while ((l = dwmac_recv(&T.d, got, sizeof(got))) > 0) {
				long seq = parse(got, (size_t)l, false);

				if (fz_ndeliv < FZ_LOG)
					fz_deliv[fz_ndeliv++] = (size_t)l;
				if (seq < (long)next || seq >= (long)(first + n)) {
					/*
					 * A length that lies inside the buffers cannot be
					 * told from a real one: such a frame is the
					 * device's word against ours.  Anything else is a
					 * driver bug.
					 */
					if (fz_dirty)
						fz_lies_delivered++;
					else
						(*bad)++;
				} else {
					ok++;
					next = (unsigned long)seq + 1;
				}
				fz_dirty = false;
			}
		}
	}
	return ok;
}

/* ---- faults ------------------------------------------------------------------ */

static void one_fault(int fault, unsigned long *counter_out, struct dwmac_stats *st)
{
	unsigned long bad = 0;

	*counter_out = 0;
	if (soc(3, 0, true) || up(DWMAC_LAYOUT_UNCACHED))
		return;
	traffic(0, 20, &bad);
	sim_dwmac_fault(T.regs, fault, 5);
	traffic(20, 40, &bad);
	sim_dwmac_fault(T.regs, fault, 0);
	*counter_out = traffic(60, 40, &bad);	/* recovered: every frame again */
	dwmac_get_stats(&T.d, st);
	if (bad)
		*counter_out = 0;
	if (down())
		*counter_out = 0;
}

static void rx_length_beyond_buffer(void)
{
	struct dwmac_stats st;
	unsigned long after;

	one_fault(SIM_DWMAC_F_RX_LEN_OVER, &after, &st);
	CHECK_EQ(after, 40);
	CHECK(st.rx_length_errors >= 1);
}

static void rx_own_cleared_unarmed(void)
{
	struct dwmac_stats st;
	unsigned long after;

	one_fault(SIM_DWMAC_F_RX_OWN_UNARMED, &after, &st);
	CHECK_EQ(after, 40);
}

static void rx_fd_missing(void)
{
	struct dwmac_stats st;
	unsigned long after;

	one_fault(SIM_DWMAC_F_RX_NO_FD, &after, &st);
	CHECK_EQ(after, 40);
	CHECK(st.rx_proto_errors >= 1);
}

static void rx_error_summary(void)
{
	struct dwmac_stats st;
	unsigned long after;

	one_fault(SIM_DWMAC_F_RX_ES, &after, &st);
	CHECK_EQ(after, 40);
	CHECK_EQ(st.rx_errors, 5);
}

static void reset_never_completes(void)
{
	struct dwmac_config c;

	CHECK_EQ(soc(4, 0, true), 0);
	sim_dwmac_fault(T.regs, SIM_DWMAC_F_RESET_STUCK, 1000000);
	c = config(DWMAC_LAYOUT_UNCACHED);
	CHECK_EQ(dwmac_open(&T.d, &c, MAC, T.mem, sizeof(T.mem)), -COH_ETIMEDOUT);
	CHECK_EQ(coh_device_leaks(&T.dev), 0);
	CHECK_EQ(dwmac_close(&T.d), -COH_EINVAL);
}

static void mdio_timeout(void)
{
	CHECK_EQ(soc(5, 0, true), 0);
	CHECK_EQ(up(DWMAC_LAYOUT_UNCACHED), 0);
	sim_dwmac_fault(T.regs, SIM_DWMAC_F_MDIO_STUCK, 1000000);
	CHECK_EQ(dwmac_link(&T.d), -COH_ETIMEDOUT);
	CHECK_EQ(dwmac_mdio_read(&T.d, 2), -COH_ETIMEDOUT);
	CHECK_EQ(dwmac_mdio_write(&T.d, 0, 0), -COH_ETIMEDOUT);
	/* the link counts as down: nothing is sent */
	CHECK_EQ(dwmac_xmit(&T.d, T.sink, 60, NULL), -COH_ENOLINK);
	sim_dwmac_fault(T.regs, SIM_DWMAC_F_MDIO_STUCK, 0);
	CHECK_EQ(down(), 0);
}

static void mdio_and_phy(void)
{
	CHECK_EQ(soc(6, 0, true), 0);
	CHECK_EQ(up(DWMAC_LAYOUT_UNCACHED), 0);
	CHECK_EQ(dwmac_mdio_read(&T.d, 2), SIM_DWMAC_PHY_ID1);	/* PHYID1 */
	CHECK_EQ(dwmac_mdio_read(&T.d, 3), SIM_DWMAC_PHY_ID2);	/* PHYID2 */
	CHECK_EQ(dwmac_mdio_read(&T.d, 32), -COH_EINVAL);
	sim_dwmac_set_link(T.regs, false);
	CHECK_EQ(dwmac_link(&T.d), 0);
	CHECK_EQ(dwmac_xmit(&T.d, T.sink, 60, NULL), -COH_ENOLINK);
	sim_dwmac_set_link(T.regs, true);
	CHECK_EQ(dwmac_link(&T.d), 1);
	CHECK_EQ(down(), 0);
}

/* ---- bad input -------------------------------------------------------------------- */

static void bad_input(void)
{
	static uint8_t frame[1600] __attribute__((aligned(64)));
	struct coh_sg sg[40];
	uint8_t *buf;
	coh_bus_t unused;
	struct coh_pool pool;
	struct dwmac_config c;
	static const uint8_t mcast[6] = { 0x01, 0, 0x5e, 0, 0, 1 };
	size_t pending;
	int rc;

	CHECK_EQ(soc(7, 0, true), 0);
	c = config(DWMAC_LAYOUT_UNCACHED);
	CHECK_EQ(dwmac_open(&T.d, &c, mcast, T.mem, sizeof(T.mem)), -COH_EINVAL);
	CHECK_EQ(dwmac_open(&T.d, &c, MAC, T.mem, 16), -COH_EINVAL);
	c.rx_buf_size = 500;	/* not a multiple of the bus width */
	CHECK_EQ(dwmac_open(&T.d, &c, MAC, T.mem, sizeof(T.mem)), -COH_EINVAL);
	c = config(DWMAC_LAYOUT_UNCACHED);
	c.tx_count = 2;
	CHECK_EQ(dwmac_open(&T.d, &c, MAC, T.mem, sizeof(T.mem)), -COH_EINVAL);
	CHECK_EQ(coh_device_leaks(&T.dev), 0);
	CHECK_EQ(up(DWMAC_LAYOUT_UNCACHED), 0);
	CHECK_EQ(dwmac_set_mac(&T.d, mcast), -COH_EINVAL);
	CHECK_EQ(dwmac_set_mac(&T.d, MAC), 0);

	CHECK_EQ(coh_pool_create(&pool, &T.dev, "frames", 2048, 1, 0, 8), 0);
	buf = coh_pool_alloc(&pool, &unused);
	CHECK(buf != NULL);
	build(buf, 1, 100);
	CHECK_EQ(dwmac_xmit(&T.d, buf, 0, NULL), -COH_EINVAL);
	CHECK_EQ(dwmac_xmit(&T.d, buf, 1515, NULL), -COH_EINVAL);
	CHECK_EQ(dwmac_xmit(&T.d, NULL, 60, NULL), -COH_EINVAL);
	for (int i = 0; i < 40; i++)
		sg[i] = (struct coh_sg){ .ptr = buf + i * 16, .len = 16 };
	/* more entries than a frame may have: refused, nothing mapped */
	CHECK_EQ(dwmac_xmit_sg(&T.d, sg, 40, NULL), -COH_EINVAL);
	/* more entries than free descriptors: nothing posted */
	pending = coh_ring_pending(&T.d.tx);
	CHECK_EQ(dwmac_xmit_sg(&T.d, sg, SLOTS, NULL), -COH_EAGAIN);
	CHECK_EQ(coh_ring_pending(&T.d.tx), pending);
	CHECK_EQ(coh_stream_live(&T.st), 0);
	sg[1].len = 0;
	CHECK_EQ(dwmac_xmit_sg(&T.d, sg, 2, NULL), -COH_EINVAL);
	/* ring full: the device is not running its TX engine meanwhile */
	rc = 0;
	for (int i = 0; i < SLOTS && !rc; i++)
		rc = dwmac_xmit(&T.d, buf, 100, NULL);
	CHECK_EQ(rc, -COH_EAGAIN);
	CHECK(T.d.stats.tx_busy >= 1);
	/* and everything comes back */
	for (int spin = 0; spin < 2000 && coh_ring_pending(&T.d.tx); spin++) {
		(void)dwmac_interrupt(&T.d);
		dwmac_tx_reclaim(&T.d);
	}
	CHECK_EQ(coh_ring_pending(&T.d.tx), 0);
	CHECK_EQ(coh_stream_live(&T.st), 0);
	CHECK_EQ(T.sink_len, 100);
	CHECK_EQ(parse(T.sink, T.sink_len, true), 1);
	(void)frame;
	CHECK_EQ(coh_pool_free(&pool, buf), 0);
	CHECK_EQ(coh_pool_destroy(&pool), 0);
	CHECK_EQ(down(), 0);
}

/* A frame held at close: every mapping and buffer comes back. */
static void close_with_frames_out(void)
{
	uint8_t *buf;
	coh_bus_t unused;
	struct coh_pool pool;

	CHECK_EQ(soc(8, 0, true), 0);
	CHECK_EQ(up(DWMAC_LAYOUT_UNCACHED), 0);
	CHECK_EQ(coh_pool_create(&pool, &T.dev, "frames", 2048, 1, 0, 2), 0);
	buf = coh_pool_alloc(&pool, &unused);
	build(buf, 9, 1400);
	sim_dwmac_set_link(T.regs, true);
	CHECK_EQ(dwmac_xmit(&T.d, buf, 1400, NULL), 0);
	CHECK_EQ(coh_stream_live(&T.st), 1);
	CHECK_EQ(dwmac_close(&T.d), 0);	/* before the device finished */
	CHECK_EQ(coh_stream_live(&T.st), 0);
	CHECK_EQ(coh_pool_free(&pool, buf), 0);
	CHECK_EQ(coh_pool_destroy(&pool), 0);
	CHECK_EQ(coh_device_leaks(&T.dev), 0);
	CHECK_EQ(coh_device_teardown(&T.dev), 0);
	CHECK_EQ(sim_quiesce(), 0);
}

/*
 * JH7110: the GMAC reaches 32 bits.  Area 0 straddles 4 GiB: a frame above
 * it is bounced (counted) and arrives intact; without a bounce pool the
 * send fails cleanly, nothing posted.
 */
static void mask_32bit(void)
{
	void *cpu;
	uint64_t phys;
	size_t size;
	uint8_t *high;

	for (int bounce = 1; bounce >= 0; bounce--) {
		struct coh_stats st;
		size_t pending;
		int rc;

		CHECK_EQ(soc(9, 0x100000000ull - (1u << 20), bounce), 0);
		rc = up(DWMAC_LAYOUT_CACHED_SKIP);	/* area 1 lies above 4 GiB here */
		CHECK_EQ(rc, 0);
		sim_area(0, &cpu, &phys, &size);
		high = (uint8_t *)cpu + (1u << 20) + 4096;	/* bus 4 GiB + 4 KiB */
		CHECK(sim_virt_to_phys(high) > 0xffffffffull);
		build(high, 77, 700);
		pending = coh_ring_pending(&T.d.tx);
		rc = dwmac_xmit(&T.d, high, 700, NULL);
		if (!bounce) {
			CHECK(rc == -COH_ERANGE || rc == -COH_ENOMEM || rc == -COH_EINVAL);
			CHECK_EQ(coh_ring_pending(&T.d.tx), pending);
			CHECK_EQ(T.d.stats.tx_map_errors, 1);
			CHECK_EQ(coh_stream_live(&T.st), 0);
		} else {
			CHECK_EQ(rc, 0);
			for (int spin = 0; spin < 2000 && coh_ring_pending(&T.d.tx); spin++) {
				(void)dwmac_interrupt(&T.d);
				dwmac_tx_reclaim(&T.d);
			}
			coh_stats_get(&T.dev, &st);
			CHECK_EQ(st.bounces, 1);
			CHECK_EQ(T.sink_len, 700);
			CHECK_EQ(parse(T.sink, 700, true), 77);
		}
		CHECK_EQ(down(), 0);
	}
}

/*
 * A 40-bit controller and mask, rings below 4 GiB, a TX buffer above: the
 * descriptor carries the high word and the DMA must be told to use it
 * (EAME from the mask, not from where the rings lie).  Then the same
 * buffer to a 32-bit controller with a 40-bit device mask: open lowers the
 * mask to 32 bits, so the map bounces instead of handing the DMA an
 * address it truncates.  The frame must arrive intact both times.
 */
static void mask_40bit(void)
{
	void *cpu;
	uint64_t phys;
	size_t size;
	uint8_t *high;

	for (unsigned hw = 40; hw >= 32; hw -= 8) {
		struct coh_stats st;
		int rc;

		CHECK_EQ(soc(10, 0x100000000ull - (1u << 20), true), 0);
		T.dev.dma_mask = COH_DMA_MASK(40);
		sim_dwmac_set_addr_bits(T.regs, hw);
		rc = up(DWMAC_LAYOUT_CACHED_SKIP);
		CHECK_EQ(rc, 0);
		CHECK_EQ(T.d.addr_bits, hw);
		CHECK_EQ(T.dev.dma_mask, hw == 40 ? COH_DMA_MASK(40) : COH_DMA_MASK(32));
		CHECK(coh_ring_bus(&T.d.tx, 0) < 0x100000000ull);
		sim_area(0, &cpu, &phys, &size);
		high = (uint8_t *)cpu + (1u << 20) + 4096;	/* bus 4 GiB + 4 KiB */
		CHECK(sim_virt_to_phys(high) > 0xffffffffull);
		build(high, 78, 700);
		T.sink_len = 0;
		rc = dwmac_xmit(&T.d, high, 700, NULL);
		CHECK_EQ(rc, 0);
		for (int spin = 0; spin < 2000 && coh_ring_pending(&T.d.tx); spin++) {
			(void)dwmac_interrupt(&T.d);
			dwmac_tx_reclaim(&T.d);
		}
		coh_stats_get(&T.dev, &st);
		CHECK_EQ(st.bounces, hw == 40 ? 0 : 1);
		CHECK_EQ(T.d.stats.irq_fatal, 0);
		CHECK_EQ(T.sink_len, 700);
		CHECK_EQ(parse(T.sink, 700, true), 78);
		CHECK_EQ(down(), 0);
	}
}

/* send one frame of len bytes from a pool block and wait for it to leave; 1 if the sink got it */
static int send_one(unsigned long seq, size_t len)
{
	struct coh_pool pool;
	coh_bus_t unused;
	uint8_t *buf;
	int got;

	if (coh_pool_create(&pool, &T.dev, "frames", 2048, 1, 0, 1))
		return -1;
	buf = coh_pool_alloc(&pool, &unused);
	build(buf, seq, len);
	T.sink_len = 0;
	if (dwmac_xmit(&T.d, buf, len, NULL))
		return -2;
	for (int spin = 0; spin < 4000 && coh_ring_pending(&T.d.tx); spin++) {
		(void)dwmac_interrupt(&T.d);
		dwmac_tx_reclaim(&T.d);
	}
	got = T.sink_len == len && parse(T.sink, len, true) == (long)seq;
	if (coh_ring_pending(&T.d.tx))
		return -3;	/* never left: the pool must outlive the mapping */
	coh_pool_free(&pool, buf);
	coh_pool_destroy(&pool);
	return got;
}

/*
 * The databook's stop order: a frame the TX DMA is still moving when close
 * starts leaves whole (the MAC transmitter stays on until the MTL TX queue
 * has drained), and the stop completes without the reset.  Clearing TE
 * with the TX DMA stop stalls the frame in hand: the stop times out.
 */
static void stop_drains_tx(void)
{
	struct sim_dwmac_stats st;
	struct coh_pool pool;
	coh_bus_t unused;
	uint8_t *buf;

	CHECK_EQ(soc(12, 0, true), 0);
	CHECK_EQ(up(DWMAC_LAYOUT_CACHED_SKIP), 0);
	CHECK_EQ(coh_pool_create(&pool, &T.dev, "frames", 2048, 1, 0, 1), 0);
	buf = coh_pool_alloc(&pool, &unused);
	build(buf, 31, 1514);
	T.sink_len = 0;
	CHECK_EQ(dwmac_xmit(&T.d, buf, 1514, NULL), 0);
	CHECK_EQ(dwmac_close(&T.d), 0);
	sim_dwmac_stats(T.regs, &st);
	CHECK_EQ(st.tx_frames, 1);
	CHECK_EQ(T.sink_len, 1514);
	CHECK_EQ(parse(T.sink, 1514, true), 31);
	CHECK_EQ(coh_pool_free(&pool, buf), 0);
	CHECK_EQ(coh_pool_destroy(&pool), 0);
	CHECK_EQ(coh_device_leaks(&T.dev), 0);
	CHECK_EQ(sim_quiesce(), 0);
}

/*
 * A DMA that can be neither stopped nor reset: close leaks the rings and
 * buffers on purpose (-COH_EBUSY, wedged, leaks counted), so frames the
 * still-running DMA writes land in memory it still owns: no report.
 */
static void close_wedged_leaks(void)
{
	static uint8_t f[1600];

	CHECK_EQ(soc(13, 0, true), 0);
	CHECK_EQ(up(DWMAC_LAYOUT_UNCACHED), 0);
	sim_dwmac_fault(T.regs, SIM_DWMAC_F_DMA_STUCK, 1);
	CHECK_EQ(dwmac_close(&T.d), -COH_EBUSY);
	CHECK(T.d.wedged);
	CHECK(!T.d.open);
	CHECK(coh_device_leaks(&T.dev) > 0);
	for (unsigned long s = 0; s < 8; s++) {
		build(f, s, 200);
		(void)sim_dwmac_receive(T.regs, f, 200);
		for (int k = 0; k < 50; k++)
			sim_step();
	}
	/* the leak itself is reported (coh_device_leaks); nothing else may be */
	CHECK(sim_reports(SIM_LEAK_AT_TEARDOWN) > 0);
	CHECK_EQ(sim_reports(-1) - sim_reports(SIM_LEAK_AT_TEARDOWN), 0);
	sim_dwmac_fault(T.regs, SIM_DWMAC_F_DMA_STUCK, 0);
}

/*
 * MDC from the board's CSR clock: at 250 MHz only CR 5 (/124, 2.0 MHz) or
 * slower is followed by the PHY; CR 0 (/42) would run MDC at 6 MHz.
 */
static void mdio_clock_from_csr(void)
{
	struct sim_dwmac_stats st;
	static const unsigned long hz[] = { 250000000ul, 125000000ul, 50000000ul, 25000000ul };

	for (size_t i = 0; i < sizeof(hz) / sizeof(hz[0]); i++) {
		CHECK_EQ(soc(14, 0, true), 0);
		sim_dwmac_set_csr_clock(T.regs, hz[i]);
		csr_hz = hz[i];
		CHECK_EQ(up(DWMAC_LAYOUT_UNCACHED), 0);	/* the link is read over MDIO */
		csr_hz = 0;
		sim_dwmac_stats(T.regs, &st);
		CHECK_EQ(st.mdio_too_fast, 0);
		CHECK_EQ(down(), 0);
	}
	/* an impossible clock is refused before anything is touched */
	CHECK_EQ(soc(14, 0, true), 0);
	csr_hz = 900000000ul;
	CHECK_EQ(up(DWMAC_LAYOUT_UNCACHED), -COH_EINVAL);
	csr_hz = 0;
}

/*
 * MTL queue sizes from HW_FEATURE1: a 1514-byte frame needs more than the
 * reset value (256 bytes) of TQS and RQS, both ways; a TX FIFO smaller
 * than the MTU is refused at open (store-and-forward would stall on it).
 */
static void fifo_sizes(void)
{
	struct sim_dwmac_stats st;
	unsigned long bad = 0;

	CHECK_EQ(soc(15, 0, true), 0);
	CHECK_EQ(up(DWMAC_LAYOUT_CACHED_SKIP), 0);
	CHECK_EQ(send_one(40, 1514), 1);
	CHECK_EQ(traffic(0, 10, &bad), 10);	/* 60..1514-byte frames received */
	CHECK_EQ(bad, 0);
	sim_dwmac_stats(T.regs, &st);
	CHECK_EQ(st.tx_fifo_stalls, 0);
	CHECK_EQ(st.rx_fifo_drops, 0);
	CHECK_EQ(down(), 0);

	CHECK_EQ(soc(15, 0, true), 0);
	sim_dwmac_set_fifo(T.regs, 1024, 4096);
	CHECK_EQ(up(DWMAC_LAYOUT_CACHED_SKIP), -COH_EINVAL);
	CHECK_EQ(coh_device_leaks(&T.dev), 0);
}

/*
 * The PHY negotiated 100 Mb/s half duplex: dwmac_link applies it
 * (adjust_link), so frames pass; a MAC left at 1000/full loses them all.
 */
static void link_100_half(void)
{
	struct sim_dwmac_stats st;
	unsigned long bad = 0;

	CHECK_EQ(soc(16, 0, true), 0);
	sim_dwmac_set_phy(T.regs, 100, false);
	CHECK_EQ(up(DWMAC_LAYOUT_UNCACHED), 0);
	CHECK_EQ(T.d.speed, 100);
	CHECK(!T.d.full);
	CHECK_EQ(T.d.stats.link_changes, 1);
	CHECK_EQ(send_one(41, 700), 1);
	CHECK_EQ(traffic(0, 10, &bad), 10);
	sim_dwmac_stats(T.regs, &st);
	CHECK_EQ(st.link_mismatch, 0);
	/* a second look with nothing changed applies nothing */
	CHECK_EQ(dwmac_link(&T.d), 1);
	CHECK_EQ(T.d.stats.link_changes, 1);
	/* renegotiated to 1000/full: applied again */
	sim_dwmac_set_phy(T.regs, 1000, true);
	CHECK_EQ(dwmac_link(&T.d), 1);
	CHECK_EQ(T.d.speed, 1000);
	CHECK(T.d.full);
	CHECK_EQ(send_one(42, 700), 1);
	CHECK_EQ(down(), 0);
}

/*
 * A fatal bus error stops the DMA: traffic is refused (-COH_EIO) until
 * dwmac_recover(), which resets the controller, hands the frame in flight
 * back, re-arms from empty; then frames pass again and close leaves
 * nothing behind.
 */
static void fatal_bus_error_recovers(void)
{
	struct coh_pool pool;
	coh_bus_t unused;
	uint8_t *buf, got[1600];
	unsigned long bad = 0;
	unsigned int seen = 0;

	CHECK_EQ(soc(17, 0, true), 0);
	CHECK_EQ(up(DWMAC_LAYOUT_CACHED_SKIP), 0);
	CHECK_EQ(coh_pool_create(&pool, &T.dev, "frames", 2048, 1, 0, 1), 0);
	buf = coh_pool_alloc(&pool, &unused);
	build(buf, 60, 700);
	sim_dwmac_fault(T.regs, SIM_DWMAC_F_BUS_ERROR, 1);
	CHECK_EQ(dwmac_xmit(&T.d, buf, 700, NULL), 0);
	for (int spin = 0; spin < 100 && !(seen & DWMAC_IRQ_FATAL); spin++)
		seen |= dwmac_interrupt(&T.d);
	CHECK(seen & DWMAC_IRQ_FATAL);
	CHECK(T.d.fatal);
	CHECK_EQ(dwmac_xmit(&T.d, buf, 700, NULL), -COH_EIO);
	CHECK_EQ(dwmac_recv(&T.d, got, sizeof(got)), -COH_EIO);
	CHECK_EQ(dwmac_recover(&T.d), 0);
	CHECK_EQ(coh_stream_live(&T.st), 0);	/* the frame in flight came back */
	CHECK_EQ(T.d.stats.tx_errors, 1);
	CHECK_EQ(dwmac_link(&T.d), 1);
	coh_pool_free(&pool, buf);
	coh_pool_destroy(&pool);
	CHECK_EQ(send_one(61, 700), 1);
	CHECK_EQ(traffic(0, 10, &bad), 10);
	CHECK_EQ(T.d.stats.recoveries, 1);
	CHECK_EQ(down(), 0);
}

/*
 * NAPI-style masking: the handler masks the completion interrupts after
 * the first one; frames arriving meanwhile raise none; unmasking with a
 * cause pending interrupts at once.
 */
static unsigned long isr_calls;

static void masking_isr(void *arg)
{
	(void)arg;
	isr_calls++;
	if (dwmac_interrupt(&T.d) & (DWMAC_IRQ_RX | DWMAC_IRQ_TX))
		(void)dwmac_irq_enable(&T.d, false);
}

static void irq_masking(void)
{
	static uint8_t f[1600], got[1600];
	unsigned long n = 0;

	CHECK_EQ(soc(18, 0, true), 0);
	use_irq = true;
	sim_irq_connect(T.regs, masking_isr, NULL);
	CHECK_EQ(up(DWMAC_LAYOUT_UNCACHED), 0);
	use_irq = false;
	isr_calls = 0;
	for (unsigned long s = 0; s < 4; s++) {
		build(f, s, 300);
		CHECK_EQ(sim_dwmac_receive(T.regs, f, 300), 0);
		for (int k = 0; k < 40; k++)
			sim_step();
	}
	CHECK_EQ(isr_calls, 1);		/* masked after the first */
	CHECK(T.d.irq_masked);
	while (dwmac_recv(&T.d, got, sizeof(got)) > 0)
		n++;
	CHECK_EQ(n, 4);
	build(f, 9, 300);
	CHECK_EQ(sim_dwmac_receive(T.regs, f, 300), 0);
	for (int k = 0; k < 40; k++)
		sim_step();
	CHECK_EQ(isr_calls, 1);
	CHECK_EQ(dwmac_irq_enable(&T.d, true), 0);	/* RI pending: at once */
	CHECK_EQ(isr_calls, 2);
	CHECK_EQ(dwmac_recv(&T.d, got, sizeof(got)), 300);
	CHECK_EQ(down(), 0);
}

/* ---- fuzz -------------------------------------------------------------------------- */

static int fuzz(unsigned long seeds, unsigned long frames)
{
	unsigned long bad = 0, ok = 0, faults = 0;

	fuzz_ops = dwmac_qos_ops;
	fuzz_ops.rx_decode = fuzz_rx_decode;
	use_fuzz_ops = true;
	for (unsigned long s = 1; s <= seeds; s++) {
		struct dwmac_stats st;
		unsigned k = (unsigned)(s % 7) + 1;

		fz_state = s;
		fz_permille = 100;
		fz_nlog = fz_ndeliv = 0;

		if (soc(1000 + s, 0, true) || up(s % 2 ? DWMAC_LAYOUT_UNCACHED
						     : DWMAC_LAYOUT_CACHED_SKIP)) {
			/* a layout this library cannot lay out is not the driver's fault */
			if (soc(1000 + s, 0, true) || up(DWMAC_LAYOUT_UNCACHED)) {
				printf("dwmac fuzz: seed %lu: cannot open\n", s);
				return 1;
			}
		}
		sim_dwmac_fault(T.regs, SIM_DWMAC_F_RX_GARBAGE, k);
		ok += traffic(0, frames, &bad);
		sim_dwmac_fault(T.regs, SIM_DWMAC_F_RX_GARBAGE, 0);
		fz_permille = 0;	/* an honest device again: the driver must recover */
		if (traffic(frames, 8, &bad) < 6) {
			printf("dwmac fuzz: seed %lu: no recovery after the faults\n", s);
			return 1;
		}
		dwmac_get_stats(&T.d, &st);
		faults += st.rx_errors + st.rx_length_errors + st.rx_proto_errors;
		{
			static size_t want[FZ_LOG];
			size_t nw = fz_reference(want, 1514, 1600);

			if (fz_nlog >= FZ_LOG || nw != fz_ndeliv ||
			    memcmp(want, fz_deliv, nw * sizeof(want[0]))) {
				printf("dwmac fuzz: seed %lu: the driver delivered %zu frame(s), the "
				       "reference %zu, from the same %zu write-backs\n",
				       s, fz_ndeliv, nw, fz_nlog);
				return 1;
			}
		}
		if (bad || down()) {
			printf("dwmac fuzz: seed %lu: %lu frame(s) delivered that the wire did not "
			       "carry in that order, or a leak at close\n", s, bad);
			return 1;
		}
	}
	printf("dwmac fuzz: %lu seeds, %lu frames delivered intact, %lu bad "
	       "descriptor(s) dropped and counted, %lu plausible lie(s) delivered, 0 bad\n",
	       seeds, ok, faults, fz_lies_delivered);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "fuzz"))
		return fuzz(strtoul(argv[2], NULL, 0), strtoul(argv[3], NULL, 0));
	RUN(rx_length_beyond_buffer);
	RUN(rx_own_cleared_unarmed);
	RUN(rx_fd_missing);
	RUN(rx_error_summary);
	RUN(reset_never_completes);
	RUN(mdio_timeout);
	RUN(mdio_and_phy);
	RUN(bad_input);
	RUN(close_with_frames_out);
	RUN(mask_32bit);
	RUN(mask_40bit);
	RUN(stop_drains_tx);
	RUN(mdio_clock_from_csr);
	RUN(fifo_sizes);
	RUN(link_100_half);
	RUN(fatal_bus_error_recovers);
	RUN(irq_masking);
	RUN(close_wedged_leaks);
	sim_fini();
	return th_finish("dwmac_hostile");
}
