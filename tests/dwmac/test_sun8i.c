/* SPDX-License-Identifier: MIT */
/*
 * The sun8i EMAC variant: its register map and descriptor bits against the
 * values the public sources state, then its descriptor encoders/decoders
 * (pure functions of the ops table) on images.  Expected values are
 * re-stated from the source named beside them, not derived from the header.
 *
 *  [Q]  QEMU hw/net/allwinner-sun8i-emac.c (REG_*, INT_*, TX_CTL*, RX_CTL*,
 *       MII_CMD_*, DESC_* and *_DESC_* enums)
 *  [L]  Linux drivers/net/ethernet/stmicro/stmmac/dwmac-sun8i.c (EMAC_*,
 *       sun8i_dwmac_setup: mii reg 8:4, addr 16:12, clk_csr 22:20)
 *  [U]  U-Boot drivers/net/sun8i_emac.c (EMAC_DESC_*, EMAC_RX_CTL1_*,
 *       MDIO_CMD_*, length - 4 for the FCS)
 *  [D]  Linux stmmac descs.h, normal descriptors (RDES0/RDES1/TDES0/TDES1)
 */
#include <stddef.h>
#include <string.h>

#include "dwmac.h"
#include "dwmac_sun8i_regs.h"
#include "harness.h"

TH_DEFINE_COUNTERS;

static void registers(void)
{
	CHECK_EQ(SUN8I_BASIC_CTL0, 0x00);	/* [Q] REG_BASIC_CTL_0 [L] EMAC_BASIC_CTL0 */
	CHECK_EQ(SUN8I_BASIC_CTL1, 0x04);	/* [Q][L] */
	CHECK_EQ(SUN8I_INT_STA, 0x08);		/* [Q][L] */
	CHECK_EQ(SUN8I_INT_EN, 0x0c);		/* [Q][L] */
	CHECK_EQ(SUN8I_TX_CTL0, 0x10);		/* [Q][L] */
	CHECK_EQ(SUN8I_TX_CTL1, 0x14);		/* [Q][L] */
	CHECK_EQ(SUN8I_TX_FLOW_CTL, 0x1c);	/* [Q][L] */
	CHECK_EQ(SUN8I_TX_DMA_DESC_LIST, 0x20);	/* [Q][L] EMAC_TX_DESC_LIST */
	CHECK_EQ(SUN8I_RX_CTL0, 0x24);		/* [Q][L] */
	CHECK_EQ(SUN8I_RX_CTL1, 0x28);		/* [Q][L] */
	CHECK_EQ(SUN8I_RX_DMA_DESC_LIST, 0x34);	/* [Q][L] EMAC_RX_DESC_LIST */
	CHECK_EQ(SUN8I_RX_FRM_FLT, 0x38);	/* [Q][L] */
	CHECK_EQ(SUN8I_MII_CMD, 0x48);		/* [Q] REG_MII_CMD [L] EMAC_MDIO_CMD */
	CHECK_EQ(SUN8I_MII_DATA, 0x4c);		/* [Q][L] */
	CHECK_EQ(SUN8I_ADDR_HIGH, 0x50);	/* [Q] REG_ADDR_HIGH [L] EMAC_MACADDR_HI(0) */
	CHECK_EQ(SUN8I_ADDR_LOW, 0x54);		/* [Q][L] EMAC_MACADDR_LO(0) */
	CHECK_EQ(SUN8I_TX_DMA_STA, 0xb0);	/* [Q][L] */
	CHECK_EQ(SUN8I_TX_CUR_DESC, 0xb4);	/* [Q][L] */
	CHECK_EQ(SUN8I_RX_DMA_STA, 0xc0);	/* [Q][L] */
	CHECK_EQ(SUN8I_RX_CUR_DESC, 0xc4);	/* [Q][L] */
}

