/* SPDX-License-Identifier: MIT */
/*
 * drivers/dwmac/dwmac_core.c - the DWMAC driver core: rings, buffers, the
 * TX and RX paths, statistics.  Every access to memory the device shares
 * goes through coherent/: descriptors through coh_ring (post, reap, the
 * ordering and the line maintenance), TX bytes through streaming maps, RX
 * buffers through a coh_pool with coh_give/coh_take.  The hardware variant
 * (dwmac.h, struct dwmac_hw_ops) encodes and decodes descriptor images and
 * drives the registers.
 *
 * Per-frame maintenance (docs/dwmac.md derives it): TX: the frame's lines
 * cleaned at map, each descriptor's line released at post and acquired at
 * reclaim.  RX: each buffer flushed when armed, the received bytes' lines
 * invalidated at take, each descriptor's line released at post and
 * acquired at reap.  Uncached rings: no descriptor maintenance.
 */
#include "dwmac.h"

#define RX_CHUNK 32	/* buffers re-armed under one barrier pair */

/* ---- helpers ------------------------------------------------------------------- */

int dwmac_wait(struct dwmac *d, size_t off, uint32_t mask, uint32_t want,
	       const struct coh_poll *poll)
{
	struct coh_poll reads = { .timeout = DWMAC_POLL_READS, .order = COH_POLL_LE };

	return coh_mmio_poll32(dwmac_regs(d) + off, mask, want, poll ? poll : &reads, NULL);
}

static size_t slots_for(const struct dwmac *d, size_t len)
{
	return (len + d->ops->max_buf - 1) / d->ops->max_buf;
}

size_t dwmac_mem_size(const struct dwmac_config *cfg)
{
	size_t tx = cfg && cfg->tx_count ? cfg->tx_count : 64;
	size_t rx = cfg && cfg->rx_count ? cfg->rx_count : 64;

	return tx * (sizeof(struct dwmac_tx_slot) + sizeof(struct coh_sg)) +
	       rx * sizeof(struct dwmac_rx_slot);
}

static bool mac_ok(const uint8_t *mac)
{
	return mac && !(mac[0] & 1);	/* bit 0 of the first byte: group address */
}

/*
 * The batched layout applies to the RX ring only: a staged TX slot would
 * wait for the rest of its line's group, i.e. for later frames.  The TX
 * ring must still be packed (a QoS channel has one skip length for both
 * rings): it goes to uncached memory.
 */
static int ring_create(struct dwmac *d, struct coh_ring *r, size_t count, bool rx)
{
	struct coh_ring_layout lay = {
		.max_skip = d->ops->max_skip,
		.skip_unit = (d->ops->caps & DWMAC_CAP_CHAINED) ? 1 : 8,
	};
	unsigned int attrs = 0;

	switch (d->cfg.layout) {
	case DWMAC_LAYOUT_CACHED_SKIP:
		break;
	case DWMAC_LAYOUT_UNCACHED:
		attrs = COH_ATTR_UNCACHED;
		break;
	case DWMAC_LAYOUT_CACHED_BATCHED:
		if (rx)
			lay.flags = COH_RING_BATCHED;
		else
			attrs = COH_ATTR_UNCACHED;
		break;
	default:
		return -COH_EINVAL;
	}
	/* the owner word is the variant's: QoS des3, sun8i des0 */
	switch (d->ops->own_word) {
	case 0:
		return coh_ring_create_layout(r, d->dev, count, struct dwmac_desc, des0,
					      1u << 31, attrs, &lay);
	case 3:
		return coh_ring_create_layout(r, d->dev, count, struct dwmac_desc, des3,
					      1u << 31, attrs, &lay);
	default:
		return -COH_EINVAL;
	}
}

/*
 * How many of the oldest posted slots the DMA has finished, from its
 * current-descriptor register; SIZE_MAX when the variant cannot say or the
 * value makes no sense (then the descriptors themselves are looked at).
 * A slot counted here is still only reaped if its owner bit says so.
 */
