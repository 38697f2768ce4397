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
/* dma_alloc_pages() allocations: the mapping's direction + 1 (0: coherent) */
static int coh__linux_dir[COH_LINUX_COHERENT_MAX];

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
		if (coh__linux_used[i] && !coh__linux_dir[i] &&
		    coh__linux_mem[i].cpu_ == (uintptr_t)cpu)
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

/* ---- dma_alloc_attrs: dma_alloc_coherent() with Linux's attributes */

#define COH__LINUX_ATTRS_OK                                                    \
	(DMA_ATTR_WEAK_ORDERING | DMA_ATTR_WRITE_COMBINE | DMA_ATTR_SKIP_CPU_SYNC | \
	 DMA_ATTR_FORCE_CONTIGUOUS | DMA_ATTR_ALLOC_SINGLE_PAGES | DMA_ATTR_NO_WARN | \
	 DMA_ATTR_PRIVILEGED)

void *coh_linux_alloc_attrs(struct coh_device *dev, size_t size,
			    dma_addr_t *handle, unsigned int gfp,
			    unsigned long attrs, const struct coh_where *where)
{
	if (attrs & ~(unsigned long)COH__LINUX_ATTRS_OK) {
		coh__linux_report(dev, where,
				  "dma_alloc_attrs: DMA_ATTR_NO_KERNEL_MAPPING or an unknown attribute",
				  -COH_EINVAL);
		return NULL;
	}
	return coh_linux_alloc_coherent(dev, size, handle, gfp, where);
}

/* ---- dma_alloc_pages: cached memory, mapped for streaming */


static struct coh_mem *coh__linux_claim(void)
{
	struct coh_mem *m = NULL;
	unsigned long irq = coh__lock(&coh__linux_lock);

	for (size_t i = 0; i < COH_LINUX_COHERENT_MAX && !m; i++)
		if (!coh__linux_used[i]) {
			coh__linux_used[i] = true;
			m = &coh__linux_mem[i];
		}
	coh__unlock(&coh__linux_lock, irq);
	return m;
}

void *coh_linux_alloc_pages(struct coh_device *dev, size_t size,
			    dma_addr_t *handle, int dir, unsigned int gfp,
			    const struct coh_where *where)
{
	struct coh_mem *m;
	coh_bus_t bus;

	(void)gfp;
	if (!dev || !handle || !size || dir < 0 || dir > COH_FROM_DEVICE) {
		coh__linux_report(dev, where, "dma_alloc_pages: NULL device or handle, size 0 or bad direction",
				  -COH_EINVAL);
		return NULL;
	}
	m = coh__linux_claim();
	if (!m) {
		coh__linux_report(dev, where, "dma_alloc_pages: COH_LINUX_COHERENT_MAX allocations live",
				  -COH_ENOMEM);
		return NULL;
	}
	/* a CPU-owned box: plain cached memory, handed over by the mapping */
	if (coh__mem_alloc(m, dev, size, 1, COH_MAX_LINE, 0, COH_MEM_BOX, where)) {
		coh__linux_release(m);
		return NULL;	/* reported by the allocator */
	}
	bus = coh_map_single_at(dev, (void *)m->cpu_, size, (enum coh_dir)dir, where);
	if (coh_mapping_error(dev, bus)) {
		coh__mem_free(m, where);
		coh__linux_release(m);
		return NULL;	/* reported by the map */
	}
	coh__linux_dir[m - coh__linux_mem] = dir + 1;
	*handle = bus;
	return (void *)m->cpu_;
}

void coh_linux_free_pages(struct coh_device *dev, size_t size, void *cpu,
			  dma_addr_t handle, int dir, const struct coh_where *where)
{
	struct coh_mem *m = NULL;
	size_t i;

	if (!cpu)
		return;
	unsigned long irq = coh__lock(&coh__linux_lock);
	for (i = 0; i < COH_LINUX_COHERENT_MAX && !m; i++)
		if (coh__linux_used[i] && coh__linux_mem[i].cpu_ == (uintptr_t)cpu &&
		    coh__linux_dir[i])
			m = &coh__linux_mem[i];
	coh__unlock(&coh__linux_lock, irq);
	if (!m || m->dev != dev || m->size < size || coh__linux_dir[m - coh__linux_mem] != dir + 1) {
		coh__linux_report(dev, where,
				  "dma_free_pages: not what dma_alloc_pages returned, or device, size or direction differ; not freed",
				  -COH_EINVAL);
		return;
	}
	if (coh_unmap_single_at(dev, handle, size, (enum coh_dir)dir, where))
		return;	/* reported: the handle is not the mapping's */
	coh__linux_dir[m - coh__linux_mem] = 0;
	if (coh__mem_free(m, where))
		return;
	coh__linux_release(m);
}

/* ---- dma_pool: fixed blocks of one coherent allocation */

struct dma_pool {
	uintptr_t cpu;			/* the blocks: one dma_alloc_coherent() */
	dma_addr_t bus;
	size_t span;
	struct coh_device *dev;
	const char *name;
	size_t size;			/* bytes the caller asked per block */
	uint32_t off[COH_LINUX_POOL_BLOCKS];	/* each block's offset in m */
	uint64_t used;			/* bit i: block i is out */
	unsigned int n;			/* blocks */
	int lock;
	bool live;
};

#if COH_LINUX_POOL_BLOCKS > 64 || COH_LINUX_POOL_BLOCKS < 1
#error "COH_LINUX_POOL_BLOCKS must be 1..64"
#endif

static struct dma_pool coh__linux_pools[COH_LINUX_POOL_MAX];
static int coh__linux_pool_lock;

