/* SPDX-License-Identifier: MIT */
/*
 * drivers/sunxi-mmc/sunxi_mmc.c - the Allwinner SD/MMC host with its
 * internal DMA, behind struct sd_host_ops (sunxi_mmc.h).  Register
 * facts: Linux sunxi-mmc.c, QEMU allwinner-sdhost.c.
 */
#include "sunxi_mmc.h"

#define POLL_US 10u

static uint32_t rd(struct sunxi_mmc *h, size_t off)
{
	return coh_mmio_read32(h->regs + off);
}

/* ordered: a register write never overtakes the descriptors' release */
static void wr(struct sunxi_mmc *h, size_t off, uint32_t v)
{
	coh_mmio_write32(h->regs + off, v);
}

/* Poll `off` until (v & mask) == want, at most timeout_us. */
static int poll(struct sunxi_mmc *h, size_t off, uint32_t mask, uint32_t want)
{
	for (uint32_t t = 0;; t += POLL_US) {
		if ((rd(h, off) & mask) == want)
			return 0;
		if (t >= h->cfg.timeout_us)
			return -COH_ETIMEDOUT;
		h->cfg.delay_us(h->cfg.delay_ctx, POLL_US);
	}
}

static int reset(void *ctx)
{
	struct sunxi_mmc *h = ctx;

	wr(h, SDXC_GCTRL, SDXC_HARDWARE_RESET);
	if (poll(h, SDXC_GCTRL, SDXC_HARDWARE_RESET, 0))
		return -COH_ETIMEDOUT;
	wr(h, SDXC_FTRGL, 0x20070008u);	/* burst 8, RX level 7, TX level 8 */
	wr(h, SDXC_TMOUT, 0xffffffffu);
	wr(h, SDXC_IMASK, 0);		/* polled: no interrupt line used */
	wr(h, SDXC_RINTR, 0xffffffffu);
	wr(h, SDXC_IDST, SDXC_IDST_ALL);
	wr(h, SDXC_IDIE, 0);
	/* the FIFO belongs to the DMA, not to register reads */
	wr(h, SDXC_GCTRL, rd(h, SDXC_GCTRL) & ~SDXC_ACCESS_BY_AHB);
	return 0;
}

/* The card clock changes only through an "update clock" command. */
static int update_clock(struct sunxi_mmc *h)
{
	wr(h, SDXC_CMDR, SDXC_START | SDXC_UPCLK_ONLY | SDXC_WAIT_PRE_OVER);
	if (poll(h, SDXC_CMDR, SDXC_START, 0))
		return -COH_ETIMEDOUT;
	wr(h, SDXC_RINTR, 0xffffffffu);
	return 0;
}

static int set_bus(void *ctx, uint32_t hz, unsigned int width)
{
	struct sunxi_mmc *h = ctx;
	uint32_t div = 0, ck;

	if (!hz || (width != 1 && width != 4) || (width == 4 && !h->cfg.width4))
		return -COH_EINVAL;
	if (h->cfg.mod_hz > hz)
		div = (h->cfg.mod_hz + 2 * hz - 1) / (2 * hz);
	if (div > SDXC_CLK_DIV_MASK)
		return -COH_EINVAL;
	ck = rd(h, SDXC_CLKCR) & ~(SDXC_CARD_CLOCK_ON | SDXC_CLK_DIV_MASK);
	wr(h, SDXC_CLKCR, ck);
	if (update_clock(h))
		return -COH_ETIMEDOUT;
	wr(h, SDXC_CLKCR, ck | div);
	wr(h, SDXC_CLKCR, ck | div | SDXC_CARD_CLOCK_ON);
	if (update_clock(h))
		return -COH_ETIMEDOUT;
	wr(h, SDXC_WIDTH, width == 4 ? SDXC_WIDTH4 : SDXC_WIDTH1);
	return 0;
}

static void delay_us(void *ctx, uint32_t us)
{
	struct sunxi_mmc *h = ctx;

	h->cfg.delay_us(h->cfg.delay_ctx, us);
}

