/* SPDX-License-Identifier: MIT */
/*
 * sim/sim_dwmac.h - a Synopsys DesignWare Ethernet QoS (DWMAC 4.x/5.x,
 * "EQOS") model on the simulated SoC: the register subset and descriptor
 * formats a channel-0 driver uses, as documented in the public sources
 * (Linux stmmac dwmac4*.h, U-Boot dwc_eth_qos.c, Zephyr eth_dwmac, vendor
 * reference manuals of the JH7110 / STM32MP1 / i.MX8MP).  It identifies as
 * version 5.20 (MAC_VERSION.SNPSVER = 0x52), the JH7110's GMAC.
 *
 * This header is the model's datasheet; the driver in drivers/dwmac/ has
 * its own register header, written from the same public facts, so a
 * misreading in one is not silently shared by the other.
 *
 * What is modelled (all registers 32-bit, little endian):
 *  - MAC: CONFIG (RE, TE, LM loopback, CST strips the FCS, JE jumbo),
 *    PACKET_FILTER (PR promiscuous, PM pass all multicast; otherwise only
 *    frames to ADDRESS0 or broadcast are received), RXQ_CTRL0 (RXQ0EN must
 *    be non-zero to receive), VERSION, HW_FEATURE0..3, MDIO ADDRESS/DATA
 *    with one PHY, ADDRESS0 HIGH/LOW.
 *  - MTL: TXQ0_OPERATION_MODE (TXQEN must be non-zero to transmit, FTQ
 *    self-clearing, TSF and TQS: sim_dwmac_set_fifo), RXQ0_OPERATION_MODE
 *    (RQS), TXQ0_DEBUG (TXQSTS while a frame is in the queue, TRCSTS 1 while
 *    the DMA reads one), RXQ0_DEBUG (PRXQ frames queued, RXQSTS non-zero
 *    while any): the drains of the databook's stop sequence.
 *  - DMA_DEBUG_STATUS0: TPS0/RPS0 0 (stopped) once ST/SR are clear and the
 *    descriptor in hand is finished; the descriptor in hand is finished
 *    after ST is cleared, but needs the MAC transmitter (TE) and the queue
 *    (TXQEN) to progress: clearing TE first stalls it.  RE gates only what
 *    the wire delivers; the RX DMA drains the queue while SR is set.
 *  - DMA: MODE.SWR (software reset: every register back to its reset value,
 *    SWR reads 1 for a few steps), SYSBUS_MODE, channel 0: CONTROL (DSL:
 *    descriptor skip length in 8-byte bus words, the model has a 64-bit
 *    bus), TX_CONTROL.ST, RX_CONTROL.SR and RBSZ (bits 14:1, bytes, lower
 *    3 bits ignored), descriptor list addresses (HADDR/ADDR), tail pointers,
 *    ring lengths (count - 1), INTERRUPT_ENABLE, current descriptor
 *    registers, STATUS (write 1 to clear), MISS_FRAME_CNT (read clears).
 *  - Descriptors: 16 bytes, then DSL x 8 bytes of skip.  The engines fetch
 *    from the current descriptor while its address differs from the tail
 *    pointer (low 32 bits compared, as the hardware does), and only
 *    descriptors with OWN (des3 bit 31); reaching a descriptor without OWN
 *    suspends the channel (TBU / RBU) until the tail pointer is written.
 *    The current descriptor wraps to the list address after ring length.
 *    TX read format: des0 buffer 1 address, des1 buffer 2 address (32-bit
 *    addressing; its length is B2L, des2 bits 29:16, 0 = unused) or the
 *    upper address bits of buffer 1 (40-bit addressing, see
 *    sim_dwmac_set_addr_bits, with SYSBUS_MODE.EAME set; without EAME
 *    des1 is buffer 2 and the high word is dropped, as are the list
 *    HADDR registers), des2 IOC bit 31 and B1L bits 13:0, des3 OWN
 *    31, CTXT 30 (context descriptors are skipped), FD 29, LD 28, FL 14:0.
 *    TX write-back: des3 only, OWN cleared, FD/LD kept, ES 15 on error
 *    (a frame without FD first, or too long).
 *    RX read format: des0 buffer address, des1 upper bits (40-bit only),
 *    des3 OWN 31, IOC 30, BUF1V 24 (a descriptor without BUF1V takes no
 *    data: it is written back with the descriptor-error bit DE 19 and ES).
 *    RX write-back: des0..des2 zero, des3 OWN cleared, FD 29, LD 28,
 *    ES 15 (error summary: giant frame, CRC error from a fault), PL 14:0 =
 *    bytes of the frame transferred so far, counting every descriptor of
 *    it (valid on LD).  Without CONFIG.CST the 4-byte FCS is appended and
 *    counted, as on the wire.
 *  - Status: TI when a TX descriptor with IOC completes, RI when an RX
 *    frame's last descriptor completes with IOC, TBU/RBU on suspension,
 *    FBE (fatal bus error: a descriptor or buffer outside RAM or above the
 *    device's DMA mask; the channel stops, ST/SR must be set again after a
 *    software reset), NIS = TI|TBU|RI, AIS = RBU|FBE.  The interrupt is
 *    raised while (STATUS & INTERRUPT_ENABLE) has an enabled summary bit.
 *  - Wire: frames shorter than 60 bytes are padded on TX.  Frames above
 *    1518 bytes (9018 with CONFIG.JE) are giants: received with ES.  The
 *    RX FIFO holds SIM_DWMAC_FIFO frames; more are dropped and counted
 *    (MISS_FRAME_CNT and stats.rx_dropped), as are frames arriving while
 *    the receiver is off.
 *
 * Every memory access goes through the simulator's device interface
 * (sim_dev_fetch / sim_dev_read / sim_dev_write), so the sanitizer sees
 * every coherency mistake a driver makes.  Buffers move in chunks of
 * SIM_DWMAC_CHUNK bytes per step, so a frame spans scheduling points.
 */
