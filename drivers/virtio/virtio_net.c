/* SPDX-License-Identifier: MIT */
/*
 * virtio-net.  Facts: VirtIO 1.x section 5.1 (queues 0 receive, 1
 * transmit; configuration: mac at 0, status at 6; with VERSION_1 the
 * header is 12 bytes, num_buffers included; without mergeable buffers a
 * receive buffer must hold the header and a whole frame).
 */
#include "virtio_net.h"
#include "coherent/driver.h"

static unsigned rx_index(struct virtio_net *n, void *tok)
{
	return (unsigned)((struct virtio_net_buf *)tok - n->rx);
}

static unsigned tx_index(struct virtio_net *n, void *tok)
{
	return (unsigned)((struct virtio_net_buf *)tok - n->tx);
}

/* Map receive buffer i for the device and queue it (not yet published). */
static int rx_post(struct virtio_net *n, unsigned i)
{
	struct coh_device *dev = n->vm.dev;
	/* flushed now, completed by the kick's first barrier with the refill */
	coh_bus_t bus = coh_map_single_batch(virtq_batch(&n->rxq), dev, n->rx[i].b,
					     VIRTIO_NET_BUF, COH_FROM_DEVICE);
	struct virtq_seg s = { .len = VIRTIO_NET_BUF, .write = true };
	int rc;

	if (coh_mapping_error(dev, bus))
		return -COH_ENOMEM;
	s.bus = bus;
	rc = virtq_add(&n->rxq, &s, 1, &n->rx[i]);
	if (rc) {
		(void)coh_unmap_single(dev, bus, VIRTIO_NET_BUF, COH_FROM_DEVICE);
		return rc;
	}
	n->rx_bus[i] = bus;
	return 0;
}

/* Post every free receive buffer, then publish them with one kick. */
static int rx_fill(struct virtio_net *n)
{
	unsigned posted = 0;

	for (unsigned i = 0; i < VIRTIO_NET_RX_BUFS && virtq_free(&n->rxq); i++) {
		if (n->rx_bus[i] == COH_BUS_ERROR) {
			int rc = rx_post(n, i);

			if (rc)
				return rc;
			posted++;
		}
	}
	if (!posted)
		return 0;
	return virtq_kick(&n->rxq) < 0 ? -COH_EPROTO : 0;
}

static void rx_unmap(struct virtio_net *n, unsigned i)
{
	(void)coh_unmap_single(n->vm.dev, n->rx_bus[i], VIRTIO_NET_BUF, COH_FROM_DEVICE);
	n->rx_bus[i] = COH_BUS_ERROR;
}

static void tx_unmap(struct virtio_net *n, unsigned i)
{
	(void)coh_unmap_single(n->vm.dev, n->tx_bus[i], n->tx_len[i], COH_TO_DEVICE);
	n->tx_bus[i] = COH_BUS_ERROR;
}

static void rx_reclaim(void *tok, void *ctx)
{
	rx_unmap(ctx, rx_index(ctx, tok));
}

static void tx_reclaim(void *tok, void *ctx)
{
	tx_unmap(ctx, tx_index(ctx, tok));
}

static int queues_up(struct virtio_net *n)
{
	int rc;

	if (n->has_mac) {
		rc = virtio_mmio_config_bytes(&n->vm, 0, n->mac, sizeof(n->mac));
		if (rc)
			return rc;
	}
	virtio_mmio_driver_ok(&n->vm);
	return rx_fill(n);
}

int virtio_net_init(struct virtio_net *n, void *mmio, struct coh_device *dev,
		    uint64_t want, unsigned int ring_attrs, uint32_t budget)
{
	int rc;

	if (!n || !mmio || !dev)
		return -COH_EINVAL;
	n->ring_attrs = ring_attrs;
	n->dead = false;
	n->rx_frames = n->tx_frames = n->rx_dropped = 0;
	for (unsigned i = 0; i < VIRTIO_NET_RX_BUFS; i++)
		n->rx_bus[i] = COH_BUS_ERROR;
	for (unsigned i = 0; i < VIRTIO_NET_TX_BUFS; i++)
		n->tx_bus[i] = COH_BUS_ERROR;
	rc = virtio_mmio_probe(&n->vm, mmio, dev, budget);
	if (rc)
		return rc;
	if (n->vm.device_id != VIRTIO_ID_NET)
		return -COH_ENODEV;
	rc = virtio_mmio_negotiate(&n->vm, want);
	if (rc)
		return rc;
	n->has_mac = virtio_has(&n->vm, VIRTIO_NET_F_MAC);
	n->has_status = virtio_has(&n->vm, VIRTIO_NET_F_STATUS);
	for (unsigned i = 0; i < sizeof(n->mac); i++)
		n->mac[i] = 0;
	rc = virtq_init(&n->rxq, &n->vm, 0, VIRTIO_NET_RX_BUFS, ring_attrs);
	if (rc)
		goto fail;
	rc = virtq_init(&n->txq, &n->vm, 1, VIRTIO_NET_TX_BUFS, ring_attrs);
	if (rc) {
		(void)virtq_destroy(&n->rxq);
		goto fail;
	}
	rc = queues_up(n);
	if (rc) {
		(void)virtio_net_destroy(n);
		return rc;
	}
	return 0;
fail:
	virtio_mmio_fail(&n->vm);
	return rc;
}