static uint32_t cmd_bits(const struct sd_cmd *c, const struct sd_data *d)
{
	uint32_t v = SDXC_START | SDXC_WAIT_PRE_OVER | c->opcode;

	if (c->opcode == 0)
		v |= SDXC_SEND_INIT_SEQUENCE;
	if (c->opcode == 12)
		v |= SDXC_STOP_ABORT_CMD;
	if (c->rsp != SD_RSP_NONE)
		v |= SDXC_RESP_EXPIRE;
	if (c->rsp == SD_RSP_R2)
		v |= SDXC_LONG_RESPONSE;
	if (c->rsp != SD_RSP_NONE && c->rsp != SD_RSP_R3)
		v |= SDXC_CHECK_RESPONSE_CRC;
	if (d) {
		v |= SDXC_DATA_EXPIRE;
		if (d->write)
			v |= SDXC_WRITE;
		if (d->autostop)
			v |= SDXC_SEND_AUTO_STOP;
	}
	return v;
}

static int rintr_error(struct sunxi_mmc *h, uint32_t ri)
{
	if (ri & (SDXC_RESP_CRC_ERROR | SDXC_DATA_CRC_ERROR | SDXC_START_BIT_ERROR |
		  SDXC_END_BIT_ERROR | SDXC_FIFO_RUN_ERROR | SDXC_HARD_WARE_LOCKED)) {
		h->crc_errors++;
		return -COH_EIO;
	}
	h->timeouts++;
	return -COH_ETIMEDOUT;	/* RESP_ERROR, RESP_TIMEOUT, DATA_TIMEOUT */
}

/* Stop the IDMA and flush the FIFO (Linux's order); bounded. */
static int stop_dma(struct sunxi_mmc *h)
{
	uint32_t g;

	wr(h, SDXC_IDST, SDXC_IDST_ALL);
	wr(h, SDXC_DMAC, 0);
	g = rd(h, SDXC_GCTRL) | SDXC_DMA_RESET;
	wr(h, SDXC_GCTRL, g);
	g &= ~SDXC_DMA_ENABLE;
	wr(h, SDXC_GCTRL, g | SDXC_FIFO_RESET);
	return poll(h, SDXC_GCTRL, SDXC_DMA_RESET | SDXC_FIFO_RESET, 0);
}

/* The chain for the mapped segments: descriptors from slot `first`. */
static size_t build_chain(struct sunxi_mmc *h, size_t first)
{
	size_t n = 0;

	for (size_t i = 0; i < h->nseg; i++) {
		for (uint32_t off = 0, len = h->seg[i].len; off < len;) {
			uint32_t k = len - off < h->cfg.desc_max ? len - off : h->cfg.desc_max;
			struct sunxi_idma_desc *d = &h->shadow[n];

			d->config = SDXC_IDMAC_DES0_OWN | SDXC_IDMAC_DES0_CH | SDXC_IDMAC_DES0_DIC;
			d->buf_size = k == SUNXI_MMC_DESC_MAX ? 0 : k;	/* 0: 64 KiB */
			d->buf_addr = coh_lo32(h->seg[i].bus + off);
			d->next = coh_lo32(coh_ring_bus(&h->ring, first + n + 1));
			off += k;
			n++;
		}
	}
	h->shadow[0].config |= SDXC_IDMAC_DES0_FD;
	h->shadow[n - 1].config |= SDXC_IDMAC_DES0_LD;
	h->shadow[n - 1].config &= ~SDXC_IDMAC_DES0_DIC;
	h->shadow[n - 1].next = 0;
	if (first + n > coh_ring_count(&h->ring))
		h->wraps++;
	return n;
}

static int unmap_segs(struct sunxi_mmc *h, enum coh_dir dir)
{
	int rc = 0;

	for (size_t i = 0; i < h->nseg; i++) {
		if (coh_unmap_single(h->cfg.dev, h->seg[i].bus, h->seg[i].len, dir))
			rc = -COH_EPROTO;
	}
	h->nseg = 0;
	return rc;
}

/*
 * Map the buffer: whole, or, when it is 4-byte aligned and its edges
 * share cache lines, as its partial first line, its whole lines and its
 * partial last line, so that only the edges can need a bounce.
 */