struct dma_pool *coh_linux_pool_create(const char *name, struct coh_device *dev,
				       size_t size, size_t align, size_t boundary,
				       const struct coh_where *where)
{
	struct dma_pool *p = NULL;
	size_t stride, span, off;
	dma_addr_t bus;
	void *cpu;

	if (!align)
		align = 1;
	if (!dev || !size || !coh_is_pow2(align) || (boundary && !coh_is_pow2(boundary)) ||
	    (boundary && size > boundary) || size > (1u << 24)) {
		coh__linux_report(dev, where, "dma_pool_create: bad device, size, align or boundary",
				  -COH_EINVAL);
		return NULL;
	}
	stride = (size + align - 1) & ~(align - 1);
	/* room for every block, with the skips a boundary may force */
	span = stride * COH_LINUX_POOL_BLOCKS + (boundary ? boundary : 0);
	unsigned long irq = coh__lock(&coh__linux_pool_lock);
	for (size_t i = 0; i < COH_LINUX_POOL_MAX && !p; i++)
		if (!coh__linux_pools[i].live) {
			p = &coh__linux_pools[i];
			p->live = true;
		}
	coh__unlock(&coh__linux_pool_lock, irq);
	if (!p) {
		coh__linux_report(dev, where, "dma_pool_create: COH_LINUX_POOL_MAX pools live", -COH_ENOMEM);
		return NULL;
	}
	cpu = coh_linux_alloc_coherent(dev, span, &bus, 0, where);
	if (!cpu) {
		p->live = false;
		return NULL;	/* reported */
	}
	p->cpu = (uintptr_t)cpu;
	p->bus = bus;
	p->span = span;
	p->dev = dev;
	p->name = name;
	p->size = size;
	p->used = 0;
	p->lock = 0;
	/* aligned in bus space, never across a boundary */
	off = (size_t)((align - (bus & (align - 1))) & (align - 1));
	for (p->n = 0; p->n < COH_LINUX_POOL_BLOCKS; p->n++, off += stride) {
		if (boundary && (((bus + off) ^ (bus + off + size - 1)) & ~(uint64_t)(boundary - 1)))
			off = (size_t)((((bus + off) | (boundary - 1)) + 1) - bus);
		if (off + size > span)
			break;
		p->off[p->n] = (uint32_t)off;
	}
	return p;
}

void *coh_linux_pool_alloc(struct dma_pool *p, unsigned int gfp, dma_addr_t *handle,
			   bool zero)
{
	unsigned int i;
	void *blk;

	(void)gfp;
	if (!p || !p->live || !handle)
		return NULL;
	unsigned long irq = coh__lock(&p->lock);
	for (i = 0; i < p->n && (p->used >> i & 1); i++)
		;
	if (i < p->n)
		p->used |= (uint64_t)1 << i;
	coh__unlock(&p->lock, irq);
	if (i >= p->n)
		return NULL;
	blk = (void *)(p->cpu + p->off[i]);
	if (zero)
		__builtin_memset(blk, 0, p->size);
	*handle = p->bus + p->off[i];
	return blk;
}

void coh_linux_pool_free(struct dma_pool *p, void *vaddr, dma_addr_t addr,
			 const struct coh_where *where)
{
	unsigned int i;
	bool ok = false;

	if (!p || !p->live) {
		coh__linux_report(NULL, where, "dma_pool_free: no such pool", -COH_EINVAL);
		return;
	}
	unsigned long irq = coh__lock(&p->lock);
	for (i = 0; i < p->n; i++)
		if (p->cpu + p->off[i] == (uintptr_t)vaddr)
			break;
	if (i < p->n && (p->used >> i & 1) && p->bus + p->off[i] == addr) {
		p->used &= ~((uint64_t)1 << i);
		ok = true;
	}
	coh__unlock(&p->lock, irq);
	if (!ok)
		coh__linux_report(p->dev, where,
				  "dma_pool_free: not a block this pool handed out, freed twice, or a wrong handle",
				  -COH_EINVAL);
}

void coh_linux_pool_destroy(struct dma_pool *p, const struct coh_where *where)
{
	if (!p)
		return;
	/* the pool's lock, not an atomic: a 64-bit atomic is not lock-free on
	 * 32-bit cores (Cortex-M7) */
	unsigned long irq0 = coh__lock(&p->lock);
	uint64_t out = p->used;
	coh__unlock(&p->lock, irq0);
	if (!p->live || out) {
		coh__linux_report(p->live ? p->dev : NULL, where,
				  "dma_pool_destroy: blocks still out (or no such pool); the pool stays",
				  -COH_EBUSY);
		return;
	}
	coh_linux_free_coherent(p->dev, p->span, (void *)p->cpu, p->bus, where);
	unsigned long irq = coh__lock(&coh__linux_pool_lock);
	p->live = false;
	coh__unlock(&coh__linux_pool_lock, irq);
}

/* ---- dma_get_required_mask */

static uint64_t coh__mask_for(uint64_t top)
{
	uint64_t m = 1;

	while (m < top && m != ~(uint64_t)0)
		m = (m << 1) | 1;
	return m;
}

uint64_t coh_linux_required_mask(const struct coh_device *dev)
{
	const struct coh_stream *s = dev ? dev->bounce : NULL;
	uint64_t top = 0, off = dev ? dev->bus_offset : 0;
	bool any = false;

	for (struct coh_region *r = coh__region_first(); r; r = r->next) {
		uint64_t e = r->phys + r->size - 1 + off;

		any = true;
		if (e > top)
			top = e;
	}
	if (s && s->b_ngran) {
		uint64_t e = s->b_phys + s->b_bytes - 1 + off;

		any = true;
		if (e > top)
			top = e;
	}
	return any ? coh__mask_for(top) : ~(uint64_t)0;
}
