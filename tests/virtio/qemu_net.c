/* SPDX-License-Identifier: MIT */
/*
 * virtio-net against QEMU's own device, bare metal, MMU and caches on, a
 * host peer (tools/net-peer.py) on the other end of a unix-socket
 * `-netdev dgram`.  Frames: EtherType 0x88B5, payload header {kind, flags,
 * seq, dlen} (see the peer).  Checked here: every echo carries our payload
 * and the peer's CRC-32 of it; every burst frame its pattern and length.
 * The peer checks our payloads.  Ends with "virtio-net: N passed, 0 failed"
 * (N counts the frames verified here plus the test functions).
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "qemu_env.h"
#include "../../drivers/virtio/virtio_net.h"

TH_DEFINE_COUNTERS;

static struct virtio_net net;
static struct coh_device dev;
static uint8_t frame[VIRTIO_NET_MAX_FRAME], rx[VIRTIO_NET_MAX_FRAME];
static const uint8_t peer_mac[6] = { 2, 0, 0, 0, 0, 2 };
static int frames_ok;

#define ETYPE 0x88b5
#define POLLS 20000000u

static uint32_t crc32(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = c >> 1 ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

static size_t build(uint8_t kind, uint16_t seq, uint16_t dlen)
{
	memcpy(frame, peer_mac, 6);
	memcpy(frame + 6, net.mac, 6);
	frame[12] = ETYPE >> 8;
	frame[13] = ETYPE & 0xff;
	frame[14] = kind;
	frame[15] = 0;
	frame[16] = (uint8_t)seq;
	frame[17] = (uint8_t)(seq >> 8);
	frame[18] = (uint8_t)dlen;
	frame[19] = (uint8_t)(dlen >> 8);
	for (unsigned i = 0; i < dlen && kind == 1; i++)
		frame[20 + i] = (uint8_t)(seq * 7 + i * 13 + 1);
	return 20u + dlen;
}

static int send_frame(size_t len)
{
	for (uint32_t i = 0; i < POLLS; i++) {
		int rc = virtio_net_send(&net, frame, len);

		if (rc != -COH_EAGAIN)
			return rc;
	}
	return -COH_ETIMEDOUT;
}

/* Next frame of ours (EtherType 0x88B5, for our MAC), or a negative code. */
static int recv_frame(size_t *len)
{
	for (uint32_t i = 0; i < POLLS; i++) {
		int rc = virtio_net_recv(&net, rx, sizeof(rx), len);

		if (rc == -COH_EAGAIN)
			continue;
		if (rc)
			return rc;
		if (*len >= 20 && rx[12] == (ETYPE >> 8) && rx[13] == (ETYPE & 0xff) &&
		    !memcmp(rx, net.mac, 6))
			return 0;
	}
	return -COH_ETIMEDOUT;
}

static unsigned u16at(const uint8_t *p)
{
	return p[0] | (unsigned)p[1] << 8;
}

static int check_echo(uint16_t seq, uint16_t dlen)
{
	size_t len;
	uint32_t crc;

	if (recv_frame(&len) || len != 24u + dlen || rx[14] != 2 ||
	    u16at(rx + 16) != seq || u16at(rx + 18) != dlen)
		return -1;
	for (unsigned i = 0; i < dlen; i++)
		if (rx[20 + i] != (uint8_t)(seq * 7 + i * 13 + 1))
			return -1;
	crc = rx[20 + dlen] | (uint32_t)rx[21 + dlen] << 8 |
	      (uint32_t)rx[22 + dlen] << 16 | (uint32_t)rx[23 + dlen] << 24;
	if (crc != crc32(rx + 20, dlen))
		return -1;
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
}

/* echoes add a 4-byte CRC: 1490 makes a 1514-byte echo, the largest frame */
static const uint16_t sizes[] = { 0, 1, 26, 46, 100, 511, 1000, 1489, 1490 };
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))

/* One frame, one echo, in lock step. */
static void t_echo(void)
{
	for (uint16_t seq = 0; seq < 64; seq++) {
		uint16_t d = sizes[seq % NSIZES];

		CHECK_EQ(send_frame(build(1, seq, d)), 0);
		CHECK_EQ(check_echo(seq, d), 0);
	}
}

/* 24 frames in flight (the transmit ring holds 32), then their echoes. */
static void t_pipelined(void)
{
	for (uint16_t round = 0; round < 4; round++) {
		uint16_t base = (uint16_t)(100 + round * 24);

		for (uint16_t k = 0; k < 24; k++)
			CHECK_EQ(send_frame(build(1, (uint16_t)(base + k),
						  sizes[k % NSIZES])), 0);
		for (uint16_t k = 0; k < 24; k++)
			CHECK_EQ(check_echo((uint16_t)(base + k), sizes[k % NSIZES]), 0);
	}
}

/* Bursts from the peer, larger than the receive ring: refill keeps up. */
static void t_burst(void)
{
	for (int b = 0; b < 3; b++) {
		uint16_t count = 150;
		size_t len = build(3, 0, 2);

		frame[20] = (uint8_t)count;
		frame[21] = (uint8_t)(count >> 8);
		CHECK_EQ(send_frame(len), 0);
		for (uint16_t q = 0; q < count; q++) {
			unsigned dl = (q * 37u) % 1495u;

			CHECK_EQ(recv_frame(&len), 0);
			CHECK(rx[14] == 4 && u16at(rx + 16) == q && u16at(rx + 18) == dl);
			CHECK_EQ(len, 20 + dl);
			for (unsigned i = 0; i < dl; i++)
				CHECK(rx[20 + i] == (uint8_t)(q * 3 + i * 5 + 7));
			frames_ok++;
		}
	}
}

/* The peer sends one frame 4 bytes above the MTU: dropped, not copied. */
static void t_oversize(void)
{
	unsigned long dropped = net.rx_dropped;
	size_t len = 0;
	int rc = -COH_EAGAIN;

	CHECK_EQ(send_frame(build(6, 0, 0)), 0);
	for (uint32_t i = 0; i < POLLS && rc == -COH_EAGAIN; i++)
		rc = virtio_net_recv(&net, rx, sizeof(rx), &len);
	CHECK_EQ(rc, -COH_ERANGE);
	CHECK_EQ(net.rx_dropped, dropped + 1);
	/* and the next frame arrives whole */
	CHECK_EQ(send_frame(build(1, 999, 40)), 0);
	CHECK_EQ(check_echo(999, 40), 0);
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

static void t_done(void)
{
	CHECK_EQ(send_frame(build(5, 0, 0)), 0);
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
	RUN(t_oversize);
	RUN(t_bad_input);
	RUN(t_done);
	printf("virtio-net: %d frames verified here\n", frames_ok);
	th_pass += frames_ok;
	return th_finish("virtio-net");
}