static void control_bits(void)
{
	CHECK_EQ(SUN8I_CTL0_FULL_DUPLEX, 1u << 0);	/* [Q] BASIC_CTL0_FD [L] EMAC_DUPLEX_FULL */
	CHECK_EQ(SUN8I_CTL0_SPEED_100, 3u << 2);	/* [Q] BASIC_CTL0_100Mbps [L] EMAC_SPEED_100 */
	CHECK_EQ(SUN8I_CTL0_SPEED_10, 2u << 2);		/* [L] EMAC_SPEED_10 */
	CHECK_EQ(SUN8I_CTL1_SOFT_RST, 1u << 0);		/* [Q] BASIC_CTL1_SOFTRST [L] writel(v | 0x01) */
	CHECK_EQ(SUN8I_CTL1_BURST_LEN_SHIFT, 24);	/* [L] EMAC_BURSTLEN_SHIFT */
	CHECK_EQ(SUN8I_INT_TX, 1u << 0);		/* [Q] INT_STA_TX [L] EMAC_TX_INT */
	CHECK_EQ(SUN8I_INT_TX_BUF_UA, 1u << 2);		/* [Q][L] */
	CHECK_EQ(SUN8I_INT_RX, 1u << 8);		/* [Q][L] EMAC_RX_INT */
	CHECK_EQ(SUN8I_INT_RX_BUF_UA, 1u << 9);		/* [Q][L] EMAC_RX_BUF_UA_INT */
	CHECK_EQ(SUN8I_INT_RX_OVERFLOW, 1u << 12);	/* [Q][L] */
	CHECK_EQ(SUN8I_INT_ALL, 0x1ffffffu);		/* [L] writel(0x1FFFFFF, EMAC_INT_STA) */
	CHECK_EQ(SUN8I_TX_CTL0_TX_EN, 1u << 31);	/* [Q] TX_CTL0_TX_EN [L] EMAC_TX_TRANSMITTER_EN */
	CHECK_EQ(SUN8I_TX_CTL1_DMA_START, 1u << 31);	/* [Q][L] EMAC_TX_DMA_START */
	CHECK_EQ(SUN8I_TX_CTL1_DMA_EN, 1u << 30);	/* [Q][L] EMAC_TX_DMA_EN */
	CHECK_EQ(SUN8I_TX_CTL1_MD, 1u << 1);		/* [L] EMAC_TX_MD */
	CHECK_EQ(SUN8I_RX_CTL0_RX_EN, 1u << 31);	/* [Q] RX_CTL0_RX_EN [L] EMAC_RX_RECEIVER_EN */
	CHECK_EQ(SUN8I_RX_CTL0_DO_CRC, 1u << 27);	/* [Q] RX_CTL0_CRC_IPV4 [L] EMAC_RX_DO_CRC */
	CHECK_EQ(SUN8I_RX_CTL1_DMA_START, 1u << 31);	/* [Q][L] EMAC_RX_DMA_START */
	CHECK_EQ(SUN8I_RX_CTL1_DMA_EN, 1u << 30);	/* [Q][L] EMAC_RX_DMA_EN */
	CHECK_EQ(SUN8I_RX_CTL1_MD, 1u << 1);		/* [Q] RX_CTL1_RX_MD [L] EMAC_RX_MD */
	CHECK_EQ(SUN8I_RX_CTL1_RUNT_FRM, 1u << 2);	/* [U] EMAC_RX_CTL1_RX_RUNT_FRM */
	CHECK_EQ(SUN8I_RX_CTL1_ERR_FRM, 1u << 3);	/* [U] EMAC_RX_CTL1_RX_ERR_FRM */
	CHECK_EQ(SUN8I_FRM_FLT_RXALL, 1u << 0);		/* [L] EMAC_FRM_FLT_RXALL */
	CHECK_EQ(SUN8I_MII_BUSY, 1u << 0);		/* [Q] MII_CMD_PHY_BUSY [U] MDIO_CMD_MII_BUSY */
	CHECK_EQ(SUN8I_MII_WRITE, 1u << 1);		/* [Q] MII_CMD_PHY_RW [U] MDIO_CMD_MII_WRITE */
	CHECK_EQ(SUN8I_MII_REG_SHIFT, 4);		/* [Q] MII_CMD_PHY_REG_SHIFT [L] reg_mask 8:4 */
	CHECK_EQ(SUN8I_MII_PHY_SHIFT, 12);		/* [Q] MII_CMD_PHY_ADDR_SHIFT [L] addr 16:12 */
	CHECK_EQ(SUN8I_MII_CLK_DIV_SHIFT, 20);		/* [L] clk_csr 22:20 [U] MDIO_CMD_MII_CLK_CSR_SHIFT */
	CHECK_EQ(SUN8I_MII_CLK_DIV_128, 3u);		/* [U] MDIO_CMD_MII_CLK_CSR_DIV_128 */
}