#ifndef COHERENT_SIM_DWMAC_H
#define COHERENT_SIM_DWMAC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "coherent/device.h"

/* MAC */
#define DWQ_MAC_CONFIG		0x0000
#define DWQ_MAC_PACKET_FILTER	0x0008
#define DWQ_MAC_RXQ_CTRL0	0x00a0
#define DWQ_MAC_VERSION		0x0110
#define DWQ_MAC_HW_FEATURE0	0x011c
#define DWQ_MAC_HW_FEATURE1	0x0120
#define DWQ_MAC_HW_FEATURE2	0x0124
#define DWQ_MAC_HW_FEATURE3	0x0128
#define DWQ_MAC_MDIO_ADDRESS	0x0200
#define DWQ_MAC_MDIO_DATA	0x0204
#define DWQ_MAC_ADDRESS0_HIGH	0x0300
#define DWQ_MAC_ADDRESS0_LOW	0x0304
/* MTL */
#define DWQ_MTL_TXQ0_OPERATION_MODE 0x0d00
#define DWQ_MTL_TXQ0_DEBUG	0x0d08
#define DWQ_MTL_RXQ0_OPERATION_MODE 0x0d30
#define DWQ_MTL_RXQ0_DEBUG	0x0d38
/* DMA */
#define DWQ_DMA_MODE		0x1000
#define DWQ_DMA_SYSBUS_MODE	0x1004
#define DWQ_DMA_DEBUG_STATUS0	0x100c
#define DWQ_DMA_CH0_CONTROL	0x1100
#define DWQ_DMA_CH0_TX_CONTROL	0x1104
#define DWQ_DMA_CH0_RX_CONTROL	0x1108
#define DWQ_DMA_CH0_TXDESC_LIST_HADDR 0x1110
#define DWQ_DMA_CH0_TXDESC_LIST_ADDR  0x1114
#define DWQ_DMA_CH0_RXDESC_LIST_HADDR 0x1118
#define DWQ_DMA_CH0_RXDESC_LIST_ADDR  0x111c
#define DWQ_DMA_CH0_TXDESC_TAIL_PTR   0x1120
#define DWQ_DMA_CH0_RXDESC_TAIL_PTR   0x1128
#define DWQ_DMA_CH0_TXDESC_RING_LENGTH 0x112c
#define DWQ_DMA_CH0_RXDESC_RING_LENGTH 0x1130
#define DWQ_DMA_CH0_INTERRUPT_ENABLE  0x1134
#define DWQ_DMA_CH0_CUR_APP_TXDESC    0x1144
#define DWQ_DMA_CH0_CUR_APP_RXDESC    0x114c
#define DWQ_DMA_CH0_STATUS	0x1160
#define DWQ_DMA_CH0_MISS_FRAME_CNT 0x116c
#define DWQ_REGS_SIZE		0x1200

