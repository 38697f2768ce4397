/* SPDX-License-Identifier: MIT */
/*
 * drivers/dwmac/dwmac_qos_regs.h - Synopsys DesignWare Ethernet QoS 4.x/5.x
 * (EQOS, "GMAC4"): the registers and descriptor bits this driver uses,
 * named after the databook, channel 0 only.
 *
 * Facts from public sources (values, not text): Linux
 * drivers/net/ethernet/stmicro/stmmac/dwmac4.h (MAC, MTL), dwmac4_dma.h
 * (DMA), dwmac4_descs.h (descriptors), stmmac_mdio.c and dwmac4_core.c
 * (MDIO fields); U-Boot drivers/net/dwc_eth_qos.c (DSL shift 18, RBSZ
 * bits 14:1, channel-0 register block).  tests/dwmac/test_regs.c checks
 * each value against the cited source.
 */
#ifndef DWMAC_QOS_REGS_H
#define DWMAC_QOS_REGS_H

#define QOS_BIT(n) (1u << (n))
/* bits h..l set */
#define QOS_GENMASK(h, l) ((~0u >> (31 - (h))) & ~((1u << (l)) - 1u))

/* ---- MAC ---------------------------------------------------------------- */
#define QOS_MAC_CONFIG		0x0000
#define  QOS_MAC_CONFIG_RE	QOS_BIT(0)	/* receiver enable */
#define  QOS_MAC_CONFIG_TE	QOS_BIT(1)	/* transmitter enable */
#define  QOS_MAC_CONFIG_LM	QOS_BIT(12)	/* loopback mode */
#define  QOS_MAC_CONFIG_DM	QOS_BIT(13)	/* full duplex */
#define  QOS_MAC_CONFIG_FES	QOS_BIT(14)	/* 100M (with PS) / 2.5G */
#define  QOS_MAC_CONFIG_PS	QOS_BIT(15)	/* port select: 10/100 (MII) */
#define  QOS_MAC_CONFIG_JE	QOS_BIT(16)	/* jumbo frames */
#define  QOS_MAC_CONFIG_ACS	QOS_BIT(20)	/* strip pad/FCS of length frames */
#define  QOS_MAC_CONFIG_CST	QOS_BIT(21)	/* strip the FCS of type frames */
#define QOS_MAC_PACKET_FILTER	0x0008
#define  QOS_MAC_PF_PR		QOS_BIT(0)	/* promiscuous */
#define QOS_MAC_RXQ_CTRL0	0x00a0
#define  QOS_MAC_RXQ0EN_MASK	QOS_GENMASK(1, 0)
#define  QOS_MAC_RXQ0EN_DCB	2u		/* queue 0 enabled for DCB/generic */
#define QOS_MAC_VERSION		0x0110
#define QOS_MAC_HW_FEATURE0	0x011c
#define QOS_MAC_HW_FEATURE1	0x0120
#define  QOS_HWF1_ADDR64_MASK	QOS_GENMASK(15, 14)	/* 0: 32 bits, 1: 40, 2: 48 */
#define  QOS_HWF1_ADDR64_SHIFT	14
#define  QOS_HWF1_TXFIFOSIZE_MASK QOS_GENMASK(10, 6)	/* 128 << n bytes */
#define  QOS_HWF1_TXFIFOSIZE_SHIFT 6
#define  QOS_HWF1_RXFIFOSIZE_MASK QOS_GENMASK(4, 0)	/* 128 << n bytes */
#define QOS_MAC_HW_FEATURE2	0x0124
#define QOS_MAC_HW_FEATURE3	0x0128
#define QOS_MAC_MDIO_ADDRESS	0x0200
#define  QOS_MDIO_GB		QOS_BIT(0)	/* busy: set to start, clears when done */
#define  QOS_MDIO_GOC_SHIFT	2		/* operation, bits 3:2 */
#define  QOS_MDIO_GOC_WRITE	(1u << QOS_MDIO_GOC_SHIFT)
#define  QOS_MDIO_GOC_READ	(3u << QOS_MDIO_GOC_SHIFT)
#define  QOS_MDIO_CR_SHIFT	8		/* CSR clock range, bits 11:8 */
#define  QOS_MDIO_CR_MASK	QOS_GENMASK(11, 8)
/* CR by CSR clock range: MDC = CSR clock / divider, at most 2.5 MHz (802.3 22.2.2.13) */
#define  QOS_MDIO_CR_60_100M	0u	/* / 42 */
#define  QOS_MDIO_CR_100_150M	1u	/* / 62 */
#define  QOS_MDIO_CR_20_35M	2u	/* / 16 */
#define  QOS_MDIO_CR_35_60M	3u	/* / 26 */
#define  QOS_MDIO_CR_150_250M	4u	/* / 102 */
#define  QOS_MDIO_CR_250_300M	5u	/* / 124 */
#define  QOS_MDIO_CR_300_500M	6u	/* / 204 */
#define  QOS_MDIO_CR_500_800M	7u	/* / 324 */
#define  QOS_MDIO_RDA_SHIFT	16		/* register, bits 20:16 */
#define  QOS_MDIO_RDA_MASK	QOS_GENMASK(20, 16)
#define  QOS_MDIO_PA_SHIFT	21		/* PHY address, bits 25:21 */
#define  QOS_MDIO_PA_MASK	QOS_GENMASK(25, 21)
#define QOS_MAC_MDIO_DATA	0x0204
#define  QOS_MDIO_GD_MASK	QOS_GENMASK(15, 0)
#define QOS_MAC_ADDRESS0_HIGH	0x0300		/* bytes 4, 5 in bits 15:0 */
#define  QOS_MAC_ADDR_HIGH_AE	QOS_BIT(31)	/* address enable */
#define QOS_MAC_ADDRESS0_LOW	0x0304		/* bytes 0..3 */