static size_t dma_done(struct dwmac *d, const struct coh_ring *r, bool rx)
{
	size_t stride = coh_ring_stride(r), count = coh_ring_count(r), idx, n;
	uint32_t base = coh_lo32(coh_ring_bus(r, 0)), cur;

	if (!d->ops->cur_desc)
		return SIZE_MAX;
	if (!coh_ring_pending(r))
		return 0;
	cur = d->ops->cur_desc(d, rx);
	if (cur < base || (cur - base) % stride || (cur - base) / stride >= count)
		return SIZE_MAX;
	idx = (cur - base) / stride;
	n = (idx + count - coh_ring_pending_slot(r, 0)) % count;
	return n <= coh_ring_pending(r) ? n : SIZE_MAX;
}

/* ---- RX ---------------------------------------------------------------------------- */

/*
 * Re-arm up to `n` reaped slots, in ring order from rx_fill: one give of
 * the bytes the CPU took back since they were last armed (FROM_DEVICE:
 * clean+invalidate, so no dirty line can be evicted over received data;
 * the rest of each buffer is still the device's), one post of all their
 * descriptors, then the doorbell.  At most two barriers per chunk.
 */
static int rx_refill(struct dwmac *d, size_t n)
{
	struct dwmac_desc descs[RX_CHUNK];
	struct coh_span spans[RX_CHUNK];
	size_t count = coh_ring_count(&d->rx);
	unsigned long batches = d->stats.rx_refill_batches;
	int rc = 0;

	while (n) {
		size_t k = n < RX_CHUNK ? n : RX_CHUNK, ns = 0;
		size_t room = coh_ring_space(&d->rx);

		/* one slot stays unarmed: a tail pointer equal to the current one means idle */
		room = room > 1 ? room - 1 : 0;
		if (k > room)
			k = room;
		if (!k)
			break;
		for (size_t i = 0; i < k; i++) {
			struct dwmac_rx_slot *s = &d->rxs[(d->rx_fill + i) % count];
			struct dwmac_rx_arm arm = {
				.buf = s->bus,
				.len = (uint32_t)d->cfg.rx_buf_size,
				.next = coh_ring_bus(&d->rx, d->rx_fill + i + 1),
				.irq = d->cfg.irq,
			};

			if (s->taken)
				spans[ns++] = (struct coh_span){ s->buf, s->taken, COH_FROM_DEVICE };
			descs[i] = (struct dwmac_desc){ 0 };
			d->ops->rx_encode(&descs[i], &arm);
		}
		if (ns) {
			rc = coh_give_n(d->dev, spans, ns);
			if (rc)
				break;
		}
		for (size_t i = 0; i < k; i++)
			d->rxs[(d->rx_fill + i) % count].taken = 0;
		rc = coh_ring_post_n(&d->rx, descs, k);
		if (rc < 0)
			break;
		rc = 0;
		d->rx_fill = (d->rx_fill + k) % count;
		d->rx_free -= k;
		d->stats.rx_refills += k;
		d->stats.rx_refill_batches++;
		n -= k;
	}
	if (d->stats.rx_refill_batches != batches)
		d->ops->rx_kick(d, coh_ring_bus(&d->rx, coh_ring_next(&d->rx)),
				coh_ring_next(&d->rx));
	if (rc)
		d->stats.rx_refill_errors++;
	return rc;
}

/* the frame being assembled is dropped: its slots can be re-armed */
static void rx_release_held(struct dwmac *d)
{
	d->rx_free += d->rx_held;
	d->rx_held = 0;
}

/*
 * Copy the held frame out: take back the bytes each buffer received (one
 * invalidate batch, one barrier), then read them.  The rest of each buffer
 * never left the device.
 */
static int rx_deliver(struct dwmac *d, uint8_t *out, size_t len)
{
	size_t count = coh_ring_count(&d->rx), bs = d->cfg.rx_buf_size, off = 0;
	struct coh_span spans[DWMAC_RX_MAX_FRAGS];
	int rc = 0;

	for (size_t k = 0; k < d->rx_held; k++) {
		struct dwmac_rx_slot *s = &d->rxs[(d->rx_first + k) % count];
		/* the last fragment holds the rest (checked: at most one buffer) */
		size_t n = k + 1 == d->rx_held ? len - off : bs;

		spans[k] = (struct coh_span){ s->buf, n, COH_FROM_DEVICE };
		off += n;
	}
	rc = coh_take_n(d->dev, spans, d->rx_held);
	if (rc)
		return rc;
	off = 0;
	for (size_t k = 0; k < d->rx_held; k++) {
		d->rxs[(d->rx_first + k) % count].taken = spans[k].len;
		coh_consume(d->dev, spans[k].ptr, spans[k].len);
		__builtin_memcpy(out + off, spans[k].ptr, spans[k].len);
		off += spans[k].len;
	}
	return 0;
}

