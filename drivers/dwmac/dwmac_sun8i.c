/* SPDX-License-Identifier: MIT */
/*
 * drivers/dwmac/dwmac_sun8i.c - the Allwinner sun8i EMAC variant (H3, H5,
 * A64, A83T, R40): Allwinner's register layout in front of a DWMAC-style
 * DMA with chained 16-byte descriptors {status, ctl, buffer, next}.
 * Registers and bits in dwmac_sun8i_regs.h.  No memory the device shares
 * is touched here (dwmac.h: the core posts and reaps).
 *
 * What differs from the QoS variant:
 *   - always chained: each descriptor holds the next one's bus address, so
 *     any stride works (max_skip unlimited) and the ring's wrap is the last
 *     descriptor pointing at the first;
 *   - no tail pointer: the doorbell is a poll demand (DMA_START in TX_CTL1 /
 *     RX_CTL1); the DMA runs until it meets a descriptor it does not own;
 *   - 32-bit addresses only, 11-bit buffer sizes;
 *   - the RX frame length counts the 4-byte FCS (U-Boot subtracts it too);
 *     rx_decode reports the frame without it.
 * Board glue the core does not do (clocks, resets, the H3 system-control
 * EMAC register that selects the internal PHY) belongs to the platform.
 */
#include "dwmac.h"
#include "dwmac_sun8i_regs.h"

static inline uint32_t rd(struct dwmac *d, size_t off)
{
	return coh_le32_to_cpu(coh_mmio_read32_relaxed(dwmac_regs(d) + off));
}

static inline void wr(struct dwmac *d, size_t off, uint32_t v)
{
	coh_mmio_write32_relaxed(dwmac_regs(d) + off, coh_cpu_to_le32(v));
}

/* ---- descriptors ------------------------------------------------------------ */

static void sun8i_tx_encode(struct dwmac_desc *dd, const struct dwmac_tx_seg *seg)
{
	uint32_t ctl = (seg->len & SUN8I_CTL_BUF_SIZE_MASK) | SUN8I_CTL_CHAIN;

	if (seg->first)
		ctl |= SUN8I_TX_CTL_FIRST;
	if (seg->last)
		ctl |= SUN8I_TX_CTL_LAST;
	if (seg->irq)
		ctl |= SUN8I_TX_CTL_INT;
	dd->des0 = 0;
	dd->des1 = coh_cpu_to_le32(ctl);
	dd->des2 = coh_cpu_to_le32(coh_lo32(seg->buf));
	dd->des3 = coh_cpu_to_le32(coh_lo32(seg->next));
}

static int sun8i_tx_status(const struct dwmac_desc *dd)
{
	uint32_t st = coh_le32_to_cpu(dd->des0);

	return st & (SUN8I_TX_ST_ERR_SUM | SUN8I_TX_ST_LENGTH_ERR) ? -COH_EIO : 0;
}

static void sun8i_rx_encode(struct dwmac_desc *dd, const struct dwmac_rx_arm *arm)
{
	uint32_t ctl = (arm->len & SUN8I_CTL_BUF_SIZE_MASK) | SUN8I_CTL_CHAIN;

	if (!arm->irq)
		ctl |= SUN8I_RX_CTL_NO_INT;
	dd->des0 = 0;
	dd->des1 = coh_cpu_to_le32(ctl);
	dd->des2 = coh_cpu_to_le32(coh_lo32(arm->buf));
	dd->des3 = coh_cpu_to_le32(coh_lo32(arm->next));
}

static void sun8i_rx_decode(const struct dwmac_desc *dd, struct dwmac_rx_wb *wb)
{
	uint32_t st = coh_le32_to_cpu(dd->des0);
	uint32_t fl = (st & SUN8I_RX_ST_LEN_MASK) >> SUN8I_RX_ST_LEN_SHIFT;

	wb->first = (st & SUN8I_RX_ST_FIRST) != 0;
	wb->last = (st & SUN8I_RX_ST_LAST) != 0;
	/* a length too short to hold the FCS is a bad frame, not a negative one */
	wb->error = (st & SUN8I_RX_ST_ERR_MASK) != 0 || (wb->last && fl <= SUN8I_FCS_LEN);
	wb->frame_len = fl > SUN8I_FCS_LEN ? fl - SUN8I_FCS_LEN : 0;
	wb->err_bits = st & SUN8I_RX_ST_ERR_MASK;
}

/* ---- controller ---------------------------------------------------------------- */

static int sun8i_reset(struct dwmac *d, const struct coh_poll *poll)
{
	wr(d, SUN8I_BASIC_CTL1, rd(d, SUN8I_BASIC_CTL1) | SUN8I_CTL1_SOFT_RST);
	/* Linux allows 100 ms: a board without a cable needs more than 10 */
	return dwmac_wait(d, SUN8I_BASIC_CTL1, SUN8I_CTL1_SOFT_RST, 0, poll);
}

