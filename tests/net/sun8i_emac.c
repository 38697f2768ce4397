/* SPDX-License-Identifier: MIT */
/*
 * sun8i-emac: the DWMAC driver (drivers/dwmac: the core + the sun8i
 * variant, the same files the simulator demo builds) against QEMU's own
 * allwinner-sun8i-emac model on orangepi-pc, bare metal, MMU and D-cache on,
 * the EMAC flagged non-coherent.  The other end is tools/netpeer on a
 * "-netdev dgram" unix-socket pair (tools/run-netpeer.sh starts both); the
 * protocol is tools/netpeer/netproto.h.
 *
 * Phases (each a RUN; the last line is "sun8i-emac: N passed, M failed"):
 * link and PHY over MDIO, MAC address, HELLO; echoes of random sizes with
 * several in flight, every fourth sent as a 3-descriptor scatter-gather
 * frame (both sides check every payload); a stream of DATA frames to the
 * peer; bursts from the peer (the RX ring wraps many times); bad input from
 * the peer (runts, oversized frames, a flood of more frames than the RX ring
 * holds while the driver is not polling) counted and dropped; echoes again
 * (the driver recovered); the peer's own tally; close with nothing leaked.
 *
 * QEMU model facts this test meets (hw/net/allwinner-sun8i-emac.c): TX runs
 * synchronously inside the poll-demand write; frames above 2048 bytes are
 * never sent; a frame shorter than 64 bytes is delivered padded to 64 (a
 * runt, which a real MAC drops, and also a valid 60..63-byte frame, which
 * a real MAC reports as it is: the length field in the frame says which
 * bytes count); after the RX DMA found no free descriptor it restarts
 * its search at the list head, so frames may come back in another order:
 * every check here is by sequence number, never by arrival order.
 *
 * Planted bugs (SUN8I_BROKEN=1: no TX poll demand; =2: descriptors handed
 * to the DMA without their buffer address; =3: no RX poll demand after a
 * refill) must fail with a message that names the symptom: tests run them
 * with run-netpeer.sh --expect-fail.
 */
#include <stdio.h>
#include <string.h>

#include "board.h"
#include "dwmac.h"
#include "harness.h"
#include "netpeer/netproto.h"

#ifndef SUN8I_BROKEN
#define SUN8I_BROKEN 0
#endif
/* 1: descriptors packed in the platform's uncached window (no maintenance) */
#ifndef SUN8I_UNCACHED_RING
#define SUN8I_UNCACHED_RING 0
#endif

TH_DEFINE_COUNTERS;

#define TX_RING 32
#define RX_RING 32
#define NTXBUF 16		/* frames in flight at most */
#define TXBUF 2048		/* one frame, its SG pieces spread inside */
#define ECHO_WINDOW 8
#define N_ECHO 600
#define N_DATA 500
#define N_BURST 4
#define BURST_LEN 150
#define N_RUNT 20
#define N_OVERSIZE 16
#define N_FLOOD (3 * RX_RING)
#define N_ECHO2 100
#define PHY_ADDR 1		/* QEMU orangepi.c: the EMAC's PHY answers at 1 */

static const uint8_t my_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t peer_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* memory the device shares: rings and RX buffers come from this region */
static uint8_t dma_arena[256 * 1024] __attribute__((aligned(4096)));
static struct coh_region region, uregion;
static struct coh_device emac;
static struct coh_stream stream;
static struct coh_map_rec recs[128];
static struct dwmac d;
static uint8_t drvmem[8192] __attribute__((aligned(8)));
static struct dwmac_hw_ops ops;

/* TX frames: mapped TO_DEVICE by the driver while in flight */
static uint8_t txbuf[NTXBUF][TXBUF] __attribute__((aligned(COH_MAX_LINE)));
static struct coh_sg txsg[NTXBUF][3];
static bool tx_busy[NTXBUF];
static unsigned long tx_done_ok, tx_done_err, tx_sg_frames, tx_frames_sent;

static uint8_t rxf[2048];
static uint32_t prng = 0x12345678u;

/* what arrived, by kind */
static struct {
	bool hello_ack, burst_end, bad_end, stats;
	uint32_t stats_v[NP_STAT_COUNT];
	unsigned long runts, oversize, unexpected, bad, dup;
	unsigned long frames;
} rx;