static int map_segs(struct sunxi_mmc *h, uint8_t *p, uint32_t len, enum coh_dir dir)
{
	size_t line = coh_device_is_coherent(h->cfg.dev) ? 0 : coh_cache_line_size();
	uint32_t piece[3] = { len, 0, 0 }, off = 0;

	if (line && !((uintptr_t)p & 3) && len > 2 * line) {
		uint32_t head = (uint32_t)((line - (uintptr_t)p % line) % line);
		uint32_t tail = (uint32_t)(((uintptr_t)p + len) % line);

		piece[0] = head;
		piece[1] = len - head - tail;
		piece[2] = tail;
	}
	h->nseg = 0;
	for (int i = 0; i < 3; i++) {
		coh_bus_t bus;

		if (!piece[i])
			continue;
		bus = coh_map_single(h->cfg.dev, p + off, piece[i], dir);
		if (coh_mapping_error(h->cfg.dev, bus)) {
			(void)unmap_segs(h, dir);
			return -COH_ENOMEM;
		}
		h->seg[h->nseg++] = (struct sunxi_mmc_seg){ bus, p + off, piece[i] };
		if ((bus & 3) || bus > 0xffffffffu - piece[i]) {
			(void)unmap_segs(h, dir);
			return -COH_EINVAL;
		}
		off += piece[i];
	}
	return 0;
}

/*
 * Take the chain back: every descriptor must have been given back with
 * only OWN cleared (CES: a card error).  Device-written, so untrusted.
 */
static int reap_chain(struct sunxi_mmc *h, size_t n)
{
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		struct sunxi_idma_desc d, *s = &h->shadow[i];
		int slot = coh_ring_reap(&h->ring, &d);

		if (slot < 0) {
			h->bad_desc++;
			return slot == -COH_EAGAIN ? -COH_EPROTO : slot;
		}
		if ((d.config & SDXC_IDMAC_DES0_CES) && !rc) {
			h->crc_errors++;
			rc = -COH_EIO;
		}
		if ((d.config & ~SDXC_IDMAC_DES0_CES) != (s->config & ~SDXC_IDMAC_DES0_OWN) ||
		    (d.buf_size != s->buf_size &&
		     !(s->buf_size == 0 && d.buf_size == SUNXI_MMC_DESC_MAX)) ||
		    d.buf_addr != s->buf_addr || d.next != s->next) {
			h->bad_desc++;
			rc = -COH_EPROTO;
		}
	}
	return rc;
}

/* After an error or a refused chain: nothing of the ring stays the device's. */
static int recover(struct sunxi_mmc *h)
{
	h->dma_resets++;
	if (stop_dma(h) || coh_ring_reset(&h->ring)) {
		h->dead = true;
		return -1;
	}
	return 0;
}

static void read_resp(struct sunxi_mmc *h, struct sd_cmd *c)
{
	if (c->rsp == SD_RSP_R2) {
		for (int i = 0; i < 4; i++)
			c->resp[i] = rd(h, SDXC_RESP0 + 4 * (size_t)i);
	} else if (c->rsp != SD_RSP_NONE) {
		c->resp[0] = rd(h, SDXC_RESP0);
	}
}

static int host_cmd(void *ctx, struct sd_cmd *c, const struct sd_data *d)
{
	struct sunxi_mmc *h = ctx;
	enum coh_dir dir = d && d->write ? COH_TO_DEVICE : COH_FROM_DEVICE;
	uint32_t len = 0, ri, done;
	size_t n = 0, first = 0;
	int rc;

	if (h->dead)
		return -COH_EPROTO;
	if (d && (!d->buf || !d->blocks || d->blocks > h->host.max_blocks))
		return -COH_EINVAL;
	if (!(rd(h, SDXC_STAS) & SDXC_CARD_PRESENT))
		return -COH_ENODEV;
	h->cmds++;
	wr(h, SDXC_RINTR, 0xffffffffu);
	done = SDXC_COMMAND_DONE;
	if (d) {
		len = d->blocks * SD_BLOCK;
		if ((rc = map_segs(h, d->buf, len, dir)))
			return rc;
		first = coh_ring_next(&h->ring);
		n = build_chain(h, first);
		/* the whole chain visible, OWN last, under one barrier */
		rc = coh_ring_post_n(&h->ring, h->shadow, n);
		if (rc < 0) {
			(void)unmap_segs(h, dir);
			return rc;
		}
		h->data_cmds++;
		h->descs += n;
		wr(h, SDXC_IDST, SDXC_IDST_ALL);
		wr(h, SDXC_GCTRL, rd(h, SDXC_GCTRL) | SDXC_DMA_ENABLE | SDXC_DMA_RESET);
		wr(h, SDXC_DMAC, SDXC_IDMAC_SOFT_RESET);
		wr(h, SDXC_DMAC, SDXC_IDMAC_FIX_BURST | SDXC_IDMAC_IDMA_ON);
		wr(h, SDXC_DLBA, coh_lo32(coh_ring_bus(&h->ring, first)));
		wr(h, SDXC_BLKSZ, SD_BLOCK);
		wr(h, SDXC_BCNTR, len);
		done |= SDXC_DATA_OVER | (d->autostop ? SDXC_AUTO_COMMAND_DONE : 0);
	}
	wr(h, SDXC_CARG, c->arg);
	wr(h, SDXC_CMDR, cmd_bits(c, d));
	rc = 0;
	for (uint32_t t = 0;; t += POLL_US) {
		ri = rd(h, SDXC_RINTR);
		if (ri & SDXC_INTERRUPT_ERROR_BIT) {
			rc = rintr_error(h, ri);
			break;
		}
		if (d && (rd(h, SDXC_IDST) & SDXC_IDMAC_ERRORS)) {
			h->bad_desc++;	/* a bus error, or a chain it did not own */
			rc = -COH_EPROTO;
			break;
		}
		if ((ri & done) == done)
			break;
		if (t >= h->cfg.timeout_us) {
			h->timeouts++;
			rc = -COH_ETIMEDOUT;
			break;
		}
		h->cfg.delay_us(h->cfg.delay_ctx, POLL_US);
	}
	h->last_rintr = ri;
	if (!d) {
		if (!rc)
			read_resp(h, c);
		wr(h, SDXC_RINTR, 0xffffffffu);
		return rc;
	}
	if (!rc)
		rc = reap_chain(h, n);
	if (!rc) {
		read_resp(h, c);
		if (stop_dma(h))
			rc = recover(h) ? -COH_EPROTO : -COH_ETIMEDOUT;
	} else if (recover(h)) {
		return -COH_EPROTO;	/* dead: the buffer stays the device's */
	}
	wr(h, SDXC_RINTR, 0xffffffffu);
	/* the transfer's acquire: only now may the data be read */
	if (unmap_segs(h, dir) && !rc)
		rc = -COH_EPROTO;
	return rc;
}

