/* SPDX-License-Identifier: MIT */
#include "coherent/pool.h"
#include "internal.h"

int coh_pool_create_at(struct coh_pool *p, struct coh_device *dev,
		       const char *name, size_t block, size_t align,
		       size_t boundary, size_t nblocks,
		       const struct coh_where *where)
{
	size_t stride, span, off, metasz;
	int rc;

	coh__api_check(p && dev, where, COH_EINVAL, "coh_pool_create: NULL");
	coh__api_check(block && nblocks && nblocks < UINT32_MAX, where, COH_EINVAL,
		       "coh_pool_create: zero block size or count");
	coh__api_check(coh_is_pow2(align) && (!boundary || coh_is_pow2(boundary)),
		       where, COH_EINVAL,
		       "coh_pool_create: align and boundary must be powers of two");
	coh__api_check(!boundary || block <= boundary, where, COH_EINVAL,
		       "coh_pool_create: block larger than its boundary");
	if (align < COH_MAX_LINE)
		align = COH_MAX_LINE;
	coh__api_check(block <= SIZE_MAX - align && align <= 4096, where, COH_EINVAL,
		       "coh_pool_create: alignment above 4096 or block too large");
	stride = (block + align - 1) & ~(align - 1);
	coh__api_check(nblocks <= SIZE_MAX / stride / 4, where, COH_EOVERFLOW,
		       "coh_pool_create: block x count overflows");

	/*
	 * The blocks, plus room for the skips to the next boundary the layout
	 * below may make: each skip wastes less than one stride, and there is
	 * at most one per boundary crossed (and one for the chunk's own start).
	 */
	span = nblocks * stride;
	if (boundary)
		span += (span / boundary + 1) * stride;
	*p = (struct coh_pool){ .name = name ? name : "pool", .block = block,
				.nblocks = nblocks };
	rc = coh__mem_alloc(&p->chunk, dev, span, 1,
			    boundary && boundary < 4096 ? boundary : (boundary ? 4096 : align),
			    0, COH_MEM_BOX, where);
	if (rc)
		return rc;
	metasz = nblocks * (2 * sizeof(uint32_t) + 1);
	rc = coh__mem_alloc(&p->meta, dev, metasz, 1, 8, COH_ATTR_SKIP_CPU_SYNC,
			    COH_MEM_BOX, where);
	if (rc) {
		coh__mem_free(&p->chunk, where);
		return rc;
	}
	p->stack = (uint32_t *)p->meta.cpu_;
	p->off = p->stack + nblocks;
	p->used = (uint8_t *)(p->off + nblocks);
	off = 0;
	for (size_t i = 0; i < nblocks; i++) {
		uint64_t a = p->chunk.phys + off; /* boundaries are physical */

		if (boundary && (a & ~(uint64_t)(boundary - 1)) !=
				((a + block - 1) & ~(uint64_t)(boundary - 1)))
			off += (size_t)(((a + boundary - 1) & ~(uint64_t)(boundary - 1)) - a);
		p->off[i] = (uint32_t)off;
		p->stack[i] = (uint32_t)(nblocks - 1 - i); /* lowest block first */
		off += stride;
	}
	p->top = nblocks;
	return 0;
}

void *coh_pool_alloc(struct coh_pool *p, coh_bus_t *bus)
{
	uint32_t i;

	if (bus)
		*bus = COH_BUS_ERROR;
	if (!p || !bus || !p->stack)
		return NULL;
	unsigned long irq_10 = coh__lock(&p->lock);
	if (!p->top) {
		coh__unlock(&p->lock, irq_10);
		return NULL;
	}
	i = p->stack[--p->top];
	p->used[i] = 1;
	coh__unlock(&p->lock, irq_10);
	*bus = coh_phys_to_bus(p->chunk.dev, p->chunk.phys + p->off[i]);
	return (void *)(p->chunk.cpu_ + p->off[i]);
}

