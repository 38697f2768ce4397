/* SPDX-License-Identifier: MIT */
/*
 * src/ring.c - the descriptor ring (coherent/ring.h).
 *
 * The memory is a typed handle's (coh_ring_attach()) or, for rings made
 * with coh_ring_create(), the ring's own; either way every access goes
 * through coh__ring_mem().  That the memory can be maintained at all is
 * checked once, when the ring is made: a post or reap checks only that
 * the line size in force still fits the layout and that the backend
 * accepts the lines it is about to touch, before anything is written.
 *
 * Every operation with maintenance is one or two passes of a maintenance
 * batch (src/fence.c): line operations, then one barrier.  The common
 * case - one slot, a descriptor within one line of a padded ring - is a
 * straight path: write, clean the line, barrier; or invalidate the line,
 * barrier, read.  Every diagnostic and simulator record names the
 * caller's `where`.
 */
#include "coherent/ring.h"
#include "internal.h"

#define COH__RING_FLAGS (COH_RING_BATCHED | COH_RING_PHASE | COH_RING_PHASE_INVERT)

static inline uintptr_t coh__slot(const struct coh_ring *r, size_t i)
{
	return coh__ring_mem(r)->cpu_ + i * r->stride;
}

static inline struct coh_device *coh__rdev(const struct coh_ring *r)
{
	return coh__ring_mem(r)->dev;
}

/* the fields every way of making a ring sets the same way */
static void coh__ring_init(struct coh_ring *r, size_t count, size_t size, size_t stride,
			   size_t own_off, uint32_t own_bit, unsigned int flags,
			   size_t line, size_t group)
{
	r->count = count;
	r->desc_size = size;
	r->stride = stride;
	r->own_off = own_off;
	r->own_bit = own_bit;
	r->flags = flags;
	r->line = line;
	r->group = line ? group : 1;
	r->one_line = line && (coh__slot(r, 0) & (line - 1)) == 0 && stride == line &&
		      size <= line;
	r->head = r->tail = r->pending = r->staged = 0;
	/* the owner bit's "device owns" value at lap 0 */
	r->head_phase = r->tail_phase = (flags & COH_RING_PHASE_INVERT) ? 0 : 1;
}

static int coh__ring_flags_ok(unsigned int flags, const struct coh_where *where)
{
	coh__api_check(!(flags & ~COH__RING_FLAGS) &&
			       (!(flags & COH_RING_PHASE_INVERT) || (flags & COH_RING_PHASE)),
		       where, COH_EINVAL, "coh_ring: unknown layout flags");
	return 0;
}

/* once per ring: the backend can maintain all of its memory */
static int coh__ring_maintainable(const struct coh_mem *m, const struct coh_where *where)
{
	struct coh_batch b;
	int rc = coh__batch_begin(&b, m->dev, m->cpu_, m->cpu_ + m->size);

	if (rc)
		coh__diag(where, "coh_ring: the ring's lines cannot be maintained", rc);
	return rc;
}

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
	rc = coh__ring_flags_ok(flags, where);
	if (rc)
		return rc;
	*r = (struct coh_ring){ .m = &r->mem };
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
	if (!(r->mem.state & COH_MEM_SYNC))
		line = 0;
	if (line && (rc = coh__ring_maintainable(&r->mem, where))) {
		coh__mem_free(&r->mem, where);
		return rc;
	}
	coh__ring_init(r, count, size, stride, own_off, own_bit, flags, line, group);
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

int coh_ring_attach_at(struct coh_ring *r, const struct coh_mem *m, size_t size,
		       size_t own_off, uint32_t own_bit, unsigned int flags,
		       const struct coh_where *where)
{
	size_t line = 0, group = 1;
	int rc;

	coh__api_check(r && m && own_bit && size && own_off + 4 <= size, where, COH_EINVAL,
		       "coh_ring_attach: bad argument");
	coh__api_check((m->state & COH_MEM_SHARED) && m->cpu_ && m->elem == size && m->count &&
			       !m->flex_esize,
		       where, COH_EINVAL, "coh_ring_attach: the handle is not allocated shared memory of T");
	rc = coh__ring_flags_ok(flags, where);
	if (rc)
		return rc;
	if (!COH_ASSUME_COHERENT && (m->state & COH_MEM_SYNC)) {
		line = coh__line_size();
		coh__api_check(line, where, COH_ENODEV, "coh_ring_attach: the cache line size is unknown");
		if (size % line) {
			coh__api_check(line % size == 0, where, COH_ENOTSUP,
				       "coh_ring_attach: T neither fills whole lines nor divides a line");
			coh__api_check(flags & COH_RING_BATCHED, where, COH_ENOTSUP,
				       "coh_ring_attach: several descriptors share a line: pad T to the line, or ask for COH_RING_BATCHED");
			group = line / size;
			coh__api_check(m->count % group == 0, where, COH_EINVAL,
				       "coh_ring_attach: batched ring: count is not a multiple of the descriptors per line");
		}
		rc = coh__ring_maintainable(m, where);
		if (rc)
			return rc;
	}
	*r = (struct coh_ring){ .m = m };
	coh__ring_init(r, m->count, size, size, own_off, own_bit, flags, line, group);
	return 0;
}