static void descriptor_bits(void)
{
	CHECK_EQ(SUN8I_DESC_OWN, 1u << 31);		/* [Q] DESC_STATUS_CTL [U] EMAC_DESC_OWN_DMA */
	CHECK_EQ(SUN8I_CTL_BUF_SIZE_MASK, 0x7ffu);	/* [Q] DESC_STATUS2_BUF_SIZE_MASK [D] 10:0 */
	CHECK_EQ(SUN8I_CTL_CHAIN, 1u << 24);		/* [U] EMAC_DESC_CHAIN_SECOND [D] RCH/TCH */
	CHECK_EQ(SUN8I_TX_CTL_FIRST, 1u << 29);		/* [Q] TX_DESC_STATUS2_FIRST_DESC [U] */
	CHECK_EQ(SUN8I_TX_CTL_LAST, 1u << 30);		/* [Q] TX_DESC_STATUS2_LAST_DESC [U] */
	CHECK_EQ(SUN8I_TX_CTL_INT, 1u << 31);		/* [D] TDES1_INTERRUPT */
	CHECK_EQ(SUN8I_TX_CTL_CSUM_MASK, 3u << 27);	/* [Q] TX_DESC_STATUS2_CHECKSUM_MASK */
	CHECK_EQ(SUN8I_TX_ST_LENGTH_ERR, 1u << 14);	/* [Q] TX_DESC_STATUS_LENGTH_ERR */
	CHECK_EQ(SUN8I_TX_ST_ERR_SUM, 1u << 15);	/* [D] TDES0_ERROR_SUMMARY */
	CHECK_EQ(SUN8I_RX_CTL_NO_INT, 1u << 31);	/* [Q] RX_DESC_STATUS2_RX_INT_CTL [D] RDES1 DIC */
	CHECK_EQ(SUN8I_RX_ST_FIRST, 1u << 9);		/* [Q] RX_DESC_STATUS_FIRST_DESC [D] */
	CHECK_EQ(SUN8I_RX_ST_LAST, 1u << 8);		/* [Q] RX_DESC_STATUS_LAST_DESC [D] */
	CHECK_EQ(SUN8I_RX_ST_LEN_MASK, 0x3fff0000u);	/* [Q] RX_DESC_STATUS_FRM_LEN_MASK [D] */
	CHECK_EQ(SUN8I_RX_ST_ERR_MASK, 0x400068dbu);	/* [U] EMAC_DESC_RX_ERROR_MASK */
}

/* the ops table: what a variant must provide, and the format it promises */
static void ops_table(void)
{
	const struct dwmac_hw_ops *o = &dwmac_sun8i_ops;

	CHECK(o->tx_encode && o->tx_status && o->rx_encode && o->rx_decode && o->reset &&
	      o->dma_init && o->set_mac_addr && o->start && o->stop && o->tx_kick &&
	      o->rx_kick && o->irq_status && o->mdio_read && o->mdio_write);
	CHECK_EQ(o->own_word, 0);			/* status, the first word [Q] */
	CHECK(o->caps & DWMAC_CAP_CHAINED);
	CHECK(!(o->caps & (DWMAC_CAP_TAIL_PTR | DWMAC_CAP_ADDR64)));
	CHECK_EQ(o->max_buf, 2047);			/* 11-bit size [Q] */
	CHECK_EQ(o->max_skip, (size_t)-1);		/* chained: any stride */
}

static void tx_encode(void)
{
	struct dwmac_desc dd;
	struct dwmac_tx_seg seg = { .buf = 0x40001230u, .len = 1514, .frame_len = 1514,
				    .next = 0x40200080u, .first = true, .last = true, .irq = true };

	memset(&dd, 0xa5, sizeof(dd));
	dwmac_sun8i_ops.tx_encode(&dd, &seg);
	CHECK_EQ(dd.des0, 0);				/* no OWN: the ring sets it last */
	CHECK_EQ(dd.des1, 1514u | 1u << 24 | 1u << 29 | 1u << 30 | 1u << 31);
	CHECK_EQ(dd.des2, 0x40001230u);
	CHECK_EQ(dd.des3, 0x40200080u);
	seg = (struct dwmac_tx_seg){ .buf = 0x40002000u, .len = 14, .frame_len = 100,
				     .next = 0x40200100u, .first = false, .last = false };
	dwmac_sun8i_ops.tx_encode(&dd, &seg);
	CHECK_EQ(dd.des1, 14u | 1u << 24);		/* a middle piece: no FD, LD, IRQ */
	CHECK_EQ(dwmac_sun8i_ops.tx_status(&(struct dwmac_desc){ 0 }), 0);
	CHECK_EQ(dwmac_sun8i_ops.tx_status(&(struct dwmac_desc){ .des0 = 1u << 15 }), -COH_EIO);
	CHECK_EQ(dwmac_sun8i_ops.tx_status(&(struct dwmac_desc){ .des0 = 1u << 14 }), -COH_EIO);
}

