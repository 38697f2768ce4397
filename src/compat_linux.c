/* SPDX-License-Identifier: MIT */
/*
 * The part of coherent/compat/linux.h that is not a macro: coherent
 * allocations behind bare pointers.  Linux's dma_free_coherent() gives back
 * only (cpu, handle, size), so the allocation handles live in a static
 * table, found by CPU address.
 */
#include "internal.h"
#include "coherent/compat/linux.h"

static struct coh_mem coh__linux_mem[COH_LINUX_COHERENT_MAX];
/* a slot is claimed before its allocation runs (unlocked), freed after */
static bool coh__linux_used[COH_LINUX_COHERENT_MAX];
static int coh__linux_lock;

static void coh__linux_release(struct coh_mem *m)
{
	unsigned long irq = coh__lock(&coh__linux_lock);
	coh__linux_used[m - coh__linux_mem] = false;
	coh__unlock(&coh__linux_lock, irq);
}

static void coh__linux_report(struct coh_device *dev, const struct coh_where *where,
			      const char *msg, int err)
{
	if (dev)
		coh__stat_add(dev, reports, 1);
	coh__diag(where, msg, err);
}

void *coh_linux_alloc_coherent(struct coh_device *dev, size_t size,
			       dma_addr_t *handle, unsigned int gfp,
			       const struct coh_where *where)
{
	struct coh_mem *m = NULL;
	unsigned int attrs;

	(void)gfp;
	if (!dev || !handle || !size) {
		coh__linux_report(dev, where, "dma_alloc_coherent: NULL device or handle, or size 0",
				  -COH_EINVAL);
		return NULL;
	}
	unsigned long irq = coh__lock(&coh__linux_lock);
	for (size_t i = 0; i < COH_LINUX_COHERENT_MAX && !m; i++)
		if (!coh__linux_used[i]) {
			coh__linux_used[i] = true;
			m = &coh__linux_mem[i];
		}
	coh__unlock(&coh__linux_lock, irq);
	if (!m) {
		coh__linux_report(dev, where, "dma_alloc_coherent: COH_LINUX_COHERENT_MAX allocations live",
				  -COH_ENOMEM);
		return NULL;
	}
	/* plain C accesses need memory no cache stands in front of */
	attrs = coh_device_is_coherent(dev) ? 0 : COH_ATTR_UNCACHED;
	if (coh__mem_alloc(m, dev, size, 1, 1, attrs, COH_MEM_SHARED, where)) {
		coh__linux_release(m);
		return NULL; /* reported by the allocator */
	}
	if (m->state & COH_MEM_SYNC) {
		coh__mem_free(m, where);
		coh__linux_release(m);
		coh__linux_report(dev, where,
				  "dma_alloc_coherent: a non-coherent device needs an uncached region (COH_REGION_UNCACHED)",
				  -COH_ENOMEM);
		return NULL;
	}
	*handle = m->bus;
	return (void *)m->cpu_;
}

void coh_linux_free_coherent(struct coh_device *dev, size_t size, void *cpu,
			     dma_addr_t handle, const struct coh_where *where)
{
	struct coh_mem *m = NULL;

	if (!cpu)
		return; /* as Linux: nothing to free */
	unsigned long irq = coh__lock(&coh__linux_lock);
	for (size_t i = 0; i < COH_LINUX_COHERENT_MAX && !m; i++)
		if (coh__linux_used[i] && coh__linux_mem[i].cpu_ == (uintptr_t)cpu)
			m = &coh__linux_mem[i];
	coh__unlock(&coh__linux_lock, irq);
	if (!m) {
		coh__linux_report(dev, where, "dma_free_coherent: not memory dma_alloc_coherent returned (or freed twice)",
				  -COH_EINVAL);
		return;
	}
	if (m->dev != dev || m->bus != handle || m->size != size) {
		coh__linux_report(dev, where,
				  "dma_free_coherent: device, handle or size differ from the allocation's; not freed",
				  -COH_EINVAL);
		return;
	}
	if (coh__mem_free(m, where))
		return; /* device-owned bytes: refused and reported */
	coh__linux_release(m);
}

int coh_linux_set_mask(struct coh_device *dev, uint64_t mask)
{
	/* DMA_BIT_MASK(n): all ones up to some bit, nothing above */
	if (!dev || !mask || (mask & (mask + 1)))
		return -COH_EIO;
	dev->dma_mask = mask;
	return 0;
}