int dwmac_recv(struct dwmac *d, void *buf, size_t cap)
{
	size_t bs, budget;
	struct dwmac_desc desc;
	struct dwmac_rx_wb wb;
	int idx = -COH_EAGAIN, len = -COH_EAGAIN;

	if (!d || !d->open || !buf)
		return -COH_EINVAL;
	if (d->fatal)
		return -COH_EIO;
	bs = d->cfg.rx_buf_size;
	budget = dma_done(d, &d->rx, true);
	while (len == -COH_EAGAIN && budget) {
		size_t consumed, fl;

		if (budget != SIZE_MAX)
			budget--;
		idx = coh_ring_reap(&d->rx, &desc);
		if (idx < 0)
			break;
		wb = (struct dwmac_rx_wb){ 0 };
		d->ops->rx_decode(&desc, &wb);
		if (wb.first) {
			if (d->rx_held) {
				/* the frame before never ended: LD missing */
				d->stats.rx_proto_errors++;
				rx_release_held(d);
			}
			d->rx_drop = false;
			d->rx_first = (size_t)idx;
		} else if (!d->rx_held && !d->rx_drop) {
			/* a continuation without its first descriptor */
			d->stats.rx_proto_errors++;
			d->rx_drop = true;
		}
		if (d->rx_drop) {
			d->rx_free++;
			if (wb.last)
				d->rx_drop = false;
			continue;
		}
		d->rx_held++;
		if (!wb.last) {
			/* one more descriptor would exceed any frame we accept */
			if (d->rx_held * bs >= d->cfg.mtu || d->rx_held >= DWMAC_RX_MAX_FRAGS) {
				d->stats.rx_length_errors++;
				rx_release_held(d);
				d->rx_drop = true;
			}
			continue;
		}
		consumed = (d->rx_held - 1) * bs;
		fl = wb.frame_len;
		if (wb.error) {
			d->stats.rx_errors++;
			rx_release_held(d);
			continue;
		}
		if (fl <= consumed || fl > d->cfg.mtu || fl > cap ||
		    fl - consumed > bs) {
			d->stats.rx_length_errors++;
			rx_release_held(d);
			continue;
		}
		if (rx_deliver(d, buf, fl)) {
			/* the backend refused the invalidate: the bytes cannot be trusted */
			d->stats.rx_errors++;
			rx_release_held(d);
			continue;
		}
		d->stats.rx_frames++;
		d->stats.rx_bytes += fl;
		rx_release_held(d);
		len = (int)fl;
	}
	if (d->rx_free >= d->cfg.rx_batch ||
	    (d->rx_free && coh_ring_pending(&d->rx) <= d->rx_held)) {
		int rc = rx_refill(d, d->rx_free);

		/* a frame in hand is still delivered; the refill is retried next time */
		if (rc && len < 0)
			return rc;
	}
	if (len == -COH_EAGAIN && idx < 0 && idx != -COH_EAGAIN)
		return idx;	/* a maintenance error from the reap */
	return len;
}

/* ---- TX ------------------------------------------------------------------------------ */

size_t dwmac_tx_space(const struct dwmac *d)
{
	size_t s = coh_ring_space(&d->tx);

	/* one slot stays empty: a tail pointer equal to the current one means idle */
	return s ? s - 1 : 0;
}