static long coh__pool_index(const struct coh_pool *p, uintptr_t a)
{
	size_t lo = 0, hi = p->nblocks;

	if (a < p->chunk.cpu_)
		return -1;
	a -= p->chunk.cpu_;
	while (lo < hi) {	/* offsets are increasing */
		size_t mid = (lo + hi) / 2;

		if (p->off[mid] < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->nblocks && p->off[lo] == a ? (long)lo : -1;
}

int coh_pool_free_at(struct coh_pool *p, void *blk, const struct coh_where *where)
{
	long i;

	coh__api_check(p && p->stack && blk, where, COH_EINVAL, "coh_pool_free: NULL");
	i = coh__pool_index(p, (uintptr_t)blk);
	coh__api_check(i >= 0, where, COH_EINVAL, "coh_pool_free: not a block of this pool");
#if COH_DEBUG
	{
		bool given;
		const struct coh_where *gw =
			coh__own_given((uintptr_t)blk, (uintptr_t)blk + p->block, &given);

		if (given) {
			coh__stat_add(p->chunk.dev, reports, 1);
			coh__diagf(where, -COH_EBUSY,
				   "coh_pool_free: pool %s block at +%z is still owned by %s (given at %W, never taken back): not freed",
				   p->name ? p->name : "?",
				   (size_t)((uintptr_t)blk - p->chunk.cpu_),
				   p->chunk.dev->name, gw);
			return -COH_EBUSY;
		}
	}
#endif
	unsigned long irq_11 = coh__lock(&p->lock);
	if (!p->used[i]) {
		coh__unlock(&p->lock, irq_11);
		coh__diag(where, "coh_pool_free: double free of a pool block", -COH_EINVAL);
		return -COH_EINVAL;
	}
	/* back to the allocator: the backend (the simulator) checks ownership, in every build */
	(void)coh_arch_op(COH_OP_UNSHARE, p->chunk.dev, blk, p->block, -1, where);
	coh_arch_op_end(COH_OP_UNSHARE);
	p->used[i] = 0;
	p->stack[p->top++] = (uint32_t)i;
	coh__unlock(&p->lock, irq_11);
	return 0;
}

int coh_pool_bus_at(const struct coh_pool *p, const void *cpu, coh_bus_t *bus,
		    const struct coh_where *where)
{
	uintptr_t a = (uintptr_t)cpu;
	size_t lo = 0, hi;

	if (bus)
		*bus = COH_BUS_ERROR;
	coh__api_check(p && p->stack && cpu && bus, where, COH_EINVAL,
		       "coh_pool_bus: NULL or destroyed pool");
	coh__api_check(a >= p->chunk.cpu_, where, COH_ERANGE,
		       "coh_pool_bus: not inside a block of this pool");
	a -= p->chunk.cpu_;
	/* the last block starting at or below a (offsets are increasing) */
	hi = p->nblocks;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->off[mid] <= a)
			lo = mid;
		else
			hi = mid;
	}
	coh__api_check(p->off[lo] <= a && a - p->off[lo] < p->block, where,
		       COH_ERANGE, "coh_pool_bus: not inside a block of this pool");
	*bus = coh_phys_to_bus(p->chunk.dev, p->chunk.phys + a);
	return 0;
}

size_t coh_pool_avail(const struct coh_pool *p)
{
	return p ? __atomic_load_n(&p->top, __ATOMIC_RELAXED) : 0;
}

int coh_pool_destroy_at(struct coh_pool *p, const struct coh_where *where)
{
	int rc;

	coh__api_check(p && p->stack, where, COH_EINVAL, "coh_pool_destroy: NULL or destroyed");
	coh__api_check(p->top == p->nblocks, where, COH_EBUSY,
		       "coh_pool_destroy: blocks are still allocated");
	/* debug builds: refused while a block returned to the pool is still given */
	rc = coh__mem_free(&p->chunk, where);
	if (rc)
		return rc;
	coh__mem_free(&p->meta, where);
	p->stack = NULL;
	return 0;
}