#define DWQ_MAC_CONFIG_RE	(1u << 0)
#define DWQ_MAC_CONFIG_TE	(1u << 1)
#define DWQ_MAC_CONFIG_LM	(1u << 12)
#define DWQ_MAC_CONFIG_DM	(1u << 13)
#define DWQ_MAC_CONFIG_FES	(1u << 14)
#define DWQ_MAC_CONFIG_PS	(1u << 15)
#define DWQ_MAC_CONFIG_JE	(1u << 16)
#define DWQ_MAC_CONFIG_ACS	(1u << 20)
#define DWQ_MAC_CONFIG_CST	(1u << 21)
#define DWQ_MAC_PF_PR		(1u << 0)
#define DWQ_MAC_PF_PM		(1u << 4)
#define DWQ_MAC_RXQ0EN_MASK	0x3u
#define DWQ_MAC_ADDR_HIGH_AE	(1u << 31)

#define DWQ_MDIO_GB		(1u << 0)	/* busy: set to start, clears when done */
#define DWQ_MDIO_GOC_SHIFT	2		/* 1 write, 3 read */
#define DWQ_MDIO_GOC_WRITE	1u
#define DWQ_MDIO_GOC_READ	3u
#define DWQ_MDIO_CR_SHIFT	8		/* CSR clock range, stored */
#define DWQ_MDIO_RDA_SHIFT	16		/* PHY register, 5 bits */
#define DWQ_MDIO_PA_SHIFT	21		/* PHY address, 5 bits */

#define DWQ_MTL_TXQ_FTQ		(1u << 0)
#define DWQ_MTL_TXQ_TSF		(1u << 1)
#define DWQ_MTL_TXQ_TXQEN_SHIFT	2
#define DWQ_MTL_TXQ_TXQEN_MASK	(3u << 2)
#define DWQ_MTL_TXQ_TQS_SHIFT	16		/* 256-byte blocks - 1, bits 24:16 */
#define DWQ_MTL_TXQ_TQS_MASK	(0x1ffu << 16)
#define DWQ_MTL_RXQ_RSF		(1u << 5)
#define DWQ_MTL_RXQ_RQS_SHIFT	20		/* 256-byte blocks - 1, bits 29:20 */
#define DWQ_MTL_RXQ_RQS_MASK	(0x3ffu << 20)

#define DWQ_DMA_MODE_SWR	(1u << 0)
#define DWQ_DMA_SYSBUS_EAME	(1u << 11)	/* enhanced addressing (40-bit only) */
#define DWQ_DMA_CH_CONTROL_PBLX8 (1u << 16)
#define DWQ_DMA_CH_CONTROL_DSL_SHIFT 18
#define DWQ_DMA_CH_CONTROL_DSL_MASK (7u << 18)
#define DWQ_DMA_CH_TX_CONTROL_ST (1u << 0)
#define DWQ_DMA_CH_RX_CONTROL_SR (1u << 0)
#define DWQ_DMA_CH_RX_CONTROL_RBSZ_SHIFT 1
#define DWQ_DMA_CH_RX_CONTROL_RBSZ_MASK (0x3fffu << 1)