static int tx_post(struct dwmac *d, struct coh_sg *sg, int n_in, int nseg,
		   size_t total, void *cookie)
{
	struct dwmac_desc descs[DWMAC_TX_MAX_DESCS];
	size_t count = coh_ring_count(&d->tx), first = coh_ring_next(&d->tx);
	size_t k = 0;
	int rc;

	if (nseg < 1)
		return -COH_EINVAL;
	for (int i = 0; i < nseg; i++) {
		coh_bus_t b = sg[i].bus;
		size_t left = sg[i].bus_len;

		while (left) {
			size_t n = left < d->ops->max_buf ? left : d->ops->max_buf;
			struct dwmac_tx_seg seg = {
				.buf = b,
				.len = (uint32_t)n,
				.frame_len = (uint32_t)total,
				.next = coh_ring_bus(&d->tx, first + k + 1),
				.first = k == 0,
				.irq = false,
			};

			left -= n;
			b += n;
			seg.last = i == nseg - 1 && !left;
			seg.irq = seg.last && d->cfg.irq;
			descs[k] = (struct dwmac_desc){ 0 };
			d->ops->tx_encode(&descs[k], &seg);
			k++;
		}
	}
	/* every descriptor but the first, then the first: the DMA never sees half a frame */
	rc = coh_ring_post_chain(&d->tx, descs, k);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < k; i++) {
		struct dwmac_tx_slot *s = &d->txs[(first + i) % count];

		*s = (struct dwmac_tx_slot){ .busy = true };
	}
	d->txs[first] = (struct dwmac_tx_slot){
		.cookie = cookie, .sg = sg, .nents = n_in,
		.frame_len = (uint32_t)total, .nsegs = (uint16_t)k, .busy = true,
	};
	d->ops->tx_kick(d, coh_ring_bus(&d->tx, coh_ring_next(&d->tx)),
			coh_ring_next(&d->tx));
	return 0;
}

int dwmac_xmit_sg(struct dwmac *d, struct coh_sg *sg, int n, void *cookie)
{
	size_t total = 0, need = 0, space;
	int nseg;

	if (!d || !d->open || !sg || n < 1)
		return -COH_EINVAL;
	for (int i = 0; i < n; i++) {
		if (!sg[i].ptr || !sg[i].len || sg[i].len > d->cfg.mtu)
			return -COH_EINVAL;
		total += sg[i].len;
		need += slots_for(d, sg[i].len);
	}
	if (total > d->cfg.mtu)
		return -COH_EINVAL;
	if (d->fatal)
		return -COH_EIO;
	if (!d->link_up && !d->loopback)
		return -COH_ENOLINK;
	space = dwmac_tx_space(d);
	/* at most one descriptor per entry and per max_buf piece, merged or not */
	if (need > space || need > DWMAC_TX_MAX_DESCS) {
		d->stats.tx_busy++;
		return need > DWMAC_TX_MAX_DESCS ? -COH_EINVAL : -COH_EAGAIN;
	}
	nseg = coh_map_sg(d->dev, sg, n, COH_TO_DEVICE);
	if (nseg < 0) {
		d->stats.tx_map_errors++;
		return nseg;
	}
	nseg = tx_post(d, sg, n, nseg, total, cookie);
	if (nseg < 0) {
		coh_unmap_sg(d->dev, sg, n, COH_TO_DEVICE);
		return nseg;
	}
	return 0;
}

int dwmac_xmit(struct dwmac *d, void *frame, size_t len, void *cookie)
{
	struct coh_sg *sg;

	if (!d || !d->open || !frame || !len || len > d->cfg.mtu)
		return -COH_EINVAL;
	/* the one-entry list lives with the frame's first slot until reclaim */
	sg = &d->tx_one[coh_ring_next(&d->tx)];
	*sg = (struct coh_sg){ .ptr = frame, .len = len };
	return dwmac_xmit_sg(d, sg, 1, cookie);
}

static void tx_complete(struct dwmac *d, struct dwmac_tx_slot *s, int status)
{
	coh_unmap_sg(d->dev, s->sg, s->nents, COH_TO_DEVICE);
	if (status)
		d->stats.tx_errors++;
	else {
		d->stats.tx_frames++;
		d->stats.tx_bytes += s->frame_len;
	}
	if (d->cfg.tx_done)
		d->cfg.tx_done(d->cfg.tx_done_ctx, s->cookie, status);
	s->sg = NULL;
}

int dwmac_tx_reclaim(struct dwmac *d)
{
	struct dwmac_desc desc;
	int done = 0, idx = -COH_EAGAIN;
	size_t budget;

	if (!d || !d->open)
		return -COH_EINVAL;
	budget = dma_done(d, &d->tx, false);
	while (budget && (idx = coh_ring_reap(&d->tx, &desc)) >= 0) {
		if (budget != SIZE_MAX)
			budget--;
		struct dwmac_tx_slot *s = &d->txs[idx];

		if (!d->tx_left) {
			/* the ring returns slots in posting order: a frame's first slot */
			d->tx_first = (size_t)idx;
			d->tx_left = s->nsegs;
			d->tx_err = 0;
		}
		s->busy = false;
		if (d->ops->tx_status(&desc))
			d->tx_err = -COH_EIO;
		if (--d->tx_left == 0) {
			tx_complete(d, &d->txs[d->tx_first], d->tx_err);
			done++;
		}
	}
	return done;
}

