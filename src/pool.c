/* SPDX-License-Identifier: MIT */
/*
 * src/pool.c - fixed-size blocks: a stack of free indices and a used byte
 * per block, in CPU-only memory, under the pool's lock.  A freed pointer
 * finds its index by a shift (or one division) when the blocks are evenly
 * spaced, by a search only when boundary skips made them uneven.
 *
 * Alloc and free each have a fast path for the common case - release
 * build, built-in spinlock free at once, arguments good - that takes the
 * lock with one exchange and drops it with one store, and calls nothing.
 * Anything else (a NULL, a pointer that is no block, debug builds and
 * their ownership check, the platform's lock ops, a contended lock) goes,
 * before anything has changed, to the complete version of the call, which
 * is the one that reports; the fast path reports only a double free
 * itself, found under the lock.
 */
#include "coherent/pool.h"
#include "coherent/lock.h"
#include "internal.h"

int coh_pool_create_at(struct coh_pool *p, struct coh_device *dev,
		       const char *name, size_t block, size_t align,
		       size_t boundary, size_t nblocks,
		       const struct coh_where *where)
{
	size_t stride, span, off, metasz;
	int rc;

	coh__api_check(p && dev, where, COH_EINVAL, "coh_pool_create: NULL");
	coh__api_check(block && nblocks, where, COH_EINVAL,
		       "coh_pool_create: zero block size or count");
	coh__api_check(nblocks < UINT32_MAX, where, COH_EINVAL,
		       "coh_pool_create: too many blocks (at most UINT32_MAX - 1)");
	coh__api_check(coh_is_pow2(align) && (!boundary || coh_is_pow2(boundary)),
		       where, COH_EINVAL,
		       "coh_pool_create: align and boundary must be powers of two");
	coh__api_check(!boundary || block <= boundary, where, COH_EINVAL,
		       "coh_pool_create: block larger than its boundary");
	if (align < COH_MAX_LINE)
		align = COH_MAX_LINE;
	coh__api_check(block <= SIZE_MAX - align, where, COH_EOVERFLOW,
		       "coh_pool_create: block plus its alignment overflows");
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
	/* the region's blocks are naturally aligned: a chunk within one
	 * boundary does not cross it, and needs no skip below */
	rc = coh__mem_alloc(&p->chunk, dev, span, 1, align, 0, COH_MEM_BOX, where);
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
	p->stride = stride;
	for (size_t i = 0; i < nblocks; i++) {
		/* boundaries are on the addresses the device is given */
		uint64_t a = coh_phys_to_bus(dev, p->chunk.phys + off);

		if (boundary && (a & ~(uint64_t)(boundary - 1)) !=
				((a + block - 1) & ~(uint64_t)(boundary - 1))) {
			off += (size_t)(((a + boundary - 1) & ~(uint64_t)(boundary - 1)) - a);
			p->stride = 0;	/* uneven: a freed block is searched for */
		}
		p->off[i] = (uint32_t)off;
		p->stack[i] = (uint32_t)(nblocks - 1 - i); /* lowest block first */
		off += stride;
	}
	if (p->stride && coh_is_pow2(p->stride))
		p->shift = (unsigned int)__builtin_ctzll((unsigned long long)p->stride) + 1;
	p->top = nblocks;
	return 0;
}

/* the built-in spinlock, if free at once and no lock ops are installed */
static inline bool coh__pool_trylock(struct coh_pool *p)
{
	/* acquire: the last holder's writes are seen after this */
	return __builtin_expect(!__atomic_load_n(&coh__lock_ops, __ATOMIC_RELAXED), 1) &&
	       __builtin_expect(!__atomic_exchange_n(&p->lock, 1, __ATOMIC_ACQUIRE), 1);
}

static inline void coh__pool_unlock_fast(struct coh_pool *p)
{
	/* release: the critical section's writes before the lock is seen free */
	__atomic_store_n(&p->lock, 0, __ATOMIC_RELEASE);
}

/* block i out of the pool: the caller holds the lock, and top > 0 */
static inline uint32_t coh__pool_pop(struct coh_pool *p)
{
	size_t t = p->top - 1;
	uint32_t i = p->stack[t];

	/* a relaxed atomic store (a plain mov): coh_pool_avail reads it unlocked */
	__atomic_store_n(&p->top, t, __ATOMIC_RELAXED);
	p->used[i] = 1;
	return i;
}

