/* SPDX-License-Identifier: MIT */
/*
 * drivers/sunxi-mmc/sunxi_mmc_regs.h - the Allwinner SD/MMC host (sun4i
 * and later, "SDXC"): register offsets, bits and the internal DMA (IDMA)
 * descriptor.  Names follow Linux drivers/mmc/host/sunxi-mmc.c; offsets
 * and bits agree with QEMU hw/sd/allwinner-sdhost.c.
 */
#ifndef COHERENT_DRIVERS_SUNXI_MMC_REGS_H
#define COHERENT_DRIVERS_SUNXI_MMC_REGS_H

#include <stdint.h>

#define SDXC_GCTRL	0x00	/* global control */
#define SDXC_CLKCR	0x04	/* clock control */
#define SDXC_TMOUT	0x08	/* timeouts: data 31:8, response 7:0 */
#define SDXC_WIDTH	0x0c	/* bus width */
#define SDXC_BLKSZ	0x10	/* block size */
#define SDXC_BCNTR	0x14	/* byte count of the data phase */
#define SDXC_CMDR	0x18	/* command */
#define SDXC_CARG	0x1c	/* command argument */
#define SDXC_RESP0	0x20	/* response bits 31:0 (R2: of 127:0) */
#define SDXC_RESP1	0x24
#define SDXC_RESP2	0x28
#define SDXC_RESP3	0x2c
#define SDXC_IMASK	0x30	/* interrupt mask */
#define SDXC_MISTA	0x34	/* masked interrupt status */
#define SDXC_RINTR	0x38	/* raw interrupt status, write 1 to clear */
#define SDXC_STAS	0x3c	/* status */
#define SDXC_FTRGL	0x40	/* FIFO thresholds */
#define SDXC_DMAC	0x80	/* IDMA control */
#define SDXC_DLBA	0x84	/* IDMA descriptor list base address */
#define SDXC_IDST	0x88	/* IDMA status, write 1 to clear */
#define SDXC_IDIE	0x8c	/* IDMA interrupt enable */

/* GCTRL */
#define SDXC_SOFT_RESET		(1u << 0)
#define SDXC_FIFO_RESET		(1u << 1)
#define SDXC_DMA_RESET		(1u << 2)
#define SDXC_INTERRUPT_ENABLE	(1u << 4)
#define SDXC_DMA_ENABLE		(1u << 5)
#define SDXC_ACCESS_BY_AHB	(1u << 31)
#define SDXC_HARDWARE_RESET	(SDXC_SOFT_RESET | SDXC_FIFO_RESET | SDXC_DMA_RESET)

/* CLKCR */
#define SDXC_CARD_CLOCK_ON	(1u << 16)
#define SDXC_CLK_DIV_MASK	0xffu	/* card clock = module clock / (2 x div), 0: bypass */

/* WIDTH */
#define SDXC_WIDTH1		0u
#define SDXC_WIDTH4		1u

/* CMDR */
#define SDXC_RESP_EXPIRE	(1u << 6)
#define SDXC_LONG_RESPONSE	(1u << 7)
#define SDXC_CHECK_RESPONSE_CRC	(1u << 8)
#define SDXC_DATA_EXPIRE	(1u << 9)
#define SDXC_WRITE		(1u << 10)
#define SDXC_SEND_AUTO_STOP	(1u << 12)
#define SDXC_WAIT_PRE_OVER	(1u << 13)
#define SDXC_STOP_ABORT_CMD	(1u << 14)
#define SDXC_SEND_INIT_SEQUENCE	(1u << 15)
#define SDXC_UPCLK_ONLY		(1u << 21)
#define SDXC_START		(1u << 31)

/* RINTR / MISTA / IMASK */
#define SDXC_RESP_ERROR		(1u << 1)
#define SDXC_COMMAND_DONE	(1u << 2)
#define SDXC_DATA_OVER		(1u << 3)
#define SDXC_RESP_CRC_ERROR	(1u << 6)
#define SDXC_DATA_CRC_ERROR	(1u << 7)
#define SDXC_RESP_TIMEOUT	(1u << 8)
#define SDXC_DATA_TIMEOUT	(1u << 9)
#define SDXC_FIFO_RUN_ERROR	(1u << 11)
#define SDXC_HARD_WARE_LOCKED	(1u << 12)
#define SDXC_START_BIT_ERROR	(1u << 13)
#define SDXC_AUTO_COMMAND_DONE	(1u << 14)
#define SDXC_END_BIT_ERROR	(1u << 15)
#define SDXC_CARD_INSERT	(1u << 30)
#define SDXC_CARD_REMOVE	(1u << 31)
#define SDXC_INTERRUPT_ERROR_BIT                                               \
	(SDXC_RESP_ERROR | SDXC_RESP_CRC_ERROR | SDXC_DATA_CRC_ERROR |         \
	 SDXC_RESP_TIMEOUT | SDXC_DATA_TIMEOUT | SDXC_FIFO_RUN_ERROR |         \
	 SDXC_HARD_WARE_LOCKED | SDXC_START_BIT_ERROR | SDXC_END_BIT_ERROR)

/* STAS */
#define SDXC_CARD_PRESENT	(1u << 8)
#define SDXC_CARD_DATA_BUSY	(1u << 9)

/* DMAC */
#define SDXC_IDMAC_SOFT_RESET	(1u << 0)
#define SDXC_IDMAC_FIX_BURST	(1u << 1)
#define SDXC_IDMAC_IDMA_ON	(1u << 7)

/* IDST */
#define SDXC_IDMAC_TRANSMIT_INT	(1u << 0)
#define SDXC_IDMAC_RECEIVE_INT	(1u << 1)
#define SDXC_IDMAC_FATAL_BUS_ERR (1u << 2)
#define SDXC_IDMAC_DEST_INVALID	(1u << 4)
#define SDXC_IDMAC_CARD_ERR_SUM	(1u << 5)
#define SDXC_IDMAC_NORMAL_SUM	(1u << 8)
#define SDXC_IDMAC_ABNORMAL_SUM	(1u << 9)
#define SDXC_IDMAC_ERRORS                                                      \
	(SDXC_IDMAC_FATAL_BUS_ERR | SDXC_IDMAC_DEST_INVALID |                 \
	 SDXC_IDMAC_CARD_ERR_SUM | SDXC_IDMAC_ABNORMAL_SUM)
#define SDXC_IDST_ALL		0x3ffu

/*
 * IDMA descriptor (chain mode): the DMA walks `next` until a descriptor
 * with LD, and writes each one back with OWN cleared (CES set on a card
 * error).  buf_size: bytes, up to 1 << size bits (16 on sun5i and later: 0
 * means 64 KiB); buffer addresses 4-byte aligned.
 */
struct sunxi_idma_desc {
	uint32_t config;
	uint32_t buf_size;
	uint32_t buf_addr;
	uint32_t next;
};

#define SDXC_IDMAC_DES0_DIC	(1u << 1)	/* no interrupt on completion */
#define SDXC_IDMAC_DES0_LD	(1u << 2)	/* last descriptor */
#define SDXC_IDMAC_DES0_FD	(1u << 3)	/* first descriptor */
#define SDXC_IDMAC_DES0_CH	(1u << 4)	/* chain mode: next is an address */
#define SDXC_IDMAC_DES0_ER	(1u << 5)	/* end of ring */
#define SDXC_IDMAC_DES0_CES	(1u << 30)	/* card error summary */
#define SDXC_IDMAC_DES0_OWN	(1u << 31)	/* 1: the DMA owns it */

#endif
