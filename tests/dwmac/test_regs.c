/* SPDX-License-Identifier: MIT */
/*
 * The QoS register map and descriptor layout of drivers/dwmac/dwmac_qos_regs.h
 * against the values published in public sources.  Each expected value is
 * re-stated here from the source named beside it (not derived from the
 * header), so a typo in the header fails this test.
 *
 *  [L4]  Linux drivers/net/ethernet/stmicro/stmmac/dwmac4.h
 *  [L4D] Linux drivers/net/ethernet/stmicro/stmmac/dwmac4_dma.h
 *  [L4S] Linux drivers/net/ethernet/stmicro/stmmac/dwmac4_descs.h
 *  [LM]  Linux drivers/net/ethernet/stmicro/stmmac/stmmac_mdio.c (GMAC4 MDIO)
 *        and dwmac4_core.c (mii addr_shift 21, reg_shift 16, clk_csr_shift 8)
 *  [UB]  U-Boot drivers/net/dwc_eth_qos.c (struct eqos_dma_regs, EQOS_DMA_*)
 */
#include <stddef.h>

#include "dwmac.h"
#include "dwmac_qos_regs.h"
#include "harness.h"

TH_DEFINE_COUNTERS;

static void mac_registers(void)
{
	CHECK_EQ(QOS_MAC_CONFIG, 0x000);		/* [L4] GMAC_CONFIG */
	CHECK_EQ(QOS_MAC_PACKET_FILTER, 0x008);		/* [L4] GMAC_PACKET_FILTER */
	CHECK_EQ(QOS_MAC_RXQ_CTRL0, 0x0a0);		/* [L4] GMAC_RXQ_CTRL0 */
	CHECK_EQ(QOS_MAC_HW_FEATURE0, 0x11c);		/* [L4] GMAC_HW_FEATURE0 */
	CHECK_EQ(QOS_MAC_HW_FEATURE3, 0x128);		/* [L4] GMAC_HW_FEATURE3 */
	CHECK_EQ(QOS_MAC_MDIO_ADDRESS, 0x200);		/* [L4] GMAC_MDIO_ADDR */
	CHECK_EQ(QOS_MAC_MDIO_DATA, 0x204);		/* [L4] GMAC_MDIO_DATA */
	CHECK_EQ(QOS_MAC_ADDRESS0_HIGH, 0x300);		/* [L4] GMAC_ADDR_HIGH(0) */
	CHECK_EQ(QOS_MAC_ADDRESS0_LOW, 0x304);		/* [L4] GMAC_ADDR_LOW(0) */
	CHECK_EQ(QOS_MAC_CONFIG_RE, 1u << 0);		/* [L4] GMAC_CONFIG_RE */
	CHECK_EQ(QOS_MAC_CONFIG_TE, 1u << 1);		/* [L4] GMAC_CONFIG_TE */
	CHECK_EQ(QOS_MAC_CONFIG_LM, 1u << 12);		/* [L4] GMAC_CONFIG_LM */
	CHECK_EQ(QOS_MAC_CONFIG_DM, 1u << 13);		/* [L4] GMAC_CONFIG_DM */
	CHECK_EQ(QOS_MAC_CONFIG_FES, 1u << 14);		/* [L4] GMAC_CONFIG_FES */
	CHECK_EQ(QOS_MAC_CONFIG_PS, 1u << 15);		/* [L4] GMAC_CONFIG_PS */
	CHECK_EQ(QOS_MAC_ADDR_HIGH_AE, 1u << 31);	/* [L4] GMAC_HI_REG_AE */
	CHECK_EQ(QOS_HWF1_ADDR64_MASK, 0xc000u);	/* [L4] GMAC_HW_ADDR64 GENMASK(15, 14) */
}

