/* SPDX-License-Identifier: MIT */
/*
 * drivers/sd/sd.h - the SD memory card protocol, apart from any host
 * controller: card identification and the card state machine, CSD
 * decoding (v1 and v2), SDSC byte addressing and SDHC/SDXC block
 * addressing, block reads and writes split into requests the host takes.
 * Source: SD Physical Layer Simplified Specification (sections 4.2-4.3
 * identification, 4.8 card states, 4.9 responses, 4.10 card status,
 * 5.3 CSD).
 *
 * A host controller implements struct sd_host_ops (sunxi-mmc does; an
 * SDHCI ADMA2 host would, with its own descriptor table behind cmd()).
 * The layer trusts nothing the card answers: every response is checked
 * (the R7 echo, the R3 busy and capacity bits, the R6 RCA, each R1's
 * error bits and CURRENT_STATE, the CSD's structure and sizes) and a
 * wrong one is -COH_EPROTO.
 *
 * Errors of every call (the card is left in a state the next call can
 * detect; nothing stays mapped: the host unmaps before it returns):
 *   -COH_EINVAL     NULL, zero blocks, a card not initialised
 *   -COH_ERANGE     blocks beyond the capacity (or wrapping)
 *   -COH_ETIMEDOUT  no response, a data timeout, the card never left busy
 *   -COH_EIO        a CRC error (response or data), an error bit in R1
 *   -COH_EPROTO     an answer the protocol does not allow (see above) or
 *                   a device that broke the host's DMA protocol
 *   -COH_ENODEV     no card in the slot (the host's card-detect)
 *   -COH_ENOTSUP    the card does not take 2.7-3.6 V or is not an SD v2
 *                   card (no CMD8 echo: v1.x cards are not supported)
 *   host errors (mapping: -COH_ENOMEM)
 * Context: every call polls the host and may take up to the timeouts
 * below; not in interrupt context.  One caller at a time per card.
 */
#ifndef COHERENT_DRIVERS_SD_H
#define COHERENT_DRIVERS_SD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SD_BLOCK 512u

/* Responses (what the host must collect; Simplified Spec 4.9). */
enum sd_rsp {
	SD_RSP_NONE = 0,
	SD_RSP_R1,		/* 48 bits, card status, CRC */
	SD_RSP_R1B,		/* R1, then busy on DAT0 */
	SD_RSP_R2,		/* 136 bits: CID or CSD, CRC inside */
	SD_RSP_R3,		/* 48 bits: OCR, no CRC */
	SD_RSP_R6,		/* 48 bits: RCA and status bits, CRC */
	SD_RSP_R7,		/* 48 bits: voltage and echo, CRC */
};

/*
 * One command.  resp[] is filled by the host: short responses in resp[0]
 * (the 32 bits after the command index), R2 as the 128-bit register with
 * resp[0] = bits 31:0 (the CRC7 and end bit in 7:0) up to resp[3] = bits
 * 127:96.  A host whose hardware strips the CRC byte shifts it back.
 */
struct sd_cmd {
	uint8_t opcode;
	uint8_t rsp;		/* enum sd_rsp */
	uint32_t arg;
	uint32_t resp[4];
};

/* The data phase of a command: `blocks` blocks of SD_BLOCK bytes. */
struct sd_data {
	void *buf;		/* any alignment: the host maps (or bounces) it */
	uint32_t blocks;
	bool write;
	bool autostop;		/* the host sends CMD12 after the last block */
};

/*
 * What a host controller does for the layer.  Each returns 0 or a
 * negative -COH_E* code (as listed at the top, from the host's view:
 * -COH_ETIMEDOUT no response or data timeout, -COH_EIO CRC, -COH_EPROTO a
 * DMA protocol break, -COH_ENODEV no card).
 */
struct sd_host_ops {
	/* controller reset, identification clock (<= 400 kHz), 1-bit bus */
	int (*reset)(void *host);
	/* card clock in Hz and bus width (1 or 4) */
	int (*set_bus)(void *host, uint32_t hz, unsigned int width);
	/* one command, with its data phase when data != NULL */
	int (*cmd)(void *host, struct sd_cmd *cmd, const struct sd_data *data);
	/* wait at least us microseconds (card power-up, retries) */
	void (*delay_us)(void *host, uint32_t us);
};

