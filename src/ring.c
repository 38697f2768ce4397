/* SPDX-License-Identifier: MIT */
/*
 * src/ring.c - the descriptor ring (coherent/ring.h).
 *
 * Every operation with maintenance is one or two passes of a maintenance
 * batch (src/fence.c): line operations, then one barrier.  The batch is
 * begun over the whole ring first, so a backend that cannot maintain it
 * fails the call before a descriptor is written.
 */
#include "coherent/ring.h"
#include "internal.h"

/*
 * COH_TEST_MUTATE removes one piece of maintenance, to prove the simulator
 * notices (tests/typed): 1 every ring release, 2 every ring acquire,
 * 3 accessor release, 4 accessor acquire (src/mem.c), 5 the ring's dma_wmb
 * before the owner word (uncached / coherent rings), 6 the reap's dma_rmb
 * after it (uncached / coherent rings), 7 the post's release of the lines
 * without the head's owner word (fields; whole non-head chain members),
 * 8 the post's release of the owner word's line, 9 the reap's acquire of
 * the owner word's line, 10 the reap's acquire of the descriptor's other
 * lines.  Never set outside those tests.
 */
#if !defined(COH_TEST_MUTATE)
#define COH_TEST_MUTATE 0
#endif

#define COH__RING_FLAGS (COH_RING_BATCHED | COH_RING_PHASE | COH_RING_PHASE_INVERT)

int coh_ring_create_layout_at(struct coh_ring *r, struct coh_device *dev,
			      size_t count, size_t size, size_t align,
			      size_t own_off, uint32_t own_bit,
			      unsigned int attrs,
			      const struct coh_ring_layout *layout,
			      const struct coh_where *where)
{
	static const struct coh_ring_layout any = { COH_RING_ANY_SKIP, 1, 0 };
	size_t stride, line = 0, group = 1, unit, skip;
	unsigned int flags;
	bool packed;
	struct coh_region *pick;
	int rc;

	coh__api_check(r && dev && count && own_bit && size && own_off + 4 <= size,
		       where, COH_EINVAL, "coh_ring_create: bad argument");
	coh__api_check(coh_is_pow2(align), where, COH_EINVAL,
		       "coh_ring_create: alignment not a power of two");
	if (!layout)
		layout = &any;
	flags = layout->flags;
	coh__api_check(!(flags & ~COH__RING_FLAGS) &&
			       (!(flags & COH_RING_PHASE_INVERT) || (flags & COH_RING_PHASE)),
		       where, COH_EINVAL, "coh_ring_create: unknown layout flags");
	*r = (struct coh_ring){ 0 };
	/* packed only where no maintenance will be done */
	packed = (dev->flags & COH_DEV_COHERENT) || (attrs & COH_ATTR_UNCACHED);
	stride = (size + align - 1) & ~(align - 1);
	if (!packed) {
		line = coh_cache_line_size();
		coh__api_check(line, where, COH_ENODEV,
			       "coh_ring_create: the cache line size is unknown");
		if (flags & COH_RING_BATCHED) {
			coh__api_check(line % stride == 0 || stride % line == 0, where, COH_ENOTSUP,
				       "coh_ring_create: batched ring: the stride neither divides nor is a multiple of the line size");
			group = stride < line ? line / stride : 1;
			coh__api_check(count % group == 0, where, COH_EINVAL,
				       "coh_ring_create: batched ring: count is not a multiple of the descriptors per line");
		} else {
			/* each descriptor alone in its lines, as the line size in force needs */
			stride = (size + line - 1) & ~(line - 1);
		}
	}
	unit = layout->skip_unit ? layout->skip_unit : 1;
	skip = stride - size;
	coh__api_check(skip <= layout->max_skip && skip % unit == 0, where, COH_ENOTSUP,
		       "coh_ring_create: the device cannot skip the gap this layout needs between descriptors (stride - size): use COH_RING_BATCHED or uncached memory");
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
	r->flags = flags;
	r->line = (r->mem.state & COH_MEM_SYNC) ? line : 0;
	r->group = r->line ? group : 1;
	/* the owner bit's "device owns" value at lap 0 */
	r->head_phase = r->tail_phase = (flags & COH_RING_PHASE_INVERT) ? 0 : 1;
	return 0;
}