/* the owner word's value: the image's other bits, the owner bit as dev says */
static inline uint32_t coh__own_val(const struct coh_ring *r, uint32_t img,
				    bool dev, uint8_t phase)
{
	uint32_t devval = phase ? r->own_bit : 0;

	return (img & ~r->own_bit) | (dev ? devval : devval ^ r->own_bit);
}

/*
 * The descriptor's words but the owner word, in order; descriptors are
 * whole words.  16 bytes (DWMAC, xHCI TRBs, NVMe completions) is the
 * common size: a loop of known length the compiler unrolls.
 */
static inline void coh__copy_fields(size_t size, size_t own_off, uintptr_t s, const char *d)
{
	for (size_t o = 0; o < size; o += 4) {
		uint32_t w;

		if (o == own_off)
			continue;
		__builtin_memcpy(&w, d + o, 4);
		*(volatile uint32_t *)(s + o) = w;
	}
}

static void coh__write_fields(const struct coh_ring *r, uintptr_t s, const char *d,
			      const struct coh_where *where)
{
	coh_arch_store((const void *)s, r->desc_size, where);
	if (r->desc_size == 16)
		coh__copy_fields(16, r->own_off, s, d);
	else
		coh__copy_fields(r->desc_size, r->own_off, s, d);
}

static void coh__write_own(const struct coh_ring *r, uintptr_t s, uint32_t v,
			   const struct coh_where *where)
{
	coh_arch_store((const void *)(s + r->own_off), 4, where);
	*(volatile uint32_t *)(s + r->own_off) = v;
}

static inline uint32_t coh__img_own(const struct coh_ring *r, const char *d)
{
	uint32_t v;

	__builtin_memcpy(&v, d + r->own_off, 4);
	return v;
}

/* the one read of a device-written descriptor: the driver decodes the copy */
static inline void coh__copy_desc(size_t size, uintptr_t s, char *d)
{
	for (size_t o = 0; o < size; o += 4) {
		uint32_t w = *(volatile uint32_t *)(s + o);

		__builtin_memcpy(d + o, &w, 4);
	}
}

static void coh__read_desc(const struct coh_ring *r, uintptr_t s, char *d,
			   const struct coh_where *where)
{
	if (r->desc_size == 16)
		coh__copy_desc(16, s, d);
	else
		coh__copy_desc(r->desc_size, s, d);
	coh_arch_load((const void *)s, r->desc_size, d, where);
}

/*
 * A batch for lines [s, e) of the ring, or none (line 0) when it needs no
 * maintenance.  The ring's memory was found maintainable when it was
 * made; what can change since is the line size in force and a backend
 * refusing the lines (a controller gone): checked on the lines touched.
 */
static int coh__ring_begin(const struct coh_ring *r, struct coh_batch *b, uintptr_t s,
			   uintptr_t e, const struct coh_where *where)
{
	size_t line = r->line;
	int rc = 0;

	*b = (struct coh_batch){ .dev = coh__rdev(r), .line = line };
	if (!line)
		return 0;
	if (!COH_ARCH_CAN_MAINTAIN)
		rc = -COH_ENOTSUP;
	else if (coh__line_size() > line)
		rc = -COH_ENOTSUP;	/* lines now span slots laid out apart */
	else
		rc = coh_arch_range_check(s & ~((uintptr_t)line - 1),
					  ((e - 1) | ((uintptr_t)line - 1)) + 1);
	if (rc)
		coh__diag(where, "coh_ring: the ring's lines cannot be maintained", rc);
	return rc;
}