/* echoes in flight: seq -> what was sent */
static struct {
	bool live, done;
	uint32_t seq, len, crc;
} echo[ECHO_WINDOW];
static unsigned long echo_ok;

/* DATA frames expected from the peer: bitmap per (seed, seq) */
static uint8_t got[1024 / 8];
static uint32_t want_seed, want_count;
static unsigned long data_ok;

static unsigned long nudges, resyncs;
static uint64_t last_rx_us, last_nudge_us;

static int fails_printed;
#define MAX_PRINTS 8

static void note(const char *fmt, unsigned long a, unsigned long b, unsigned long c)
{
	if (fails_printed++ < MAX_PRINTS) {
		printf("sun8i-emac: ");
		printf(fmt, a, b, c);
		printf("\n");
	}
}

static void tx_done(void *ctx, void *cookie, int status)
{
	size_t i = (size_t)(uintptr_t)cookie;

	(void)ctx;
	if (i < NTXBUF)
		tx_busy[i] = false;
	if (status)
		tx_done_err++;
	else
		tx_done_ok++;
}

/* ---- receive side ---------------------------------------------------------- */

static void on_echo_reply(const uint8_t *f, size_t n)
{
	uint32_t seq = np_get32(f + NP_OFF_SEQ);

	n = np_get16(f + NP_OFF_LEN);	/* np_check allowed the model's padding only */
	for (int i = 0; i < ECHO_WINDOW; i++) {
		if (!echo[i].live || echo[i].seq != seq)
			continue;
		if (echo[i].done) {
			rx.dup++;
			return;
		}
		if (n != echo[i].len || np_get32(f + NP_OFF_ARG1) != echo[i].crc) {
			rx.bad++;
			note("echo %lu: reply of %lu bytes, peer saw crc %lx: not what was sent",
			     seq, n, np_get32(f + NP_OFF_ARG1));
			return;
		}
		echo[i].done = true;
		echo_ok++;
		return;
	}
	rx.unexpected++;
	note("echo reply %lu matches no request in flight", seq, 0, 0);
}

static void on_data(const uint8_t *f, size_t n)
{
	uint32_t seq = np_get32(f + NP_OFF_SEQ), seed = np_get32(f + NP_OFF_ARG0);

	n = np_get16(f + NP_OFF_LEN);	/* np_check allowed the model's padding only */
	if (seed != want_seed || seq >= want_count || seq >= sizeof(got) * 8) {
		rx.unexpected++;
		note("DATA seed %lx seq %lu not expected now", seed, seq, 0);
		return;
	}
	if (n != np_burst_size(seed, seq)) {
		rx.bad++;
		note("DATA seq %lu: %lu bytes, expected %lu", seq, n, np_burst_size(seed, seq));
		return;
	}
	if (got[seq / 8] & (1u << (seq % 8))) {
		rx.dup++;
		return;
	}
	got[seq / 8] |= (uint8_t)(1u << (seq % 8));
	data_ok++;
}

static void dispatch(const uint8_t *f, size_t n)
{
	enum np_verdict v;
	unsigned int op = n > NP_OFF_OP ? f[NP_OFF_OP] : 0;

	rx.frames++;
	/* a runt: QEMU's model pads it to 64 bytes, a real MAC drops it */
	if (op == NP_OP_RUNT && n <= NP_PAD_MAX) {
		rx.runts++;
		return;
	}
	v = np_check(f, n, 1);
	if (v != NP_GOOD) {
		rx.bad++;
		if (fails_printed++ < MAX_PRINTS)
			printf("sun8i-emac: bad frame from the peer: %lu bytes, %s (op %u)\n",
			       (unsigned long)n, np_verdict_name(v), op);
		return;
	}
	switch (op) {
	case NP_OP_HELLO_ACK:
		rx.hello_ack = np_get32(f + NP_OFF_ARG0) == NP_VERSION;
		break;
	case NP_OP_ECHO_REPLY:
		on_echo_reply(f, n);
		break;
	case NP_OP_DATA:
		on_data(f, n);
		break;
	case NP_OP_BURST_END:
		rx.burst_end = true;
		break;
	case NP_OP_BAD_END:
		rx.bad_end = true;
		break;
	case NP_OP_OVERSIZE:
		rx.oversize++;
		note("oversized frame of %lu bytes delivered (MTU 1514)", n, 0, 0);
		break;
	case NP_OP_STATS:
		for (int i = 0; i < NP_STAT_COUNT; i++)
			rx.stats_v[i] = np_get32(f + NP_HDR + 4 * i);
		rx.stats = true;
		break;
	default:
		rx.unexpected++;
		note("unexpected op %lu from the peer", op, 0, 0);
	}
}

