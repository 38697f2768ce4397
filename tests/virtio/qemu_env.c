/* SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "qemu_env.h"
#include "mmu.h"
#include "../../drivers/virtio/virtio.h"

#define ARENA (2u << 20)
static uint8_t arena[ARENA] __attribute__((aligned(4096)));
static struct coh_region cached, uncached;

#define NSTREAM 2
#define BOUNCE (256u << 10)
static uint8_t bounce[NSTREAM][BOUNCE] __attribute__((aligned(4096)));
static struct coh_map_rec recs[NSTREAM][128];
static struct coh_stream streams[NSTREAM];
static int nstreams;

static void diag(const struct coh_where *w, const char *msg, int err)
{
	if (w)
		printf("diag: %s:%d: %s (%s)\n", w->file, w->line, msg,
		       coh_strerror(err));
	else
		printf("diag: %s (%s)\n", msg, coh_strerror(err));
}

int env_init(void)
{
	int rc;

	coh_set_diag_handler(diag);
	rc = coh_region_add(&cached, arena, (uint64_t)(uintptr_t)arena, ARENA, 0);
	if (!rc)
		rc = coh_region_add(&uncached, (void *)(uintptr_t)PLAT_UNCACHED_BASE,
				    PLAT_UNCACHED_BASE, PLAT_UNCACHED_SIZE,
				    COH_REGION_UNCACHED);
	return rc;
}

int env_device(struct coh_device *dev, const char *name, bool coherent)
{
	struct coh_stream *s;
	int rc;

	if (nstreams == NSTREAM)
		return -COH_ENOMEM;
	s = &streams[nstreams];
	rc = coh_device_init(dev, name, coherent ? COH_DEV_COHERENT : 0);
	if (!rc)
		rc = coh_stream_init(s, recs[nstreams], 128, 0);
	if (!rc)
		rc = coh_stream_bounce(s, bounce[nstreams],
				       (uint64_t)(uintptr_t)bounce[nstreams], BOUNCE);
	if (!rc)
		rc = coh_device_set_stream(dev, s);
	if (!rc)
		nstreams++;
	return rc;
}

void *env_find(uint32_t id, struct coh_device *dev, int *err)
{
	struct virtio_mmio vm;
	int rc = virtio_mmio_find(&vm, VIRT_MMIO_BASE, VIRT_MMIO_SLOTS,
				  VIRT_MMIO_STRIDE, id, dev, 0);

	*err = rc;
	return rc ? NULL : (void *)vm.base;
}

const char *env_layout(bool coherent, unsigned int ring_attrs)
{
	if (coherent)
		return "coherent device, cached rings";
	return ring_attrs & COH_ATTR_UNCACHED ? "non-coherent device, uncached rings"
					      : "non-coherent device, cached rings";
}
