/* SPDX-License-Identifier: MIT */
/*
 * drivers/dwmac/dwmac_qos.c - the Ethernet QoS 4.x/5.x variant: register
 * access and descriptor formats, channel 0.  No memory the device shares
 * is touched here (dwmac.h: the core posts and reaps).
 */
#include "dwmac.h"
#include "dwmac_qos_regs.h"

/* DMA_DEBUG_STATUS0: TX/RX process state of channel 0 (0 = stopped) */
#define QOS_DMA_DEBUG_STATUS0	0x100c
#define  QOS_DBG_RPS0_MASK	QOS_GENMASK(11, 8)
#define  QOS_DBG_TPS0_MASK	QOS_GENMASK(15, 12)

static inline uint32_t rd(struct dwmac *d, size_t off)
{
	return coh_le32_to_cpu(coh_mmio_read32_relaxed(dwmac_regs(d) + off));
}

static inline void wr(struct dwmac *d, size_t off, uint32_t v)
{
	coh_mmio_write32_relaxed(dwmac_regs(d) + off, coh_cpu_to_le32(v));
}

static inline void set_bits(struct dwmac *d, size_t off, uint32_t bits)
{
	wr(d, off, rd(d, off) | bits);
}

static inline void clear_bits(struct dwmac *d, size_t off, uint32_t bits)
{
	wr(d, off, rd(d, off) & ~bits);
}

/* ---- descriptors ------------------------------------------------------------ */

static void qos_tx_encode(struct dwmac_desc *dd, const struct dwmac_tx_seg *seg)
{
	uint32_t des2 = seg->len & QOS_TDES2_B1L_MASK;
	uint32_t des3 = seg->frame_len & QOS_TDES3_FL_MASK;

	if (seg->irq)
		des2 |= QOS_TDES2_IOC;
	if (seg->first)
		des3 |= QOS_DES3_FD;
	if (seg->last)
		des3 |= QOS_DES3_LD;
	dd->des0 = coh_cpu_to_le32(coh_lo32(seg->buf));
	dd->des1 = coh_cpu_to_le32(coh_hi32(seg->buf));
	dd->des2 = coh_cpu_to_le32(des2);
	dd->des3 = coh_cpu_to_le32(des3);
}

static int qos_tx_status(const struct dwmac_desc *dd)
{
	uint32_t des3 = coh_le32_to_cpu(dd->des3);

	return (des3 & QOS_DES3_LD) && (des3 & QOS_TDES3_ES) ? -COH_EIO : 0;
}

static void qos_rx_encode(struct dwmac_desc *dd, const struct dwmac_rx_arm *arm)
{
	uint32_t des3 = QOS_RDES3_BUF1V;

	if (arm->irq)
		des3 |= QOS_RDES3_IOC;
	dd->des0 = coh_cpu_to_le32(coh_lo32(arm->buf));
	dd->des1 = coh_cpu_to_le32(coh_hi32(arm->buf));
	dd->des2 = 0;
	dd->des3 = coh_cpu_to_le32(des3);
}

static void qos_rx_decode(const struct dwmac_desc *dd, struct dwmac_rx_wb *wb)
{
	uint32_t des3 = coh_le32_to_cpu(dd->des3);

	wb->first = (des3 & QOS_DES3_FD) != 0;
	wb->last = (des3 & QOS_DES3_LD) != 0;
	wb->frame_len = des3 & QOS_RDES3_PL_MASK;
	/* a context descriptor carries no data: this driver never asks for one */
	wb->error = (des3 & (QOS_RDES3_ES | QOS_DES3_CTXT)) != 0;
	wb->err_bits = des3 & (QOS_RDES3_ES | QOS_RDES3_ERR_MASK | QOS_DES3_CTXT);
}

/* ---- controller ---------------------------------------------------------------- */

static int qos_reset(struct dwmac *d, const struct coh_poll *poll)
{
	set_bits(d, QOS_DMA_MODE, QOS_DMA_MODE_SWR);
	/* SWR clears itself once MAC and DMA are reset (needs the PHY's clocks) */
	return dwmac_wait(d, QOS_DMA_MODE, QOS_DMA_MODE_SWR, 0, poll);
}

