/* SPDX-License-Identifier: MIT */
/*
 * sim/sim_dmac.h - a memory-to-memory DMA controller model: its register
 * map and descriptor format (the "datasheet" a driver is written against),
 * and the call that places one on the simulated SoC.
 *
 * Registers, 32-bit, little endian:
 *   CTRL      bit0 START a single transfer (SRC, DST, LEN), self-clearing;
 *             bit1 RING_EN (descriptor ring mode); bit2 IRQ_EN;
 *             bit3 POLL (with RING_EN: OWN polling - the idle engine reads
 *             the descriptor at RING_HEAD at every step, whatever the tail,
 *             and processes it once it has OWN, never stalling; as an
 *             engine in the running state or a virtqueue with notifications
 *             off does.  The driver needs no doorbell, and must order the
 *             fields before OWN with coh_dma_wmb(): the engine may read the
 *             descriptor between any two of its stores)
 *   STATUS    bit0 BUSY, bit1 DONE, bit2 ERR (bad bus address),
 *             bit3 RING_STALL (head reached a descriptor without OWN);
 *             write 1 to clear DONE, ERR, RING_STALL
 *   SRC_LO/HI, DST_LO/HI, LEN     single transfer
 *   RING_LO/HI  bus address of descriptor 0
 *   RING_SIZE   number of descriptors; DESC_STRIDE bytes between them
 *               (default 32; a multiple of the line size lets a ring
 *               live in cached memory)
 *   RING_HEAD   (read only) next descriptor the device will process
 *   RING_TAIL   written by the driver: the device processes descriptors
 *               while head != tail
 *   DONE_COUNT, ERR_COUNT  transfers completed / failed (read only)
 *
 * The device moves DMAC_CHUNK bytes per step (each MMIO access to it and
 * each sim_step() is one step), so a transfer spans several scheduling
 * points.  A finished descriptor has OWN cleared and ERR set on error;
 * the data is written first, then the status word, then the ctrl word
 * with OWN cleared (as real devices do): a driver that sees OWN cleared in
 * memory it reads directly needs coh_dma_rmb() before reading the status.
 */
#ifndef COHERENT_SIM_DMAC_H
#define COHERENT_SIM_DMAC_H

#include <stdint.h>

#include "coherent/device.h"

#define DMAC_CTRL	 0x00
#define DMAC_STATUS	 0x04
#define DMAC_SRC_LO	 0x08
#define DMAC_SRC_HI	 0x0c
#define DMAC_DST_LO	 0x10
#define DMAC_DST_HI	 0x14
#define DMAC_LEN	 0x18
#define DMAC_RING_LO	 0x20
#define DMAC_RING_HI	 0x24
#define DMAC_RING_SIZE	 0x28
#define DMAC_RING_HEAD	 0x2c
#define DMAC_RING_TAIL	 0x30
#define DMAC_DESC_STRIDE 0x34
#define DMAC_DONE_COUNT	 0x38
#define DMAC_ERR_COUNT	 0x3c
#define DMAC_REGS_SIZE	 0x40

#define DMAC_CTRL_START	  (1u << 0)
#define DMAC_CTRL_RING_EN (1u << 1)
#define DMAC_CTRL_IRQ_EN  (1u << 2)
#define DMAC_CTRL_POLL	  (1u << 3)

#define DMAC_ST_BUSY	   (1u << 0)
#define DMAC_ST_DONE	   (1u << 1)
#define DMAC_ST_ERR	   (1u << 2)
#define DMAC_ST_RING_STALL (1u << 3)

#define DMAC_CHUNK 256

/* A descriptor in memory, 32 bytes. */
struct dmac_desc {
	uint32_t ctrl;		/* OWN | ERR | IRQ | length (bits 0..23) */
	uint32_t status;	/* bytes moved, written back by the device */
	uint64_t src;		/* bus addresses */
	uint64_t dst;
	uint64_t cookie;	/* for the driver, untouched */
};

#define DMAC_DESC_OWN (1u << 31)
#define DMAC_DESC_ERR (1u << 30)
#define DMAC_DESC_IRQ (1u << 29)	/* raise the interrupt when done */
#define DMAC_DESC_LEN_MASK 0xffffffu

/**
 * @brief Place a DMA controller on the simulated SoC.  It masters the bus
 * as `dev` (bus offset, DMA mask, coherence).  Returns its register base
 * (an MMIO window), or NULL.  Freed by sim_fini().
 */
void *sim_dmac_create(const struct coh_device *dev);

#endif