/* the whole ring's lines (posts and resets of several slots) */
static inline int coh__ring_begin_all(const struct coh_ring *r, struct coh_batch *b,
				      const struct coh_where *where)
{
	uintptr_t s = coh__slot(r, 0);

	return coh__ring_begin(r, b, s, s + r->count * r->stride, where);
}

/* A release (clean) of the lines of [s, e) into b. */
static int coh__ring_clean(struct coh_batch *b, uintptr_t s, uintptr_t e,
			   const struct coh_where *where)
{
	return coh__batch_add(b, COH__CLEAN, s, e, COH_OP_RELEASE, -1, where);
}

/* An acquire of the lines of [s, e) into b: the ring owns every byte of
 * its lines, so they are invalidated, never flushed. */
static int coh__ring_inval(struct coh_batch *b, uintptr_t s, uintptr_t e,
			   const struct coh_where *where)
{
	return coh__batch_add(b, COH__INVAL, s, e, COH_OP_ACQUIRE, -1, where);
}

/*
 * A batch of one line, straight: the op hook, the line operation and its
 * barrier (src/fence.c's range bodies), the op's end.  The one-slot paths
 * of padded one-line rings use it: the same operations and barrier as
 * coh__ring_clean() / coh__ring_inval() then coh__batch_barrier(), without
 * the batch's bookkeeping.  The line was checked by coh__ring_line_ok().
 */
static int coh__ring_line_op(const struct coh_ring *r, int op, uintptr_t s,
			     const struct coh_where *where)
{
	struct coh_device *dev = coh__rdev(r);
	int rc = coh_arch_op(op, dev, (const void *)s, r->line, -1, where);

	if (rc)
		return rc;
	rc = op == COH_OP_RELEASE ? coh__release_range(dev, s, s + r->line)
				  : coh__acquire_range(dev, s, s + r->line);
	coh_arch_op_end(op);
	return rc;
}

