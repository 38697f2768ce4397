/* SPDX-License-Identifier: MIT */
/*
 * drivers/dwmac/dwmac_sun8i_regs.h - Allwinner sun8i EMAC (H3, H5, A64,
 * A83T, R40): registers and descriptor bits, named after Allwinner's.
 *
 * Facts, each found in at least two of: QEMU hw/net/allwinner-sun8i-emac.c
 * (the model `make test` runs against), Linux
 * drivers/net/ethernet/stmicro/stmmac/dwmac-sun8i.c, U-Boot
 * drivers/net/sun8i_emac.c.  Descriptor bits agree with Linux stmmac's
 * normal descriptors (descs.h RDES0/RDES1/TDES1).  Where only one source
 * has a fact, the line says which.  tests/dwmac checks these values.
 */
#ifndef DWMAC_SUN8I_REGS_H
#define DWMAC_SUN8I_REGS_H

#define SUN8I_BIT(n)		(1u << (n))
#define SUN8I_GENMASK(h, l)	((~0u >> (31 - (h))) & ~((1u << (l)) - 1u))

/* ---- registers (offsets from the EMAC base) ---- */
#define SUN8I_BASIC_CTL0	0x00
#define  SUN8I_CTL0_FULL_DUPLEX		SUN8I_BIT(0)
#define  SUN8I_CTL0_LOOPBACK		SUN8I_BIT(1)	/* Linux; QEMU does not model it */
#define  SUN8I_CTL0_SPEED_MASK		SUN8I_GENMASK(3, 2)
#define  SUN8I_CTL0_SPEED_1000		(0u << 2)
#define  SUN8I_CTL0_SPEED_10		(2u << 2)
#define  SUN8I_CTL0_SPEED_100		(3u << 2)
#define SUN8I_BASIC_CTL1	0x04
#define  SUN8I_CTL1_SOFT_RST		SUN8I_BIT(0)	/* self-clearing */
#define  SUN8I_CTL1_BURST_LEN_SHIFT	24		/* DMA burst, Linux writes 8 */
#define SUN8I_INT_STA		0x08			/* write 1 to clear */
#define SUN8I_INT_EN		0x0c
#define  SUN8I_INT_TX			SUN8I_BIT(0)
#define  SUN8I_INT_TX_DMA_STOP		SUN8I_BIT(1)
#define  SUN8I_INT_TX_BUF_UA		SUN8I_BIT(2)	/* TX DMA met a descriptor it does not own */
#define  SUN8I_INT_TX_TIMEOUT		SUN8I_BIT(3)
#define  SUN8I_INT_TX_UNDERFLOW		SUN8I_BIT(4)
#define  SUN8I_INT_TX_EARLY		SUN8I_BIT(5)
#define  SUN8I_INT_RX			SUN8I_BIT(8)
#define  SUN8I_INT_RX_BUF_UA		SUN8I_BIT(9)	/* RX DMA found no armed descriptor */
#define  SUN8I_INT_RX_DMA_STOP		SUN8I_BIT(10)
#define  SUN8I_INT_RX_TIMEOUT		SUN8I_BIT(11)
#define  SUN8I_INT_RX_OVERFLOW		SUN8I_BIT(12)
#define  SUN8I_INT_RX_EARLY		SUN8I_BIT(13)
#define  SUN8I_INT_RGMII_STA		SUN8I_BIT(16)
#define  SUN8I_INT_ALL			0x01ffffffu	/* what Linux writes to clear all */
#define SUN8I_TX_CTL0		0x10
#define  SUN8I_TX_CTL0_TX_EN		SUN8I_BIT(31)
#define SUN8I_TX_CTL1		0x14
#define  SUN8I_TX_CTL1_FLUSH		SUN8I_BIT(0)
#define  SUN8I_TX_CTL1_MD		SUN8I_BIT(1)	/* store and forward */
#define  SUN8I_TX_CTL1_DMA_EN		SUN8I_BIT(30)
#define  SUN8I_TX_CTL1_DMA_START	SUN8I_BIT(31)	/* poll demand */
#define SUN8I_TX_FLOW_CTL	0x1c
#define SUN8I_TX_DMA_DESC_LIST	0x20
#define SUN8I_RX_CTL0		0x24
#define  SUN8I_RX_CTL0_FLOW_CTL_EN	SUN8I_BIT(16)
#define  SUN8I_RX_CTL0_DO_CRC		SUN8I_BIT(27)	/* IPv4 checksum offload */
#define  SUN8I_RX_CTL0_RX_EN		SUN8I_BIT(31)
#define SUN8I_RX_CTL1		0x28
#define  SUN8I_RX_CTL1_MD		SUN8I_BIT(1)	/* store and forward */
#define  SUN8I_RX_CTL1_RUNT_FRM		SUN8I_BIT(2)	/* U-Boot: pass runt frames */
#define  SUN8I_RX_CTL1_ERR_FRM		SUN8I_BIT(3)	/* U-Boot: pass error frames */
#define  SUN8I_RX_CTL1_DMA_EN		SUN8I_BIT(30)
#define  SUN8I_RX_CTL1_DMA_START	SUN8I_BIT(31)	/* poll demand */
#define SUN8I_RX_DMA_DESC_LIST	0x34
#define SUN8I_RX_FRM_FLT	0x38
#define  SUN8I_FRM_FLT_RXALL		SUN8I_BIT(0)
#define SUN8I_MII_CMD		0x48
#define  SUN8I_MII_BUSY			SUN8I_BIT(0)
#define  SUN8I_MII_WRITE		SUN8I_BIT(1)
#define  SUN8I_MII_REG_SHIFT		4		/* bits 8:4 */
#define  SUN8I_MII_PHY_SHIFT		12		/* bits 16:12 */
#define  SUN8I_MII_CLK_DIV_SHIFT	20		/* bits 22:20 */
#define  SUN8I_MII_CLK_DIV_128		3u		/* U-Boot's choice, safe for any AHB clock */
#define SUN8I_MII_DATA		0x4c
#define SUN8I_ADDR_HIGH		0x50			/* address bytes 5:4 */
#define SUN8I_ADDR_LOW		0x54			/* address bytes 3:0 */
#define SUN8I_TX_DMA_STA	0xb0
#define SUN8I_TX_CUR_DESC	0xb4
#define SUN8I_RX_DMA_STA	0xc0
#define  SUN8I_DMA_STA_MASK		SUN8I_GENMASK(2, 0)	/* 0: stopped (QEMU) */
#define SUN8I_RX_CUR_DESC	0xc4