/* ---- MTL queue 0 ----------------------------------------------------------- */
#define QOS_MTL_TXQ0_OPERATION_MODE 0x0d00
#define  QOS_MTL_TXQ_TSF	QOS_BIT(1)	/* transmit store and forward */
#define  QOS_MTL_TXQ_TXQEN_SHIFT 2		/* bits 3:2 */
#define  QOS_MTL_TXQ_TXQEN	(2u << QOS_MTL_TXQ_TXQEN_SHIFT)	/* enabled */
#define  QOS_MTL_TXQ_TQS_SHIFT	16		/* TX queue size, bits 24:16: 256-byte blocks - 1 */
#define  QOS_MTL_TXQ_TQS_MASK	QOS_GENMASK(24, 16)
#define QOS_MTL_TXQ0_DEBUG	0x0d08
#define  QOS_MTL_TXQ_DBG_TXQSTS	QOS_BIT(4)	/* frames in the TX queue */
#define  QOS_MTL_TXQ_DBG_TRCSTS_READ QOS_BIT(1)	/* TRCSTS bits 2:1 = 1 (read) or 3 (flush) */
#define QOS_MTL_RXQ0_OPERATION_MODE 0x0d30
#define  QOS_MTL_RXQ_RSF	QOS_BIT(5)	/* receive store and forward */
#define  QOS_MTL_RXQ_RQS_SHIFT	20		/* RX queue size, bits 29:20: 256-byte blocks - 1 */
#define  QOS_MTL_RXQ_RQS_MASK	QOS_GENMASK(29, 20)
#define QOS_MTL_RXQ0_DEBUG	0x0d38
#define  QOS_MTL_RXQ_DBG_PRXQ_MASK QOS_GENMASK(29, 16)	/* frames in the RX queue */
#define  QOS_MTL_RXQ_DBG_RXQSTS_MASK QOS_GENMASK(5, 4)	/* RX queue fill level */

/* ---- DMA ------------------------------------------------------------------- */
#define QOS_DMA_MODE		0x1000
#define  QOS_DMA_MODE_SWR	QOS_BIT(0)	/* software reset, self-clearing */
#define QOS_DMA_SYSBUS_MODE	0x1004
#define  QOS_DMA_SYSBUS_EAME	QOS_BIT(11)	/* enhanced (above 32-bit) addressing */
#define  QOS_DMA_SYSBUS_BLEN16	QOS_BIT(3)
#define  QOS_DMA_SYSBUS_BLEN8	QOS_BIT(2)
#define  QOS_DMA_SYSBUS_BLEN4	QOS_BIT(1)