static int qos_dma_init(struct dwmac *d, const struct dwmac_dma_cfg *c)
{
	size_t skip = c->stride - QOS_DESC_SIZE;
	uint32_t sysbus = QOS_DMA_SYSBUS_BLEN16 | QOS_DMA_SYSBUS_BLEN8 | QOS_DMA_SYSBUS_BLEN4;
	uint32_t ie = 0, hwf1 = rd(d, QOS_MAC_HW_FEATURE1);
	/* the FIFOs the controller was synthesised with (HW_FEATURE1, as stmmac reads it) */
	uint32_t txfifo = 128u << ((hwf1 & QOS_HWF1_TXFIFOSIZE_MASK) >> QOS_HWF1_TXFIFOSIZE_SHIFT);
	uint32_t rxfifo = 128u << (hwf1 & QOS_HWF1_RXFIFOSIZE_MASK);

	if (c->stride < QOS_DESC_SIZE || skip % QOS_BUS_WIDTH || skip > QOS_MAX_SKIP ||
	    !c->tx_count || !c->rx_count || c->tx_count - 1 > QOS_DMA_RING_LENGTH_MAX ||
	    c->rx_count - 1 > QOS_DMA_RING_LENGTH_MAX || !c->rx_buf_size ||
	    c->rx_buf_size % QOS_BUS_WIDTH ||
	    c->rx_buf_size > (QOS_DMA_CH_RBSZ_MASK >> QOS_DMA_CH_RBSZ_SHIFT))
		return -COH_EINVAL;
	/* tail pointers are 32-bit: the rings must not cross a 4 GiB boundary */
	if (coh_hi32(c->tx_base) != coh_hi32(c->tx_base + c->tx_count * c->stride - 1) ||
	    coh_hi32(c->rx_base) != coh_hi32(c->rx_base + c->rx_count * c->stride - 1))
		return -COH_EINVAL;
	/*
	 * EAME follows the mask, not where the rings happen to lie: without it
	 * the DMA reads des1 as a second buffer and drops the high word of
	 * every buffer address (a 40-bit mask, rings low, a buffer high).
	 */
	if (c->addr64)
		sysbus |= QOS_DMA_SYSBUS_EAME;
	else if (coh_hi32(c->tx_base) || coh_hi32(c->rx_base))
		return -COH_EINVAL;
	/* store-and-forward sends a frame only once it is whole in the TX FIFO */
	if (txfifo < 256 || rxfifo < 256 || c->mtu + 4 > txfifo)
		return -COH_EINVAL;

	wr(d, QOS_DMA_SYSBUS_MODE, sysbus);
	wr(d, QOS_DMA_CH0_CONTROL, QOS_DMA_CH_PBLX8 |
	   (uint32_t)(skip / QOS_BUS_WIDTH) << QOS_DMA_CH_DSL_SHIFT);
	wr(d, QOS_DMA_CH0_TX_CONTROL, QOS_DMA_CH_TX_OSP | 16u << QOS_DMA_CH_TXPBL_SHIFT);
	wr(d, QOS_DMA_CH0_RX_CONTROL, 16u << QOS_DMA_CH_RXPBL_SHIFT |
	   ((uint32_t)c->rx_buf_size << QOS_DMA_CH_RBSZ_SHIFT & QOS_DMA_CH_RBSZ_MASK));
	wr(d, QOS_DMA_CH0_TXDESC_LIST_HADDR, coh_hi32(c->tx_base));
	wr(d, QOS_DMA_CH0_TXDESC_LIST_ADDR, coh_lo32(c->tx_base));
	wr(d, QOS_DMA_CH0_RXDESC_LIST_HADDR, coh_hi32(c->rx_base));
	wr(d, QOS_DMA_CH0_RXDESC_LIST_ADDR, coh_lo32(c->rx_base));
	wr(d, QOS_DMA_CH0_TXDESC_RING_LENGTH, (uint32_t)(c->tx_count - 1));
	wr(d, QOS_DMA_CH0_RXDESC_RING_LENGTH, (uint32_t)(c->rx_count - 1));
	/* nothing to fetch until the first doorbell */
	wr(d, QOS_DMA_CH0_TXDESC_TAIL_PTR, coh_lo32(c->tx_base));
	wr(d, QOS_DMA_CH0_RXDESC_TAIL_PTR, coh_lo32(c->rx_base));
	if (c->irq)
		ie = QOS_DMA_IE_NIE | QOS_DMA_IE_AIE | QOS_DMA_IE_FBEE |
		     QOS_DMA_IE_RIE | QOS_DMA_IE_TIE;
	wr(d, QOS_DMA_CH0_INTERRUPT_ENABLE, ie);
	wr(d, QOS_DMA_CH0_STATUS, ~0u);

	/* one queue each way: it gets the whole FIFO (the reset value is 256 bytes) */
	wr(d, QOS_MTL_TXQ0_OPERATION_MODE, QOS_MTL_TXQ_TSF | QOS_MTL_TXQ_TXQEN |
	   ((txfifo / 256 - 1) << QOS_MTL_TXQ_TQS_SHIFT & QOS_MTL_TXQ_TQS_MASK));
	wr(d, QOS_MTL_RXQ0_OPERATION_MODE, QOS_MTL_RXQ_RSF |
	   ((rxfifo / 256 - 1) << QOS_MTL_RXQ_RQS_SHIFT & QOS_MTL_RXQ_RQS_MASK));
	wr(d, QOS_MAC_RXQ_CTRL0, QOS_MAC_RXQ0EN_DCB);
	/* 1000 Mb/s full duplex until adjust_link says otherwise */
	/* the FCS is the MAC's business: strip it from received type frames */
	wr(d, QOS_MAC_CONFIG, QOS_MAC_CONFIG_DM | QOS_MAC_CONFIG_CST);
	wr(d, QOS_MAC_PACKET_FILTER, 0);
	return 0;
}