static inline void *coh__pool_block(const struct coh_pool *p, uint32_t i, coh_bus_t *bus)
{
	uint32_t off = p->off[i];

	*bus = coh_phys_to_bus(p->chunk.dev, p->chunk.phys + off);
	return (void *)(p->chunk.cpu_ + off);
}

static __attribute__((noinline, cold)) void *coh__pool_alloc_full(struct coh_pool *p,
								   coh_bus_t *bus)
{
	unsigned long irq;
	uint32_t i;

	irq = coh__lock(&p->lock);
	if (!p->top) {
		coh__unlock(&p->lock, irq);
		*bus = COH_BUS_ERROR;
		return NULL;
	}
	i = coh__pool_pop(p);
	coh__unlock(&p->lock, irq);
	return coh__pool_block(p, i, bus);
}

void *coh_pool_alloc(struct coh_pool *p, coh_bus_t *bus)
{
	uint32_t i;

	if (!p || !bus || !p->stack) {
		if (bus)
			*bus = COH_BUS_ERROR;
		return NULL;
	}
	if (!coh__pool_trylock(p))
		return coh__pool_alloc_full(p, bus);
	if (!p->top) {
		coh__pool_unlock_fast(p);
		*bus = COH_BUS_ERROR;
		return NULL;
	}
	i = coh__pool_pop(p);
	coh__pool_unlock_fast(p);
	return coh__pool_block(p, i, bus);
}

/* the index of the block that starts at a, or nblocks: no block does */
static inline size_t coh__pool_index(const struct coh_pool *p, uintptr_t a)
{
	size_t lo = 0, hi = p->nblocks;

	a -= p->chunk.cpu_;	/* below the chunk: wraps far above the last block */
	if (__builtin_expect(p->stride != 0, 1)) {
		lo = p->shift ? a >> (p->shift - 1) : a / p->stride;
		return lo < p->nblocks && p->off[lo] == a ? lo : p->nblocks;
	}
	while (lo < hi) {	/* offsets are increasing */
		size_t mid = (lo + hi) / 2;

		if (p->off[mid] < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->nblocks && p->off[lo] == a ? lo : p->nblocks;
}

/* block i back to the pool: the caller holds the lock, and used[i] */
static inline void coh__pool_push(struct coh_pool *p, void *blk, size_t i,
				  const struct coh_where *where)
{
	/* back to the allocator: the backend (the simulator) checks ownership, in every build */
	(void)coh_arch_op(COH_OP_UNSHARE, p->chunk.dev, blk, p->block, -1, where);
	coh_arch_op_end(COH_OP_UNSHARE);
	p->used[i] = 0;
	p->stack[p->top] = (uint32_t)i;
	__atomic_store_n(&p->top, p->top + 1, __ATOMIC_RELAXED);	/* as in pop */
}

static __attribute__((noinline, cold)) int coh__pool_double_free(const struct coh_where *where)
{
	coh__diag(where, "coh_pool_free: double free of a pool block", -COH_EINVAL);
	return -COH_EINVAL;
}

static __attribute__((noinline, cold)) int coh__pool_free_full(struct coh_pool *p, void *blk,
								const struct coh_where *where)
{
	unsigned long irq;
	size_t i;

	coh__api_check(p && p->stack && blk, where, COH_EINVAL, "coh_pool_free: NULL");
	i = coh__pool_index(p, (uintptr_t)blk);
	coh__api_check(i < p->nblocks, where, COH_EINVAL,
		       "coh_pool_free: not a block of this pool");
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
	irq = coh__lock(&p->lock);
	if (!p->used[i]) {
		coh__unlock(&p->lock, irq);
		return coh__pool_double_free(where);
	}
	coh__pool_push(p, blk, i, where);
	coh__unlock(&p->lock, irq);
	return 0;
}

int coh_pool_free_at(struct coh_pool *p, void *blk, const struct coh_where *where)
{
	size_t i;

	if (COH_DEBUG || !p || !p->stack || !blk)
		return coh__pool_free_full(p, blk, where);
	i = coh__pool_index(p, (uintptr_t)blk);
	if (i >= p->nblocks || !coh__pool_trylock(p))
		return coh__pool_free_full(p, blk, where);
	if (!p->used[i]) {
		coh__pool_unlock_fast(p);
		return coh__pool_double_free(where);
	}
	coh__pool_push(p, blk, i, where);
	coh__pool_unlock_fast(p);
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
