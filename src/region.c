/* SPDX-License-Identifier: MIT */
/*
 * src/region.c - registered DMA memory and its buddy allocator.
 *
 * Bitmap k has one bit per aligned block of 2^k granules; a set bit is a
 * free block of exactly that order.  The bitmaps sit at the start of the
 * region (CPU-only bookkeeping, never handed to a device).  The grid of
 * blocks starts at the region's physical address rounded down to the
 * largest power of two not above its size, so that a block of 2^k
 * granules is aligned to 2^k granules physically: alignments above a page
 * and no-cross boundaries then need no search, only the right order.  The
 * grid's granules before the heap (below the region, and the bitmaps) are
 * never free.
 */
#include "internal.h"

#define G ((size_t)COH_REGION_GRANULE)
#define COH__MAX_ORDER 47

struct coh_region *coh__regions;
static int coh__regions_lock;

_Static_assert((COH_REGION_GRANULE % COH_MAX_LINE) == 0,
	       "granule must be a whole number of the largest cache line");
_Static_assert(COH_REGION_GRANULE >= 64 && (COH_REGION_GRANULE & (COH_REGION_GRANULE - 1)) == 0,
	       "granule must be a power of two >= 64");

struct coh_region *coh__region_first(void)
{
	return __atomic_load_n(&coh__regions, __ATOMIC_ACQUIRE);
}

static inline uint64_t *coh__bm(struct coh_region *r, unsigned int k)
{
	return r->bitmap + r->order_off[k];
}

static inline bool coh__test(struct coh_region *r, unsigned int k, size_t i)
{
	return (coh__bm(r, k)[i / 64] >> (i % 64)) & 1;
}

static inline void coh__set(struct coh_region *r, unsigned int k, size_t i)
{
	coh__bm(r, k)[i / 64] |= (uint64_t)1 << (i % 64);
	if (i / 64 < r->hint[k])
		r->hint[k] = i / 64;
}

static inline void coh__clear(struct coh_region *r, unsigned int k, size_t i)
{
	coh__bm(r, k)[i / 64] &= ~((uint64_t)1 << (i % 64));
}

static inline size_t coh__blocks(size_t ngran, unsigned int k)
{
	return (ngran + ((size_t)1 << k) - 1) >> k;
}

/* Lowest free block of order k at index >= 0, or SIZE_MAX. */
static size_t coh__first(struct coh_region *r, unsigned int k)
{
	size_t words = (coh__blocks(r->ngran, k) + 63) / 64;
	uint64_t *bm = coh__bm(r, k);

	for (size_t w = r->hint[k]; w < words; w++) {
		if (bm[w]) {
			r->hint[k] = w;
			return w * 64 + (size_t)__builtin_ctzll(bm[w]);
		}
	}
	r->hint[k] = words;
	return SIZE_MAX;
}

static size_t coh__meta_words(size_t ngran, unsigned int max_order)
{
	size_t w = 0;

	for (unsigned int k = 0; k <= max_order; k++)
		w += (coh__blocks(ngran, k) + 63) / 64;
	return w;
}

static unsigned int coh__max_order(size_t ngran)
{
	unsigned int k = 0;

	while (k < COH__MAX_ORDER && ((size_t)2 << k) <= ngran)
		k++;
	return k;
}

/* The largest power of two not above x (x >= 1). */
static size_t coh__pow2_floor(size_t x)
{
	return (size_t)1 << (63 - __builtin_clzll((unsigned long long)x));
}

int (coh_region_add)(struct coh_region *r, void *cpu, uint64_t phys, size_t size,
		     unsigned int flags)
{
	return coh_region_add_at(r, cpu, phys, size, flags, NULL);
}