static void qos_set_mac_addr(struct dwmac *d, const uint8_t m[6])
{
	wr(d, QOS_MAC_ADDRESS0_HIGH, QOS_MAC_ADDR_HIGH_AE | (uint32_t)m[5] << 8 | m[4]);
	wr(d, QOS_MAC_ADDRESS0_LOW, (uint32_t)m[3] << 24 | (uint32_t)m[2] << 16 |
	   (uint32_t)m[1] << 8 | m[0]);
}

static void qos_start(struct dwmac *d)
{
	set_bits(d, QOS_DMA_CH0_TX_CONTROL, QOS_DMA_CH_TX_ST);
	set_bits(d, QOS_DMA_CH0_RX_CONTROL, QOS_DMA_CH_RX_SR);
	set_bits(d, QOS_MAC_CONFIG, QOS_MAC_CONFIG_TE | QOS_MAC_CONFIG_RE);
}

/*
 * The databook's order (U-Boot eqos_stop and stmmac follow it): the TX DMA
 * first, so no new frame enters the MTL; the MAC transmitter only once the
 * MTL TX queue has drained, or the frame in it is cut; the receiver, then
 * the RX DMA only once the MTL RX queue has drained into memory.  A drain
 * that does not finish is not fatal here (no descriptor armed, say): the
 * last wait, for both DMA processes stopped, decides.
 */
static int qos_stop(struct dwmac *d, const struct coh_poll *poll)
{
	clear_bits(d, QOS_DMA_CH0_TX_CONTROL, QOS_DMA_CH_TX_ST);
	(void)dwmac_wait(d, QOS_MTL_TXQ0_DEBUG,
			 QOS_MTL_TXQ_DBG_TXQSTS | QOS_MTL_TXQ_DBG_TRCSTS_READ, 0, poll);
	clear_bits(d, QOS_MAC_CONFIG, QOS_MAC_CONFIG_TE | QOS_MAC_CONFIG_RE);
	(void)dwmac_wait(d, QOS_MTL_RXQ0_DEBUG,
			 QOS_MTL_RXQ_DBG_PRXQ_MASK | QOS_MTL_RXQ_DBG_RXQSTS_MASK, 0, poll);
	clear_bits(d, QOS_DMA_CH0_RX_CONTROL, QOS_DMA_CH_RX_SR);
	/* both processes finish the descriptor in hand, then report "stopped" (0) */
	return dwmac_wait(d, QOS_DMA_DEBUG_STATUS0, QOS_DBG_TPS0_MASK | QOS_DBG_RPS0_MASK,
			  0, poll);
}

