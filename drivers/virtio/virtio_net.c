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

static void rx_unmap(struct virtio_net *n, unsigned i);

/*
 * Queue receive buffer i (not yet published).  Its first post maps it
 * whole, and it stays mapped: later posts give back only the bytes the
 * CPU took (rx_got: a frame's length), the only lines that can hold
 * anything the CPU cached; the rest of the buffer never left the device.
 * Either way the lines join the kick's first barrier.
 */
static int rx_post(struct virtio_net *n, unsigned i)
{
	struct coh_device *dev = n->vm.dev;
	struct coh_batch *bt = virtq_batch(&n->rxq);
	struct virtq_seg s = { .len = VIRTIO_NET_BUF, .write = true };
	bool fresh = n->rx_bus[i] == COH_BUS_ERROR;
	int rc = 0;

	if (fresh) {
		coh_bus_t bus = coh_map_single_batch(bt, dev, n->rx[i].b, VIRTIO_NET_BUF,
						     COH_FROM_DEVICE);

		if (coh_mapping_error(dev, bus))
			return -COH_ENOMEM;
		n->rx_bus[i] = bus;
	} else if (n->rx_got[i]) {
		rc = coh_sync_for_device_batch(bt, dev, n->rx_bus[i], 0, n->rx_got[i],
					       COH_FROM_DEVICE);
		if (rc)
			return rc;
	}
	n->rx_got[i] = 0;
	s.bus = n->rx_bus[i];
	rc = virtq_add(&n->rxq, &s, 1, &n->rx[i]);
	if (rc) {
		if (fresh)
			rx_unmap(n, i);
		return rc;
	}
	n->rx_out[i] = true;
	n->rx_idle--;
	return 0;
}

/* Post every free receive buffer, then publish them with one kick. */
static int rx_fill(struct virtio_net *n)
{
	unsigned posted = 0;

	for (unsigned i = 0; i < VIRTIO_NET_RX_BUFS && virtq_free(&n->rxq); i++) {
		if (!n->rx_out[i]) {
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
	if (n->rx_bus[i] != COH_BUS_ERROR)
		(void)coh_unmap_single(n->vm.dev, n->rx_bus[i], VIRTIO_NET_BUF,
				       COH_FROM_DEVICE);
	n->rx_bus[i] = COH_BUS_ERROR;
	n->rx_out[i] = false;
	n->rx_got[i] = 0;
}

/* After a completed reset: the buffers not posted are still mapped; frames
 * received and not yet returned are lost with them. */
static void rx_unmap_all(struct virtio_net *n)
{
	for (unsigned i = 0; i < VIRTIO_NET_RX_BUFS; i++)
		rx_unmap(n, i);
	n->rxq_head = n->rxq_n = 0;
	n->rx_idle = VIRTIO_NET_RX_BUFS;
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
	for (unsigned i = 0; i < VIRTIO_NET_RX_BUFS; i++) {
		n->rx_bus[i] = COH_BUS_ERROR;
		n->rx_out[i] = false;
		n->rx_got[i] = 0;
	}
	n->rxq_head = n->rxq_n = 0;
	n->rx_idle = VIRTIO_NET_RX_BUFS;
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
	if (!rc)	/* reset: the buffers not posted are unmapped too */
		rx_unmap_all(n);
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
		/* what one poll saw, then stop: polling again to find nothing
		 * would cost the index's line and a barrier every send */
		if (!coh_queue_ready(&n->txq.uq))
			return done;
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
	/* reap when buffers run low, not every send: one poll (the used
	 * index's line and a barrier) serves the frames sent since */
	if (virtq_free(&n->txq) < VIRTIO_NET_TX_REAP) {
		rc = virtio_net_tx_reap(n);
		if (rc < 0)
			return rc;
	}
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

/*
 * Take every frame the last poll found: each checked (a refusal is queued
 * in its place, to be returned in order), its bytes synced for the CPU into
 * one batch, one barrier for the burst.  0, or a refusal that broke the
 * queue (the caller recovers).
 */
static int rx_take_burst(struct virtio_net *n)
{
	struct coh_batch bt;
	int rc, end;

	(void)coh_batch_init(&bt, n->vm.dev);
	do {
		void *tok;
		uint32_t l;
		unsigned i, k;
		int32_t res;

		rc = virtq_get(&n->rxq, &tok, &l);
		if (rc)
			break;
		/* the buffer stays out (not re-posted) until recv returns it */
		i = rx_index(n, tok);
		if (l < VIRTIO_NET_HDR_LEN + 14 || l - VIRTIO_NET_HDR_LEN > VIRTIO_NET_MAX_FRAME) {
			/*
			 * Shorter than a header and an Ethernet header, or longer
			 * than the MTU (it fits our buffer, not the caller's
			 * promise): one policy for both, a dropped frame, counted.
			 * Within the buffer, so not a protocol break: the queue is
			 * sound (virtq_get checked the length against the buffer).
			 */
			n->rx_dropped++;
			res = -COH_ERANGE;
		} else {
			/* the bytes the device says it wrote (l <= the buffer:
			 * checked by virtq_get), and only those, back to the CPU */
			n->rx_got[i] = l;
			res = coh_sync_for_cpu_batch(&bt, n->vm.dev, n->rx_bus[i], 0, l,
						     COH_FROM_DEVICE);
			if (!res)
				res = (int32_t)l;
		}
		k = (n->rxq_head + n->rxq_n++) % VIRTIO_NET_RX_BUFS;
		n->rxq_idx[k] = (uint16_t)i;
		n->rxq_len[k] = res;
	} while (coh_queue_ready(&n->rxq.uq));
	end = coh_batch_end(&bt);
	if (end) {	/* the invalidates may not have completed: none is read */
		for (unsigned q = 0; q < n->rxq_n; q++) {
			unsigned k = (n->rxq_head + q) % VIRTIO_NET_RX_BUFS;

			if (n->rxq_len[k] > 0)
				n->rxq_len[k] = end;
		}
	}
	return rc == -COH_EAGAIN ? 0 : rc;
}

int virtio_net_recv(struct virtio_net *n, void *buf, size_t cap, size_t *len)
{
	unsigned i;
	int rc;

	if (!n || !buf || !len || cap < VIRTIO_NET_MAX_FRAME)
		return -COH_EINVAL;
	if (n->dead)
		return -COH_EPROTO;
	if (!n->rxq_n && rx_take_burst(n))
		return refused(n);
	if (!n->rxq_n)
		return -COH_EAGAIN;
	i = n->rxq_idx[n->rxq_head];
	rc = n->rxq_len[n->rxq_head];
	n->rxq_head = (n->rxq_head + 1) % VIRTIO_NET_RX_BUFS;
	n->rxq_n--;
	n->rx_out[i] = false;	/* postable again once copied out below */
	if (rc > 0) {
		uint32_t l = (uint32_t)rc;

		*len = l - VIRTIO_NET_HDR_LEN;
		/* the received bytes, as the CPU now sees them */
		(void)coh_consume(n->vm.dev, n->rx[i].b, l);
		__builtin_memcpy(buf, n->rx[i].b + VIRTIO_NET_HDR_LEN, *len);
		n->rx_frames++;
		rc = 0;
	}
	/* a batch of buffers per kick, not one */
	if (++n->rx_idle >= VIRTIO_NET_RX_REFILL && rx_fill(n))
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
	rx_unmap_all(n);
	(void)virtq_reclaim(&n->txq, tx_reclaim, n);
	rc = virtq_destroy(&n->rxq);
	if (!rc)
		rc = virtq_destroy(&n->txq);
	return rc;
}