static void mdio_fields(void)
{
	CHECK_EQ(QOS_MDIO_GB, 1u);			/* [LM] MII_BUSY */
	CHECK_EQ(QOS_MDIO_GOC_WRITE, 1u << 2);		/* [LM] MII_GMAC4_WRITE */
	CHECK_EQ(QOS_MDIO_GOC_READ, 3u << 2);		/* [LM] MII_GMAC4_READ */
	CHECK_EQ(QOS_MDIO_RDA_SHIFT, 16);		/* [LM] MII_GMAC4_REG_ADDR_SHIFT */
	CHECK_EQ(QOS_MDIO_PA_SHIFT, 21);		/* [LM] mii.addr_shift */
	CHECK_EQ(QOS_MDIO_PA_MASK, 0x03e00000u);	/* [LM] GENMASK(25, 21) */
	CHECK_EQ(QOS_MDIO_RDA_MASK, 0x001f0000u);	/* [LM] GENMASK(20, 16) */
	CHECK_EQ(QOS_MDIO_CR_MASK, 0x00000f00u);	/* [LM] GENMASK(11, 8) */
}

static void mtl_registers(void)
{
	CHECK_EQ(QOS_MTL_TXQ0_OPERATION_MODE, 0xd00);	/* [L4] MTL_CHAN_TX_OP_MODE(0) */
	CHECK_EQ(QOS_MTL_RXQ0_OPERATION_MODE, 0xd30);	/* [L4] MTL_CHAN_RX_OP_MODE(0) */
	CHECK_EQ(QOS_MTL_TXQ_TSF, 1u << 1);		/* [L4] MTL_OP_MODE_TSF */
	CHECK_EQ(QOS_MTL_TXQ_TXQEN, 1u << 3);		/* [L4] MTL_OP_MODE_TXQEN */
	CHECK_EQ(QOS_MTL_RXQ_RSF, 1u << 5);		/* [L4] MTL_OP_MODE_RSF */
}