int coh_ring_create_at(struct coh_ring *r, struct coh_device *dev, size_t count,
		       size_t size, size_t align, size_t own_off,
		       uint32_t own_bit, unsigned int attrs,
		       const struct coh_where *where)
{
	return coh_ring_create_layout_at(r, dev, count, size, align, own_off,
					 own_bit, attrs, NULL, where);
}

static inline uintptr_t coh__slot(const struct coh_ring *r, size_t i)
{
	return r->mem.cpu_ + i * r->stride;
}

/* the owner word's value: the image's other bits, the owner bit as dev says */
static inline uint32_t coh__own_val(const struct coh_ring *r, uint32_t img,
				    bool dev, uint8_t phase)
{
	uint32_t devval = phase ? r->own_bit : 0;

	return (img & ~r->own_bit) | (dev ? devval : devval ^ r->own_bit);
}

static void coh__write_fields(const struct coh_ring *r, uintptr_t s, const char *d)
{
	coh_arch_store((const void *)s, r->desc_size, COH_HERE);
	__builtin_memcpy((void *)s, d, r->own_off);
	__builtin_memcpy((void *)(s + r->own_off + 4), d + r->own_off + 4,
			 r->desc_size - r->own_off - 4);
}

static void coh__write_own(const struct coh_ring *r, uintptr_t s, uint32_t v)
{
	coh_arch_store((const void *)(s + r->own_off), 4, COH_HERE);
	*(volatile uint32_t *)(s + r->own_off) = v;
}

static inline uint32_t coh__img_own(const struct coh_ring *r, const char *d)
{
	uint32_t v;

	__builtin_memcpy(&v, d + r->own_off, 4);
	return v;
}

/* A batch over the whole ring, or none (line 0) when it needs no maintenance. */
static int coh__ring_begin(const struct coh_ring *r, struct coh_batch *b,
			   const struct coh_where *where)
{
	int rc;

	*b = (struct coh_batch){ .dev = r->mem.dev };
	if (!r->line)
		return 0;
	rc = coh__batch_begin(b, r->mem.dev, r->mem.cpu_,
			      r->mem.cpu_ + r->count * r->stride);
	if (!rc && b->line > r->line)
		rc = -COH_ENOTSUP;	/* lines now span slots laid out apart */
	if (rc)
		coh__diag(where, "ring: the ring's lines cannot be maintained", rc);
	return rc;
}

static int coh__ring_maint(struct coh_batch *b, int kind, uintptr_t s,
			   uintptr_t e, int mutant, const struct coh_where *where)
{
	if (COH_TEST_MUTATE == mutant || COH_TEST_MUTATE == (kind == COH__CLEAN ? 1 : 2))
		return 0;
	return coh__batch_add(b, kind, s, e,
			      kind == COH__CLEAN ? COH_OP_RELEASE : COH_OP_ACQUIRE, -1, where);
}

/* the lines of [s, s+n) rounded out: [*ls, *le) */
static inline void coh__line_span(size_t line, uintptr_t s, size_t n,
				  uintptr_t *ls, uintptr_t *le)
{
	uintptr_t m = (uintptr_t)line - 1;

	*ls = s & ~m;
	*le = ((s + n - 1) | m) + 1;
}

static inline void coh__advance(const struct coh_ring *r, size_t *i, uint8_t *phase)
{
	if (++*i == r->count) {
		*i = 0;
		if (r->flags & COH_RING_PHASE)
			*phase ^= 1;
	}
}

/*
 * Padded and packed rings.  Pass 1: the fields of every slot, and the
 * owner words of chain members other than the head (the device reaches
 * them only through the head); their lines are released, then one barrier
 * (uncached / coherent: a dma_wmb).  Pass 2: the heads' owner words (every
 * slot of a post_n, the first of a chain) and their lines, one barrier.
 * A one-line descriptor has nothing to release in pass 1: a post_n of
 * such descriptors costs one line each and one barrier.
 */