static void rx_encode_decode(void)
{
	struct dwmac_desc dd;
	struct dwmac_rx_wb wb;
	struct dwmac_rx_arm arm = { .buf = 0x40300000u, .len = 1536, .next = 0x40200000u,
				    .irq = false };

	dwmac_sun8i_ops.rx_encode(&dd, &arm);
	CHECK_EQ(dd.des0, 0);
	CHECK_EQ(dd.des1, 1536u | 1u << 24 | 1u << 31);	/* no interrupt asked: DIC */
	CHECK_EQ(dd.des2, 0x40300000u);
	CHECK_EQ(dd.des3, 0x40200000u);
	arm.irq = true;
	dwmac_sun8i_ops.rx_encode(&dd, &arm);
	CHECK_EQ(dd.des1, 1536u | 1u << 24);

	/* a 1514-byte frame in one descriptor: the length counts the FCS [U] */
	dd.des0 = (1518u << 16) | 1u << 9 | 1u << 8;
	memset(&wb, 0, sizeof(wb));
	dwmac_sun8i_ops.rx_decode(&dd, &wb);
	CHECK(wb.first && wb.last && !wb.error);
	CHECK_EQ(wb.frame_len, 1514);
	/* the error bits U-Boot checks each make the frame bad */
	for (int b = 0; b < 31; b++) {
		if (!(0x400068dbu & (1u << b)))
			continue;
		dd.des0 = (100u << 16) | 1u << 9 | 1u << 8 | 1u << b;
		memset(&wb, 0, sizeof(wb));
		dwmac_sun8i_ops.rx_decode(&dd, &wb);
		CHECK(wb.error);
		CHECK_EQ(wb.err_bits, 1u << b);
	}
	/* a device-written length too short to hold the FCS: bad, never negative */
	dd.des0 = (3u << 16) | 1u << 9 | 1u << 8;
	memset(&wb, 0, sizeof(wb));
	dwmac_sun8i_ops.rx_decode(&dd, &wb);
	CHECK(wb.error);
	CHECK_EQ(wb.frame_len, 0);
	/* the largest length the field holds: reported, the core bounds it */
	dd.des0 = 0x3fffu << 16 | 1u << 8;
	dwmac_sun8i_ops.rx_decode(&dd, &wb);
	CHECK(!wb.first && wb.last);
	CHECK_EQ(wb.frame_len, 0x3fff - 4);
}

/* ---- the variant under the core, on the recording backend ---------------- */

static uint8_t arena[256u << 10] __attribute__((aligned(4096)));
static uint32_t regs[0x100 / 4];
static struct coh_region ram;
static struct coh_device dev;
static struct coh_stream st;
static struct coh_map_rec recs[16];
static struct dwmac d;
static uint8_t mem[4096] __attribute__((aligned(16)));

static int rec_now(struct dwmac *x, const struct coh_poll *p)
{
	(void)x;
	(void)p;
	return 0;
}

/*
 * The EMAC's descriptors and list registers hold 32 bits: a wider device
 * mask is lowered at open, so nothing the library allocates or maps for it
 * lies above 4 GiB (the variant writes the low words only).
 */
static void mask_clamped(void)
{
	struct dwmac_hw_ops o = dwmac_sun8i_ops;
	struct dwmac_config c = {
		.ops = &o, .regs = regs, .dev = &dev, .layout = DWMAC_LAYOUT_CACHED_SKIP,
		.tx_count = 8, .rx_count = 8, .rx_buf_size = 512, .rx_batch = 2,
	};

	o.reset = rec_now;
	o.stop = rec_now;
	coh_device_init(&dev, "emac-rec", 0);
	dev.dma_mask = ~0ull;
	coh_stream_init(&st, recs, 16, 0);
	coh_device_set_stream(&dev, &st);
	CHECK_EQ(coh_region_add(&ram, arena, 0x40000000u, sizeof(arena), 0), 0);
	CHECK_EQ(dwmac_open(&d, &c, NULL, mem, sizeof(mem)), 0);
	CHECK_EQ(d.addr_bits, 32);
	CHECK_EQ(dev.dma_mask, 0xffffffffull);
	CHECK_EQ(dwmac_close(&d), 0);
	coh_device_set_stream(&dev, NULL);
	coh_region_remove(&ram);
}

/*
 * A ring that ends exactly at 4 GiB is addressable (its last byte is
 * below); one that crosses it is not.  The variant's dma_init on a
 * register block of plain memory.
 */
static void ring_ends_at_4g(void)
{
	struct dwmac x = { .regs = (volatile uint8_t *)regs };
	struct dwmac_dma_cfg c = {
		.tx_base = 0x100000000ull - 8 * 64, .rx_base = 0x40000000u,
		.tx_count = 8, .rx_count = 8, .stride = 64, .rx_buf_size = 512, .mtu = 1514,
	};

	CHECK_EQ(dwmac_sun8i_ops.dma_init(&x, &c), 0);
	c.tx_base += 64;	/* the last slot crosses */
	CHECK_EQ(dwmac_sun8i_ops.dma_init(&x, &c), -COH_EINVAL);
	c.tx_base = 0x40000000u;
	c.rx_base = 0x100000000ull - 8 * 64;
	CHECK_EQ(dwmac_sun8i_ops.dma_init(&x, &c), 0);
}

int main(void)
{
	RUN(registers);
	RUN(control_bits);
	RUN(descriptor_bits);
	RUN(ops_table);
	RUN(tx_encode);
	RUN(rx_encode_decode);
	RUN(mask_clamped);
	RUN(ring_ends_at_4g);
	return th_finish("dwmac_sun8i");
}