/* ---- control ---------------------------------------------------------------------------- */

int dwmac_set_mac(struct dwmac *d, const uint8_t mac[6])
{
	if (!d || !d->open || !mac_ok(mac))
		return -COH_EINVAL;
	d->ops->set_mac_addr(d, mac);
	return 0;
}

int dwmac_mdio_read(struct dwmac *d, unsigned int reg)
{
	uint16_t v = 0;
	int rc;

	if (!d || !d->ops)
		return -COH_EINVAL;
	rc = d->ops->mdio_read(d, d->cfg.phy_addr, reg, &v, d->cfg.poll);
	return rc ? rc : v;
}

int dwmac_mdio_write(struct dwmac *d, unsigned int reg, uint16_t val)
{
	if (!d || !d->ops)
		return -COH_EINVAL;
	return d->ops->mdio_write(d, d->cfg.phy_addr, reg, val, d->cfg.poll);
}

/* clause-22 registers and bits (IEEE 802.3 clause 22.2.4) */
#define MII_BMCR 0
#define  BMCR_SPEED100 (1u << 13)
#define  BMCR_ANENABLE (1u << 12)
#define  BMCR_FULLDPLX (1u << 8)
#define  BMCR_SPEED1000 (1u << 6)
#define MII_BMSR 1
#define  BMSR_LSTATUS (1u << 2)
#define  BMSR_ESTATEN (1u << 8)	/* extended status: 1000BASE-T registers present */
#define MII_ADVERTISE 4
#define MII_LPA 5
#define  ADV_100FULL (1u << 8)
#define  ADV_100HALF (1u << 7)
#define  ADV_10FULL (1u << 6)
#define MII_CTRL1000 9
#define  CTRL1000_FULL (1u << 9)
#define  CTRL1000_HALF (1u << 8)
#define MII_STAT1000 10
#define  STAT1000_FULL (1u << 11)	/* link partner 1000BASE-T full */
#define  STAT1000_HALF (1u << 10)

/* what the PHY resolved: the best mode both ends advertise (clause 28B.3 priority) */
static int phy_resolve(struct dwmac *d, unsigned int bmsr, unsigned int *speed, bool *full)
{
	int v = dwmac_mdio_read(d, MII_BMCR);
	unsigned int bmcr, adv, lpa, c1000, s1000;

	if (v < 0)
		return v;
	bmcr = (unsigned int)v;
	if (!(bmcr & BMCR_ANENABLE)) {
		*speed = bmcr & BMCR_SPEED1000 ? 1000 : bmcr & BMCR_SPEED100 ? 100 : 10;
		*full = (bmcr & BMCR_FULLDPLX) != 0;
		return 0;
	}
	if (bmsr & BMSR_ESTATEN) {
		if ((v = dwmac_mdio_read(d, MII_CTRL1000)) < 0)
			return v;
		c1000 = (unsigned int)v;
		if ((v = dwmac_mdio_read(d, MII_STAT1000)) < 0)
			return v;
		s1000 = (unsigned int)v;
		/* the partner's bits sit two above our advertisement's */
		c1000 &= (s1000 >> 2) & (CTRL1000_FULL | CTRL1000_HALF);
		if (c1000) {
			*speed = 1000;
			*full = (c1000 & CTRL1000_FULL) != 0;
			return 0;
		}
	}
	if ((v = dwmac_mdio_read(d, MII_ADVERTISE)) < 0)
		return v;
	adv = (unsigned int)v;
	if ((v = dwmac_mdio_read(d, MII_LPA)) < 0)
		return v;
	lpa = (unsigned int)v;
	adv &= lpa;
	*speed = adv & (ADV_100FULL | ADV_100HALF) ? 100 : 10;
	*full = (adv & (ADV_100FULL | ADV_100HALF) ? adv & ADV_100FULL : adv & ADV_10FULL) != 0;
	return 0;
}

