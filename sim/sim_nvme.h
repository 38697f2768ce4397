/* SPDX-License-Identifier: MIT */
/*
 * sim/sim_nvme.h - an NVMe controller on the simulated SoC (sim/nvme.c):
 * BAR0 registers (CAP, VS, CC, CSTS, AQA, ASQ, ACQ, doorbells with stride
 * 4), the admin queue, one I/O queue pair, Identify, Set Features (number
 * of queues), Create/Delete I/O SQ and CQ, Read, Write, Flush with PRP1,
 * PRP2 and PRP lists (chained at a page's last entry), MDTS 5 (128 KiB).
 * The device masters the bus as `dev`: every queue, list and data access
 * goes through the simulator.
 *
 * Timing: each step (an MMIO access, sim_step(), between two library
 * stores) the controller may fetch one command from each SQ (when its CQ
 * has room) and may complete one fetched command, chosen at random among
 * those in progress, so completions come out of order.  Data moves at
 * completion; a command's PRP list is read when it is fetched.  A
 * completion is written as DW0-DW2 first, then DW3 with the phase tag.
 * With sim_nvme_reuse_slots(), CQ slots the head doorbell gives back are
 * written at once with an entry of the lap's old phase (command id
 * 0xffff): the controller owns them again, and a driver that rang the
 * doorbell before copying them out reads what it wrote.
 *
 * Hostile behaviours (sim_nvme_evil): each fires once, at the completion
 * numbered `at` from now, then the controller is honest again.
 */
#ifndef COHERENT_SIM_NVME_H
#define COHERENT_SIM_NVME_H

#include <stddef.h>
#include <stdint.h>

#include "coherent/device.h"

#define SIM_NVME_WINDOW 0x2000u

enum sim_nvme_evil {
	SIM_NVME_HONEST = 0,
	SIM_NVME_BAD_CID,	/* a command id no command has */
	SIM_NVME_BAD_SQID,	/* the completion names another SQ */
	SIM_NVME_BAD_SQHD,	/* SQ head beyond the queue */
	SIM_NVME_PHASE_FLIP,	/* the entry carries the old phase: never seen */
	SIM_NVME_SILENT,	/* the command is never completed */
	SIM_NVME_BAD_STATUS,	/* a status no command set defines (SCT 7, SC 0xff) */
	SIM_NVME_FATAL,		/* CSTS.CFS set, the controller stops */
	SIM_NVME_NEVALS
};

struct sim_nvme_stats {
	unsigned long commands;		/* completed */
	unsigned long malformed;	/* commands the driver built wrongly */
	unsigned long resets;		/* CC.EN 1 -> 0 */
	unsigned long shutdowns;	/* CC.SHN normal completed */
	unsigned long bad_doorbells;	/* doorbell values out of range */
};

/* Place a controller backed by disk (sectors x 512, the caller's).  Returns
 * its register window (SIM_NVME_WINDOW bytes), or NULL.  Freed by sim_fini(). */
void *sim_nvme_create(const struct coh_device *dev, uint8_t *disk, uint64_t sectors);

/* Arm a hostile behaviour at completion number `at` from now (0: the next). */
void sim_nvme_evil(void *regs, enum sim_nvme_evil e, unsigned at);

/* Rewrite CQ slots as soon as the head doorbell frees them (on != 0). */
void sim_nvme_reuse_slots(void *regs, int on);

/* The controller's counters. */
void sim_nvme_stats(void *regs, struct sim_nvme_stats *out);

/* "BAD_CID", ... */
const char *sim_nvme_evil_name(int e);

#endif
