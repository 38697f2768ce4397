/* SPDX-License-Identifier: MIT */
/* fw_cfg DMA (fw_cfg.h).  Facts: QEMU docs/specs/fw_cfg.rst. */
#include <string.h>

#include "fw_cfg.h"
#include "coherent/driver.h"

#define DIR_MAX 4096u	/* directory entries believed */

struct file_entry {
	uint32_t size;		/* big-endian */
	uint16_t select;	/* big-endian */
	uint16_t reserved;
	char name[56];
};

int fw_cfg_init(struct fw_cfg *c, void *base, struct coh_device *dev, unsigned int attrs,
		uint32_t budget)
{
	uint64_t sig;

	if (!c || !base || !dev)
		return -COH_EINVAL;
	memset(c, 0, sizeof(*c));
	c->base = base;
	c->dev = dev;
	c->poll_budget = budget ? budget : 1000000u;
	sig = (uint64_t)coh_mmio_read32_be(c->base + FW_CFG_DMA_ADDR_HI) << 32 |
	      coh_mmio_read32_be(c->base + FW_CFG_DMA_ADDR_LO);
	if (sig != FW_CFG_DMA_SIGNATURE)
		return -COH_ENODEV;
	return coh_alloc_shared(&c->acc, dev, 1, attrs);
}

int fw_cfg_destroy(struct fw_cfg *c)
{
	return coh_free(&c->acc);
}

int fw_cfg_dma(struct fw_cfg *c, int key, uint32_t op, uint32_t len)
{
	enum coh_dir dir = op == FW_CFG_DMA_READ ? COH_FROM_DEVICE : COH_TO_DEVICE;
	struct fw_cfg_dma_access a;
	uint32_t ctl = op;
	coh_bus_t bus, abus;
	int rc;

	if (len > FW_CFG_BUF || key > 0xffff || (op != FW_CFG_DMA_READ && op != FW_CFG_DMA_WRITE))
		return -COH_EINVAL;
	if (key >= 0)
		ctl |= (uint32_t)key << 16 | FW_CFG_DMA_SELECT;
	/* the whole buffer, so the map is in place; the device moves len */
	bus = coh_map_single(c->dev, c->buf, FW_CFG_BUF, dir);
	if (coh_mapping_error(c->dev, bus))
		return -COH_ENOMEM;
	a = (struct fw_cfg_dma_access){ .control = coh_cpu_to_be32(ctl),
					.length = coh_cpu_to_be32(len),
					.address = coh_cpu_to_be64(bus) };
	/* released with its own barrier, before the register write below */
	rc = coh_put(&c->acc, 0, 1, &a);
	if (rc) {
		(void)coh_unmap_single(c->dev, bus, FW_CFG_BUF, dir);
		return rc;
	}
	abus = coh_bus(&c->acc);
	coh_mmio_write32_be(c->base + FW_CFG_DMA_ADDR_HI, coh_hi32(abus));
	coh_mmio_write32_be(c->base + FW_CFG_DMA_ADDR_LO, coh_lo32(abus));
	rc = -COH_ETIMEDOUT;
	for (uint32_t i = 0; i < c->poll_budget; i++) {
		/* device-written since the put: invalidated, never flushed */
		uint32_t v = coh_be32_to_cpu(coh_read_from_device(&c->acc, [0].control));

		if (v & FW_CFG_DMA_ERROR) {
			rc = -COH_EIO;
			break;
		}
		if (!v) {
			rc = 0;
			break;
		}
		/* anything but the bits we set is the device breaking the protocol */
		if (v & ~ctl) {
			rc = -COH_EPROTO;
			break;
		}
	}
	if (rc == -COH_ETIMEDOUT) {
		c->errors++;
		return rc;	/* the device may still write buf: keep it mapped */
	}
	(void)coh_unmap_single(c->dev, bus, FW_CFG_BUF, dir);
	if (rc)
		c->errors++;
	else
		c->transfers++;
	return rc;
}

int fw_cfg_find(struct fw_cfg *c, const char *name, uint16_t *key, uint32_t *size)
{
	uint32_t n;
	int rc;

	if (!c || !name || !key || !size)
		return -COH_EINVAL;
	rc = fw_cfg_dma(c, FW_CFG_FILE_DIR, FW_CFG_DMA_READ, 4);
	if (rc)
		return rc;
	memcpy(&n, c->buf, 4);
	n = coh_be32_to_cpu(n);
	if (n > DIR_MAX)
		return -COH_EPROTO;
	for (uint32_t i = 0; i < n; i++) {
		struct file_entry e;

		rc = fw_cfg_dma(c, -1, FW_CFG_DMA_READ, sizeof(e));
		if (rc)
			return rc;
		memcpy(&e, c->buf, sizeof(e));	/* device-written: read once */
		e.name[sizeof(e.name) - 1] = 0;
		if (!strcmp(e.name, name)) {
			*key = coh_be16_to_cpu(e.select);
			*size = coh_be32_to_cpu(e.size);
			return 0;
		}
	}
	return -COH_ENODEV;
}