int dwmac_link(struct dwmac *d)
{
	int v;

	if (!d || !d->open)
		return -COH_EINVAL;
	/* the link bit latches low: the first read reports a past drop */
	v = dwmac_mdio_read(d, MII_BMSR);
	if (v >= 0)
		v = dwmac_mdio_read(d, MII_BMSR);
	d->link_up = v >= 0 && ((unsigned int)v & BMSR_LSTATUS);
	if (d->link_up) {
		unsigned int speed = 0;
		bool full = false;
		int rc = phy_resolve(d, (unsigned int)v, &speed, &full);

		if (rc) {
			d->link_up = false;
			return rc;
		}
		/* the MAC must run at what the PHY negotiated, or no frame passes */
		if ((speed != d->speed || full != d->full) && d->ops->adjust_link) {
			d->ops->adjust_link(d, speed, full);
			d->speed = speed;
			d->full = full;
			d->stats.link_changes++;
		}
	}
	return v < 0 ? v : d->link_up;
}

int dwmac_set_loopback(struct dwmac *d, bool on)
{
	if (!d || !d->open)
		return -COH_EINVAL;
	if (!(d->ops->caps & DWMAC_CAP_LOOPBACK) || !d->ops->set_loopback)
		return -COH_ENOTSUP;
	d->ops->set_loopback(d, on);
	d->loopback = on;
	return 0;
}

unsigned int dwmac_interrupt(struct dwmac *d)
{
	unsigned int st;

	if (!d || !d->open)
		return 0;
	st = d->ops->irq_status(d);
	if (st & DWMAC_IRQ_RX_NOBUF) {
		/* suspended on a descriptor it does not own: the next refill's doorbell resumes it */
		d->stats.rx_nobuf++;
	}
	if (st & DWMAC_IRQ_FATAL) {
		/* the DMA stopped: refuse traffic until dwmac_recover() */
		d->stats.irq_fatal++;
		d->fatal = true;
	}
	return st;
}

int dwmac_irq_enable(struct dwmac *d, bool on)
{
	if (!d || !d->open)
		return -COH_EINVAL;
	if (!d->ops->irq_mask)
		return -COH_ENOTSUP;
	if (on == !d->irq_masked)
		return 0;
	d->ops->irq_mask(d, !on);
	d->irq_masked = !on;
	return 0;
}

void dwmac_get_stats(const struct dwmac *d, struct dwmac_stats *out)
{
	if (d && out)
		*out = d->stats;
}

/* ---- open / close ------------------------------------------------------------------------ */

static int check_cfg(const struct dwmac_config *c, const uint8_t *mac)
{
	const struct dwmac_hw_ops *o = c->ops;

	if (!o || !c->regs || !c->dev || !o->tx_encode || !o->tx_status ||
	    !o->rx_encode || !o->rx_decode || !o->reset || !o->dma_init ||
	    !o->set_mac_addr || !o->start || !o->stop || !o->tx_kick || !o->rx_kick ||
	    !o->irq_status || !o->mdio_read || !o->mdio_write || !o->max_buf)
		return -COH_EINVAL;
	if (mac && !mac_ok(mac))
		return -COH_EINVAL;
	if (c->tx_count < 4 || c->tx_count > 4096 || c->rx_count < 4 || c->rx_count > 4096 ||
	    c->phy_addr > 31 || c->rx_batch > c->rx_count)
		return -COH_EINVAL;
	if (c->csr_clk_hz > 800000000ul)
		return -COH_EINVAL;
	if (c->rx_buf_size < 64 || c->rx_buf_size > o->max_buf ||
	    (o->rx_buf_align && c->rx_buf_size % o->rx_buf_align))
		return -COH_EINVAL;
	/* a largest frame must fit the RX ring with room to re-arm */
	if (c->mtu < 60 || (c->mtu + c->rx_buf_size - 1) / c->rx_buf_size > c->rx_count / 2 ||
	    (c->mtu + c->rx_buf_size - 1) / c->rx_buf_size > DWMAC_RX_MAX_FRAGS)
		return -COH_EINVAL;
	return 0;
}

/*
 * The controller's address width bounds the device's mask: a buffer the
 * library maps above it must be bounced or refused, never written to a
 * descriptor whose high bits the DMA drops.
 */