/* ---- descriptors: {status, ctl, buffer address, next descriptor} ---- */
#define SUN8I_DESC_SIZE		16
#define SUN8I_DESC_OWN		SUN8I_BIT(31)	/* status: the DMA owns it */
/* ctl (second word), both directions */
#define SUN8I_CTL_BUF_SIZE_MASK	SUN8I_GENMASK(10, 0)	/* QEMU: 11 bits */
#define SUN8I_CTL_CHAIN		SUN8I_BIT(24)	/* next pointer valid (U-Boot, Linux RDES1/TDES1) */
/* TX ctl */
#define SUN8I_TX_CTL_CSUM_MASK	SUN8I_GENMASK(28, 27)	/* checksum insertion: we leave it 0 */
#define SUN8I_TX_CTL_FIRST	SUN8I_BIT(29)
#define SUN8I_TX_CTL_LAST	SUN8I_BIT(30)
#define SUN8I_TX_CTL_INT	SUN8I_BIT(31)	/* interrupt when sent */
/* TX status */
#define SUN8I_TX_ST_LENGTH_ERR	SUN8I_BIT(14)	/* QEMU: frame above 2048 bytes */
#define SUN8I_TX_ST_ERR_SUM	SUN8I_BIT(15)	/* Linux TDES0 error summary */
/* RX ctl */
#define SUN8I_RX_CTL_NO_INT	SUN8I_BIT(31)	/* no RX interrupt for this descriptor */
/* RX status */
#define SUN8I_RX_ST_LAST	SUN8I_BIT(8)
#define SUN8I_RX_ST_FIRST	SUN8I_BIT(9)
#define SUN8I_RX_ST_LEN_SHIFT	16
#define SUN8I_RX_ST_LEN_MASK	SUN8I_GENMASK(29, 16)	/* FCS included */
#define SUN8I_RX_ST_ERR_MASK	0x400068dbu	/* U-Boot's error bits */
#define SUN8I_FCS_LEN		4

#endif /* DWMAC_SUN8I_REGS_H */