static int sun8i_dma_init(struct dwmac *d, const struct dwmac_dma_cfg *c)
{
	/* descriptors and list registers hold 32-bit bus addresses */
	if (c->stride < SUN8I_DESC_SIZE || !c->tx_count || !c->rx_count ||
	    !c->rx_buf_size || c->rx_buf_size > SUN8I_CTL_BUF_SIZE_MASK ||
	    coh_hi32(c->tx_base + c->tx_count * c->stride - 1) || coh_hi32(c->tx_base) ||
	    coh_hi32(c->rx_base + c->rx_count * c->stride - 1) || coh_hi32(c->rx_base))
		return -COH_EINVAL;
	wr(d, SUN8I_BASIC_CTL1, 8u << SUN8I_CTL1_BURST_LEN_SHIFT);
	wr(d, SUN8I_INT_EN, c->irq ? SUN8I_INT_RX | SUN8I_INT_TX | SUN8I_INT_RX_BUF_UA : 0);
	wr(d, SUN8I_INT_STA, SUN8I_INT_ALL);
	wr(d, SUN8I_TX_CTL1, SUN8I_TX_CTL1_MD);
	wr(d, SUN8I_RX_CTL1, SUN8I_RX_CTL1_MD);
	wr(d, SUN8I_TX_DMA_DESC_LIST, coh_lo32(c->tx_base));
	wr(d, SUN8I_RX_DMA_DESC_LIST, coh_lo32(c->rx_base));
	/* unicast to our address and broadcast; the address comes next */
	wr(d, SUN8I_RX_FRM_FLT, 0);
	/* 1000 Mb/s full duplex until adjust_link says otherwise */
	wr(d, SUN8I_BASIC_CTL0, SUN8I_CTL0_FULL_DUPLEX | SUN8I_CTL0_SPEED_1000);
	return 0;
}

static void sun8i_set_mac_addr(struct dwmac *d, const uint8_t m[6])
{
	wr(d, SUN8I_ADDR_HIGH, (uint32_t)m[5] << 8 | m[4]);
	wr(d, SUN8I_ADDR_LOW, (uint32_t)m[3] << 24 | (uint32_t)m[2] << 16 |
	   (uint32_t)m[1] << 8 | m[0]);
}

static void sun8i_start(struct dwmac *d)
{
	wr(d, SUN8I_TX_CTL0, rd(d, SUN8I_TX_CTL0) | SUN8I_TX_CTL0_TX_EN);
	wr(d, SUN8I_RX_CTL0, rd(d, SUN8I_RX_CTL0) | SUN8I_RX_CTL0_RX_EN);
	wr(d, SUN8I_TX_CTL1, rd(d, SUN8I_TX_CTL1) | SUN8I_TX_CTL1_DMA_EN);
	/* ordered: the receive ring armed by the core is released before the DMA starts */
	coh_mmio_write32(dwmac_regs(d) + SUN8I_RX_CTL1,
			 coh_cpu_to_le32(rd(d, SUN8I_RX_CTL1) | SUN8I_RX_CTL1_DMA_EN |
					 SUN8I_RX_CTL1_DMA_START));
}

static int sun8i_stop(struct dwmac *d, const struct coh_poll *poll)
{
	int rc;

	wr(d, SUN8I_TX_CTL1, rd(d, SUN8I_TX_CTL1) & ~SUN8I_TX_CTL1_DMA_EN);
	wr(d, SUN8I_RX_CTL1, rd(d, SUN8I_RX_CTL1) & ~SUN8I_RX_CTL1_DMA_EN);
	wr(d, SUN8I_TX_CTL0, rd(d, SUN8I_TX_CTL0) & ~SUN8I_TX_CTL0_TX_EN);
	wr(d, SUN8I_RX_CTL0, rd(d, SUN8I_RX_CTL0) & ~SUN8I_RX_CTL0_RX_EN);
	/* both DMA engines finish the descriptor in hand and report "stopped" (0) */
	rc = dwmac_wait(d, SUN8I_TX_DMA_STA, SUN8I_DMA_STA_MASK, 0, poll);
	if (!rc)
		rc = dwmac_wait(d, SUN8I_RX_DMA_STA, SUN8I_DMA_STA_MASK, 0, poll);
	return rc;
}

/*
 * Poll demand: the DMA fetches from its current descriptor until one it does
 * not own, so next_bus is not needed.  The read-modify-write keeps the mode
 * bits; the write is the ordered one, after the core's descriptor release.
 */
static void sun8i_tx_kick(struct dwmac *d, coh_bus_t next_bus, size_t next_idx)
{
	uint32_t v = rd(d, SUN8I_TX_CTL1) | SUN8I_TX_CTL1_DMA_EN | SUN8I_TX_CTL1_DMA_START;

	(void)next_bus;
	(void)next_idx;
	/* ordered: the descriptors' release completes before the DMA is told */
	coh_mmio_write32(dwmac_regs(d) + SUN8I_TX_CTL1, coh_cpu_to_le32(v));
}

static void sun8i_rx_kick(struct dwmac *d, coh_bus_t next_bus, size_t next_idx)
{
	uint32_t v = rd(d, SUN8I_RX_CTL1) | SUN8I_RX_CTL1_DMA_EN | SUN8I_RX_CTL1_DMA_START;

	(void)next_bus;
	(void)next_idx;
	/* ordered, as the TX doorbell; also resumes a DMA suspended on RX_BUF_UA */
	coh_mmio_write32(dwmac_regs(d) + SUN8I_RX_CTL1, coh_cpu_to_le32(v));
}