#define QOS_DMA_CH0_CONTROL	0x1100
#define  QOS_DMA_CH_PBLX8	QOS_BIT(16)
#define  QOS_DMA_CH_DSL_SHIFT	18		/* descriptor skip length, bits 20:18 */
#define  QOS_DMA_CH_DSL_MASK	QOS_GENMASK(20, 18)
#define  QOS_DMA_CH_DSL_MAX	7u
#define QOS_DMA_CH0_TX_CONTROL	0x1104
#define  QOS_DMA_CH_TX_ST	QOS_BIT(0)	/* start transmission */
#define  QOS_DMA_CH_TX_OSP	QOS_BIT(4)	/* operate on second packet */
#define  QOS_DMA_CH_TXPBL_SHIFT	16		/* bits 21:16 */
#define QOS_DMA_CH0_RX_CONTROL	0x1108
#define  QOS_DMA_CH_RX_SR	QOS_BIT(0)	/* start receive */
#define  QOS_DMA_CH_RBSZ_SHIFT	1		/* receive buffer size, bits 14:1 */
#define  QOS_DMA_CH_RBSZ_MASK	QOS_GENMASK(14, 1)
#define  QOS_DMA_CH_RXPBL_SHIFT	16
#define QOS_DMA_CH0_TXDESC_LIST_HADDR 0x1110
#define QOS_DMA_CH0_TXDESC_LIST_ADDR  0x1114
#define QOS_DMA_CH0_RXDESC_LIST_HADDR 0x1118
#define QOS_DMA_CH0_RXDESC_LIST_ADDR  0x111c
#define QOS_DMA_CH0_TXDESC_TAIL_PTR   0x1120
#define QOS_DMA_CH0_RXDESC_TAIL_PTR   0x1128
#define QOS_DMA_CH0_TXDESC_RING_LENGTH 0x112c	/* descriptors - 1 */
#define QOS_DMA_CH0_RXDESC_RING_LENGTH 0x1130
#define  QOS_DMA_RING_LENGTH_MAX 1023u		/* 10 bits */
#define QOS_DMA_CH0_INTERRUPT_ENABLE  0x1134
#define  QOS_DMA_IE_TIE		QOS_BIT(0)
#define  QOS_DMA_IE_RIE		QOS_BIT(6)
#define  QOS_DMA_IE_FBEE	QOS_BIT(12)
#define  QOS_DMA_IE_AIE		QOS_BIT(14)	/* 4.10 and later */
#define  QOS_DMA_IE_NIE		QOS_BIT(15)	/* 4.10 and later */
#define QOS_DMA_CH0_CUR_TXDESC	0x1144
#define QOS_DMA_CH0_CUR_RXDESC	0x114c
#define QOS_DMA_CH0_STATUS	0x1160		/* write 1 to clear */
#define  QOS_DMA_ST_TI		QOS_BIT(0)
#define  QOS_DMA_ST_TPS		QOS_BIT(1)
#define  QOS_DMA_ST_TBU		QOS_BIT(2)
#define  QOS_DMA_ST_RI		QOS_BIT(6)
#define  QOS_DMA_ST_RBU		QOS_BIT(7)
#define  QOS_DMA_ST_RPS		QOS_BIT(8)
#define  QOS_DMA_ST_FBE		QOS_BIT(12)
#define  QOS_DMA_ST_AIS		QOS_BIT(14)
#define  QOS_DMA_ST_NIS		QOS_BIT(15)

#define QOS_REGS_SIZE		0x1200		/* channel 0 and below */

/* ---- descriptors (16 bytes, des0..des3, little endian) ----------------------- */
#define QOS_DES3_OWN		QOS_BIT(31)	/* every format */
#define QOS_DES3_CTXT		QOS_BIT(30)	/* context descriptor (write-back) */
#define QOS_DES3_FD		QOS_BIT(29)	/* first descriptor */
#define QOS_DES3_LD		QOS_BIT(28)	/* last descriptor */

/* TX read format: des0/des1 buffer 1 address low/high */
#define QOS_TDES2_IOC		QOS_BIT(31)	/* interrupt on completion */
#define QOS_TDES2_B1L_MASK	QOS_GENMASK(13, 0)	/* buffer 1 length */
#define QOS_TDES3_CIC_MASK	QOS_GENMASK(17, 16)	/* checksum insertion */
#define QOS_TDES3_FL_MASK	QOS_GENMASK(14, 0)	/* frame length */
/* TX write-back */
#define QOS_TDES3_ES		QOS_BIT(15)	/* error summary */

/* RX read format: des0/des1 buffer 1 address */
#define QOS_RDES3_IOC		QOS_BIT(30)
#define QOS_RDES3_BUF1V		QOS_BIT(24)	/* buffer 1 address valid */
/* RX write-back */
#define QOS_RDES3_ES		QOS_BIT(15)	/* error summary */
#define QOS_RDES3_PL_MASK	QOS_GENMASK(14, 0)	/* packet length (with LD) */
#define QOS_RDES3_ERR_MASK	QOS_GENMASK(24, 19)	/* dribble, RE, OE, RWT, GP, CE */

#define QOS_DESC_SIZE		16u
#define QOS_BUS_WIDTH		8u		/* bytes per DSL unit on a 64-bit AXI bus */
#define QOS_MAX_SKIP		(QOS_DMA_CH_DSL_MAX * QOS_BUS_WIDTH)	/* 56 */

#endif /* DWMAC_QOS_REGS_H */
