/* SPDX-License-Identifier: MIT */
/*
 * sim/sim_sunxi_sdhost.h - an Allwinner SD host (sunxi "SDXC", internal
 * DMA in chain mode) with an SD card behind it, on the simulated SoC.
 * Register map and descriptor: the same as QEMU's allwinner-sdhost-sun5i
 * (Linux sunxi-mmc.c names); what this model adds over QEMU's:
 *   - the IDMA fetches a descriptor only when it owns it (sim_dev_fetch
 *     with OWN): a chain not yet handed over stops it with IDST bit 4
 *     (descriptor unavailable) and abnormal summary, no DATA_OVER;
 *   - the data phase spans scheduling points: SIM_SDH_CHUNK bytes per
 *     step (each MMIO access to it and each sim_step()), a descriptor
 *     written back (OWN cleared, only the config word) after its bytes,
 *     DATA_OVER after the last, AUTO_COMMAND_DONE after it with auto-stop;
 *   - hostile behaviours (sim_sdh_evil()) and a card that can be pulled.
 * The card: SDSC (byte addresses, CSD v1) or SDHC (block addresses, CSD
 * v2), 512-byte blocks over a caller's buffer, commands 0, 2, 3, 6 (app),
 * 7, 8, 9, 12, 13, 16, 17, 18, 24, 25, 41 (app), 55.
 */
#ifndef COHERENT_SIM_SUNXI_SDHOST_H
#define COHERENT_SIM_SUNXI_SDHOST_H

#include <stddef.h>
#include <stdint.h>

#include "coherent/device.h"

#define SIM_SDH_REGS_SIZE 0x1000
#define SIM_SDH_CHUNK	  256

/* sim_sdh_evil() behaviours, each once at the next data command */
#define SIM_SDH_EVIL_SIZE   (1u << 0)	/* a descriptor written back with another size */
#define SIM_SDH_EVIL_OWN    (1u << 1)	/* a descriptor left owned, DATA_OVER raised anyway */
#define SIM_SDH_EVIL_SHORT  (1u << 2)	/* the last descriptor skipped, DATA_OVER raised */
#define SIM_SDH_EVIL_CRC    (1u << 3)	/* a data CRC error after the first chunk */
#define SIM_SDH_EVIL_ADDR   (1u << 4)	/* a descriptor written back with another buffer address */
#define SIM_SDH_EVIL_STALL  (1u << 5)	/* the data phase never finishes (a dead card) */
#define SIM_SDH_EVIL_RESP_CRC (1u << 6)	/* the data command's response fails its CRC */

/*
 * Place the host with a card of `blocks` blocks over `image` (kept by
 * pointer: the test reads it back).  high_capacity: SDHC.  Returns the
 * register base (an MMIO window) or NULL.  Freed by sim_fini().
 */
void *sim_sdh_create(const struct coh_device *dev, uint8_t *image, uint32_t blocks,
		     int high_capacity);

/* Arm hostile behaviours (SIM_SDH_EVIL_*) for the next data command. */
void sim_sdh_evil(void *regs, unsigned int evil);

/* Pull (present = 0) or insert the card. */
void sim_sdh_card_present(void *regs, int present);

/* Data commands completed, and behaviours of sim_sdh_evil() carried out. */
unsigned long sim_sdh_done(void *regs);
unsigned long sim_sdh_evil_done(void *regs);

#endif
