/* SPDX-License-Identifier: MIT */
/*
 * virtio-net against QEMU's own device, bare metal, MMU and caches on, with
 * tools/netpeer on the other end of a unix-socket `-netdev dgram` (protocol:
 * tools/netpeer/netproto.h).  The peer checks every frame the guest sends
 * (length, CRC, payload); the guest checks every frame it gets: echo
 * replies (payload regenerated, and the CRC the peer computed over our
 * request), bursts and a flood larger than the receive ring (every DATA
 * frame, in order), runts, and the peer's own tally at the end.  Ends with
 * "virtio-net: N passed, 0 failed" (N: frames verified here plus the test
 * functions).
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "qemu_env.h"
#include "netpeer/netproto.h"
#include "../../drivers/virtio/virtio_net.h"

TH_DEFINE_COUNTERS;

static struct virtio_net net;
static struct coh_device dev;
static uint8_t frame[VIRTIO_NET_MAX_FRAME], rx[VIRTIO_NET_MAX_FRAME];
static const uint8_t peer_mac[6] = { 2, 0, 0, 0, 0, 2 };
static int frames_ok;
static uint32_t sent_good;

#define POLLS 20000000u

static int send_frame(size_t len)
{
	for (uint32_t i = 0; i < POLLS; i++) {
		int rc = virtio_net_send(&net, frame, len);

		if (rc != -COH_EAGAIN) {
			sent_good += rc == 0;
			return rc;
		}
	}
	return -COH_ETIMEDOUT;
}

static int send_op(enum np_op op, uint32_t seq, uint32_t a0, uint32_t a1, size_t len)
{
	np_build(frame, len, peer_mac, net.mac, op, seq, a0, a1, np_generated(op));
	return send_frame(len);
}

/* The next frame of the protocol, for our MAC, or a negative code. */
static int recv_frame(size_t *len)
{
	for (uint32_t i = 0; i < POLLS; i++) {
		int rc = virtio_net_recv(&net, rx, sizeof(rx), len);

		if (rc == -COH_EAGAIN)
			continue;
		if (rc)
			return rc;
		/* ours: for our MAC, the protocol's EtherType, an op (runts too) */
		if (*len > NP_OFF_OP && !memcmp(rx, net.mac, 6) &&
		    rx[NP_OFF_TYPE] == (uint8_t)(NP_ETHERTYPE >> 8) &&
		    rx[NP_OFF_TYPE + 1] == (uint8_t)NP_ETHERTYPE)
			return 0;
	}
	return -COH_ETIMEDOUT;
}

/* Receive one frame of op `op` and check it whole; 0 if good. */
static int expect(enum np_op op, uint32_t seq)
{
	size_t len;

	if (recv_frame(&len) || len < NP_HDR || rx[NP_OFF_OP] != op ||
	    np_get32(rx + NP_OFF_SEQ) != seq ||
	    np_check(rx, len, 1) != NP_GOOD) {
		printf("virtio-net: expected op %d seq %u, got op %d seq %u (%s)\n", op, seq,
		       rx[NP_OFF_OP], np_get32(rx + NP_OFF_SEQ),
		       np_check(rx, len, 1) == NP_GOOD ? "good" : "bad");
		return -1;
	}
	frames_ok++;
	return 0;
}

static void t_init(void)
{
	int rc, link;
	void *base;

	CHECK_EQ(env_init(), 0);
	CHECK_EQ(env_device(&dev, "virtio-net", false), 0);
	base = env_find(VIRTIO_ID_NET, &dev, &rc);
	CHECK_EQ(rc, 0);
	CHECK_EQ(virtio_net_init(&net, base, &dev, VIRTIO_NET_WANT, 0, 0), 0);
	CHECK(net.has_mac);
	/* the MAC given on QEMU's command line */
	CHECK(net.mac[0] == 0x52 && net.mac[1] == 0x54 && net.mac[5] == 0x56);
	link = virtio_net_link(&net);
	CHECK_EQ(link, 1);
	printf("virtio-net: mac %02x:%02x:%02x:%02x:%02x:%02x link %s features 0x%llx\n",
	       net.mac[0], net.mac[1], net.mac[2], net.mac[3], net.mac[4],
	       net.mac[5], link ? "up" : "down",
	       (unsigned long long)net.vm.features);
	CHECK_EQ(send_op(NP_OP_HELLO, 0, NP_VERSION, 0, NP_HDR), 0);
	CHECK_EQ(expect(NP_OP_HELLO_ACK, 0), 0);
}

/* An echo of our request, and the peer's CRC of it equal to ours. */
static int echo_ok(uint32_t seq, uint32_t crc)
{
	if (expect(NP_OP_ECHO_REPLY, seq))
		return -1;
	return np_get32(rx + NP_OFF_ARG1) == crc ? 0 : -1;
}

static uint32_t echo_len(uint32_t seq)
{
	static const uint32_t sz[] = { NP_HDR, 60, 61, 100, 511, 1000, 1513, 1514 };

	return seq % 3 ? np_burst_size(7, seq) : sz[(seq / 3) % 8];
}

/* One frame, one echo, in lock step. */
static void t_echo(void)
{
	for (uint32_t seq = 1; seq <= 64; seq++) {
		uint32_t len = echo_len(seq);

		CHECK_EQ(send_op(NP_OP_ECHO, seq, 0x1234u + seq, 0, len), 0);
		CHECK_EQ(echo_ok(seq, np_get32(frame + NP_OFF_CRC)), 0);
	}
}

