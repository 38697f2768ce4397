/* SPDX-License-Identifier: MIT */
/*
 * platform/pcie/pcie.h - PCI Express enumeration for bare-metal boards
 * without firmware: ECAM configuration access, a walk of one bus, BAR
 * sizing and assignment from the board's memory windows, and the command
 * register (memory decode, bus master).  Shared by the PCI drivers' test
 * programs (NVMe now; xHCI and SDHCI next).
 *
 * Facts (PCI Local Bus 3.0 / PCIe base 4.0 configuration space, type 0
 * header): ECAM offset bus << 20 | device << 15 | function << 12 | reg;
 * vendor 0x00 (0xffff: no function), device 0x02, command 0x04 (MEM bit 1,
 * bus master bit 2), class code 0x09..0x0b (prog-if, subclass, class),
 * header type 0x0e (bit 7: multi-function), BARs 0x10..0x24.  A BAR is
 * sized by writing all-ones and reading back with decoding off: the bits
 * that stay zero below the type bits give the size; bits 2:1 = 2 mark a
 * 64-bit BAR whose upper half is the next BAR; bit 3 prefetchable; bit 0
 * I/O space.
 *
 * What it does not do: bridges and buses beyond the one walked, I/O BARs
 * (left unassigned, counted), expansion ROMs, interrupts (MSI/MSI-X, INTx),
 * hot plug.  Accesses are 32-bit, ordered (coh_mmio_*_le), so this works
 * on any host byte order.  Not thread-safe: boot-time code.
 */
#ifndef COHERENT_PLATFORM_PCIE_H
#define COHERENT_PLATFORM_PCIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCIE_MAX_BARS 6

/* configuration space (type 0 header) */
#define PCIE_VENDOR	0x00
#define PCIE_COMMAND	0x04
#define PCIE_CLASS_REV	0x08
#define PCIE_HEADER	0x0c	/* header type in bits 23:16 */
#define PCIE_BAR0	0x10
#define PCIE_CMD_MEM	(1u << 1)
#define PCIE_CMD_MASTER	(1u << 2)

/* A window of bus addresses BARs are assigned from (identity-mapped on the
 * boards here: the CPU reaches BAR address A at A). */
struct pcie_window {
	uint64_t base;		/* first address */
	uint64_t size;		/* bytes; 0: no window */
	uint64_t next;		/* next free address (pcie_host_init sets it to base) */
};

struct pcie_host {
	uintptr_t ecam;		/* CPU address of bus 0's configuration space */
	unsigned int buses;	/* buses the ECAM window covers */
	struct pcie_window mem32;	/* below 4 GiB: every memory BAR may go here */
	struct pcie_window mem64;	/* above 4 GiB: 64-bit prefetchable BARs only */
	unsigned long io_bars_skipped;	/* I/O BARs seen and left unassigned */
};

struct pcie_bar {
	uint64_t addr;		/* assigned bus (= CPU) address; 0: unassigned */
	uint64_t size;		/* bytes; 0: no BAR */
	bool is64;		/* 64-bit: takes this slot and the next */
	bool prefetch;
	bool io;		/* I/O space (not assigned) */
};

struct pcie_fn {
	struct pcie_host *host;
	uint8_t bus, dev, fn;
	uint16_t vendor, device;
	uint32_t class_code;	/* class << 16 | subclass << 8 | prog-if */
	struct pcie_bar bar[PCIE_MAX_BARS];
};

/*
 * Set up a host from its ECAM base (CPU address) and windows (either may
 * have size 0).  Returns 0, or -COH_EINVAL (NULL host or ECAM, buses 0 or
 * above 256, a window that wraps).
 */
int pcie_host_init(struct pcie_host *h, uintptr_t ecam, unsigned int buses,
		   const struct pcie_window *mem32, const struct pcie_window *mem64);

/* Configuration reads and writes of function (bus, dev, fn), 32 bits at a
 * 4-byte aligned reg (callers mask the byte or half they want). */
uint32_t pcie_cfg_read32(const struct pcie_host *h, unsigned int bus,
			 unsigned int dev, unsigned int fn, unsigned int reg);
void pcie_cfg_write32(const struct pcie_host *h, unsigned int bus,
		      unsigned int dev, unsigned int fn, unsigned int reg,
		      uint32_t v);

/*
 * Find the index-th function on `bus` whose class code matches `class_code`
 * under `class_mask` (0x010802 / 0xffffff: an NVMe controller; 0 / 0: any).
 * Fills *out (BARs sized, not assigned: pcie_enable()).  Sizing turns the
 * function's decoding off for the duration and restores the command
 * register and BARs.
 * Returns 0, -COH_ENODEV (no such function), -COH_EINVAL (NULL, bus out of
 * the ECAM window).
 */
int pcie_find(struct pcie_host *h, unsigned int bus, uint32_t class_code,
	      uint32_t class_mask, unsigned int index, struct pcie_fn *out);

/*
 * Assign every memory BAR of f from the host's windows (naturally aligned,
 * 64-bit prefetchable ones above 4 GiB when that window exists, all others
 * below), then set memory decode and bus master (device DMA is gated on
 * bus master).  Returns 0, -COH_ENOMEM (a window is full; nothing enabled,
 * the windows' cursors unchanged), -COH_EINVAL (NULL, no BAR to assign).
 */
int pcie_enable(struct pcie_fn *f);

/* Clear memory decode and bus master (the function stops mastering). */
void pcie_disable(struct pcie_fn *f);

#endif