static unsigned int sun8i_irq_status(struct dwmac *d)
{
	/* ordered read: the descriptors read after it are at least as new */
	uint32_t st = coh_le32_to_cpu(coh_mmio_read32(dwmac_regs(d) + SUN8I_INT_STA));
	unsigned int r = 0;

	if (!st)
		return 0;
	wr(d, SUN8I_INT_STA, st);	/* write 1 to clear what was seen */
	if (st & SUN8I_INT_TX)
		r |= DWMAC_IRQ_TX;
	if (st & SUN8I_INT_RX)
		r |= DWMAC_IRQ_RX;
	if (st & SUN8I_INT_RX_BUF_UA)
		r |= DWMAC_IRQ_RX_NOBUF;
	if (st & SUN8I_INT_TX_BUF_UA)
		r |= DWMAC_IRQ_TX_NOBUF;
	if (st & ~(SUN8I_INT_TX | SUN8I_INT_RX | SUN8I_INT_RX_BUF_UA | SUN8I_INT_TX_BUF_UA))
		r |= DWMAC_IRQ_OTHER;
	return r;
}

/*
 * MDC = the CSR (AHB) clock / 16, 32, 64 or 128 (MDC_DIV_RATIO_M 0..3): the
 * smallest divider that keeps MDC at or below 2.5 MHz; 128 when unknown.
 */
static uint32_t mii_div(unsigned long hz)
{
	uint32_t k = 0;

	if (!hz)
		return SUN8I_MII_CLK_DIV_128;
	while (k < SUN8I_MII_CLK_DIV_128 && hz / (16ul << k) > 2500000ul)
		k++;
	return k;
}

/* one clause-22 transfer: wait idle, (data,) command, wait done */
static int mii_xfer(struct dwmac *d, unsigned int phy, unsigned int reg, const uint16_t *data,
		    const struct coh_poll *poll)
{
	uint32_t cmd = mii_div(d->cfg.csr_clk_hz) << SUN8I_MII_CLK_DIV_SHIFT |
		       (uint32_t)phy << SUN8I_MII_PHY_SHIFT |
		       (uint32_t)reg << SUN8I_MII_REG_SHIFT | SUN8I_MII_BUSY;
	int rc;

	if (phy > 31 || reg > 31)
		return -COH_EINVAL;
	rc = dwmac_wait(d, SUN8I_MII_CMD, SUN8I_MII_BUSY, 0, poll);
	if (rc)
		return rc;
	if (data) {
		wr(d, SUN8I_MII_DATA, *data);
		cmd |= SUN8I_MII_WRITE;
	}
	wr(d, SUN8I_MII_CMD, cmd);
	return dwmac_wait(d, SUN8I_MII_CMD, SUN8I_MII_BUSY, 0, poll);
}

static int sun8i_mdio_read(struct dwmac *d, unsigned int phy, unsigned int reg,
			   uint16_t *val, const struct coh_poll *poll)
{
	int rc = mii_xfer(d, phy, reg, NULL, poll);

	if (!rc)
		*val = (uint16_t)rd(d, SUN8I_MII_DATA);
	return rc;
}

static int sun8i_mdio_write(struct dwmac *d, unsigned int phy, unsigned int reg,
			    uint16_t val, const struct coh_poll *poll)
{
	return mii_xfer(d, phy, reg, &val, poll);
}

static void sun8i_adjust_link(struct dwmac *d, unsigned int speed, bool full)
{
	uint32_t v = rd(d, SUN8I_BASIC_CTL0) & ~(SUN8I_CTL0_SPEED_MASK | SUN8I_CTL0_FULL_DUPLEX);

	if (speed == 100)
		v |= SUN8I_CTL0_SPEED_100;
	else if (speed == 10)
		v |= SUN8I_CTL0_SPEED_10;
	if (full)
		v |= SUN8I_CTL0_FULL_DUPLEX;
	wr(d, SUN8I_BASIC_CTL0, v);
}

const struct dwmac_hw_ops dwmac_sun8i_ops = {
	.name = "sun8i",
	.caps = DWMAC_CAP_CHAINED,
	.own_word = 0,
	.max_skip = (size_t)-1,
	.max_buf = SUN8I_CTL_BUF_SIZE_MASK,
	.rx_buf_align = 4,
	.tx_encode = sun8i_tx_encode,
	.tx_status = sun8i_tx_status,
	.rx_encode = sun8i_rx_encode,
	.rx_decode = sun8i_rx_decode,
	.reset = sun8i_reset,
	.dma_init = sun8i_dma_init,
	.set_mac_addr = sun8i_set_mac_addr,
	.start = sun8i_start,
	.stop = sun8i_stop,
	.tx_kick = sun8i_tx_kick,
	.rx_kick = sun8i_rx_kick,
	.irq_status = sun8i_irq_status,
	.mdio_read = sun8i_mdio_read,
	.mdio_write = sun8i_mdio_write,
	.adjust_link = sun8i_adjust_link,
};