static const struct sd_host_ops sunxi_ops = {
	.reset = reset,
	.set_bus = set_bus,
	.cmd = host_cmd,
	.delay_us = delay_us,
};

int sunxi_mmc_init(struct sunxi_mmc *h, const struct sunxi_mmc_config *cfg)
{
	uint64_t most;
	int rc;

	if (!h || !cfg || !cfg->regs || !cfg->dev || !cfg->delay_us || cfg->ring < 4 ||
	    cfg->ring > SUNXI_MMC_MAX_RING || cfg->desc_max < SD_BLOCK ||
	    cfg->desc_max > SUNXI_MMC_DESC_MAX || cfg->desc_max % SD_BLOCK ||
	    (cfg->ring_attrs & ~COH_ATTR_UNCACHED))
		return -COH_EINVAL;
	/* a split buffer's two edges take a descriptor each */
	most = (uint64_t)(cfg->ring - 2) * cfg->desc_max / SD_BLOCK;
	if (cfg->max_blocks > most || cfg->bounce_blocks > most)
		return -COH_EINVAL;
	*h = (struct sunxi_mmc){ .cfg = *cfg, .regs = cfg->regs };
	if (!h->cfg.timeout_us)
		h->cfg.timeout_us = 500000;
	/* what the IDMA can address and how it takes a buffer */
	if ((rc = coh_device_set_mask_bits(cfg->dev, 32)))
		return rc;
	if (cfg->dev->min_align < 4)
		cfg->dev->min_align = 4;
	rc = coh_ring_create(&h->ring, cfg->dev, cfg->ring, struct sunxi_idma_desc, config,
			     SDXC_IDMAC_DES0_OWN, cfg->ring_attrs);
	if (rc)
		return rc;
	h->host = (struct sd_host){
		.ops = &sunxi_ops,
		.ctx = h,
		.caps = SD_CAP_AUTOSTOP | (cfg->width4 ? SD_CAP_4BIT : 0),
		.max_blocks = cfg->max_blocks ? cfg->max_blocks : (uint32_t)most,
		.align = 4,
		.max_blocks_unaligned = cfg->bounce_blocks ? cfg->bounce_blocks
				      : (most < 64 ? (uint32_t)most : 64),
		.max_hz = 50000000u,
	};
	rc = reset(h);
	if (rc)
		(void)coh_ring_destroy(&h->ring);
	return rc;
}

int sunxi_mmc_destroy(struct sunxi_mmc *h)
{
	if (!h)
		return -COH_EINVAL;
	return coh_ring_destroy(&h->ring);
}
