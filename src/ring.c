/* SPDX-License-Identifier: MIT */
#include "coherent/ring.h"
#include "internal.h"

int coh_ring_create_at(struct coh_ring *r, struct coh_device *dev, size_t count,
		       size_t size, size_t align, size_t own_off,
		       uint32_t own_bit, unsigned int attrs,
		       const struct coh_where *where)
{
	size_t stride;
	bool packed;
	struct coh_region *pick;
	int rc;

	coh__api_check(r && dev && count && own_bit && size && own_off + 4 <= size,
		       where, COH_EINVAL, "coh_ring_create: bad argument");
	coh__api_check(coh_is_pow2(align), where, COH_EINVAL,
		       "coh_ring_create: alignment not a power of two");
	*r = (struct coh_ring){ 0 };
	/* packed only where no maintenance will be done */
	packed = (dev->flags & COH_DEV_COHERENT) || (attrs & COH_ATTR_UNCACHED);
	stride = packed ? (size + align - 1) & ~(align - 1)
			: (size + COH_MAX_LINE - 1) & ~(size_t)(COH_MAX_LINE - 1);
	coh__api_check(count <= SIZE_MAX / stride, where, COH_EOVERFLOW,
		       "coh_ring_create: count x stride overflows");
	rc = coh__mem_alloc(&r->mem, dev, count * stride, 1,
			    align > COH_MAX_LINE ? align : COH_MAX_LINE, attrs,
			    COH_MEM_SHARED, where);
	if (rc)
		return rc;
	pick = r->mem.region;
	if (packed && !(dev->flags & COH_DEV_COHERENT) &&
	    !(pick->flags & (COH_REGION_UNCACHED | COH_REGION_WC))) {
		/* asked for uncached, got cached: packing would be a bug */
		coh__mem_free(&r->mem, where);
		coh__diag(where, "coh_ring_create: no uncached region for a packed ring", -COH_ENOMEM);
		return -COH_ENOMEM;
	}
	r->count = count;
	r->desc_size = size;
	r->stride = stride;
	r->own_off = own_off;
	r->own_bit = own_bit;
	return 0;
}

static inline uintptr_t coh__slot(const struct coh_ring *r, size_t i)
{
	return r->mem.cpu_ + i * r->stride;
}

/*
 * COH_TEST_MUTATE removes one piece of maintenance, to prove the simulator
 * notices (tests/typed): 1 ring release, 2 ring acquire, 3 accessor
 * release, 4 accessor acquire, 5 the ring's dma_wmb before the owner word
 * (uncached / coherent rings), 6 the reap's dma_rmb after it (uncached /
 * coherent rings).  Never set outside those tests.
 */
#if !defined(COH_TEST_MUTATE)
#define COH_TEST_MUTATE 0
#endif

/* maintenance of [a, a+n) if this ring needs it; a scheduling point */
static void coh__ring_release(const struct coh_ring *r, uintptr_t a, size_t n)
{
	if (!n || !(r->mem.state & COH_MEM_SYNC) || COH_TEST_MUTATE == 1)
		return;
	coh__field_release(&r->mem, a, n);
}

static void coh__ring_acquire(const struct coh_ring *r, uintptr_t a, size_t n)
{
	if (!n || !(r->mem.state & COH_MEM_SYNC) || COH_TEST_MUTATE == 2)
		return;
	coh__field_acquire(&r->mem, a, n);
}

int coh_ring_post_at(struct coh_ring *r, const void *desc,
		     const struct coh_where *where)
{
	uintptr_t s;
	uint32_t own;
	size_t line = coh__line_size();
	uintptr_t own_line;

	coh__api_check(r && desc && r->count, where, COH_EINVAL,
		       "coh_ring_post: NULL ring or descriptor, or ring not created");
	if (r->pending == r->count)
		return -COH_EAGAIN;
	s = coh__slot(r, r->head);
	__builtin_memcpy(&own, (const char *)desc + r->own_off, 4);
	/* every field but the owner word, as plain stores */
	coh_arch_store((const void *)s, r->desc_size, COH_HERE);
	__builtin_memcpy((void *)s, desc, r->own_off);
	__builtin_memcpy((void *)(s + r->own_off + 4), (const char *)desc + r->own_off + 4,
			 r->desc_size - r->own_off - 4);
	if (r->mem.state & COH_MEM_SYNC) {
		/* lines without the owner word reach the device first */
		own_line = (s + r->own_off) & ~(uintptr_t)(line - 1);
		if (own_line > s)
			coh__ring_release(r, s, own_line - s);
		if (own_line + line < s + r->desc_size)
			coh__ring_release(r, own_line + line, s + r->desc_size - own_line - line);
	} else {
		/* fields visible before the owner word (uncached / coherent) */
		if (COH_TEST_MUTATE != 5)
			coh_dma_wmb();
	}
	coh_arch_store((const void *)(s + r->own_off), 4, COH_HERE);
	*(volatile uint32_t *)(s + r->own_off) = own | r->own_bit;
	coh__ring_release(r, s + r->own_off, 4);
	r->head = (r->head + 1) % r->count;
	r->pending++;
	return (int)((r->head + r->count - 1) % r->count);
}

int coh_ring_reap_at(struct coh_ring *r, void *desc,
		     const struct coh_where *where)
{
	uintptr_t s;
	uint32_t own;
	int idx;

	coh__api_check(r && desc && r->count, where, COH_EINVAL,
		       "coh_ring_reap: NULL ring or descriptor, or ring not created");
	if (!r->pending)
		return -COH_EAGAIN;
	s = coh__slot(r, r->tail);
	coh__ring_acquire(r, s + r->own_off, 4);
	own = *(volatile uint32_t *)(s + r->own_off);
	coh_arch_load((const void *)(s + r->own_off), 4, &own, COH_HERE);
	if (own & r->own_bit)
		return -COH_EAGAIN;
	/* the owner word before the fields the device wrote before it */
	if (COH_TEST_MUTATE != 6 || (r->mem.state & COH_MEM_SYNC))
		coh_dma_rmb();
	coh__ring_acquire(r, s, r->desc_size);
	__builtin_memcpy(desc, (const void *)s, r->desc_size);
	coh_arch_load((const void *)s, r->desc_size, desc, COH_HERE);
	idx = (int)r->tail;
	r->tail = (r->tail + 1) % r->count;
	r->pending--;
	return idx;
}

int coh_ring_reset(struct coh_ring *r)
{
	if (!r || !r->count)
		return -COH_EINVAL;
	for (size_t i = 0; i < r->count; i++) {
		uintptr_t own = coh__slot(r, i) + r->own_off;

		coh_arch_store((const void *)own, 4, COH_HERE);
		*(volatile uint32_t *)own &= ~r->own_bit;
		coh__ring_release(r, own, 4);
	}
	r->head = r->tail = r->pending = 0;
	return 0;
}

int coh_ring_destroy_at(struct coh_ring *r, const struct coh_where *where)
{
	coh__api_check(r && r->count, where, COH_EINVAL, "coh_ring_destroy: not a ring");
	coh__api_check(!r->pending, where, COH_EBUSY,
		       "coh_ring_destroy: the device still owns posted descriptors");
	r->count = 0;
	return coh__mem_free(&r->mem, where);
}