/* 24 echo requests in flight (the transmit ring holds 32), then the replies. */
static void t_pipelined(void)
{
	static uint32_t crc[24];

	for (uint32_t round = 0; round < 4; round++) {
		uint32_t base = 100 + round * 24;

		for (uint32_t k = 0; k < 24; k++) {
			CHECK_EQ(send_op(NP_OP_ECHO, base + k, 77, 0, echo_len(base + k)), 0);
			crc[k] = np_get32(frame + NP_OFF_CRC);
		}
		for (uint32_t k = 0; k < 24; k++)
			CHECK_EQ(echo_ok(base + k, crc[k]), 0);
	}
}

/* Bursts of DATA from the peer, larger than the receive ring: refill keeps up. */
static void t_burst(void)
{
	for (uint32_t b = 0; b < 3; b++) {
		uint32_t count = 150;

		CHECK_EQ(send_op(NP_OP_BURST_REQ, b, count, 0xb00 + b, NP_HDR), 0);
		for (uint32_t q = 0; q < count; q++) {
			CHECK_EQ(expect(NP_OP_DATA, q), 0);
			CHECK_EQ(np_get32(rx + NP_OFF_ARG0), 0xb00 + b);
		}
		CHECK_EQ(expect(NP_OP_BURST_END, count), 0);
	}
}

/* Runts (15..59 bytes) arrive as they are; a flood of 300 back to back. */
static void t_runts_and_flood(void)
{
	size_t len;

	CHECK_EQ(send_op(NP_OP_BAD_REQ, 0, NP_BAD_RUNT, 8, NP_HDR), 0);
	for (int k = 0; k < 8; k++) {
		CHECK_EQ(recv_frame(&len), 0);
		CHECK(rx[NP_OFF_OP] == NP_OP_RUNT && len >= 15 && len < 60);
		frames_ok++;
	}
	CHECK_EQ(expect(NP_OP_BAD_END, 8), 0);
	CHECK_EQ(send_op(NP_OP_BAD_REQ, 0, NP_BAD_FLOOD, 300, NP_HDR), 0);
	for (uint32_t q = 0; q < 300; q++)
		CHECK_EQ(expect(NP_OP_DATA, q), 0);
	CHECK_EQ(expect(NP_OP_BAD_END, 300), 0);
}

/* Caller errors: documented codes, nothing queued. */
static void t_bad_input(void)
{
	unsigned long tx = net.tx_frames, kicks = net.txq.kicks;
	size_t len;

	CHECK_EQ(virtio_net_send(&net, frame, 13), -COH_EINVAL);
	CHECK_EQ(virtio_net_send(&net, frame, VIRTIO_NET_MAX_FRAME + 1), -COH_EINVAL);
	CHECK_EQ(virtio_net_send(&net, NULL, 60), -COH_EINVAL);
	CHECK_EQ(virtio_net_recv(&net, rx, VIRTIO_NET_MAX_FRAME - 1, &len), -COH_EINVAL);
	CHECK_EQ(net.tx_frames, tx);
	CHECK_EQ(net.txq.kicks, kicks);
}

/* The peer's tally: every frame we sent good, none bad. */
static void t_stats(void)
{
	uint32_t good, bad;

	CHECK_EQ(send_op(NP_OP_STATS_REQ, 0, 0, 0, NP_HDR), 0);
	CHECK_EQ(expect(NP_OP_STATS, 0), 0);
	good = np_get32(rx + NP_HDR + 4 * NP_STAT_RX_GOOD);
	bad = np_get32(rx + NP_HDR + 4 * NP_STAT_RX_BAD);
	printf("virtio-net: the peer counted %u good, %u bad of %u sent\n", good, bad,
	       sent_good);
	CHECK_EQ(bad, 0);
	CHECK_EQ(good, sent_good);
}

static void t_done(void)
{
	CHECK_EQ(send_op(NP_OP_BYE, 0, 0, 0, NP_HDR), 0);
	/* let the device take it before the reset in destroy */
	for (uint32_t i = 0; i < POLLS && net.txq.in_flight; i++)
		(void)virtio_net_tx_reap(&net);
	CHECK_EQ(net.txq.in_flight, 0);
	printf("virtio-net: tx %lu rx %lu frames, notifies tx %lu/%lu rx %lu/%lu, errors %lu\n",
	       net.tx_frames, net.rx_frames, net.txq.notifies, net.txq.kicks,
	       net.rxq.notifies, net.rxq.kicks, net.vm.cnt.errors);
	CHECK_EQ(net.vm.cnt.errors, 0);
	CHECK_EQ(virtio_net_destroy(&net), 0);
	CHECK_EQ(coh_stream_live(dev.bounce), 0);
}

int main(void)
{
	RUN(t_init);
	if (th_fail)
		return th_finish("virtio-net");
	RUN(t_echo);
	RUN(t_pipelined);
	RUN(t_burst);
	RUN(t_runts_and_flood);
	RUN(t_bad_input);
	RUN(t_stats);
	RUN(t_done);
	printf("virtio-net: %d frames verified here\n", frames_ok);
	th_pass += frames_ok;
	return th_finish("virtio-net");
}