static void dma_registers(void)
{
	CHECK_EQ(QOS_DMA_MODE, 0x1000);			/* [L4D] DMA_BUS_MODE */
	CHECK_EQ(QOS_DMA_SYSBUS_MODE, 0x1004);		/* [L4D] DMA_SYS_BUS_MODE */
	CHECK_EQ(QOS_DMA_MODE_SWR, 1u);			/* [L4D] DMA_BUS_MODE_SFT_RESET */
	CHECK_EQ(QOS_DMA_SYSBUS_EAME, 1u << 11);	/* [L4D] DMA_SYS_BUS_EAME */
	CHECK_EQ(QOS_DMA_CH0_CONTROL, 0x1100);		/* [L4D] DMA_CHAN_BASE_ADDR */
	CHECK_EQ(QOS_DMA_CH0_TX_CONTROL, 0x1104);	/* [L4D] base + 0x4 */
	CHECK_EQ(QOS_DMA_CH0_RX_CONTROL, 0x1108);	/* [L4D] base + 0x8 */
	CHECK_EQ(QOS_DMA_CH0_TXDESC_LIST_HADDR, 0x1110);	/* [L4D] base + 0x10 */
	CHECK_EQ(QOS_DMA_CH0_TXDESC_LIST_ADDR, 0x1114);	/* [L4D] base + 0x14 */
	CHECK_EQ(QOS_DMA_CH0_RXDESC_LIST_HADDR, 0x1118);	/* [L4D] base + 0x18 */
	CHECK_EQ(QOS_DMA_CH0_RXDESC_LIST_ADDR, 0x111c);	/* [L4D] base + 0x1c */
	CHECK_EQ(QOS_DMA_CH0_TXDESC_TAIL_PTR, 0x1120);	/* [L4D] DMA_CHAN_TX_END_ADDR */
	CHECK_EQ(QOS_DMA_CH0_RXDESC_TAIL_PTR, 0x1128);	/* [L4D] DMA_CHAN_RX_END_ADDR */
	CHECK_EQ(QOS_DMA_CH0_TXDESC_RING_LENGTH, 0x112c);	/* [L4D] DMA_CHAN_TX_RING_LEN */
	CHECK_EQ(QOS_DMA_CH0_RXDESC_RING_LENGTH, 0x1130);	/* [L4D] DMA_CHAN_RX_RING_LEN */
	CHECK_EQ(QOS_DMA_CH0_INTERRUPT_ENABLE, 0x1134);	/* [L4D] DMA_CHAN_INTR_ENA */
	CHECK_EQ(QOS_DMA_CH0_CUR_TXDESC, 0x1144);	/* [L4D] DMA_CHAN_CUR_TX_DESC */
	CHECK_EQ(QOS_DMA_CH0_CUR_RXDESC, 0x114c);	/* [L4D] DMA_CHAN_CUR_RX_DESC */
	CHECK_EQ(QOS_DMA_CH0_STATUS, 0x1160);		/* [L4D] DMA_CHAN_STATUS */
	CHECK_EQ(QOS_DMA_CH_DSL_SHIFT, 18);		/* [UB] EQOS_DMA_CH0_CONTROL_DSL_SHIFT */
	CHECK_EQ(QOS_DMA_CH_DSL_MAX, 7);		/* [UB] EQOS_DMA_CH0_CONTROL_DSL_MAX */
	CHECK_EQ(QOS_DMA_CH_PBLX8, 1u << 16);		/* [L4D] DMA_CHAN_CTRL_PBLX8 */
	CHECK_EQ(QOS_DMA_CH_TX_ST, 1u);			/* [L4D] DMA_CONTROL_ST */
	CHECK_EQ(QOS_DMA_CH_TX_OSP, 1u << 4);		/* [L4D] DMA_CONTROL_OSP */
	CHECK_EQ(QOS_DMA_CH_RX_SR, 1u);			/* [L4D] DMA_CONTROL_SR */
	CHECK_EQ(QOS_DMA_CH_RBSZ_MASK, 0x7ffeu);	/* [L4D] DMA_RBSZ_MASK GENMASK(14, 1) */
	CHECK_EQ(QOS_DMA_CH_RBSZ_SHIFT, 1);		/* [UB] EQOS_DMA_CH0_RX_CONTROL_RBSZ_SHIFT */
	CHECK_EQ(QOS_DMA_IE_TIE, 1u << 0);		/* [L4D] DMA_CHAN_INTR_ENA_TIE */
	CHECK_EQ(QOS_DMA_IE_RIE, 1u << 6);		/* [L4D] DMA_CHAN_INTR_ENA_RIE */
	CHECK_EQ(QOS_DMA_IE_FBEE, 1u << 12);		/* [L4D] DMA_CHAN_INTR_ENA_FBE */
	CHECK_EQ(QOS_DMA_IE_AIE, 1u << 14);		/* [L4D] DMA_CHAN_INTR_ENA_AIE_4_10 */
	CHECK_EQ(QOS_DMA_IE_NIE, 1u << 15);		/* [L4D] DMA_CHAN_INTR_ENA_NIE_4_10 */
	CHECK_EQ(QOS_DMA_ST_TI, 1u << 0);		/* [L4D] DMA_CHAN_STATUS_TI */
	CHECK_EQ(QOS_DMA_ST_TPS, 1u << 1);		/* [L4D] DMA_CHAN_STATUS_TPS */
	CHECK_EQ(QOS_DMA_ST_TBU, 1u << 2);		/* [L4D] DMA_CHAN_STATUS_TBU */
	CHECK_EQ(QOS_DMA_ST_RI, 1u << 6);		/* [L4D] DMA_CHAN_STATUS_RI */
	CHECK_EQ(QOS_DMA_ST_RBU, 1u << 7);		/* [L4D] DMA_CHAN_STATUS_RBU */
	CHECK_EQ(QOS_DMA_ST_RPS, 1u << 8);		/* [L4D] DMA_CHAN_STATUS_RPS */
	CHECK_EQ(QOS_DMA_ST_FBE, 1u << 12);		/* [L4D] DMA_CHAN_STATUS_FBE */
	CHECK_EQ(QOS_DMA_ST_AIS, 1u << 14);		/* [L4D] DMA_CHAN_STATUS_AIS */
	CHECK_EQ(QOS_DMA_ST_NIS, 1u << 15);		/* [L4D] DMA_CHAN_STATUS_NIS */
}