static void qos_tx_kick(struct dwmac *d, coh_bus_t next_bus, size_t next_idx)
{
	(void)next_idx;
	/* ordered: the descriptors' release completes before the DMA is told */
	coh_mmio_write32(dwmac_regs(d) + QOS_DMA_CH0_TXDESC_TAIL_PTR,
			 coh_cpu_to_le32(coh_lo32(next_bus)));
}

static void qos_rx_kick(struct dwmac *d, coh_bus_t next_bus, size_t next_idx)
{
	(void)next_idx;
	/* ordered, as the TX doorbell */
	coh_mmio_write32(dwmac_regs(d) + QOS_DMA_CH0_RXDESC_TAIL_PTR,
			 coh_cpu_to_le32(coh_lo32(next_bus)));
}

static unsigned int qos_irq_status(struct dwmac *d)
{
	/* ordered read: the descriptors read after it are at least as new */
	uint32_t st = coh_le32_to_cpu(coh_mmio_read32(dwmac_regs(d) + QOS_DMA_CH0_STATUS));
	unsigned int r = 0;

	if (!st)
		return 0;
	wr(d, QOS_DMA_CH0_STATUS, st);	/* write 1 to clear what was seen */
	if (st & QOS_DMA_ST_TI)
		r |= DWMAC_IRQ_TX;
	if (st & QOS_DMA_ST_RI)
		r |= DWMAC_IRQ_RX;
	if (st & QOS_DMA_ST_RBU)
		r |= DWMAC_IRQ_RX_NOBUF;
	if (st & QOS_DMA_ST_TBU)
		r |= DWMAC_IRQ_TX_NOBUF;
	if (st & QOS_DMA_ST_FBE)
		r |= DWMAC_IRQ_FATAL;
	if (st & ~(QOS_DMA_ST_TI | QOS_DMA_ST_RI | QOS_DMA_ST_RBU | QOS_DMA_ST_TBU |
		   QOS_DMA_ST_FBE | QOS_DMA_ST_NIS | QOS_DMA_ST_AIS))
		r |= DWMAC_IRQ_OTHER;
	return r;
}

/*
 * CR names the range of the CSR clock, and so the divider that keeps MDC
 * at or below 2.5 MHz.  CR 0 is /42, right for 60-100 MHz only: at 250 MHz
 * it would run MDC at 6 MHz.  An unknown clock gets the largest divider
 * every QoS version has (/124, CR 5): a slow MDC is merely slow.
 */
static uint32_t mdio_cr(unsigned long hz)
{
	if (!hz)
		return QOS_MDIO_CR_250_300M;
	if (hz < 35000000ul)
		return QOS_MDIO_CR_20_35M;
	if (hz < 60000000ul)
		return QOS_MDIO_CR_35_60M;
	if (hz < 100000000ul)
		return QOS_MDIO_CR_60_100M;
	if (hz < 150000000ul)
		return QOS_MDIO_CR_100_150M;
	if (hz < 250000000ul)
		return QOS_MDIO_CR_150_250M;
	if (hz < 300000000ul)
		return QOS_MDIO_CR_250_300M;
	if (hz < 500000000ul)
		return QOS_MDIO_CR_300_500M;
	return QOS_MDIO_CR_500_800M;
}

static uint32_t mdio_cmd(const struct dwmac *d, unsigned int phy, unsigned int reg,
			 uint32_t goc)
{
	return (uint32_t)phy << QOS_MDIO_PA_SHIFT | (uint32_t)reg << QOS_MDIO_RDA_SHIFT |
	       mdio_cr(d->cfg.csr_clk_hz) << QOS_MDIO_CR_SHIFT | goc | QOS_MDIO_GB;
}

/* one clause-22 transfer: wait idle, (data,) command, wait done */
static int mdio_xfer(struct dwmac *d, unsigned int phy, unsigned int reg, uint32_t goc,
		     const uint16_t *data, const struct coh_poll *poll)
{
	int rc;

	if (phy > 31 || reg > 31)
		return -COH_EINVAL;
	rc = dwmac_wait(d, QOS_MAC_MDIO_ADDRESS, QOS_MDIO_GB, 0, poll);
	if (rc)
		return rc;
	if (data)
		wr(d, QOS_MAC_MDIO_DATA, *data);
	wr(d, QOS_MAC_MDIO_ADDRESS, mdio_cmd(d, phy, reg, goc));
	return dwmac_wait(d, QOS_MAC_MDIO_ADDRESS, QOS_MDIO_GB, 0, poll);
}

