/* SPDX-License-Identifier: MIT */
/*
 * drivers/ramfb/fw_cfg.h - QEMU's firmware configuration device (fw_cfg)
 * through its DMA interface, on the MMIO transport (aarch64 virt at
 * 0x09020000).  Facts: QEMU docs/specs/fw_cfg.rst, hw/nvram/fw_cfg.c.
 *
 * A transfer is described by an access structure in guest memory,
 * {be32 control, be32 length, be64 address}: the device reads it when the
 * guest writes its bus address to the DMA register (high half, then the
 * low half, which starts the transfer), moves the data, and writes
 * `control` back: 0 when done, bit 0 on error.  So the structure is
 * shared memory (a typed allocation, written with coh_put() and polled with
 * coh_read_from_device()), the data a streaming mapping: TO_DEVICE for a
 * write, FROM_DEVICE for a read.  Everything the device writes (the
 * control word, the file directory) is untrusted and bounded.
 *
 * struct fw_cfg (and a struct ramfb holding it) must be memory the device
 * reaches: its buf is mapped for each transfer.
 *
 * Concurrency: one context per device; not for interrupt context.
 */
#ifndef COHERENT_DRIVERS_FW_CFG_H
#define COHERENT_DRIVERS_FW_CFG_H

#include "coherent/coherent.h"

/* MMIO registers (big-endian) */
#define FW_CFG_DATA		0x00
#define FW_CFG_SELECTOR		0x08
#define FW_CFG_DMA_ADDR_HI	0x10
#define FW_CFG_DMA_ADDR_LO	0x14	/* writing it starts the transfer */
#define FW_CFG_DMA_SIGNATURE	0x51454d5520434647ull	/* "QEMU CFG", read from 0x10 */

#define FW_CFG_FILE_DIR		0x19

/* access control bits */
#define FW_CFG_DMA_ERROR	(1u << 0)
#define FW_CFG_DMA_READ		(1u << 1)
#define FW_CFG_DMA_SKIP		(1u << 2)
#define FW_CFG_DMA_SELECT	(1u << 3)
#define FW_CFG_DMA_WRITE	(1u << 4)

struct fw_cfg_dma_access {
	uint32_t control;	/* big-endian; written back by the device */
	uint32_t length;
	uint64_t address;
};
COH_DECLARE_SHARED(fw_cfg_access_h, struct fw_cfg_dma_access);

#define FW_CFG_BUF 128		/* one transfer's bounce-free buffer: whole lines */

struct fw_cfg {
	volatile uint8_t *base;
	struct coh_device *dev;
	struct fw_cfg_access_h acc;
	uint32_t poll_budget;		/* control reads before -COH_ETIMEDOUT */
	unsigned long transfers, errors;
	uint8_t buf[FW_CFG_BUF] __attribute__((aligned(COH_MAX_LINE)));
};

/*
 * Check the DMA signature, allocate the access structure (attrs: COH_ATTR_*).
 * Returns 0; -COH_EINVAL NULL; -COH_ENODEV no fw_cfg with DMA at base;
 * the codes of coh_alloc_shared().
 */
int fw_cfg_init(struct fw_cfg *c, void *base, struct coh_device *dev, unsigned int attrs,
		uint32_t budget);

/*
 * One DMA transfer of len bytes (at most FW_CFG_BUF) between item `key`
 * (selected first) and c->buf: FW_CFG_DMA_READ into buf, or
 * FW_CFG_DMA_WRITE from it; key -1: the item selected before, at its
 * current offset.  Returns 0; -COH_EINVAL len too big or op unknown;
 * -COH_EIO the device set the error bit; -COH_EPROTO it wrote back bits
 * it must not; -COH_ETIMEDOUT control never cleared (the buffer may still
 * be the device's); -COH_ENOMEM no mapping.
 */
int fw_cfg_dma(struct fw_cfg *c, int key, uint32_t op, uint32_t len);

/*
 * The selector of file `name` from the file directory (read by DMA), its
 * size in *size.  Returns 0; -COH_ENODEV no such file; -COH_EPROTO a
 * directory entry count the device cannot mean (above 4096); errors of
 * fw_cfg_dma().
 */
int fw_cfg_find(struct fw_cfg *c, const char *name, uint16_t *key, uint32_t *size);

/* Free the access structure (0, or coh_free()'s code). */
int fw_cfg_destroy(struct fw_cfg *c);

#endif