/*
 * QEMU model workaround, board test code only (never in drivers/): after
 * the RX DMA ran out of descriptors, QEMU's allwinner-sun8i-emac resumes
 * its search at RX_DMA_DESC_LIST, not where it stopped (hardware suspends
 * in place), so it would fill re-armed slots out of ring order and the
 * driver, which reaps in order, would wait on a slot the model skipped.
 * Keeping the list register at the next slot the driver will arm (after
 * every refill) makes the model's search wrap to the oldest armed slot: the
 * right one, wherever the model stopped.  Needs every slot armed once (a
 * never-armed slot's next pointer is 0).
 */
static void qemu_rx_resync(bool ran_dry)
{
	volatile uint32_t *r = (volatile uint32_t *)OPI_EMAC_BASE;

	if (d.stats.rx_refills < RX_RING)
		return;
	/* not a doorbell: frames the model held back wait for the driver's own */
	coh_mmio_write32(&r[0x34 / 4], (uint32_t)coh_ring_bus(&d.rx, coh_ring_next(&d.rx)));
	if (ran_dry)
		resyncs++;
}

static void qemu_rx_nudge(void);

/* one round of polling: reclaim TX, acknowledge status, take RX frames */
static void pump(void)
{
	unsigned int irq;
	int n;

	dwmac_tx_reclaim(&d);
	irq = dwmac_interrupt(&d);	/* polled: counts RBU; the refill re-kicks */
	while ((n = dwmac_recv(&d, rxf, sizeof(rxf))) > 0) {
		last_rx_us = opi_now_us();
		dispatch(rxf, (size_t)n);
	}
	qemu_rx_resync(irq & DWMAC_IRQ_RX_NOBUF);
	qemu_rx_nudge();
}

/* ---- transmit side ---------------------------------------------------------- */

static int free_txbuf(void)
{
	for (int i = 0; i < NTXBUF; i++)
		if (!tx_busy[i])
			return i;
	return -1;
}

/*
 * Whether the device owns RX slot k, read from the ring the driver shares
 * (test code: acquire the line first, as a reader of device-written memory
 * must; the driver itself never does this outside coh_ring_reap).
 */
static bool rx_slot_owned(size_t k)
{
	uint8_t *desc = (uint8_t *)d.rx.mem.cpu_ + k * coh_ring_stride(&d.rx);
	volatile uint32_t *status = (volatile uint32_t *)(void *)desc;

	coh_acquire(&emac, desc, 4);
	return (*status & 0x80000000u) != 0;
}


static bool send_ctl(enum np_op op, uint32_t seq, uint32_t a0, uint32_t a1);

/*
 * QEMU model workaround, board test code only (never in drivers/): the
 * model's RX DMA does not stop at a descriptor it does not own, it searches
 * the whole chain for the next one it owns, while the vCPU is re-arming
 * slots in ring order.  It can pass a slot the instant before the driver
 * arms it and fill the slots after it: a hole.  Hardware stops at the
 * first descriptor it does not own, so it never leaves one.  The driver
 * reaps in order and waits at the hole until the model comes round again,
 * which takes one more frame: when the next slot to reap is the device's
 * while a later one is already back and nothing came for 20 ms, ask the
 * peer for one (HELLO; the answer fills the hole).
 */
static void qemu_rx_nudge(void)
{
	uint64_t now = opi_now_us();
	bool hole = false;

	if (now - last_rx_us < 20000 || now - last_nudge_us < 20000)
		return;
	if (!coh_ring_pending(&d.rx) || !rx_slot_owned(d.rx.tail))
		return;
	for (size_t k = 1; k < coh_ring_pending(&d.rx) && !hole; k++)
		hole = !rx_slot_owned((d.rx.tail + k) % RX_RING);
	if (!hole)
		return;
	last_nudge_us = now;
	nudges++;
	send_ctl(NP_OP_HELLO, 0, NP_VERSION, 0);
}

