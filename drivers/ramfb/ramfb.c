/* SPDX-License-Identifier: MIT */
/* ramfb (ramfb.h).  Facts: QEMU hw/display/ramfb.c (RAMFBCfg, packed, big-endian). */
#include <string.h>

#include "ramfb.h"
#include "coherent/driver.h"

struct ramfb_cfg {
	uint64_t addr;
	uint32_t fourcc, flags, width, height, stride;
} __attribute__((packed));

_Static_assert(sizeof(struct ramfb_cfg) == 28, "RAMFBCfg");
_Static_assert(sizeof(struct ramfb_cfg) <= FW_CFG_BUF, "one transfer");

/* the frame scans out continuously: releasing the rectangle is all */
static int ramfb_update(struct fb *fb, const struct coh_rect *r)
{
	return coh_release_rect(fb->dev, &fb->frame, r, NULL);
}

static const struct fb_ops ramfb_ops = { ramfb_update };

int ramfb_init(struct ramfb *r, void *fw_cfg_base, struct coh_device *dev, void *mem,
	       size_t size, uint32_t width, uint32_t height, struct fb **fb)
{
	struct ramfb_cfg cfg;
	uint64_t phys;
	uint32_t fsize;
	uint16_t key;
	int rc;

	if (!r || !fw_cfg_base || !dev || !mem || !fb)
		return -COH_EINVAL;
	if (width < RAMFB_MIN_DIM || height < RAMFB_MIN_DIM || width > RAMFB_MAX_DIM ||
	    height > RAMFB_MAX_DIM)
		return -COH_ERANGE;
	if (size < (size_t)width * height * 4u)
		return -COH_EINVAL;
	if (coh_virt_to_phys(mem, &phys))
		return -COH_EFAULT;
	rc = fw_cfg_init(&r->cfg, fw_cfg_base, dev, 0, 0);
	if (rc)
		return rc;
	rc = fw_cfg_find(&r->cfg, "etc/ramfb", &key, &fsize);
	if (!rc && fsize != sizeof(cfg))
		rc = -COH_EPROTO;
	if (rc)
		goto fail;
	/* the frame: everything drawn before now visible when the scan starts */
	r->fb = (struct fb){ .frame = { mem, (size_t)width * 4u, width, height, 4 },
			     .format = FB_FORMAT_XRGB8888, .dev = dev, .ops = &ramfb_ops,
			     .drv = r };
	rc = fb_update_all(&r->fb);
	if (rc)
		goto fail;
	r->fb.updates = 0;
	cfg = (struct ramfb_cfg){ .addr = coh_cpu_to_be64(coh_phys_to_bus(dev, phys)),
				  .fourcc = coh_cpu_to_be32(FB_FORMAT_XRGB8888),
				  .width = coh_cpu_to_be32(width),
				  .height = coh_cpu_to_be32(height),
				  .stride = coh_cpu_to_be32(width * 4u) };
	memcpy(r->cfg.buf, &cfg, sizeof(cfg));
	rc = fw_cfg_dma(&r->cfg, key, FW_CFG_DMA_WRITE, sizeof(cfg));
	if (rc)
		goto fail;
	*fb = &r->fb;
	return 0;
fail:
	(void)fw_cfg_destroy(&r->cfg);
	return rc;
}
