/* SPDX-License-Identifier: MIT */
/*
 * sim/sim_virtio_blk.h - a virtio-blk device behind a virtio-mmio (version 2)
 * transport on the simulated SoC: honest by default, hostile on request.
 *
 * Registers and configuration as VirtIO 1.x section 4.2.2 / 5.2: one queue
 * (QueueNumMax SIM_VBLK_QMAX), features VERSION_1, INDIRECT_DESC, EVENT_IDX,
 * FLUSH, SEG_MAX (seg_max SIM_VBLK_SEG_MAX), BLK_SIZE, ORDER_PLATFORM;
 * capacity from the disk given.  Mastering the bus as a non-coherent
 * device it refuses FEATURES_OK unless ORDER_PLATFORM is accepted, as a
 * device behind a non-coherent interconnect may.  The device masters the bus as `dev`, so every ring and
 * buffer access goes through the simulator (stale lines, ordering).
 *
 * It polls the available ring at every step (each MMIO access to any
 * window and each sim_step(); the simulator also steps between two of the
 * library's stores), one request per step: it may see avail.idx between
 * the driver's stores, as a running device does.  A completion writes the
 * data, the status byte, the used element, then used.idx (and avail_event
 * under EVENT_IDX), then raises its interrupt (sim_irq_raise on the window)
 * only if the driver asked for it: used.idx passing used_event under
 * EVENT_IDX, else avail.flags without NO_INTERRUPT (interrupts/suppressed).  A request the driver built wrongly (no header, no
 * status, a chain longer than the queue, a segment not whole sectors, a
 * sector range beyond the disk) is counted in `malformed` and answered
 * with DEVICE_NEEDS_RESET; an honest driver never causes one.
 *
 * Hostile behaviours (sim_vblk_evil): each fires once, on the request
 * numbered `at` (0: the next one), then the device is honest again, so a
 * driver that resets it can be shown to recover.
 */
#ifndef COHERENT_SIM_VIRTIO_BLK_H
#define COHERENT_SIM_VIRTIO_BLK_H

#include <stddef.h>
#include <stdint.h>

#include "coherent/device.h"

#define SIM_VBLK_QMAX 8	/* small: 24 requests a run wrap the used ring three times */
#define SIM_VBLK_SEG_MAX 32

enum sim_vblk_evil {
	SIM_VBLK_HONEST = 0,
	SIM_VBLK_ID_RANGE,	/* used.id beyond the queue */
	SIM_VBLK_ID_STALE,	/* used.id of a descriptor that is not an outstanding head */
	SIM_VBLK_LEN_OVER,	/* used.len above the device-writable bytes */
	SIM_VBLK_IDX_JUMP,	/* used.idx jumps by more than the queue size */
	SIM_VBLK_SILENT,	/* the request is never answered */
	SIM_VBLK_NO_STATUS,	/* completed without writing the status byte */
	SIM_VBLK_BAD_STATUS,	/* a status byte that means nothing */
	SIM_VBLK_IOERR,		/* VIRTIO_BLK_S_IOERR (honest, an error the driver reports) */
	SIM_VBLK_SCRIBBLE,	/* completes, after writing garbage over the descriptor
				   table and the available ring it was lent */
	SIM_VBLK_CONFIG_FLAP,	/* the config generation moves on every read, for good */
	SIM_VBLK_CONFIG_MOVE,	/* capacity changes under the first 3 config reads */
	SIM_VBLK_NEVALS
};

struct sim_vblk_stats {
	unsigned long requests;		/* completed */
	unsigned long malformed;	/* driver errors the device saw */
	unsigned long resets;
	unsigned long notifies;
	unsigned long interrupts;	/* completions that raised the interrupt */
	unsigned long suppressed;	/* completions the driver asked not to hear of */
};

/**
 * @brief Place the device on the simulated SoC, backed by `disk` (host
 * memory, `sectors` x 512 bytes, owned by the caller).  Returns the base
 * of its 0x200-byte virtio-mmio window, or NULL.  Freed by sim_fini().
 */
void *sim_vblk_create(const struct coh_device *dev, uint8_t *disk,
		      uint64_t sectors);

/** @brief Arm a hostile behaviour for request number `at` from now (0: the next). */
void sim_vblk_evil(void *regs, enum sim_vblk_evil e, unsigned at);

/**
 * @brief Complete out of order: the device takes up to `window` available
 * requests (in ring order, as it must) and completes a pseudo-random one of
 * those it holds at each step (seeded); 1, the default, completes in order.
 */
void sim_vblk_reorder(void *regs, unsigned window, uint32_t seed);

/** @brief The device's counters. */
void sim_vblk_stats(void *regs, struct sim_vblk_stats *out);

/** @brief "ID_RANGE", ... */
const char *sim_vblk_evil_name(int e);

#endif