int coh_region_add_at(struct coh_region *r, void *cpu, uint64_t phys, size_t size,
		      unsigned int flags, const struct coh_where *where)
{
	uintptr_t c = (uintptr_t)cpu;
	size_t ngran, meta, words, pre, grid, first;
	unsigned int k, top;

	coh__api_check(r && cpu, where, COH_EINVAL, "coh_region_add: NULL argument");
	coh__api_check(!(flags & ~(COH_REGION_UNCACHED | COH_REGION_WC)), where,
		       COH_EINVAL, "coh_region_add: unknown flags");
	coh__api_check(!(c % G) && !(phys % G), where, COH_EINVAL,
		       "coh_region_add: cpu and phys must be aligned to COH_REGION_GRANULE");
	/* size 0 is too small (below), not a wrap */
	coh__api_check(size <= UINTPTR_MAX - c && (!size || size - 1 <= UINT64_MAX - phys),
		       where, COH_EOVERFLOW, "coh_region_add: region wraps");
	coh__api_check(size / G >= 2, where, COH_ENOMEM,
		       "coh_region_add: region too small");
	for (struct coh_region *q = coh__region_first(); q; q = q->next)
		coh__api_check(q != r && (c + size <= q->cpu || q->cpu + q->size <= c),
			       where, COH_EINVAL,
			       "coh_region_add: already registered or overlapping");

	/*
	 * The grid: physical address space from phys rounded down to `grid`
	 * bytes (a power of two no larger than the region, so the granules
	 * before the region cost at most as many bitmap bits as the region's
	 * own), blocks no larger than `grid`, hence each aligned to its size.
	 */
	grid = coh__pow2_floor(size - size % G);
	pre = (size_t)(phys % grid) / G;
	ngran = pre + size / G;
	top = coh__max_order(grid / G);
	k = coh__max_order(ngran);
	if (k > top)
		k = top;
	words = coh__meta_words(ngran, k);
	meta = (words * 8 + G - 1) / G * G;
	coh__api_check(meta < size - size % G, where, COH_ENOMEM,
		       "coh_region_add: region too small for its bitmaps");
	first = pre + meta / G;

	*r = (struct coh_region){
		.cpu = c,
		.phys = phys,
		.size = size,
		.flags = flags,
		.heap = c + meta,
		.ngran = ngran,
		.first = first,
		.grid_phys = phys - (uint64_t)pre * G,
		.max_order = k,
		.bitmap = (uint64_t *)cpu,
	};
	r->order_off = r->order_off_store;
	words = 0;
	for (k = 0; k <= r->max_order; k++) {
		r->order_off[k] = words;
		words += (coh__blocks(r->ngran, k) + 63) / 64;
	}
	__builtin_memset(r->bitmap, 0, words * 8);
	/* Cut [first, ngran) into the largest aligned blocks. */
	for (size_t pos = first; pos < r->ngran;) {
		k = r->max_order;
		while (k && ((pos & (((size_t)1 << k) - 1)) || pos + ((size_t)1 << k) > r->ngran))
			k--;
		coh__set(r, k, pos >> k);
		pos += (size_t)1 << k;
	}
	r->free_gran = r->ngran - first;

	unsigned long irq_12 = coh__lock(&coh__regions_lock);
	r->next = coh__regions;
	__atomic_store_n(&coh__regions, r, __ATOMIC_RELEASE);
	coh__unlock(&coh__regions_lock, irq_12);
	return 0;
}

int (coh_region_remove)(struct coh_region *r)
{
	return coh_region_remove_at(r, NULL);
}

int coh_region_remove_at(struct coh_region *r, const struct coh_where *where)
{
	struct coh_region **pp;
	int rc = -COH_EINVAL;

	coh__api_check(r, where, COH_EINVAL, "coh_region_remove: NULL");
	unsigned long irq_13 = coh__lock(&coh__regions_lock);
	for (pp = &coh__regions; *pp; pp = &(*pp)->next) {
		if (*pp != r)
			continue;
		if (__atomic_load_n(&r->live, __ATOMIC_RELAXED)) {
			rc = -COH_EBUSY;
		} else {
			*pp = r->next;
			rc = 0;
		}
		break;
	}
	coh__unlock(&coh__regions_lock, irq_13);
	if (rc)
		coh__diag(where, rc == -COH_EBUSY ?
			  "coh_region_remove: allocations still live" :
			  "coh_region_remove: not registered", rc);
	return rc;
}

struct coh_region *coh_region_find(const void *cpu, size_t len)
{
	uintptr_t c = (uintptr_t)cpu;

	for (struct coh_region *r = coh__region_first(); r; r = r->next)
		if (c >= r->cpu && c - r->cpu < r->size && len <= r->size - (c - r->cpu))
			return r;
	return NULL;
}

size_t coh_region_free_bytes(const struct coh_region *r)
{
	return __atomic_load_n(&r->free_gran, __ATOMIC_RELAXED) * G;
}

int coh_virt_to_phys(const void *cpu, uint64_t *phys)
{
	struct coh_region *r = coh_region_find(cpu, 1);

	if (r) {
		*phys = r->phys + ((uintptr_t)cpu - r->cpu);
		return 0;
	}
	return coh_arch_virt_to_phys(cpu, phys);
}

static unsigned int coh__order_for(size_t gran)
{
	unsigned int k = 0;

	while (k < COH__MAX_ORDER && ((size_t)1 << k) < gran)
		k++;
	return k;
}