static int qos_mdio_read(struct dwmac *d, unsigned int phy, unsigned int reg,
			 uint16_t *val, const struct coh_poll *poll)
{
	int rc = mdio_xfer(d, phy, reg, QOS_MDIO_GOC_READ, NULL, poll);

	if (!rc)
		*val = (uint16_t)(rd(d, QOS_MAC_MDIO_DATA) & QOS_MDIO_GD_MASK);
	return rc;
}

static int qos_mdio_write(struct dwmac *d, unsigned int phy, unsigned int reg,
			  uint16_t val, const struct coh_poll *poll)
{
	return mdio_xfer(d, phy, reg, QOS_MDIO_GOC_WRITE, &val, poll);
}

static void qos_set_loopback(struct dwmac *d, bool on)
{
	if (on)
		set_bits(d, QOS_MAC_CONFIG, QOS_MAC_CONFIG_LM);
	else
		clear_bits(d, QOS_MAC_CONFIG, QOS_MAC_CONFIG_LM);
}

static void qos_adjust_link(struct dwmac *d, unsigned int speed, bool full)
{
	uint32_t v = rd(d, QOS_MAC_CONFIG) &
		     ~(QOS_MAC_CONFIG_PS | QOS_MAC_CONFIG_FES | QOS_MAC_CONFIG_DM);

	if (speed == 100)
		v |= QOS_MAC_CONFIG_PS | QOS_MAC_CONFIG_FES;
	else if (speed == 10)
		v |= QOS_MAC_CONFIG_PS;
	if (full)
		v |= QOS_MAC_CONFIG_DM;
	wr(d, QOS_MAC_CONFIG, v);
}

static void qos_irq_mask(struct dwmac *d, bool masked)
{
	uint32_t ie = QOS_DMA_IE_NIE | QOS_DMA_IE_AIE | QOS_DMA_IE_FBEE;

	if (!masked && d->cfg.irq)
		ie |= QOS_DMA_IE_RIE | QOS_DMA_IE_TIE;
	wr(d, QOS_DMA_CH0_INTERRUPT_ENABLE, ie);
}

static uint32_t qos_cur_desc(struct dwmac *d, bool rx)
{
	/* ordered: a descriptor the DMA has passed is read after this */
	return coh_le32_to_cpu(coh_mmio_read32(dwmac_regs(d) +
					       (rx ? QOS_DMA_CH0_CUR_RXDESC : QOS_DMA_CH0_CUR_TXDESC)));
}

static unsigned int qos_addr_bits(struct dwmac *d)
{
	switch ((rd(d, QOS_MAC_HW_FEATURE1) & QOS_HWF1_ADDR64_MASK) >> QOS_HWF1_ADDR64_SHIFT) {
	case 0: return 32;
	case 1: return 40;
	case 2: return 48;
	default: return 0;	/* reserved: open refuses the controller */
	}
}

const struct dwmac_hw_ops dwmac_qos_ops = {
	.name = "qos",
	.caps = DWMAC_CAP_TAIL_PTR | DWMAC_CAP_ADDR64 | DWMAC_CAP_LOOPBACK,
	.own_word = 3,
	.max_skip = QOS_MAX_SKIP,
	.max_buf = QOS_TDES2_B1L_MASK,
	.rx_buf_align = QOS_BUS_WIDTH,
	.tx_encode = qos_tx_encode,
	.tx_status = qos_tx_status,
	.rx_encode = qos_rx_encode,
	.rx_decode = qos_rx_decode,
	.reset = qos_reset,
	.dma_init = qos_dma_init,
	.set_mac_addr = qos_set_mac_addr,
	.start = qos_start,
	.stop = qos_stop,
	.tx_kick = qos_tx_kick,
	.rx_kick = qos_rx_kick,
	.irq_status = qos_irq_status,
	.mdio_read = qos_mdio_read,
	.mdio_write = qos_mdio_write,
	.set_loopback = qos_set_loopback,
	.adjust_link = qos_adjust_link,
	.cur_desc = qos_cur_desc,
	.addr_bits = qos_addr_bits,
	.irq_mask = qos_irq_mask,
};