static int addr_width(struct dwmac *d)
{
	unsigned int bits = d->ops->addr_bits ? d->ops->addr_bits(d)
			    : (d->ops->caps & DWMAC_CAP_ADDR64) ? 64 : 32;
	uint64_t hw;

	if (bits < 32 || bits > 64)
		return -COH_EIO;
	hw = bits == 64 ? ~0ull : (1ull << bits) - 1;
	if (d->dev->dma_mask > hw && coh_device_set_mask_bits(d->dev, bits))
		return -COH_EIO;
	d->addr_bits = bits;
	return 0;
}

/*
 * Program the DMA and the MAC for the rings as they are (empty), give every
 * RX buffer to the device whole, arm all but one, start: open's last step,
 * and recovery's after a reset.  On failure nothing is the device's.
 */
static int bring_up(struct dwmac *d)
{
	const struct dwmac_config *c = &d->cfg;
	struct dwmac_dma_cfg dc = {
		.tx_base = coh_ring_bus(&d->tx, 0), .rx_base = coh_ring_bus(&d->rx, 0),
		.tx_count = c->tx_count, .rx_count = c->rx_count,
		.stride = coh_ring_stride(&d->tx), .rx_buf_size = c->rx_buf_size,
		.irq = c->irq, .mtu = c->mtu, .addr64 = d->dev->dma_mask > 0xffffffffull,
	};
	int rc = d->ops->dma_init(d, &dc);

	if (rc)
		return rc;
	if (d->has_mac)
		d->ops->set_mac_addr(d, d->mac);
	/* every buffer to the device once, whole; afterwards only what comes back */
	for (size_t i = 0; i < c->rx_count && !rc; i += RX_CHUNK) {
		struct coh_span spans[RX_CHUNK];
		size_t k = c->rx_count - i < RX_CHUNK ? c->rx_count - i : RX_CHUNK;

		for (size_t j = 0; j < k; j++)
			spans[j] = (struct coh_span){ d->rxs[i + j].buf, c->rx_buf_size,
						    COH_FROM_DEVICE };
		rc = coh_give_n(d->dev, spans, k);
	}
	for (size_t i = 0; i < c->rx_count; i++)
		d->rxs[i].taken = 0;
	d->rx_fill = d->rx_held = d->rx_first = 0;
	d->rx_drop = false;
	d->rx_free = c->rx_count;
	/* all but one: head == tail would read as an empty ring */
	if (!rc)
		rc = rx_refill(d, c->rx_count - 1);
	if (rc) {
		/* a half-armed ring is no success: the DMA has not started, take all back */
		for (size_t i = 0; i < c->rx_count; i++)
			coh_take(d->dev, d->rxs[i].buf, c->rx_buf_size, COH_FROM_DEVICE);
		return rc;
	}
	d->ops->start(d);
	return 0;
}

int dwmac_open(struct dwmac *d, const struct dwmac_config *cfg,
	       const uint8_t mac[6], void *mem, size_t mem_size)
{
	struct dwmac_config c;
	uint8_t *m = mem;
	int rc;

	if (!d || !cfg || !mem)
		return -COH_EINVAL;
	c = *cfg;
	if (!c.tx_count)
		c.tx_count = 64;
	if (!c.rx_count)
		c.rx_count = 64;
	if (!c.rx_buf_size)
		c.rx_buf_size = 1536;
	if (!c.mtu)
		c.mtu = 1514;
	if (!c.rx_batch)
		c.rx_batch = c.rx_count / 4;
	rc = check_cfg(&c, mac);
	if (rc)
		return rc;
	if (mem_size < dwmac_mem_size(&c) || (uintptr_t)mem % _Alignof(void *))
		return -COH_EINVAL;

	*d = (struct dwmac){ .ops = c.ops, .regs = (volatile uint8_t *)c.regs,
			     .dev = c.dev, .cfg = c };
	d->txs = (void *)m;
	m += c.tx_count * sizeof(*d->txs);
	d->tx_one = (void *)m;
	m += c.tx_count * sizeof(*d->tx_one);
	d->rxs = (void *)m;
	__builtin_memset(mem, 0, dwmac_mem_size(&c));

	rc = d->ops->reset(d, c.poll);
	if (rc)
		return rc;
	rc = addr_width(d);
	if (rc)
		return rc;
	rc = ring_create(d, &d->tx, c.tx_count, false);
	if (rc)
		return rc;
	rc = ring_create(d, &d->rx, c.rx_count, true);
	if (rc)
		goto free_tx;
	/* line-aligned blocks: no RX buffer shares a cache line with anything */
	rc = coh_pool_create(&d->rx_pool, d->dev, "dwmac-rx", c.rx_buf_size, 1, 0, c.rx_count);
	if (rc)
		goto free_rx;
	for (size_t i = 0; i < c.rx_count; i++) {
		d->rxs[i].buf = coh_pool_alloc(&d->rx_pool, &d->rxs[i].bus);
		if (!d->rxs[i].buf) {
			rc = -COH_ENOMEM;
			goto free_pool;
		}
	}
	if (mac) {
		__builtin_memcpy(d->mac, mac, 6);
		d->has_mac = true;
	}
	rc = bring_up(d);
	if (rc)
		goto free_pool;
	d->open = true;
	return 0;

free_pool:
	for (size_t i = 0; i < c.rx_count; i++)
		if (d->rxs[i].buf)
			coh_pool_free(&d->rx_pool, d->rxs[i].buf);
	coh_pool_destroy(&d->rx_pool);
free_rx:
	coh_ring_destroy(&d->rx);
free_tx:
	coh_ring_destroy(&d->tx);
	return rc;
}