/* DMA_CH0_STATUS and (same positions) INTERRUPT_ENABLE */
#define DWQ_DMA_CH_STATUS_TI	(1u << 0)
#define DWQ_DMA_CH_STATUS_TPS	(1u << 1)
#define DWQ_DMA_CH_STATUS_TBU	(1u << 2)
#define DWQ_DMA_CH_STATUS_RI	(1u << 6)
#define DWQ_DMA_CH_STATUS_RBU	(1u << 7)
#define DWQ_DMA_CH_STATUS_RPS	(1u << 8)
#define DWQ_DMA_CH_STATUS_FBE	(1u << 12)
#define DWQ_DMA_CH_STATUS_AIS	(1u << 14)
#define DWQ_DMA_CH_STATUS_NIS	(1u << 15)

/* descriptors: des3 */
#define DWQ_DES3_OWN		(1u << 31)
#define DWQ_DES3_CTXT		(1u << 30)
#define DWQ_DES3_FD		(1u << 29)
#define DWQ_DES3_LD		(1u << 28)
#define DWQ_TDES2_IOC		(1u << 31)
#define DWQ_TDES2_B2L_SHIFT	16
#define DWQ_TDES2_B2L_MASK	(0x3fffu << 16)
#define DWQ_TDES2_B1L_MASK	0x3fffu
#define DWQ_TDES3_ES		(1u << 15)
#define DWQ_TDES3_FL_MASK	0x7fffu
#define DWQ_RDES3_IOC		(1u << 30)
#define DWQ_RDES3_BUF1V		(1u << 24)
#define DWQ_RDES3_DE		(1u << 19)
#define DWQ_RDES3_ES		(1u << 15)
#define DWQ_RDES3_PL_MASK	0x7fffu

struct dwq_desc {
	uint32_t des0, des1, des2, des3;
};

#define SIM_DWMAC_FIFO	 32	/* frames the RX FIFO holds */
#define SIM_DWMAC_CHUNK	 256	/* bytes moved per step */
#define SIM_DWMAC_MAX_FRAME 9018

/* The PHY behind MDIO: address, and its identifier (BMSR/PHYID registers). */
#define SIM_DWMAC_PHY_ADDR 0
#define SIM_DWMAC_PHY_ID1  0x0007	/* a made-up OUI, not a real part */
#define SIM_DWMAC_PHY_ID2  0xc0f1

/* Hostile or broken hardware (sim_dwmac_fault); each acts `count` times. */
enum sim_dwmac_fault {
	SIM_DWMAC_F_RX_LEN_OVER = 1,	/* RX write-back PL beyond what was written (beyond RBSZ) */
	SIM_DWMAC_F_RX_OWN_UNARMED,	/* clear OWN in the slot after the tail (never armed) */
	SIM_DWMAC_F_RX_NO_FD,		/* first descriptor of a frame written back without FD */
	SIM_DWMAC_F_RX_ES,		/* frame written back with the error summary (CRC error) */
	SIM_DWMAC_F_RESET_STUCK,	/* DMA_MODE.SWR never clears */
	SIM_DWMAC_F_MDIO_STUCK,		/* MDIO GB never clears */
	SIM_DWMAC_F_RX_GARBAGE,		/* RX write-back des3 = random bits with OWN cleared */
	SIM_DWMAC_F_BUS_ERROR,		/* the next TX descriptor fetch fails on the bus: FBE,
					   the channel stops until a software reset */
	SIM_DWMAC_F_DMA_STUCK,		/* a wedged bus master: ST, SR, TE, RE cannot be
					   cleared, the DMA never reports stopped, SWR never
					   completes (and resets nothing); until count 0 */
};

struct sim_dwmac_stats {
	unsigned long tx_frames, tx_bytes, tx_errors;
	unsigned long rx_frames, rx_bytes;
	unsigned long rx_dropped;	/* FIFO full, receiver off, filtered */
	unsigned long tx_desc, rx_desc;	/* descriptors processed */
	unsigned long suspends;		/* TBU + RBU */
	unsigned long bus_errors;
	unsigned long tx_fifo_stalls;	/* store-and-forward: a frame above the TX queue size */
	unsigned long rx_fifo_drops;	/* a frame above the RX queue size */
	unsigned long link_mismatch;	/* frames lost: MAC speed/duplex differ from the PHY's */
	unsigned long mdio_too_fast;	/* MDIO transfers with MDC above 2.5 MHz (answered 0xffff) */
};