/* the EMAC's view, for a message when something never arrives */
static void dump_state(const char *what)
{
	volatile uint32_t *r = (volatile uint32_t *)OPI_EMAC_BASE;

	printf("sun8i-emac: %s: INT_STA %08lx RX_CTL1 %08lx RX_CUR_DESC %08lx TX_CUR_DESC %08lx; "
	       "rx ring base %08lx pending %lu, tx pending %lu\n", what,
	       (unsigned long)r[0x08 / 4], (unsigned long)r[0x28 / 4], (unsigned long)r[0xc4 / 4],
	       (unsigned long)r[0xb4 / 4], (unsigned long)coh_ring_bus(&d.rx, 0),
	       (unsigned long)coh_ring_pending(&d.rx), (unsigned long)coh_ring_pending(&d.tx));
	{
		char line[RX_RING + 1];

		for (int k = 0; k < RX_RING; k++)
			line[k] = rx_slot_owned((size_t)k) ? 'D' : '.';
		line[RX_RING] = 0;
		printf("sun8i-emac: rx ring OWN by slot (D: device) %s, next to reap %lu, next to arm %lu\n",
		       line, (unsigned long)d.rx.tail, (unsigned long)d.rx.head);
	}
}

static bool wait_for(bool (*cond)(void), uint64_t ms)
{
	uint64_t t0 = opi_now_us();

	while (!cond()) {
		if (opi_now_us() - t0 > ms * 1000) {
			dump_state("timed out");
			return false;
		}
		pump();
	}
	return true;
}

static bool txbuf_free(void)
{
	return free_txbuf() >= 0;
}

/*
 * Send a frame built by np_build() into buffer i: as one buffer, or (sg) as
 * three pieces at scattered offsets of the same buffer, so the driver posts
 * three descriptors (the library merges only contiguous pieces).
 */
static int send_frame(int i, size_t len, bool sg)
{
	uint8_t *b = txbuf[i];
	int rc;

	tx_busy[i] = true;
	if (sg && len > 200) {
		size_t a = 14, c = (len - a) / 2;

		/* frame bytes [0,a) at 0, [a,a+c) at 256, the rest at 1024 */
		memmove(b + 1024, b + a + c, len - a - c);
		memmove(b + 256, b + a, c);
		txsg[i][0] = (struct coh_sg){ .ptr = b, .len = a };
		txsg[i][1] = (struct coh_sg){ .ptr = b + 256, .len = c };
		txsg[i][2] = (struct coh_sg){ .ptr = b + 1024, .len = len - a - c };
		rc = dwmac_xmit_sg(&d, txsg[i], 3, (void *)(uintptr_t)i);
		if (!rc)
			tx_sg_frames++;
	} else {
		rc = dwmac_xmit(&d, b, len, (void *)(uintptr_t)i);
	}
	if (rc)
		tx_busy[i] = false;
	else
		tx_frames_sent++;
	return rc;
}

/* a control frame (HELLO, requests, BYE), waiting for a buffer and room */
static bool send_ctl(enum np_op op, uint32_t seq, uint32_t a0, uint32_t a1)
{
	int i, rc;

	if (!wait_for(txbuf_free, 3000))
		return false;
	i = free_txbuf();
	np_build(txbuf[i], NP_MIN_FRAME, peer_mac, my_mac, op, seq, a0, a1, 0);
	for (int k = 0; k < 1000; k++) {
		rc = send_frame(i, NP_MIN_FRAME, false);
		if (rc != -COH_EAGAIN)
			return rc == 0;
		pump();
	}
	return false;
}

static uint32_t rnd_size(void)
{
	return NP_MIN_FRAME + np_xorshift(&prng) % (NP_MAX_FRAME - NP_MIN_FRAME + 1);
}

/* ---- phases ------------------------------------------------------------------------ */

/*
 * A phase ends when its end marker is in AND every frame it asked for is
 * accounted for: the model may deliver the marker before frames sent
 * earlier (see qemu_rx_nudge), so the marker alone is not the end.
 */
static struct dwmac_stats phase_s0;
static unsigned long phase_runts0;

static unsigned long driver_drops_since(void)
{
	return d.stats.rx_errors - phase_s0.rx_errors +
	       d.stats.rx_length_errors - phase_s0.rx_length_errors +
	       d.stats.rx_proto_errors - phase_s0.rx_proto_errors;
}