/*
 * After the DMA stopped: every TX frame back to its owner (-COH_EIO: not
 * sent), every RX buffer taken back, both rings empty again.
 */
static void take_all_back(struct dwmac *d)
{
	size_t k, slot, count;

	coh_ring_for_each_pending(&d->tx, k, slot) {
		struct dwmac_tx_slot *s = &d->txs[slot];

		if (s->sg)
			tx_complete(d, s, -COH_EIO);
		s->busy = false;
	}
	if (d->tx_left && d->txs[d->tx_first].sg)
		tx_complete(d, &d->txs[d->tx_first], -COH_EIO);
	d->tx_left = 0;
	coh_ring_reset(&d->tx);
	count = coh_ring_count(&d->rx);
	for (size_t i = 0; i < count; i++) {
		struct dwmac_rx_slot *s = &d->rxs[i];

		/* bytes taken back already are the CPU's: taking them again is harmless */
		if (s->taken < d->cfg.rx_buf_size)
			coh_take(d->dev, s->buf, d->cfg.rx_buf_size, COH_FROM_DEVICE);
		s->taken = d->cfg.rx_buf_size;
	}
	coh_ring_reset(&d->rx);
}

int dwmac_recover(struct dwmac *d)
{
	int rc;

	if (!d || !d->open)
		return -COH_EINVAL;
	/* after a fatal bus error the DMA has stopped itself; a reset makes sure */
	rc = d->ops->reset(d, d->cfg.poll);
	if (rc && d->ops->stop(d, d->cfg.poll)) {
		d->open = false;
		d->wedged = true;
		return -COH_EBUSY;	/* as dwmac_close: nothing taken back */
	}
	(void)d->ops->irq_status(d);
	take_all_back(d);
	d->fatal = false;
	d->irq_masked = false;
	d->speed = 0;		/* the reset forgot it: the next dwmac_link applies it again */
	rc = bring_up(d);
	if (rc) {
		/* the buffers are the CPU's again; only close is left */
		d->fatal = true;
		return rc;
	}
	if (d->loopback && d->ops->set_loopback)
		d->ops->set_loopback(d, true);
	d->stats.recoveries++;
	return 0;
}

int dwmac_close(struct dwmac *d)
{
	if (!d || !d->open)
		return -COH_EINVAL;
	/* the DMA must not touch a descriptor or buffer once they are taken back */
	if (d->ops->stop(d, d->cfg.poll) && d->ops->reset(d, d->cfg.poll)) {
		/*
		 * Still running: freeing now would hand the DMA memory the next
		 * owner uses.  Leak it all, on purpose, and say so.
		 */
		d->open = false;
		d->wedged = true;
		return -COH_EBUSY;
	}
	(void)d->ops->irq_status(d);
	take_all_back(d);
	for (size_t i = 0; i < coh_ring_count(&d->rx); i++) {
		coh_pool_free(&d->rx_pool, d->rxs[i].buf);
		d->rxs[i].buf = NULL;
	}
	coh_pool_destroy(&d->rx_pool);
	coh_ring_destroy(&d->rx);
	coh_ring_destroy(&d->tx);
	d->open = false;
	return 0;
}