/**
 * @brief Place a DWMAC QoS on the simulated SoC, mastering the bus as dev
 * (mask, bus offset, coherence).  Returns its register base (an MMIO
 * window of DWQ_REGS_SIZE bytes), or NULL.  Freed by sim_fini().
 */
void *sim_dwmac_create(const struct coh_device *dev);

/** @brief A wire between two MACs: a's frames arrive at b's RX and back. 0 or -COH_EINVAL. */
int sim_dwmac_connect(void *regs_a, void *regs_b);

/**
 * @brief Where frames go that leave a MAC with no peer and no loopback
 * (NULL: dropped).  fn gets the frame as on the wire (padded, no FCS).
 */
void sim_dwmac_set_sink(void *regs, void (*fn)(void *ctx, const void *frame, size_t len),
			void *ctx);

/**
 * @brief A frame arrives on the wire (len without FCS, 1..SIM_DWMAC_MAX_FRAME).
 * @retval 0 queued in the RX FIFO
 * @retval -COH_EAGAIN dropped: FIFO full, receiver off or filtered (counted)
 * @retval -COH_EINVAL not a model, NULL frame or bad length
 */
int sim_dwmac_receive(void *regs, const void *frame, size_t len);

/** @brief The PHY's link (BMSR bit 2, autonegotiation complete bit 5). */
void sim_dwmac_set_link(void *regs, bool up);

/**
 * @brief Address width of the DMA (HW_FEATURE1.ADDR64): 32 (default, as the
 * JH7110's GMAC) or 40 (with SYSBUS_MODE.EAME set, des1 bits 7:0 extend
 * buffer addresses and the list HADDR registers are used; with EAME clear
 * the DMA addresses 32 bits only, as the hardware does).
 */
void sim_dwmac_set_addr_bits(void *regs, unsigned bits);

/**
 * @brief The PHY's negotiated mode: speed 10, 100 or 1000, full or half
 * duplex (default 1000 full).  The link partner advertises only that mode
 * (LPA register 5, 1000BASE-T status 10); the PHY advertises everything.
 * A frame passes only while MAC_CONFIG (PS, FES, DM) matches it, or in
 * MAC loopback; otherwise it is lost and counted (link_mismatch).
 */
void sim_dwmac_set_phy(void *regs, unsigned speed, bool full);

/**
 * @brief FIFO sizes the controller was built with (HW_FEATURE1 TXFIFOSIZE,
 * RXFIFOSIZE; powers of two, 256..65536 bytes; default 2048 TX, 4096 RX, as
 * the JH7110).  The MTL queues get what TQS/RQS program ((n + 1) x 256
 * bytes, the reset value 256), at most the FIFO: with TSF a frame larger
 * than the TX queue stalls the TX DMA (never sent: tx_fifo_stalls); a
 * frame larger than the RX queue is dropped (rx_fifo_drops).
 */
void sim_dwmac_set_fifo(void *regs, unsigned tx_bytes, unsigned rx_bytes);

/**
 * @brief The CSR clock feeding MDC, Hz (0, the default: not modelled).  With
 * it set, an MDIO transfer whose MDC (the clock / the divider CR selects:
 * 42, 62, 16, 26, 102, 124, 204, 324) runs above 2.5 MHz is not followed by
 * the PHY: reads return 0xffff (mdio_too_fast).
 */
void sim_dwmac_set_csr_clock(void *regs, unsigned long hz);

/** @brief Misbehave `count` times (enum sim_dwmac_fault); count 0 stops. */
void sim_dwmac_fault(void *regs, int fault, unsigned count);

/** @brief Counters since creation. */
void sim_dwmac_stats(void *regs, struct sim_dwmac_stats *out);

#endif /* COHERENT_SIM_DWMAC_H */