static bool hello_cond(void) { return rx.hello_ack; }
static bool burst_cond(void) { return rx.burst_end && data_ok == want_count; }
static bool flood_cond(void) { return rx.bad_end && data_ok == want_count; }
static bool runt_cond(void)
{
	return rx.bad_end && rx.runts - phase_runts0 + driver_drops_since() >= N_RUNT;
}
static bool oversize_cond(void)
{
	return rx.bad_end && driver_drops_since() + rx.oversize >= N_OVERSIZE;
}
static bool stats_cond(void) { return rx.stats; }

static bool all_reclaimed(void)
{
	for (int i = 0; i < NTXBUF; i++)
		if (tx_busy[i])
			return false;
	return true;
}

static void stalled(const char *what)
{
	unsigned long busy = 0;

	for (int i = 0; i < NTXBUF; i++)
		busy += tx_busy[i];
	printf("sun8i-emac: %s: %lu TX frame(s) never completed (%lu sent, %lu completed): "
	       "the DMA did not fetch them - poll demand (doorbell) missing?\n",
	       what, busy, tx_frames_sent, tx_done_ok + tx_done_err);
}

static void t_link(void)
{
	volatile uint32_t *regs = (volatile uint32_t *)OPI_EMAC_BASE;

	CHECK_EQ(dwmac_link(&d), 1);
	/* QEMU's PHY model: identifier 0x0044 / 0x1400 */
	CHECK_EQ(dwmac_mdio_read(&d, 2), 0x0044);
	CHECK_EQ(dwmac_mdio_read(&d, 3), 0x1400);
	CHECK_EQ(dwmac_mdio_read(&d, 32), -COH_EINVAL);
	/* the address the driver programmed, read back (ADDR_HIGH/LOW) */
	CHECK_EQ(regs[0x50 / 4], 0x0100u);
	CHECK_EQ(regs[0x54 / 4], 0x00000002u);
	CHECK_EQ(dwmac_set_mac(&d, bcast), -COH_EINVAL);
}

static void t_hello(void)
{
	CHECK(send_ctl(NP_OP_HELLO, 0, NP_VERSION, 0));
	if (!wait_for(hello_cond, 4000)) {
		if (!all_reclaimed())
			stalled("HELLO");
		else
			printf("sun8i-emac: HELLO sent, no HELLO_ACK within 4 s\n");
		CHECK(0);
	}
}

static bool echo_slot_free(void)
{
	for (int i = 0; i < ECHO_WINDOW; i++)
		if (!echo[i].live || echo[i].done)
			return free_txbuf() >= 0;
	return false;
}

static void echo_run(uint32_t first_seq, uint32_t count)
{
	uint64_t t0 = opi_now_us();
	unsigned long before = echo_ok;

	memset(echo, 0, sizeof(echo));
	for (uint32_t s = first_seq; s < first_seq + count; s++) {
		int slot = -1, i;
		uint32_t len = rnd_size();

		if (!wait_for(echo_slot_free, 5000)) {
			if (!all_reclaimed())
				stalled("echo");
			else
				printf("sun8i-emac: echo %lu: no reply within 5 s (%lu of %lu answered)\n",
				       (unsigned long)s, echo_ok - before,
				       (unsigned long)(s - first_seq));
			th_cur_failed = 1;
			return;
		}
		for (int k = 0; k < ECHO_WINDOW; k++)
			if (!echo[k].live || echo[k].done)
				slot = k;
		i = free_txbuf();
		np_build(txbuf[i], len, peer_mac, my_mac, NP_OP_ECHO, s, 0xec40u + s, 0, 1);
		echo[slot] = (typeof(echo[0])){ .live = true, .seq = s, .len = len,
						 .crc = np_get32(txbuf[i] + NP_OFF_CRC) };
		while (send_frame(i, len, s % 4 == 3) == -COH_EAGAIN)
			pump();
		pump();
	}
	for (;;) {
		bool pending = false;

		for (int k = 0; k < ECHO_WINDOW; k++)
			pending |= echo[k].live && !echo[k].done;
		if (!pending)
			break;
		if (opi_now_us() - t0 > 20000000u) {
			printf("sun8i-emac: echoes: %lu of %lu answered within 20 s\n",
			       echo_ok - before, (unsigned long)count);
			th_cur_failed = 1;
			return;
		}
		pump();
	}
	printf("sun8i-emac: echo: %lu of %lu answered correctly (sizes 60-1514, every 4th "
	       "sent as 3 descriptors, payload checked by the peer and here)\n",
	       echo_ok - before, (unsigned long)count);
	if (echo_ok - before != count)
		th_cur_failed = 1;
}