static int coh__post_slots(struct coh_ring *r, struct coh_batch *b,
			   const char *d, size_t n, bool chain,
			   const struct coh_where *where)
{
	size_t line = b->line, i = r->head;
	uint8_t ph = r->head_phase;
	uintptr_t ls, le, ol = 0;
	int rc = 0;

	for (size_t k = 0; k < n; k++, coh__advance(r, &i, &ph)) {
		uintptr_t s = coh__slot(r, i);
		const char *dk = d + k * r->desc_size;
		bool head = !chain || k == 0;

		coh__write_fields(r, s, dk);
		if (!head)
			coh__write_own(r, s, coh__own_val(r, coh__img_own(r, dk), true, ph));
		if (!line)
			continue;
		coh__line_span(line, s, r->desc_size, &ls, &le);
		if (!head) {
			rc = rc ? rc : coh__ring_maint(b, COH__CLEAN, ls, le, 7, where);
			continue;
		}
		ol = (s + r->own_off) & ~((uintptr_t)line - 1);
		rc = rc ? rc : coh__ring_maint(b, COH__CLEAN, ls, ol, 7, where);
		rc = rc ? rc : coh__ring_maint(b, COH__CLEAN, ol + line, le, 7, where);
	}
	if (line)
		coh__batch_barrier(b);
	else if (COH_TEST_MUTATE != 5)
		coh_dma_wmb();	/* fields (and chain members) before the heads' owner words */
	i = r->head;
	ph = r->head_phase;
	for (size_t k = 0; k < (chain ? 1 : n); k++, coh__advance(r, &i, &ph)) {
		uintptr_t s = coh__slot(r, i);

		coh__write_own(r, s, coh__own_val(r, coh__img_own(r, d + k * r->desc_size), true, ph));
		if (line) {
			ol = (s + r->own_off) & ~((uintptr_t)line - 1);
			rc = rc ? rc : coh__ring_maint(b, COH__CLEAN, ol, ol + line, 8, where);
		}
	}
	/* the doorbell's ordered MMIO write orders uncached owner words */
	coh__batch_barrier(b);
	return rc;
}

/*
 * Batched rings (one-line descriptors, several to a line): a slot is
 * written with the CPU's owner value, so a line evicted early shows the
 * device nothing; when its group is complete, the owner words are set and
 * the group's lines released.  One barrier for every group completed.
 */
static int coh__post_batched(struct coh_ring *r, struct coh_batch *b,
			     const char *d, size_t n, const struct coh_where *where)
{
	size_t i = r->head;
	uint8_t ph = r->head_phase;
	int rc = 0;

	for (size_t k = 0; k < n; k++) {
		uintptr_t s = coh__slot(r, i);
		const char *dk = d + k * r->desc_size;

		coh__write_fields(r, s, dk);
		coh__write_own(r, s, coh__own_val(r, coh__img_own(r, dk), false, ph));
		if (++r->staged == r->group) {
			uintptr_t g = s + r->stride - r->group * r->stride;

			for (size_t j = 0; j < r->group; j++) {
				uintptr_t o = g + j * r->stride + r->own_off;

				coh__write_own(r, o - r->own_off,
					       coh__own_val(r, *(volatile uint32_t *)o, true, ph));
			}
			rc = rc ? rc : coh__ring_maint(b, COH__CLEAN, g, g + r->group * r->stride, 8, where);
			r->staged = 0;
		}
		coh__advance(r, &i, &ph);
	}
	coh__batch_barrier(b);
	return rc;
}

static int coh__post(struct coh_ring *r, const void *descs, size_t n, bool chain,
		     const struct coh_where *where)
{
	struct coh_batch b;
	size_t first;
	int rc;

	coh__api_check(r && descs && r->count, where, COH_EINVAL,
		       "coh_ring_post: NULL ring or descriptor, or ring not created");
	coh__api_check(n && n <= r->count, where, COH_EINVAL,
		       "coh_ring_post: an empty batch, or one larger than the ring");
	coh__api_check(!chain || r->group == 1, where, COH_ENOTSUP,
		       "coh_ring_post_chain: a batched ring hands its slots over a line at a time");
	if (n > coh_ring_space(r))
		return -COH_EAGAIN;
	rc = coh__ring_begin(r, &b, where);
	if (rc)
		return rc;
	first = r->head;
	if (r->group > 1)
		rc = coh__post_batched(r, &b, descs, n, where);
	else
		rc = coh__post_slots(r, &b, descs, n, chain, where);
	for (size_t k = 0; k < n; k++)
		coh__advance(r, &r->head, &r->head_phase);
	r->pending += n;
	return rc ? rc : (int)first;
}

