/* SPDX-License-Identifier: MIT */
/*
 * drivers/virtio/virtio_net.h - virtio-net (VirtIO 1.x section 5.1): one
 * receive and one transmit queue, no offloads, no mergeable buffers.
 *
 * Buffers: the driver owns VIRTIO_NET_RX_BUFS receive and VIRTIO_NET_TX_BUFS
 * transmit buffers inside struct virtio_net (the caller provides its
 * storage; each buffer starts on a COH_MAX_LINE boundary and is a whole
 * number of such lines, so streaming maps never bounce them).  Each holds
 * the 12-byte virtio-net header followed by one frame, in one descriptor.
 * Receive buffers are mapped FROM_DEVICE once and stay mapped until a
 * reset or teardown: a received frame's bytes (and only those) are synced
 * for the CPU - every frame one poll found, under one barrier, then handed
 * out one per virtio_net_recv call - and given back to the device when the
 * buffer is posted again, in batches of
 * VIRTIO_NET_RX_REFILL (one kick: its two barriers and the avail_event read
 * shared by the batch), so at least RX_BUFS - RX_REFILL stay posted.
 * Transmit buffers are filled, mapped TO_DEVICE into the kick's batch and
 * unmapped when reaped: by virtio_net_tx_reap(), or by a send that finds
 * fewer than VIRTIO_NET_TX_REAP free (one poll for the frames sent since).
 *
 * Errors:
 *   virtio_net_send: -COH_EINVAL frame shorter than an Ethernet header or
 *     longer than the MTU + 14 (nothing queued); -COH_EAGAIN every
 *     transmit buffer is in flight (retry after the device returns one);
 *   virtio_net_recv: -COH_EAGAIN nothing received; -COH_EINVAL the caller's
 *     buffer holds less than VIRTIO_NET_MAX_FRAME (nothing is taken);
 *     -COH_ERANGE the device delivered a frame shorter than the virtio-net
 *     and Ethernet headers or longer than MTU + 14 bytes (either fits the
 *     driver's buffer): that frame dropped, counted in rx_dropped, the
 *     queue untouched (the next call returns the next frame);
 *   both: -COH_EPROTO the device broke the protocol (a used-ring value
 *     refused: an index, an id, a length beyond the buffer): counted; the
 *     device was reset and set up again (cnt.resets), a frame may be lost.
 * Not for interrupt context.
 */
#ifndef COHERENT_DRIVERS_VIRTIO_NET_H
#define COHERENT_DRIVERS_VIRTIO_NET_H

#include "virtqueue.h"

#define VIRTIO_NET_F_MAC	5
#define VIRTIO_NET_F_STATUS	16
#define VIRTIO_NET_S_LINK_UP	1

#define VIRTIO_NET_HDR_LEN	12	/* VERSION_1: num_buffers included */
#define VIRTIO_NET_MTU		1500
#define VIRTIO_NET_MAX_FRAME	(VIRTIO_NET_MTU + 14)
#define VIRTIO_NET_BUF		1536	/* header + frame, whole 128-byte lines */
#define VIRTIO_NET_RX_BUFS	64
#define VIRTIO_NET_RX_REFILL	16	/* refill once this many receive buffers are out */
#define VIRTIO_NET_TX_BUFS	32
#define VIRTIO_NET_TX_REAP	8	/* send reaps once fewer buffers than this are free */

struct virtio_net_buf {
	uint8_t b[VIRTIO_NET_BUF];
} __attribute__((aligned(COH_MAX_LINE)));

struct virtio_net {
	struct virtio_net_buf rx[VIRTIO_NET_RX_BUFS];
	struct virtio_net_buf tx[VIRTIO_NET_TX_BUFS];
	struct virtio_mmio vm;
	struct virtq rxq, txq;
	unsigned int ring_attrs;
	uint8_t mac[6];
	bool has_mac, has_status, dead;
	coh_bus_t rx_bus[VIRTIO_NET_RX_BUFS];	/* COH_BUS_ERROR: not mapped */
	bool rx_out[VIRTIO_NET_RX_BUFS];	/* posted to the device */
	uint32_t rx_got[VIRTIO_NET_RX_BUFS];	/* bytes the CPU took back since */
	/* received, synced for the CPU, not yet returned by virtio_net_recv:
	 * buffer index and length (or the refusal to return), oldest first */
	uint16_t rxq_idx[VIRTIO_NET_RX_BUFS];
	int32_t rxq_len[VIRTIO_NET_RX_BUFS];
	unsigned rxq_head, rxq_n;
	unsigned rx_idle;			/* buffers neither posted nor held */
	coh_bus_t tx_bus[VIRTIO_NET_TX_BUFS];	/* COH_BUS_ERROR: free */
	size_t tx_len[VIRTIO_NET_TX_BUFS];
	unsigned long rx_frames, tx_frames, rx_dropped;
};

/** @brief Default features: MAC, STATUS, INDIRECT_DESC, EVENT_IDX. */
#define VIRTIO_NET_WANT                                                       \
	(VIRTIO_BIT(VIRTIO_NET_F_MAC) | VIRTIO_BIT(VIRTIO_NET_F_STATUS) |     \
	 VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC) | VIRTIO_BIT(VIRTIO_F_EVENT_IDX))

/**
 * @brief Bring the device at `mmio` up: negotiate, read the MAC (when
 * offered; else n->mac is zero and has_mac false), set up both queues with
 * rings allocated with ring_attrs, post every receive buffer, DRIVER_OK.
 * @retval 0; errors of virtio_blk_init()'s kind (probe, negotiate, queues)
 */
int virtio_net_init(struct virtio_net *n, void *mmio, struct coh_device *dev,
		    uint64_t want, unsigned int ring_attrs, uint32_t budget);

/** @brief Queue one frame (copied: the caller's buffer is free on return). */
int virtio_net_send(struct virtio_net *n, const void *frame, size_t len);

/** @brief Take one received frame into buf (cap bytes); *len its length. */
int virtio_net_recv(struct virtio_net *n, void *buf, size_t cap, size_t *len);

/** @brief Reclaim transmit buffers the device returned; returns how many (or -COH_EPROTO). */
int virtio_net_tx_reap(struct virtio_net *n);

/**
 * @brief Link state from config space: 1 up, 0 down (1 when STATUS is not
 * offered: the link is then assumed up, section 5.1.4); -COH_EPROTO unstable.
 */
int virtio_net_link(struct virtio_net *n);

/** @brief Reset, take every buffer back, set up again (after -COH_EPROTO). */
int virtio_net_recover(struct virtio_net *n);

/** @brief Reset the device, unmap everything, free the rings. */
int virtio_net_destroy(struct virtio_net *n);

#endif