static void t_echo(void)
{
	echo_run(0, N_ECHO);
	CHECK_EQ(rx.bad, 0);
}

static void t_data_to_peer(void)
{
	for (uint32_t s = 0; s < N_DATA; s++) {
		uint32_t len = rnd_size();
		int i;

		if (!wait_for(txbuf_free, 3000)) {
			stalled("DATA");
			CHECK(0);
		}
		i = free_txbuf();
		np_build(txbuf[i], len, peer_mac, my_mac, NP_OP_DATA, s, 0xda7a0000u, 0, 1);
		while (send_frame(i, len, s % 3 == 0) == -COH_EAGAIN)
			pump();
	}
	CHECK(wait_for(all_reclaimed, 3000));
	CHECK_EQ(tx_done_err, 0);
	printf("sun8i-emac: data: %lu frames to the peer reclaimed (every 3rd as 3 descriptors)\n",
	       (unsigned long)N_DATA);
}

/* ask for count DATA frames with seed and wait until the end marker is in */
static bool expect_data(uint32_t seed, uint32_t count, enum np_op req, uint32_t a0, uint32_t a1,
			bool (*cond)(void), uint64_t stall_us)
{
	memset(got, 0, sizeof(got));
	phase_s0 = d.stats;
	phase_runts0 = rx.runts;
	want_seed = seed;
	want_count = count;
	data_ok = 0;
	rx.burst_end = rx.bad_end = false;
	if (!send_ctl(req, 0, a0, a1))
		return false;
	if (stall_us) {
		/* not polling: the RX ring fills up, QEMU holds the rest back */
		uint64_t t0 = opi_now_us();

		while (opi_now_us() - t0 < stall_us)
			;
	}
	if (wait_for(cond, 5000))
		return true;
	if (d.stats.rx_nobuf > phase_s0.rx_nobuf)
		printf("sun8i-emac: the RX DMA ran out of descriptors and never resumed after the "
		       "driver re-armed them: RX poll demand (doorbell) missing?\n");
	return false;
}

static void t_bursts(void)
{
	for (uint32_t b = 0; b < N_BURST; b++) {
		uint32_t seed = 0xb0057000u + b;

		CHECK(expect_data(seed, BURST_LEN, NP_OP_BURST_REQ, BURST_LEN, seed, burst_cond, 0));
		if (data_ok != BURST_LEN)
			printf("sun8i-emac: burst %lu: %lu of %lu frames arrived intact\n",
			       (unsigned long)b, data_ok, (unsigned long)BURST_LEN);
		CHECK_EQ(data_ok, BURST_LEN);
	}
	CHECK_EQ(rx.bad + rx.unexpected, 0);
	printf("sun8i-emac: bursts: %lu x %lu frames of 60-1514 bytes from the peer, all intact\n",
	       (unsigned long)N_BURST, (unsigned long)BURST_LEN);
}

static void t_runts(void)
{
	struct dwmac_stats s0, s1;
	unsigned long r0 = rx.runts, dropped;

	dwmac_get_stats(&d, &s0);
	CHECK(expect_data(0, 0, NP_OP_BAD_REQ, NP_BAD_RUNT, N_RUNT, runt_cond, 0));
	dwmac_get_stats(&d, &s1);
	/* dropped by the driver (hardware) or seen padded and dropped here (QEMU) */
	dropped = (rx.runts - r0) + (s1.rx_errors - s0.rx_errors) +
		  (s1.rx_length_errors - s0.rx_length_errors);
	printf("sun8i-emac: runts: %lu sent, %lu delivered padded and dropped here, %lu dropped by the driver\n",
	       (unsigned long)N_RUNT, rx.runts - r0, dropped - (rx.runts - r0));
	CHECK_EQ(dropped, N_RUNT);
}