/* The order of the block an allocation of size bytes aligned to align takes. */
static unsigned int coh__order_of(size_t size, size_t align)
{
	unsigned int k = coh__order_for(size / G + (size % G != 0));

	if (align > G && ((size_t)1 << k) < align / G)
		k = coh__order_for(align / G);
	return k;
}

bool coh__region_can_hold(const struct coh_region *r, size_t size, size_t align)
{
	unsigned int k;
	size_t n, pos;

	if (!size || size > r->ngran * G)
		return false;
	k = coh__order_of(size, align);
	if (k > r->max_order)
		return false;
	/* the first block of order k after the bitmaps lies inside the grid */
	n = (size_t)1 << k;
	pos = (r->first + n - 1) & ~(n - 1);
	return pos <= r->ngran && n <= r->ngran - pos;
}

/*
 * Does block (k, i) fit the device's mask, the alignment and the boundary?
 * Both are the device's view: bus addresses.
 */
static bool coh__fits(struct coh_region *r, unsigned int k, size_t i, size_t size,
		      size_t align, size_t boundary, const struct coh_device *dev)
{
	uint64_t a = r->grid_phys + (uint64_t)(i << k) * G;

	if (dev)
		a = coh_phys_to_bus(dev, a);
	if (a % align)
		return false;
	if (boundary && ((a ^ (a + size - 1)) & ~(uint64_t)(boundary - 1)))
		return false;
	return !dev || coh_dma_reachable(dev, a, size);
}

int coh__region_alloc(struct coh_region *r, size_t size, size_t align,
		      size_t boundary, const struct coh_device *dev, uintptr_t *cpu,
		      uint64_t *phys, size_t *span)
{
	size_t idx = SIZE_MAX, best = SIZE_MAX;
	unsigned int k, j, found = 0;

	if (!coh__region_can_hold(r, size, align))
		return -COH_ENOMEM;
	k = coh__order_of(size, align);

	unsigned long irq_14 = coh__lock(&r->lock);
	/* best fit first; if that block is out of reach, the lowest address */
	for (j = k; j <= r->max_order; j++) {
		size_t i = coh__first(r, j);

		if (i == SIZE_MAX)
			continue;
		if (coh__fits(r, k, (i << j) >> k, size, align, boundary, dev)) {
			idx = i;
			found = j;
			break;
		}
		if (best == SIZE_MAX || (i << j) < best) {
			best = i << j;
			found = j;
		}
	}
	if (idx == SIZE_MAX) {
		if (best == SIZE_MAX || !coh__fits(r, k, best >> k, size, align, boundary, dev)) {
			coh__unlock(&r->lock, irq_14);
			return -COH_ENOMEM;
		}
		idx = best >> found;
	}
	j = found;
	coh__clear(r, j, idx);
	while (j > k) {		/* split, keeping the lower half */
		j--;
		idx <<= 1;
		coh__set(r, j, idx + 1);
	}
	r->free_gran -= (size_t)1 << k;
	r->live++;
	coh__unlock(&r->lock, irq_14);

	*cpu = r->heap + ((idx << k) - r->first) * G;
	*phys = r->grid_phys + (uint64_t)(idx << k) * G;
	/* the whole block: an alignment above the size made it larger */
	*span = ((size_t)1 << k) * G;
	return 0;
}

int coh__region_free(struct coh_region *r, uintptr_t cpu, size_t size)
{
	size_t gran = (size + G - 1) / G, idx;
	unsigned int k = coh__order_for(gran);

	if (cpu < r->heap || (cpu - r->heap) % G || !size)
		return -COH_EINVAL;
	idx = r->first + (cpu - r->heap) / G;
	if (idx >= r->ngran || (idx & (((size_t)1 << k) - 1)) || k > r->max_order)
		return -COH_EINVAL;
	idx >>= k;
	unsigned long irq_15 = coh__lock(&r->lock);
	/* already free: this block or one containing it has its bit set */
	for (unsigned int j = k; j <= r->max_order; j++) {
		if ((idx >> (j - k)) < coh__blocks(r->ngran, j) && coh__test(r, j, idx >> (j - k))) {
			coh__unlock(&r->lock, irq_15);
			return -COH_EINVAL;
		}
	}
	r->free_gran += (size_t)1 << k;
	r->live--;
	while (k < r->max_order && coh__test(r, k, idx ^ 1)) {
		coh__clear(r, k, idx ^ 1);
		idx >>= 1;
		k++;
	}
	coh__set(r, k, idx);
	coh__unlock(&r->lock, irq_15);
	return 0;
}