/* sd_host.caps */
#define SD_CAP_4BIT	(1u << 0)	/* a 4-bit data bus is wired */
#define SD_CAP_AUTOSTOP	(1u << 1)	/* the host can send CMD12 itself */

struct sd_host {
	const struct sd_host_ops *ops;
	void *ctx;			/* passed to every op */
	unsigned int caps;		/* SD_CAP_* */
	uint32_t max_blocks;		/* blocks one data command may move */
	uint32_t align;			/* buffers on this alignment map in place (0, 1: any) */
	uint32_t max_blocks_unaligned;	/* for other buffers (bounced whole); 0: max_blocks */
	uint32_t max_hz;		/* data transfer clock the host can make */
};

/* Card states (Simplified Spec 4.8; R1 CURRENT_STATE values). */
enum sd_state {
	SD_ST_IDLE = 0, SD_ST_READY, SD_ST_IDENT, SD_ST_STBY, SD_ST_TRAN,
	SD_ST_DATA, SD_ST_RCV, SD_ST_PRG, SD_ST_DIS,
	SD_ST_INA = 15,			/* inactive: not an R1 value */
	SD_ST_NONE = 16,		/* not initialised */
};

/* The CSD fields the layer uses, decoded (sd_csd_decode()). */
struct sd_csd {
	unsigned int structure;		/* 0: v1 (SDSC), 1: v2 (SDHC/SDXC) */
	uint64_t capacity;		/* bytes */
	uint32_t tran_speed_hz;		/* TRAN_SPEED decoded */
	unsigned int read_bl_len;	/* log2 of the read block length */
	unsigned int ccc;		/* command classes */
};

struct sd_card {
	struct sd_host *host;
	enum sd_state state;		/* what the layer expects the card to be in */
	uint16_t rca;
	bool high_capacity;		/* SDHC/SDXC: block addressing */
	uint32_t ocr;
	uint32_t cid[4];
	uint32_t csd_raw[4];
	struct sd_csd csd;
	uint64_t blocks;		/* capacity in SD_BLOCK blocks */
	unsigned int width;		/* data bus width in use */
	/* counters */
	unsigned long cmds, reads, writes, retries, errors;
};

/* R1 card status (Simplified Spec 4.10.1). */
#define SD_R1_ERRORS	  0xfdf98008u	/* bits 31-26, 24-19, 16, 15, 3 */
#define SD_R1_STATE(r)	  (((r) >> 9) & 0xfu)
#define SD_R1_READY	  (1u << 8)
#define SD_R1_APP_CMD	  (1u << 5)
#define SD_R1_CRC_ERR	  (1u << 23)

/* OCR (Simplified Spec 5.1). */
#define SD_OCR_BUSY	  (1u << 31)	/* set: power-up finished */
#define SD_OCR_CCS	  (1u << 30)	/* card capacity status: SDHC/SDXC */
#define SD_OCR_HCS	  (1u << 30)	/* in ACMD41's argument */
#define SD_OCR_VDD_27_36  0x00ff8000u	/* 2.7-3.6 V */

/*
 * Identify and initialise the card: CMD0, CMD8 (0x1AA), ACMD41 with HCS
 * until ready (1 s at most), CMD2, CMD3, CMD9 (capacity), CMD7, ACMD6
 * (4-bit when the host has it), CMD16 (512), data clock.  Errors above.
 */
int sd_card_init(struct sd_card *card, struct sd_host *host);

/* Read / write `blocks` blocks from block `lba`; buf any alignment. */
int sd_read(struct sd_card *card, uint64_t lba, void *buf, uint32_t blocks);
int sd_write(struct sd_card *card, uint64_t lba, const void *buf, uint32_t blocks);

/*
 * Decode a CSD (raw in the sd_cmd R2 layout above).
 * @retval 0; -COH_EPROTO an unknown CSD_STRUCTURE, a block length or size
 *         field the specification does not allow (v1 READ_BL_LEN not 9-11;
 *         v2 READ_BL_LEN not 9), a zero capacity.
 * Pure: any context.
 */
int sd_csd_decode(const uint32_t raw[4], struct sd_csd *out);

/* Bits [lo, lo+n) of a 128-bit register in the sd_cmd R2 layout (n <= 32). */
uint32_t sd_bits(const uint32_t raw[4], unsigned int lo, unsigned int n);

/* "tran", "stby", ... for messages. */
const char *sd_state_name(enum sd_state s);

#endif