static void t_oversize(void)
{
	struct dwmac_stats s0, s1;
	unsigned long dropped;

	dwmac_get_stats(&d, &s0);
	CHECK(expect_data(0, 0, NP_OP_BAD_REQ, NP_BAD_OVERSIZE, N_OVERSIZE, oversize_cond, 0));
	dwmac_get_stats(&d, &s1);
	dropped = (s1.rx_length_errors - s0.rx_length_errors) +
		  (s1.rx_proto_errors - s0.rx_proto_errors) + (s1.rx_errors - s0.rx_errors);
	printf("sun8i-emac: oversized: %lu sent, %lu counted and dropped by the driver "
	       "(length %lu, FD/LD %lu), %lu delivered\n", (unsigned long)N_OVERSIZE, dropped,
	       s1.rx_length_errors - s0.rx_length_errors, s1.rx_proto_errors - s0.rx_proto_errors,
	       rx.oversize);
	CHECK_EQ(rx.oversize, 0);
	CHECK(dropped >= N_OVERSIZE);
}

static void t_flood(void)
{
	struct dwmac_stats s0, s1;

	dwmac_get_stats(&d, &s0);
	/* 300 ms without polling: the ring (RX_RING slots) fills, the DMA runs dry */
	CHECK(expect_data(NP_FLOOD_SEED, N_FLOOD, NP_OP_BAD_REQ, NP_BAD_FLOOD, N_FLOOD, flood_cond,
			  300000));
	dwmac_get_stats(&d, &s1);
	printf("sun8i-emac: flood: %lu frames for a %lu-slot ring, %lu intact, RX ran dry %lu time(s)\n",
	       (unsigned long)N_FLOOD, (unsigned long)RX_RING, data_ok, s1.rx_nobuf - s0.rx_nobuf);
	CHECK(s1.rx_nobuf > s0.rx_nobuf);
	/* QEMU holds frames back while the ring is full: none is lost */
	CHECK_EQ(data_ok, N_FLOOD);
}

static void t_echo_after_bad_input(void)
{
	echo_run(N_ECHO, N_ECHO2);
	CHECK_EQ(rx.bad + rx.unexpected + rx.oversize, 0);
}

static void t_peer_tally(void)
{
	unsigned long sent;

	CHECK(wait_for(all_reclaimed, 3000));
	sent = tx_frames_sent;
	rx.stats = false;
	CHECK(send_ctl(NP_OP_STATS_REQ, 0, 0, 0));
	CHECK(wait_for(stats_cond, 5000));
	printf("sun8i-emac: peer got %lu good, %lu bad frames (%lu echo, %lu data) of %lu sent\n",
	       (unsigned long)rx.stats_v[NP_STAT_RX_GOOD], (unsigned long)rx.stats_v[NP_STAT_RX_BAD],
	       (unsigned long)rx.stats_v[NP_STAT_RX_ECHO], (unsigned long)rx.stats_v[NP_STAT_RX_DATA],
	       sent + 1);
	CHECK_EQ(rx.stats_v[NP_STAT_RX_BAD], 0);
	CHECK_EQ(rx.stats_v[NP_STAT_RX_GOOD], sent + 1);	/* + the STATS_REQ */
	CHECK_EQ(rx.stats_v[NP_STAT_RX_ECHO], N_ECHO + N_ECHO2);
	CHECK_EQ(rx.stats_v[NP_STAT_RX_DATA], N_DATA);
}

static void t_totals(void)
{
	struct dwmac_stats s;

	dwmac_get_stats(&d, &s);
	printf("sun8i-emac: %s ring, stride %lu: tx %lu frames (%lu as 3-descriptor SG), rx %lu frames "
	       "(RX ring of %lu wrapped %lu times), rx drops: %lu length, %lu FD/LD, %lu error, "
	       "RX ran dry %lu time(s); QEMU workarounds: %lu list resyncs, %lu nudges\n",
	       SUN8I_UNCACHED_RING ? "uncached packed" : "cached, one descriptor per line",
	       (unsigned long)coh_ring_stride(&d.rx), s.tx_frames, tx_sg_frames, s.rx_frames, (unsigned long)RX_RING,
	       s.rx_frames / RX_RING, s.rx_length_errors, s.rx_proto_errors, s.rx_errors,
	       s.rx_nobuf, resyncs, nudges);
	CHECK(s.tx_frames >= 1000);
	CHECK(s.rx_frames >= 1000);
	CHECK(tx_sg_frames > 0);
	CHECK_EQ(s.tx_errors, 0);
}