static void descriptors(void)
{
	CHECK_EQ(sizeof(struct dwmac_desc), 16);	/* [L4S] four 32-bit words */
	CHECK_EQ(offsetof(struct dwmac_desc, des3), 12);
	CHECK_EQ(QOS_DES3_OWN, 1u << 31);		/* [L4S] TDES3_OWN, RDES3_OWN */
	CHECK_EQ(QOS_DES3_CTXT, 1u << 30);		/* [L4S] TDES3_CONTEXT_TYPE */
	CHECK_EQ(QOS_DES3_FD, 1u << 29);		/* [L4S] TDES3_FIRST_DESCRIPTOR */
	CHECK_EQ(QOS_DES3_LD, 1u << 28);		/* [L4S] TDES3_LAST_DESCRIPTOR */
	CHECK_EQ(QOS_TDES2_IOC, 1u << 31);		/* [L4S] TDES2_INTERRUPT_ON_COMPLETION */
	CHECK_EQ(QOS_TDES2_B1L_MASK, 0x3fffu);		/* [L4S] TDES2_BUFFER1_SIZE_MASK */
	CHECK_EQ(QOS_TDES3_FL_MASK, 0x7fffu);		/* [L4S] TDES3_PACKET_SIZE_MASK */
	CHECK_EQ(QOS_TDES3_CIC_MASK, 0x30000u);		/* [L4S] TDES3_CHECKSUM_INSERTION_MASK */
	CHECK_EQ(QOS_TDES3_ES, 1u << 15);		/* [L4S] TDES3_ERROR_SUMMARY */
	CHECK_EQ(QOS_RDES3_IOC, 1u << 30);		/* [L4S] RDES3_INT_ON_COMPLETION_EN */
	CHECK_EQ(QOS_RDES3_BUF1V, 1u << 24);		/* [L4S] RDES3_BUFFER1_VALID_ADDR */
	CHECK_EQ(QOS_RDES3_ES, 1u << 15);		/* [L4S] RDES3_ERROR_SUMMARY */
	CHECK_EQ(QOS_RDES3_PL_MASK, 0x7fffu);		/* [L4S] RDES3_PACKET_SIZE_MASK */
	/* [L4S] RDES3 bits 19 DRIBBLE .. 24 CRC_ERROR */
	CHECK_EQ(QOS_RDES3_ERR_MASK, (1u << 19) | (1u << 20) | (1u << 21) | (1u << 22) |
				     (1u << 23) | (1u << 24));
}

/* what the variant encodes: fields land where the sources say */
static void encode(void)
{
	struct dwmac_desc dd = { 0 };
	struct dwmac_tx_seg seg = { .buf = 0x123456789aull, .len = 1500, .frame_len = 1514,
				    .first = true, .last = true, .irq = true };
	struct dwmac_rx_arm arm = { .buf = 0x80001000u, .len = 1536, .irq = true };
	struct dwmac_rx_wb wb;

	dwmac_qos_ops.tx_encode(&dd, &seg);
	CHECK_EQ(dd.des0, 0x3456789au);
	CHECK_EQ(dd.des1, 0x12u);
	CHECK_EQ(dd.des2, (1u << 31) | 1500u);
	CHECK_EQ(dd.des3, (1u << 29) | (1u << 28) | 1514u);	/* no OWN: the ring sets it */
	dd = (struct dwmac_desc){ 0 };
	dwmac_qos_ops.rx_encode(&dd, &arm);
	CHECK_EQ(dd.des0, 0x80001000u);
	CHECK_EQ(dd.des1, 0);
	CHECK_EQ(dd.des3, (1u << 30) | (1u << 24));
	dd.des3 = (1u << 29) | (1u << 28) | 1234u;
	dwmac_qos_ops.rx_decode(&dd, &wb);
	CHECK(wb.first && wb.last && !wb.error);
	CHECK_EQ(wb.frame_len, 1234);
	dd.des3 = (1u << 28) | (1u << 15) | (1u << 24) | 64u;	/* LD, ES, CRC error */
	dwmac_qos_ops.rx_decode(&dd, &wb);
	CHECK(!wb.first && wb.last && wb.error);
	CHECK_EQ(wb.err_bits, (1u << 15) | (1u << 24));
	dd.des3 = (1u << 28) | (1u << 15);
	CHECK_EQ(dwmac_qos_ops.tx_status(&dd), -COH_EIO);
	dd.des3 = 1u << 28;
	CHECK_EQ(dwmac_qos_ops.tx_status(&dd), 0);
	CHECK_EQ(dwmac_qos_ops.own_word, 3);
	CHECK_EQ(dwmac_qos_ops.max_skip, 56);		/* [UB] DSL_MAX 7 x 64-bit bus */
}

int main(void)
{
	RUN(mac_registers);
	RUN(mdio_fields);
	RUN(mtl_registers);
	RUN(dma_registers);
	RUN(descriptors);
	RUN(encode);
	return th_finish("dwmac_regs");
}