/* coh__ring_begin() for the one line at s of a padded one-line ring */
static inline int coh__ring_line_ok(const struct coh_ring *r, uintptr_t s,
				    const struct coh_where *where)
{
	int rc = 0;

	if (!COH_ARCH_CAN_MAINTAIN || coh__line_size() > r->line)
		rc = -COH_ENOTSUP;
	else
		rc = coh_arch_range_check(s, s + r->line);
	if (__builtin_expect(rc != 0, 0))
		coh__diag(where, "coh_ring: the ring's lines cannot be maintained", rc);
	return rc;
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

/* fields before the heads' owner words, in memory the device sees directly */
static inline void coh__ring_wmb(void)
{
	/* every field (and chain member) before the heads' owner words */
	coh_dma_wmb();
}

/* the owner word before the fields the device wrote before it */
static inline void coh__ring_rmb(void)
{
	/* the owner word before every other word of the descriptor */
	coh_dma_rmb();
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

		coh__write_fields(r, s, dk, where);
		if (!head)
			coh__write_own(r, s, coh__own_val(r, coh__img_own(r, dk), true, ph), where);
		if (!line)
			continue;
		coh__line_span(line, s, r->desc_size, &ls, &le);
		if (!head) {
			rc = rc ? rc : coh__ring_clean(b, ls, le, where);
			continue;
		}
		ol = (s + r->own_off) & ~((uintptr_t)line - 1);
		rc = rc ? rc : coh__ring_clean(b, ls, ol, where);
		rc = rc ? rc : coh__ring_clean(b, ol + line, le, where);
	}
	if (line)
		coh__batch_barrier(b);
	else
		coh__ring_wmb();
	i = r->head;
	ph = r->head_phase;
	for (size_t k = 0; k < (chain ? 1 : n); k++, coh__advance(r, &i, &ph)) {
		uintptr_t s = coh__slot(r, i);

		coh__write_own(r, s, coh__own_val(r, coh__img_own(r, d + k * r->desc_size), true, ph),
			       where);
		if (line) {
			ol = (s + r->own_off) & ~((uintptr_t)line - 1);
			rc = rc ? rc : coh__ring_clean(b, ol, ol + line, where);
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

		coh__write_fields(r, s, dk, where);
		coh__write_own(r, s, coh__own_val(r, coh__img_own(r, dk), false, ph), where);
		if (++r->staged == r->group) {
			uintptr_t g = s + r->stride - r->group * r->stride;

			for (size_t j = 0; j < r->group; j++) {
				uintptr_t o = g + j * r->stride + r->own_off;

				coh__write_own(r, o - r->own_off,
					       coh__own_val(r, *(volatile uint32_t *)o, true, ph), where);
			}
			rc = rc ? rc : coh__ring_clean(b, g, g + r->group * r->stride, where);
			r->staged = 0;
		}
		coh__advance(r, &i, &ph);
	}
	coh__batch_barrier(b);
	return rc;
}

/*
 * One slot of a padded ring whose descriptor is one line: the fields and
 * the owner word are stored (in that order, one line), the line cleaned,
 * one barrier - what a driver writes by hand.
 */
static int coh__post_one_line(struct coh_ring *r, const char *d, const struct coh_where *where)
{
	uintptr_t s = coh__slot(r, r->head);
	int rc = coh__ring_line_ok(r, s, where);

	if (rc)
		return rc;
	coh__write_fields(r, s, d, where);
	coh__write_own(r, s, coh__own_val(r, coh__img_own(r, d), true, r->head_phase), where);
	rc = coh__ring_line_op(r, COH_OP_RELEASE, s, where);
	coh__advance(r, &r->head, &r->head_phase);
	r->pending++;
	return rc;
}

static __attribute__((noinline)) int coh__post(struct coh_ring *r, const void *descs, size_t n, bool chain,
		     const struct coh_where *where)
{
	struct coh_batch b;
	size_t first;
	int rc;

	coh__api_check(r && descs && r->count, where, COH_EINVAL,
		       "coh_ring_post: NULL ring or descriptor, or ring not made");
	coh__api_check(n && n <= r->count, where, COH_EINVAL,
		       "coh_ring_post: an empty batch, or one larger than the ring");
	coh__api_check(!chain || r->group == 1, where, COH_ENOTSUP,
		       "coh_ring_post_chain: a batched ring hands its slots over a line at a time");
	first = r->head;
	if (n > coh_ring_space(r))
		return -COH_EAGAIN;
	rc = coh__ring_begin_all(r, &b, where);
	if (rc)
		return rc;
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
	size_t first;
	int rc;

	if (__builtin_expect(!r || !desc || !r->one_line, 0))
		return coh__post(r, desc, 1, false, where);
	if (r->pending == r->count)
		return -COH_EAGAIN;
	first = r->head;
	rc = coh__post_one_line(r, desc, where);
	return rc ? rc : (int)first;
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

int coh_ring_push_at(struct coh_ring *r, const struct coh_mem *m, const void *descs,
		     size_t n, unsigned int how, const struct coh_where *where)
{
	coh__api_check(r && r->count && m == coh__ring_mem(r) && !(how & ~COH_RING_CHAIN),
		       where, COH_EINVAL,
		       "coh_ring_push: not the handle the ring is attached to, or unknown flags");
	return coh__post(r, descs, n, how & COH_RING_CHAIN, where);
}

/* reap of a padded one-line ring's slot s: the line, then the owner word, then the rest */
static int coh__reap_one_line(struct coh_ring *r, uintptr_t s, char *desc,
			      const struct coh_where *where)
{
	uint32_t own;
	int rc = coh__ring_line_ok(r, s, where);

	/* the ring owns every byte of its lines: invalidated, never flushed */
	if (!rc)
		rc = coh__ring_line_op(r, COH_OP_ACQUIRE, s, where);
	if (rc)
		return rc;
	own = *(volatile uint32_t *)(s + r->own_off);
	coh_arch_load((const void *)(s + r->own_off), 4, &own, where);
	if ((own & r->own_bit) == (r->tail_phase ? r->own_bit : 0))
		return -COH_EAGAIN;
	coh__ring_rmb();
	coh__read_desc(r, s, desc, where);
	return 0;
}

/* every ring but a padded one-line one: 0, -COH_EAGAIN or the failure */
static __attribute__((noinline)) int coh__reap_slot(struct coh_ring *r, uintptr_t s, char *desc,
						    const struct coh_where *where)
{
	struct coh_batch b;
	uintptr_t ol = 0, ls = 0, le = 0;
	uint32_t own;
	int rc = coh__ring_begin(r, &b, s, s + r->desc_size, where);

	if (rc)
		return rc;
	if (b.line) {
		/* the ring owns every byte of its lines: invalidate, never flush */
		ol = (s + r->own_off) & ~((uintptr_t)b.line - 1);
		rc = coh__ring_inval(&b, ol, ol + b.line, where);
		/* the invalidate complete before the owner word is read */
		coh__batch_barrier(&b);
		if (rc)
			return rc;
	}
	own = *(volatile uint32_t *)(s + r->own_off);
	coh_arch_load((const void *)(s + r->own_off), 4, &own, where);
	if ((own & r->own_bit) == (r->tail_phase ? r->own_bit : 0))
		return -COH_EAGAIN;
	coh__ring_rmb();
	if (b.line)
		coh__line_span(b.line, s, r->desc_size, &ls, &le);
	if (b.line && (ls != ol || le != ol + b.line)) {
		/* the descriptor's other lines only: the owner's is fresh */
		rc = coh__ring_inval(&b, ls, ol, where);
		rc = rc ? rc : coh__ring_inval(&b, ol + b.line, le, where);
		/* those invalidates complete before the fields are read */
		coh__batch_barrier(&b);
		if (rc)
			return rc;
	}
	coh__read_desc(r, s, desc, where);
	return 0;
}

int coh_ring_reap_at(struct coh_ring *r, void *desc,
		     const struct coh_where *where)
{
	uintptr_t s;
	int idx, rc;

	coh__api_check(r && desc && r->count, where, COH_EINVAL,
		       "coh_ring_reap: NULL ring or descriptor, or ring not made");
	if (r->pending == r->staged)
		return -COH_EAGAIN;
	s = coh__slot(r, r->tail);
	rc = r->one_line ? coh__reap_one_line(r, s, desc, where)
			 : coh__reap_slot(r, s, desc, where);
	if (rc)
		return rc;
	idx = (int)r->tail;
	coh__advance(r, &r->tail, &r->tail_phase);
	r->pending--;
	return idx;
}

int coh_ring_pop_at(struct coh_ring *r, const struct coh_mem *m, void *desc,
		    const struct coh_where *where)
{
	coh__api_check(r && r->count && m == coh__ring_mem(r), where, COH_EINVAL,
		       "coh_ring_pop: not the handle the ring is attached to");
	return coh_ring_reap_at(r, desc, where);
}

int coh_ring_phase_at(const struct coh_ring *r, const struct coh_where *where)
{
	coh__api_check(r && r->count && (r->flags & COH_RING_PHASE), where, COH_EINVAL,
		       "coh_ring_phase: not a phase ring");
	return r->head_phase;
}

int (coh_ring_phase)(const struct coh_ring *r)
{
	return coh_ring_phase_at(r, NULL);
}

int coh_ring_reset_at(struct coh_ring *r, const struct coh_where *where)
{
	struct coh_batch b;
	uint8_t ph;
	int rc;

	coh__api_check(r && r->count, where, COH_EINVAL, "coh_ring_reset: not a ring");
	rc = coh__ring_begin_all(r, &b, where);
	if (rc)
		return rc;
	ph = (r->flags & COH_RING_PHASE_INVERT) ? 0 : 1;
	for (size_t i = 0; i < r->count; i++) {
		uintptr_t s = coh__slot(r, i), own = s + r->own_off;

		coh__write_own(r, s, coh__own_val(r, *(volatile uint32_t *)own, false, ph), where);
		if (b.line) {
			uintptr_t ol = own & ~((uintptr_t)b.line - 1);

			rc = rc ? rc : coh__ring_clean(&b, ol, ol + b.line, where);
		}
	}
	/* the CPU's owner values visible before the device is restarted */
	coh__batch_barrier(&b);
	r->head = r->tail = r->pending = r->staged = 0;
	r->head_phase = r->tail_phase = ph;
	return rc;
}

int (coh_ring_reset)(struct coh_ring *r)
{
	return coh_ring_reset_at(r, NULL);
}

int coh_ring_detach_at(struct coh_ring *r, const struct coh_where *where)
{
	coh__api_check(r && r->count && r->m != &r->mem, where, COH_EINVAL,
		       "coh_ring_detach: not a ring attached to a handle");
	coh__api_check(!r->pending, where, COH_EBUSY,
		       "coh_ring_detach: the device still owns posted descriptors");
	*r = (struct coh_ring){ 0 };
	return 0;
}

int coh_ring_destroy_at(struct coh_ring *r, const struct coh_where *where)
{
	coh__api_check(r && r->count && r->m == &r->mem, where, COH_EINVAL,
		       "coh_ring_destroy: not a ring made by coh_ring_create (attached rings: coh_ring_detach)");
	coh__api_check(!r->pending, where, COH_EBUSY,
		       "coh_ring_destroy: the device still owns posted descriptors");
	r->count = 0;
	return coh__mem_free(&r->mem, where);
}