static void t_close(void)
{
	CHECK(send_ctl(NP_OP_BYE, 0, 0, 0));
	CHECK(wait_for(all_reclaimed, 3000));
	CHECK_EQ(dwmac_close(&d), 0);
	CHECK_EQ(coh_stream_live(&stream), 0);
	CHECK_EQ(coh_device_leaks(&emac), 0);
}

/* ---- planted bugs (never in drivers/: a test-only copy of the ops) -------------- */

#if SUN8I_BROKEN == 1
/* BUG (planted): the doorbell is never rung - a missing tail/poll-demand write */
static void no_kick(struct dwmac *dd, coh_bus_t b, size_t i)
{
	(void)dd;
	(void)b;
	(void)i;
}
#elif SUN8I_BROKEN == 3
/* BUG (planted): the RX doorbell is never rung after re-arming */
static void no_rx_kick(struct dwmac *dd, coh_bus_t b, size_t i)
{
	(void)dd;
	(void)b;
	(void)i;
}
#elif SUN8I_BROKEN == 2
/* BUG (planted): OWN reaches the DMA before the buffer address: it reads the
 * descriptor with the address field still 0 */
static void own_before_addr(struct dwmac_desc *dd, const struct dwmac_tx_seg *seg)
{
	dwmac_sun8i_ops.tx_encode(dd, seg);
	dd->des2 = 0;
}
#endif

static int setup(void)
{
	struct dwmac_config cfg = {
		.ops = &ops,
		.regs = (volatile void *)OPI_EMAC_BASE,
		.dev = &emac,
		.layout = SUN8I_UNCACHED_RING ? DWMAC_LAYOUT_UNCACHED : DWMAC_LAYOUT_CACHED_SKIP,
		.tx_count = TX_RING,
		.rx_count = RX_RING,
		.rx_buf_size = 1536,
		.phy_addr = PHY_ADDR,
		.tx_done = tx_done,
	};
	int rc;

	ops = dwmac_sun8i_ops;
#if SUN8I_BROKEN == 1
	ops.tx_kick = no_kick;
#elif SUN8I_BROKEN == 2
	ops.tx_encode = own_before_addr;
#elif SUN8I_BROKEN == 3
	ops.rx_kick = no_rx_kick;
#endif
	if (coh_region_add(&region, dma_arena, (uint64_t)(uintptr_t)dma_arena, sizeof(dma_arena), 0) ||
	    coh_region_add(&uregion, (void *)OPI_UNCACHED_BASE, OPI_UNCACHED_BASE, OPI_UNCACHED_SIZE,
			   COH_REGION_UNCACHED) ||
	    coh_device_init(&emac, "sun8i-emac", 0) || coh_device_set_mask_bits(&emac, 32) ||
	    coh_stream_init(&stream, recs, sizeof(recs) / sizeof(recs[0]), 0) ||
	    coh_device_set_stream(&emac, &stream)) {
		printf("sun8i-emac: library setup failed\n");
		return -1;
	}
	rc = dwmac_open(&d, &cfg, my_mac, drvmem, sizeof(drvmem));
	if (rc) {
		printf("sun8i-emac: dwmac_open: %d (need %lu bytes of bookkeeping)\n", rc,
		       (unsigned long)dwmac_mem_size(&cfg));
		return -1;
	}
	return 0;
}

/* after a failed phase the later ones would only wait for their timeouts */
#define STEP(fn)                                                               \
	do {                                                                   \
		RUN(fn);                                                       \
		if (th_fail)                                                   \
			goto out;                                              \
	} while (0)

int main(void)
{
	uint64_t t0 = opi_now_us();

	if (setup())
		return th_finish("sun8i-emac") | 1;
	STEP(t_link);
	STEP(t_hello);
	STEP(t_echo);
	STEP(t_data_to_peer);
	STEP(t_bursts);
	STEP(t_runts);
	STEP(t_oversize);
	STEP(t_flood);
	STEP(t_echo_after_bad_input);
	STEP(t_peer_tally);
	STEP(t_totals);
	STEP(t_close);
out:
	printf("sun8i-emac: %lu ms in the guest\n", (unsigned long)((opi_now_us() - t0) / 1000));
	return th_finish("sun8i-emac");
}