int virtio_net_recover(struct virtio_net *n)
{
	int rc;

	n->vm.cnt.resets++;
	rc = virtio_mmio_reset(&n->vm);
	if (!rc)
		rc = virtq_recover(&n->rxq, rx_reclaim, n);
	if (!rc)
		rc = virtq_recover(&n->txq, tx_reclaim, n);
	if (!rc)
		rc = virtio_mmio_negotiate(&n->vm, n->vm.features);
	if (!rc)
		rc = virtq_program(&n->rxq);
	if (!rc)
		rc = virtq_program(&n->txq);
	if (rc == -COH_EINVAL)	/* the device shrank a queue across the reset */
		rc = -COH_EPROTO;
	if (!rc)
		rc = queues_up(n);
	if (rc) {
		n->dead = true;
		virtio_mmio_fail(&n->vm);
	} else {
		n->dead = false;
	}
	return rc;
}

/* A refusal: recover, and say the device broke the protocol. */
static int refused(struct virtio_net *n)
{
	(void)virtio_net_recover(n);
	return -COH_EPROTO;
}

int virtio_net_tx_reap(struct virtio_net *n)
{
	int done = 0;

	if (!n)
		return -COH_EINVAL;
	if (n->dead)
		return -COH_EPROTO;
	for (;;) {
		void *tok;
		uint32_t len;
		int rc = virtq_get(&n->txq, &tok, &len);

		if (rc == -COH_EAGAIN)
			return done;
		if (rc)
			return refused(n);
		tx_unmap(n, tx_index(n, tok));
		done++;
	}
}

int virtio_net_send(struct virtio_net *n, const void *frame, size_t len)
{
	struct virtq_seg s;
	struct coh_device *dev;
	unsigned i;
	coh_bus_t bus;
	int rc;

	if (!n || !frame || len < 14 || len > VIRTIO_NET_MAX_FRAME)
		return -COH_EINVAL;
	rc = virtio_net_tx_reap(n);
	if (rc < 0)
		return rc;
	for (i = 0; i < VIRTIO_NET_TX_BUFS && n->tx_bus[i] != COH_BUS_ERROR; i++)
		;
	if (i == VIRTIO_NET_TX_BUFS || virtq_free(&n->txq) == 0)
		return -COH_EAGAIN;
	/* no offloads: an all-zero header */
	__builtin_memset(n->tx[i].b, 0, VIRTIO_NET_HDR_LEN);
	__builtin_memcpy(n->tx[i].b + VIRTIO_NET_HDR_LEN, frame, len);
	dev = n->vm.dev;
	n->tx_len[i] = len + VIRTIO_NET_HDR_LEN;
	/* cleaned now, completed by the kick's first barrier */
	bus = coh_map_single_batch(virtq_batch(&n->txq), dev, n->tx[i].b, n->tx_len[i],
				   COH_TO_DEVICE);
	if (coh_mapping_error(dev, bus))
		return -COH_ENOMEM;
	n->tx_bus[i] = bus;
	s = (struct virtq_seg){ .bus = bus, .len = (uint32_t)n->tx_len[i] };
	rc = virtq_add(&n->txq, &s, 1, &n->tx[i]);
	if (rc) {
		tx_unmap(n, i);
		return rc;
	}
	if (virtq_kick(&n->txq) < 0)
		return refused(n);
	n->tx_frames++;
	return 0;
}

int virtio_net_recv(struct virtio_net *n, void *buf, size_t cap, size_t *len)
{
	void *tok;
	uint32_t l;
	unsigned i;
	int rc;

	if (!n || !buf || !len || cap < VIRTIO_NET_MAX_FRAME)
		return -COH_EINVAL;
	if (n->dead)
		return -COH_EPROTO;
	rc = virtq_get(&n->rxq, &tok, &l);
	if (rc == -COH_EAGAIN)
		return rc;
	if (rc)
		return refused(n);
	i = rx_index(n, tok);
	rx_unmap(n, i);
	if (l < VIRTIO_NET_HDR_LEN + 14) {
		/* not even a header and an Ethernet header: refused */
		virtio_count(&n->vm, &n->vm.cnt.bad_used_len);
		n->rx_dropped++;
		rc = -COH_EPROTO;
	} else if (l - VIRTIO_NET_HDR_LEN > VIRTIO_NET_MAX_FRAME) {
		/* fits our buffer, not the caller's promise of the MTU: dropped */
		n->rx_dropped++;
		rc = -COH_ERANGE;
	} else {
		*len = l - VIRTIO_NET_HDR_LEN;
		/* the received bytes, as the CPU now sees them */
		(void)coh_consume(n->vm.dev, n->rx[i].b, l);
		__builtin_memcpy(buf, n->rx[i].b + VIRTIO_NET_HDR_LEN, *len);
		n->rx_frames++;
		rc = 0;
	}
	/* a batch of buffers per kick, not one */
	if (virtq_free(&n->rxq) >= VIRTIO_NET_RX_REFILL && rx_fill(n))
		return refused(n);
	return rc;
}

int virtio_net_link(struct virtio_net *n)
{
	uint64_t v;
	int rc;

	if (!n)
		return -COH_EINVAL;
	if (!n->has_status)
		return 1;
	rc = virtio_mmio_config(&n->vm, 6, 2, &v);
	if (rc)
		return rc;
	return (v & VIRTIO_NET_S_LINK_UP) != 0;
}

int virtio_net_destroy(struct virtio_net *n)
{
	int rc = virtio_mmio_reset(&n->vm);

	if (rc)
		return rc;
	(void)virtq_reclaim(&n->rxq, rx_reclaim, n);
	(void)virtq_reclaim(&n->txq, tx_reclaim, n);
	rc = virtq_destroy(&n->rxq);
	if (!rc)
		rc = virtq_destroy(&n->txq);
	return rc;
}