int coh_ring_post_at(struct coh_ring *r, const void *desc,
		     const struct coh_where *where)
{
	return coh__post(r, desc, 1, false, where);
}

int coh_ring_post_n_at(struct coh_ring *r, const void *descs, size_t n,
		       const struct coh_where *where)
{
	return coh__post(r, descs, n, false, where);
}

int coh_ring_post_chain_at(struct coh_ring *r, const void *descs, size_t n,
			   const struct coh_where *where)
{
	return coh__post(r, descs, n, true, where);
}

int coh_ring_reap_at(struct coh_ring *r, void *desc,
		     const struct coh_where *where)
{
	struct coh_batch b;
	uintptr_t s, ol = 0, ls, le;
	uint32_t own;
	int idx, rc;

	coh__api_check(r && desc && r->count, where, COH_EINVAL,
		       "coh_ring_reap: NULL ring or descriptor, or ring not created");
	if (r->pending == r->staged)
		return -COH_EAGAIN;
	rc = coh__ring_begin(r, &b, where);
	if (rc)
		return rc;
	s = coh__slot(r, r->tail);
	if (b.line) {
		/* the ring owns every byte of its lines: invalidate, never flush */
		ol = (s + r->own_off) & ~((uintptr_t)b.line - 1);
		rc = coh__ring_maint(&b, COH__INVAL, ol, ol + b.line, 9, where);
		coh__batch_barrier(&b);
		if (rc)
			return rc;
	}
	own = *(volatile uint32_t *)(s + r->own_off);
	coh_arch_load((const void *)(s + r->own_off), 4, &own, COH_HERE);
	if ((own & r->own_bit) == (r->tail_phase ? r->own_bit : 0))
		return -COH_EAGAIN;
	/* the owner word before the fields the device wrote before it */
	if (COH_TEST_MUTATE != 6 || b.line)
		coh_dma_rmb();
	if (b.line) {
		/* the descriptor's other lines only: the owner's is fresh */
		coh__line_span(b.line, s, r->desc_size, &ls, &le);
		rc = coh__ring_maint(&b, COH__INVAL, ls, ol, 10, where);
		rc = rc ? rc : coh__ring_maint(&b, COH__INVAL, ol + b.line, le, 10, where);
		coh__batch_barrier(&b);
		if (rc)
			return rc;
	}
	__builtin_memcpy(desc, (const void *)s, r->desc_size);
	coh_arch_load((const void *)s, r->desc_size, desc, COH_HERE);
	idx = (int)r->tail;
	coh__advance(r, &r->tail, &r->tail_phase);
	r->pending--;
	return idx;
}

int coh_ring_phase(const struct coh_ring *r)
{
	coh__api_check(r && r->count && (r->flags & COH_RING_PHASE), COH_HERE, COH_EINVAL,
		       "coh_ring_phase: not a phase ring");
	return r->head_phase;
}

int coh_ring_reset(struct coh_ring *r)
{
	struct coh_batch b;
	uint8_t ph;
	int rc;

	if (!r || !r->count)
		return -COH_EINVAL;
	rc = coh__ring_begin(r, &b, COH_HERE);
	if (rc)
		return rc;
	ph = (r->flags & COH_RING_PHASE_INVERT) ? 0 : 1;
	for (size_t i = 0; i < r->count; i++) {
		uintptr_t s = coh__slot(r, i), own = s + r->own_off;

		coh__write_own(r, s, coh__own_val(r, *(volatile uint32_t *)own, false, ph));
		if (b.line) {
			uintptr_t ol = own & ~((uintptr_t)b.line - 1);

			rc = rc ? rc : coh__ring_maint(&b, COH__CLEAN, ol, ol + b.line, 8, COH_HERE);
		}
	}
	coh__batch_barrier(&b);
	r->head = r->tail = r->pending = r->staged = 0;
	r->head_phase = r->tail_phase = ph;
	return rc;
}

int coh_ring_destroy_at(struct coh_ring *r, const struct coh_where *where)
{
	coh__api_check(r && r->count, where, COH_EINVAL, "coh_ring_destroy: not a ring");
	coh__api_check(!r->pending, where, COH_EBUSY,
		       "coh_ring_destroy: the device still owns posted descriptors");
	r->count = 0;
	return coh__mem_free(&r->mem, where);
}
