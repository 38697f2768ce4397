/* SPDX-License-Identifier: MIT */
/*
 * drivers/sunxi-mmc/sunxi_mmc.h - the Allwinner SD/MMC host controller
 * with its internal DMA (IDMA), as an SD host for drivers/sd (struct
 * sd_host_ops).  docs/sdhost.md.
 *
 * Data moves only through the IDMA: a chain of descriptors {config,
 * size, buffer, next} in a coh_ring (padded in cached memory, packed in
 * uncached memory), OWN in bit 31 of config.  Each data command posts
 * its chain (ceil(bytes / desc_max) descriptors, each slot's `next` the
 * following slot, so a chain may wrap the ring's end) with one barrier,
 * programs the list base with the chain's first slot, starts the command
 * with an ordered register write, polls the raw interrupt status with a
 * bounded budget, then reaps every descriptor and checks each against
 * the copy it posted: the device may only clear OWN (and set CES on a card
 * error; a 64 KiB descriptor posted with size 0 may come back as 65536).
 * The caller's buffer is mapped with the streaming API (coherent/stream.h:
 * the device needs a stream attached); the driver sets the device's
 * 32-bit mask and 4-byte min_align.  A 4-byte aligned buffer whose edges
 * share cache lines is mapped as three pieces (partial first line, whole
 * lines, partial last line: a descriptor each at least), so only the
 * edges are subject to the device's edge_policy (bounce, refuse, allow);
 * a buffer off 4 bytes bounces whole, at most bounce_blocks a command
 * (sd_host.max_blocks_unaligned).
 *
 * Error codes of the host ops (sd.h lists the card-level ones):
 *   -COH_ETIMEDOUT  no response (RESP_TIMEOUT, or RESP_ERROR, which is
 *                   what a card that does not answer gives on some
 *                   models), a data timeout, or nothing within
 *                   timeout_us: the DMA is stopped and reset
 *   -COH_EIO        response or data CRC error, start/end bit error,
 *                   FIFO under/overrun, a descriptor with CES
 *   -COH_EPROTO     the device broke the IDMA protocol: a descriptor not
 *                   given back after DATA_OVER, a descriptor written back
 *                   with other fields, an IDMA bus error; counted in
 *                   bad_desc; the ring is taken back (coh_ring_reset)
 *   -COH_ENODEV     the card-detect says no card
 *   -COH_EINVAL     more blocks than max_blocks, a bad configuration
 *   -COH_ENOMEM     the buffer could not be mapped: mapping records or bounce
 *                   pool exhausted, or the edge policy (COH_EDGE_REFUSE)
 *                   refused it (the library reports which)
 * After a failed reset of the DMA the host is `dead`: every later call
 * is -COH_EPROTO until sunxi_mmc_init() again, and the buffer stays mapped
 * to the device (it may still write it).
 * Context: polls, may take timeout_us; not in interrupt context.
 */
#ifndef COHERENT_DRIVERS_SUNXI_MMC_H
#define COHERENT_DRIVERS_SUNXI_MMC_H

#include "coherent/coherent.h"
#include "sd.h"
#include "sunxi_mmc_regs.h"

#define SUNXI_MMC_MAX_RING	64
#define SUNXI_MMC_DESC_MAX	65536u	/* sun5i and later: 16 size bits */

struct sunxi_mmc_config {
	void *regs;			/* register base */
	struct coh_device *dev;		/* the controller's DMA identity, stream attached */
	size_t ring;			/* descriptors, 4..SUNXI_MMC_MAX_RING */
	uint32_t desc_max;		/* bytes per descriptor: 512..65536, x512 */
	uint32_t max_blocks;		/* per command; 0: (ring - 2) x desc_max / 512 */
	uint32_t bounce_blocks;		/* per command for a buffer off 4 bytes, which
					   bounces whole; 0: 64 (32 KiB) */
	unsigned int ring_attrs;	/* 0 (cached) or COH_ATTR_UNCACHED */
	uint32_t mod_hz;		/* module clock feeding the divider */
	uint32_t timeout_us;		/* per command and data phase */
	bool width4;			/* 4 data lines wired */
	void (*delay_us)(void *ctx, uint32_t us);	/* required */
	void *delay_ctx;
};

/* One mapped piece of the caller's buffer. */
struct sunxi_mmc_seg {
	coh_bus_t bus;
	uint8_t *cpu;
	uint32_t len;
};

struct sunxi_mmc {
	struct sunxi_mmc_config cfg;
	volatile uint8_t *regs;
	struct coh_ring ring;
	struct sd_host host;		/* give this to sd_card_init() */
	struct sunxi_idma_desc shadow[SUNXI_MMC_MAX_RING];	/* what was posted */
	struct sunxi_mmc_seg seg[3];	/* the request's mappings */
	size_t nseg;
	bool dead;
	/* counters */
	unsigned long cmds, data_cmds, descs, wraps, bad_desc, timeouts, crc_errors,
		dma_resets;
	uint32_t last_rintr;		/* RINTR of the last command, for messages */
};

/*
 * Set up the host: the device's DMA constraints (32-bit mask, min_align 4),
 * the descriptor ring, the controller reset.
 * @retval 0; -COH_EINVAL a bad configuration; -COH_ETIMEDOUT the reset
 *         never completed; ring creation errors (-COH_ENOMEM, ...)
 */
int sunxi_mmc_init(struct sunxi_mmc *h, const struct sunxi_mmc_config *cfg);

/*
 * Free the ring.  @retval 0; -COH_EBUSY the device still owns descriptors
 * (a dead host: nothing freed).
 */
int sunxi_mmc_destroy(struct sunxi_mmc *h);

#endif
