/* SPDX-License-Identifier: MIT */
/*
 * src/stream_map.c - map, sync and unmap of one buffer.
 *
 * In place (the buffer is reachable, aligned, and its edges are its own) a
 * mapping is what Linux's dma-direct makes it: the bus address is the
 * physical address plus the device's offset, the mask is checked and the
 * direction's maintenance done; nothing is recorded, and unmap and sync
 * find the buffer again from the bus address.  Only a bounced mapping is
 * remembered, by its slot (stream_rec.c), since its buffer cannot be found
 * from the address the device was given.  Debug builds also record
 * in-place mappings, for the checker alone.
 *
 * Each public entry is a shell: it validates what only it knows (the
 * stream, the attributes, the batch) and calls one worker.  The workers
 * assume a validated device and stream; the checker (stream_check.c) is
 * called once per operation, where the mapping is made or looked up.
 */
#include "stream_internal.h"

int coh__stream_of(struct coh_device *dev, struct coh_stream **sp,
		   const struct coh_where *where)
{
	coh__api_check(dev, where, COH_EINVAL, "streaming DMA: device is NULL");
	*sp = dev->bounce;
	coh__api_check(*sp, where, COH_EINVAL,
		       "streaming DMA: no struct coh_stream attached (coh_device_set_stream)");
	return 0;
}

/* ---- translation */

/*
 * Physical address of [p, p+len), which must be physically contiguous: one
 * region holding all of it is; otherwise every page it spans is translated.
 */
static inline int coh__buf_phys(uintptr_t p, size_t len, uint64_t *phys,
				const struct coh_where *where)
{
	struct coh_region *r = __atomic_load_n(&coh__regions, __ATOMIC_ACQUIRE);
	uintptr_t page, pg;
	int rc;

	for (; r; r = r->next)
		if (p - r->cpu < r->size)
			break;
	if (r && len <= r->size - (p - r->cpu)) {
		*phys = r->phys + (p - r->cpu);
		return 0;
	}
	rc = r ? coh_virt_to_phys((const void *)p, phys)
	       : coh_arch_virt_to_phys((const void *)p, phys);
	if (__builtin_expect(rc, 0)) {
		coh__diag(where, "streaming map: buffer address has no physical address", rc);
		return rc;
	}
	page = coh_arch_page_size();
	for (pg = (p & ~(page - 1)) + page; pg - p < len; pg += page) {
		uint64_t q;

		rc = coh__virt_to_phys((const void *)pg, &q);
		coh__api_check(!rc && q == *phys + (pg - p), where, COH_EINVAL,
			       "streaming map: buffer is not physically contiguous");
	}
	return 0;
}

/* The CPU address of an in-place mapping, from its bus address; 0 if none. */
static inline uintptr_t coh__bus_cpu(const struct coh_device *dev, coh_bus_t bus,
				     size_t len)
{
	uint64_t phys = bus - dev->bus_offset;

	for (struct coh_region *r = __atomic_load_n(&coh__regions, __ATOMIC_ACQUIRE);
	     r; r = r->next)
		if (phys - r->phys < r->size && len <= r->size - (phys - r->phys))
			return r->cpu + (uintptr_t)(phys - r->phys);
	return (uintptr_t)coh_arch_phys_to_virt(phys);
}

/* ---- maintenance by direction */

/* CPU -> device: TO_DEVICE cleans, the others clean and invalidate. */
static inline int coh__to_dev(struct coh_device *dev, uintptr_t p, size_t len,
			      int dir)
{
	if (dir == COH_TO_DEVICE)
		return coh__release_range(dev, p, p + len);
	return coh__flush_range(dev, p, p + len);
}

/* device -> CPU: invalidate again, unless the device only read. */
static inline int coh__to_cpu(struct coh_device *dev, uintptr_t p, size_t len,
			      int dir)
{
	if (dir == COH_TO_DEVICE)
		return 0;
	return coh__acquire_range(dev, p, p + len);
}

/*
 * Give [p, p+len): maintenance now with its own barrier, or (bt) its lines
 * into a driver's batch, completed by the batch's barrier.  On failure the
 * bytes are the CPU's again (what was begun is ended and taken back).
 */
static int coh__give_lines(struct coh_device *dev, struct coh_batch *bt,
			   uintptr_t p, size_t len, int dir,
			   const struct coh_where *where)
{
	int rc;

	if (bt)
		return coh__batch_add_checked(bt, dir == COH_TO_DEVICE ? COH__CLEAN : COH__FLUSH,
					      p, p + len, COH_OP_GIVE, dir, where);
	rc = coh_arch_op(COH_OP_GIVE, dev, (void *)p, len, dir, where);
	if (rc)
		return rc;
	rc = coh__to_dev(dev, p, len, dir);
	coh_arch_op_end(COH_OP_GIVE);
	if (rc && !coh_arch_op(COH_OP_TAKE, dev, (void *)p, len, dir, where))
		coh_arch_op_end(COH_OP_TAKE);
	return rc;
}

/* Take [p, p+len) back for the CPU: the invalidate unless skip; ended on every path. */
static int coh__take_lines(struct coh_device *dev, struct coh_batch *bt,
			   uintptr_t p, size_t len, int dir, bool skip,
			   const struct coh_where *where)
{
	int rc;

	if (bt && !skip && dir != COH_TO_DEVICE)
		return coh__batch_add_checked(bt, COH__ACQ, p, p + len,
					      COH_OP_TAKE, dir, where);
	rc = coh_arch_op(COH_OP_TAKE, dev, (void *)p, len, dir, where);
	if (rc)
		return rc;
	if (!skip)
		rc = coh__to_cpu(dev, p, len, dir);
	coh_arch_op_end(COH_OP_TAKE);
	return rc;
}

/*
 * Take slot bytes [off, off+len) back and copy what the device wrote to the
 * buffer (its own barrier first: the copy reads what the invalidate made
 * visible).  A failed invalidate copies nothing; the op is ended all the same.
 */
static int coh__take_slot(struct coh_device *dev, const struct coh_map_rec *m,
			  size_t off, size_t len, bool skip,
			  const struct coh_where *where)
{
	int rc = coh_arch_op(COH_OP_TAKE, dev, (void *)(m->slot + off), len, m->dir, where);

	if (rc)
		return rc;
	if (!skip) {
		rc = coh__to_cpu(dev, m->slot + off, len, m->dir);
		if (!rc && m->dir != COH_TO_DEVICE)
			coh__bounce_out(dev, m, off, len);
	}
	coh_arch_op_end(COH_OP_TAKE);
	return rc;
}

/* ---- map */

static int coh__map_in_place(struct coh_device *dev, uintptr_t p, size_t len,
			     int dir, bool skip, struct coh_batch *bt,
			     const struct coh_where *where)
{
	if (skip)
		return 0;	/* the CPU keeps it until coh_sync_for_device() */
	/* a new mapping: the backend (the simulator) checks for overlaps, in every build */
	(void)coh_arch_op(COH_OP_MAP, dev, (void *)p, len, dir, where);
	coh_arch_op_end(COH_OP_MAP);
	return coh__give_lines(dev, bt, p, len, dir, where);
}

/*
 * A slot, its record (BUSY until the slot is ready), the copy, the
 * maintenance.  *busp: the slot's bus address.
 */
static __attribute__((noinline)) int
coh__map_bounced(struct coh_device *dev, struct coh_stream *s, uintptr_t p,
		 size_t len, int dir, uint32_t rflags, struct coh_batch *bt,
		 const struct coh_where *where, coh_bus_t *busp)
{
	struct coh_map_rec m = { .cpu = p, .len = len, .where = where,
				 .dir = (uint8_t)dir, .flags = rflags };
	long ri;
	int rc = coh__bounce_alloc(s, dev, len, &m.slot, &m.ngran);

	if (rc)
		return rc;
	m.bus = coh__slot_bus(s, dev, m.slot);
	ri = coh__rec_insert(s, &m);
	if (ri < 0) {
		coh__bounce_free(s, m.slot, m.ngran);
		return -COH_ENOMEM;
	}
	/* tells the simulator's trace; no backend acts on it */
	(void)coh_arch_op(COH_OP_BOUNCE, dev, (void *)p, len, dir, where);
	coh_arch_op_end(COH_OP_BOUNCE);
	coh__bounce_in(dev, &m, 0, len);
	rc = coh__give_lines(dev, bt, m.slot, len, dir, where);
	if (rc) {
		coh__rec_free(s, (size_t)ri);
		coh__bounce_free(s, m.slot, m.ngran);
		return rc;
	}
	coh__stat_add(dev, bounces, 1);
	coh__rec_publish(s, (size_t)ri);
	coh__chk_stream_map(dev, s, &m);
	*busp = m.bus;
	return 0;
}

static __attribute__((noinline, cold)) int coh__map_failed(const struct coh_where *where, int rc)
{
	coh__diag(where, rc == -COH_ENOMEM ?
			  "streaming map: mapping records or bounce pool exhausted (retry later)" :
		  rc == -COH_ERANGE ?
			  "streaming map: needs a bounce slot the pool cannot give (no pool, or too large)" :
			  "streaming map: maintenance failed",
		  rc);
	return rc;
}

/* Debug: the checker's record of an in-place mapping. */
static void coh__map_observed(struct coh_device *dev, struct coh_stream *s,
			      uintptr_t p, size_t len, int dir, uint32_t rflags,
			      coh_bus_t bus, const struct coh_where *where)
{
	struct coh_map_rec m = { .bus = bus, .cpu = p, .len = len, .where = where,
				 .dir = (uint8_t)dir, .flags = rflags };

	coh__chk_stream_map(dev, s, &m);
}

static inline __attribute__((always_inline)) int
coh__map_inl(struct coh_device *dev, struct coh_stream *s, void *ptr, size_t len,
	     int dir, uint32_t rflags, bool skip, struct coh_batch *bt,
	     const struct coh_where *where, coh_bus_t *busp)
{
	uintptr_t p = (uintptr_t)ptr, end, lm;
	uint64_t phys;
	coh_bus_t bus = COH_BUS_ERROR;
	bool exact, bounce;
	int rc;

	rc = coh__check_range(dev, ptr, len, &end, where);
	if (rc)
		return rc;
	coh__api_check(len, where, COH_EINVAL, "streaming map of zero bytes");
	coh__api_check(COH__DIR_OK(dir), where, COH_EINVAL,
		       "streaming map: unknown direction");
	rc = coh__buf_phys(p, len, &phys, where);
	if (rc)
		return rc;
	bus = phys + dev->bus_offset;
	lm = coh__line_or_max() - 1;
	exact = !(p & lm) && !(end & lm);
	bounce = (s->flags & COH_STREAM_FORCE_BOUNCE) ||
		 !coh_dma_reachable(dev, bus, len) ||
		 (dev->min_align > 1 && (bus & (dev->min_align - 1))) ||
		 ((dev->flags & COH_DEV_UNTRUSTED) && !exact);
	if (__builtin_expect(!bounce && !exact, 0) && dir != COH_TO_DEVICE &&
	    !coh_device_is_coherent(dev)) {
		/* an edge line holds other data: a later invalidate could eat it */
		switch (dev->edge_policy) {
		case COH_EDGE_REFUSE:
			coh__api_check(0, where, COH_EINVAL,
				       "streaming map: buffer edges share cache lines (COH_EDGE_REFUSE)");
			break;
		case COH_EDGE_ALLOW:
			coh__stat_add(dev, reports, 1);
			coh__diag(where, "streaming map: buffer edges share cache lines, mapped in place (COH_EDGE_ALLOW)", 0);
			break;
		default:
			bounce = true;
			break;
		}
	}
	if (__builtin_expect(bounce, 0))
		rc = coh__map_bounced(dev, s, p, len, dir, rflags, bt, where, &bus);
	else
		rc = coh__map_in_place(dev, p, len, dir, skip, bt, where);
	if (rc)
		return coh__map_failed(where, rc);
	coh__stat_add(dev, maps, 1);
	/* debug: a coherent allocation is not freed while it is mapped */
	coh__own_give(ptr, len, where);
	if (COH_DEBUG && !bounce)
		coh__map_observed(dev, s, p, len, dir, rflags, bus, where);
	*busp = bus;
	return 0;
}

int coh__map(struct coh_device *dev, struct coh_stream *s, void *ptr, size_t len,
	     int dir, uint32_t rflags, bool skip, struct coh_batch *bt,
	     const struct coh_where *where, coh_bus_t *busp)
{
	return coh__map_inl(dev, s, ptr, len, dir, rflags, skip, bt, where, busp);
}

/* ---- unmap and sync: the mapping named by (bus, len, dir) */

static __attribute__((noinline, cold)) int coh__no_memory(const struct coh_where *where)
{
	coh__diag(where, "streaming unmap/sync: bus address is no memory the library knows",
		  -COH_EINVAL);
	return -COH_EINVAL;
}

/*
 * The mapping the caller names, when there is a record to consult: a
 * bounce slot's (claimed, for unmap), or the debug checker's; the checker
 * sees every such lookup and may refuse it.  In place, the buffer is found
 * from the bus address.  *ri: the record to free after the work, or -1.
 */
static int coh__resolve(struct coh_device *dev, struct coh_stream *s, int kind,
			const struct coh_map_rec *want, size_t off,
			struct coh_map_rec *m, long *ri, int *soft,
			const struct coh_where *where)
{
	bool pooled = coh__in_pool(s, dev, want->bus);
	uintptr_t c;
	int rc;

	*ri = pooled ? coh__rec_find(s, want->bus, want, kind != COH__UNMAP,
				     kind == COH__UNMAP, m)
		     : -1;
	rc = coh__chk_stream_use(dev, s, kind, want, off, pooled, *ri, m, soft, where);
	if (rc || pooled)
		return rc;
	c = coh__bus_cpu(dev, m->bus, m->len);
	if (!c)
		return coh__no_memory(where);
	coh__assert(!m->cpu || m->cpu == c);
	m->cpu = c;
	return 0;
}

/* Unmap of a bounced mapping, or any in debug builds (the checker's records). */
static __attribute__((noinline)) int
coh__unmap_recorded(struct coh_device *dev, struct coh_stream *s, coh_bus_t bus,
		    size_t len, int dir, uint32_t rflags, bool skip,
		    struct coh_batch *bt, const struct coh_where *where)
{
	struct coh_map_rec want = { .bus = bus, .len = len, .dir = (uint8_t)dir,
				    .flags = rflags }, m;
	long ri;
	int soft = 0, rc;

	rc = coh__resolve(dev, s, COH__UNMAP, &want, 0, &m, &ri, &soft, where);
	if (rc)
		return rc;
	if (m.slot) {
		/* a bounced copy-back needs its invalidate complete: never the batch's */
		rc = coh__take_slot(dev, &m, 0, m.len, skip, where);
		coh__rec_free(s, (size_t)ri);
		coh__bounce_free(s, m.slot, m.ngran);
	} else {
		rc = coh__take_lines(dev, bt, m.cpu, m.len, m.dir, skip, where);
	}
	coh__own_take((void *)m.cpu, m.len, where);
	return rc ? rc : soft;
}

static inline __attribute__((always_inline)) int
coh__unmap_inl(struct coh_device *dev, struct coh_stream *s, coh_bus_t bus,
	       size_t len, int dir, uint32_t rflags, bool skip,
	       struct coh_batch *bt, const struct coh_where *where)
{
	uintptr_t c;

	if (COH_DEBUG || coh__in_pool(s, dev, bus))
		return coh__unmap_recorded(dev, s, bus, len, dir, rflags, skip, bt, where);
	/* release, in place: as dma-direct, the caller's length and direction */
	coh__api_check(COH__DIR_OK(dir), where, COH_EINVAL, "streaming unmap: unknown direction");
	if (dir == COH_TO_DEVICE && !COH__OP_HOOK)
		return 0;	/* the device only read: nothing to take back */
	c = coh__bus_cpu(dev, bus, len);
	if (__builtin_expect(!c, 0))
		return coh__no_memory(where);
	return coh__take_lines(dev, bt, c, len, dir, skip, where);
}

int coh__unmap(struct coh_device *dev, struct coh_stream *s, coh_bus_t bus,
	       size_t len, int dir, uint32_t rflags, bool skip,
	       struct coh_batch *bt, const struct coh_where *where)
{
	return coh__unmap_inl(dev, s, bus, len, dir, rflags, skip, bt, where);
}

/* The work of a sync on the mapping *m (found and validated). */
static int coh__sync_work(struct coh_device *dev, const struct coh_map_rec *m,
			  size_t off, size_t len, int dir, int kind,
			  struct coh_batch *bt, const struct coh_where *where)
{
	if (kind == COH__SYNC_CPU) {
		if (m->slot)
			return coh__take_slot(dev, m, off, len, false, where);
		return coh__take_lines(dev, bt, m->cpu + off, len, dir, false, where);
	}
	if (m->slot) {
		/* the slot is the library's again while the buffer's bytes refill it */
		if (!coh_arch_op(COH_OP_TAKE, dev, (void *)(m->slot + off), len, dir, where))
			coh_arch_op_end(COH_OP_TAKE);
		coh__bounce_in(dev, m, off, len);
		return coh__give_lines(dev, bt, m->slot + off, len, dir, where);
	}
	return coh__give_lines(dev, bt, m->cpu + off, len, dir, where);
}

static __attribute__((noinline)) int
coh__sync_recorded(struct coh_device *dev, struct coh_stream *s, coh_bus_t bus,
		   size_t off, size_t len, int dir, int kind, struct coh_batch *bt,
		   const struct coh_where *where)
{
	struct coh_map_rec want = { .bus = bus, .len = off + len, .dir = (uint8_t)dir }, m;
	long ri;
	int soft = 0, rc;

	rc = coh__resolve(dev, s, kind, &want, off, &m, &ri, &soft, where);
	if (rc || !len)
		return rc;
	return coh__sync_work(dev, &m, off, len, dir, kind, bt, where);
}

static inline __attribute__((always_inline)) int
coh__sync_inl(struct coh_device *dev, struct coh_stream *s, coh_bus_t bus,
	      size_t off, size_t len, int dir, int kind, struct coh_batch *bt,
	      const struct coh_where *where)
{
	struct coh_map_rec m;

	if (__builtin_expect(off + len < off, 0)) {
		coh__diag(where, "streaming sync: off + len wraps", -COH_ERANGE);
		return -COH_ERANGE;
	}
	if (COH_DEBUG || coh__in_pool(s, dev, bus))
		return coh__sync_recorded(dev, s, bus, off, len, dir, kind, bt, where);
	/* release, in place: as dma-direct, the caller's word for the mapping */
	coh__api_check(COH__DIR_OK(dir), where, COH_EINVAL, "streaming sync: unknown direction");
	if (!len || (kind == COH__SYNC_CPU && dir == COH_TO_DEVICE && !COH__OP_HOOK))
		return 0;
	m.slot = 0;
	m.cpu = coh__bus_cpu(dev, bus, off + len);
	if (__builtin_expect(!m.cpu, 0))
		return coh__no_memory(where);
	return coh__sync_work(dev, &m, off, len, dir, kind, bt, where);
}

int coh__sync(struct coh_device *dev, struct coh_stream *s, coh_bus_t bus,
	      size_t off, size_t len, int dir, int kind, struct coh_batch *bt,
	      const struct coh_where *where)
{
	return coh__sync_inl(dev, s, bus, off, len, dir, kind, bt, where);
}

/* ---- the public single-buffer calls: shells */

#define COH__MAP_ATTRS COH_ATTR_SKIP_CPU_SYNC

coh_bus_t coh_map_single_attrs_at(struct coh_device *dev, void *ptr, size_t len,
				  enum coh_dir dir, unsigned int attrs,
				  const struct coh_where *where)
{
	struct coh_stream *s;
	coh_bus_t bus = COH_BUS_ERROR;

	if (coh__stream_of(dev, &s, where))
		return COH_BUS_ERROR;
	if (attrs & ~COH__MAP_ATTRS) {
		coh__diag(where, "streaming map: unknown attribute bits", -COH_EINVAL);
		return COH_BUS_ERROR;
	}
	if (coh__map_inl(dev, s, ptr, len, (int)dir, 0,
			 (attrs & COH_ATTR_SKIP_CPU_SYNC) != 0, NULL, where, &bus))
		return COH_BUS_ERROR;
	return bus;
}

/*
 * Release builds on a backend that watches nothing (no op hook): the
 * in-place case a driver's data path takes for every frame, checked and
 * maintained with no frame of its own; everything else (a bounce, an edge
 * to judge, a pool address, bad arguments, a buffer over several pages)
 * goes to the complete path, which checks it all again and reports.
 */
#if !COH_DEBUG && !COH__OP_HOOK
#define COH__QUICK 1
#else
#define COH__QUICK 0
#endif

static __attribute__((noinline)) coh_bus_t
coh__map_single_full(struct coh_device *dev, void *ptr, size_t len, int dir,
		     const struct coh_where *where)
{
	struct coh_stream *s;
	coh_bus_t bus = COH_BUS_ERROR;

	if (coh__stream_of(dev, &s, where) ||
	    coh__map_inl(dev, s, ptr, len, dir, 0, false, NULL, where, &bus))
		return COH_BUS_ERROR;
	return bus;
}

#if COH__QUICK
/* The maintenance of a quick map, and its count: the bus address or COH_BUS_ERROR. */
static __attribute__((noinline)) coh_bus_t
coh__map_give(struct coh_device *dev, uintptr_t p, size_t len, int dir,
	      coh_bus_t bus, const struct coh_where *where)
{
	int rc = coh__to_dev(dev, p, len, dir);

	if (__builtin_expect(rc, 0)) {
		(void)coh__map_failed(where, rc);
		return COH_BUS_ERROR;
	}
	coh__stat_add(dev, maps, 1);
	return bus;
}
#endif

coh_bus_t coh_map_single_at(struct coh_device *dev, void *ptr, size_t len,
			    enum coh_dir dir, const struct coh_where *where)
{
#if COH__QUICK
	uintptr_t p = (uintptr_t)ptr, page = coh_arch_page_size(), lm;
	struct coh_region *r;
	struct coh_stream *s;
	uint64_t phys;
	coh_bus_t bus;

	if (__builtin_expect(!dev || !(s = dev->bounce) || !p || len - 1 > UINTPTR_MAX - p ||
			     (unsigned int)dir > COH_FROM_DEVICE ||
			     (s->flags & COH_STREAM_FORCE_BOUNCE), 0))
		return coh__map_single_full(dev, ptr, len, (int)dir, where);
	for (r = __atomic_load_n(&coh__regions, __ATOMIC_ACQUIRE); r; r = r->next)
		if (p - r->cpu < r->size)
			break;
	if (r) {
		if (len > r->size - (p - r->cpu))
			return coh__map_single_full(dev, ptr, len, (int)dir, where);
		phys = r->phys + (p - r->cpu);
	} else if ((p & (page - 1)) + len > page || coh_arch_virt_to_phys(ptr, &phys)) {
		return coh__map_single_full(dev, ptr, len, (int)dir, where);
	}
	bus = phys + dev->bus_offset;
	lm = __atomic_load_n(&coh__line, __ATOMIC_RELAXED) - 1;	/* 0: unknown yet */
	if (lm == (uintptr_t)-1 || !coh_dma_reachable(dev, bus, len) ||
	    (dev->min_align > 1 && (bus & (dev->min_align - 1))) ||
	    (((p | (p + len)) & lm) &&
	     ((dev->flags & COH_DEV_UNTRUSTED) ||
	      (dir != COH_TO_DEVICE && !coh_device_is_coherent(dev)))))
		return coh__map_single_full(dev, ptr, len, (int)dir, where);
	return coh__map_give(dev, p, len, (int)dir, bus, where);
#else
	return coh__map_single_full(dev, ptr, len, (int)dir, where);
#endif
}

bool coh_mapping_error(struct coh_device *dev, coh_bus_t bus)
{
	if (bus == COH_BUS_ERROR)
		return true;
	coh__chk_mapping_error(dev, bus);
	return false;
}

int coh_unmap_single_attrs_at(struct coh_device *dev, coh_bus_t bus, size_t len,
			      enum coh_dir dir, unsigned int attrs,
			      const struct coh_where *where)
{
	struct coh_stream *s;
	int rc = coh__stream_of(dev, &s, where);

	if (rc)
		return rc;
	coh__api_check(!(attrs & ~COH__MAP_ATTRS), where, COH_EINVAL,
		       "streaming unmap: unknown attribute bits");
	return coh__unmap(dev, s, bus, len, (int)dir, 0,
			  (attrs & COH_ATTR_SKIP_CPU_SYNC) != 0, NULL, where);
}

static __attribute__((noinline)) int
coh__unmap_single_full(struct coh_device *dev, coh_bus_t bus, size_t len, int dir,
		       const struct coh_where *where)
{
	struct coh_stream *s;
	int rc = coh__stream_of(dev, &s, where);

	return rc ? rc : coh__unmap_inl(dev, s, bus, len, dir, 0, false, NULL, where);
}

#if COH__QUICK
/*
 * In place, for the CPU: as dma-direct, the buffer from the bus address;
 * 0 for the full path (no stream, a pool address, bad arguments).
 */
static inline uintptr_t coh__quick_cpu(struct coh_device *dev, coh_bus_t bus,
				       size_t len, int dir)
{
	struct coh_stream *s;

	if (__builtin_expect(!dev || !(s = dev->bounce) || (unsigned int)dir > COH_FROM_DEVICE ||
			     bus - (s->b_phys + dev->bus_offset) < s->b_bytes ||
			     !len || len - 1 > UINTPTR_MAX - bus, 0))
		return 0;
	return coh__bus_cpu(dev, bus, len);
}
#endif

int coh_unmap_single_at(struct coh_device *dev, coh_bus_t bus, size_t len,
			enum coh_dir dir, const struct coh_where *where)
{
#if COH__QUICK
	struct coh_stream *s;
	uintptr_t c;

	/* in place, the device only read: nothing to take back */
	if (dir == COH_TO_DEVICE && dev && (s = dev->bounce) &&
	    bus - (s->b_phys + dev->bus_offset) >= s->b_bytes)
		return 0;
	c = coh__quick_cpu(dev, bus, len, (int)dir);
	if (__builtin_expect(c != 0, 1))
		return coh__to_cpu(dev, c, len, (int)dir);
#endif
	return coh__unmap_single_full(dev, bus, len, (int)dir, where);
}

/* a driver's batch for dev: 0, -COH_EINVAL (reported), or its failure */
static int coh__batch_for(const struct coh_batch *b, const struct coh_device *dev,
			  const struct coh_where *where)
{
	coh__api_check(b, where, COH_EINVAL, "streaming map/unmap into a batch: NULL batch");
	coh__api_check(b->dev == dev, where, COH_EINVAL,
		       "streaming map/unmap into a batch of another device");
	return b->err;
}

coh_bus_t coh_map_single_batch_at(struct coh_batch *b, struct coh_device *dev,
				  void *ptr, size_t len, enum coh_dir dir,
				  const struct coh_where *where)
{
	struct coh_stream *s;
	coh_bus_t bus = COH_BUS_ERROR;

	if (coh__stream_of(dev, &s, where) || coh__batch_for(b, dev, where) ||
	    coh__map(dev, s, ptr, len, (int)dir, 0, false, b, where, &bus))
		return COH_BUS_ERROR;
	return bus;
}

int coh_unmap_single_batch_at(struct coh_batch *b, struct coh_device *dev,
			      coh_bus_t bus, size_t len, enum coh_dir dir,
			      const struct coh_where *where)
{
	struct coh_stream *s;
	int rc = coh__stream_of(dev, &s, where), bad;

	if (rc)
		return rc;
	/* an unusable batch: unmapped all the same, with a barrier of its own */
	bad = coh__batch_for(b, dev, where);
	rc = coh__unmap(dev, s, bus, len, (int)dir, 0, false, bad ? NULL : b, where);
	return rc ? rc : bad;
}

static __attribute__((noinline)) int
coh__sync_cpu_full(struct coh_device *dev, coh_bus_t bus, size_t off, size_t len,
		   int dir, const struct coh_where *where)
{
	struct coh_stream *s;
	int rc = coh__stream_of(dev, &s, where);

	return rc ? rc : coh__sync_inl(dev, s, bus, off, len, dir, COH__SYNC_CPU, NULL, where);
}

static __attribute__((noinline)) int
coh__sync_dev_full(struct coh_device *dev, coh_bus_t bus, size_t off, size_t len,
		   int dir, const struct coh_where *where)
{
	struct coh_stream *s;
	int rc = coh__stream_of(dev, &s, where);

	return rc ? rc : coh__sync_inl(dev, s, bus, off, len, dir, COH__SYNC_DEV, NULL, where);
}

int coh_sync_for_cpu_at(struct coh_device *dev, coh_bus_t bus, size_t off,
			size_t len, enum coh_dir dir,
			const struct coh_where *where)
{
#if COH__QUICK
	uintptr_t c = off + len >= off ? coh__quick_cpu(dev, bus, off + len, (int)dir) : 0;

	if (__builtin_expect(c != 0 && len, 1))
		return coh__to_cpu(dev, c + off, len, (int)dir);
#endif
	return coh__sync_cpu_full(dev, bus, off, len, (int)dir, where);
}

int coh_sync_for_device_at(struct coh_device *dev, coh_bus_t bus, size_t off,
			   size_t len, enum coh_dir dir,
			   const struct coh_where *where)
{
#if COH__QUICK
	uintptr_t c = off + len >= off ? coh__quick_cpu(dev, bus, off + len, (int)dir) : 0;

	if (__builtin_expect(c != 0 && len, 1))
		return coh__to_dev(dev, c + off, len, (int)dir);
#endif
	return coh__sync_dev_full(dev, bus, off, len, (int)dir, where);
}

int coh_sync_for_cpu_batch_at(struct coh_batch *b, struct coh_device *dev,
			      coh_bus_t bus, size_t off, size_t len,
			      enum coh_dir dir, const struct coh_where *where)
{
	struct coh_stream *s;
	int rc = coh__stream_of(dev, &s, where);

	if (!rc)
		rc = coh__batch_for(b, dev, where);
	return rc ? rc : coh__sync(dev, s, bus, off, len, (int)dir, COH__SYNC_CPU, b, where);
}

int coh_sync_for_device_batch_at(struct coh_batch *b, struct coh_device *dev,
				 coh_bus_t bus, size_t off, size_t len,
				 enum coh_dir dir, const struct coh_where *where)
{
	struct coh_stream *s;
	int rc = coh__stream_of(dev, &s, where);

	if (!rc)
		rc = coh__batch_for(b, dev, where);
	return rc ? rc : coh__sync(dev, s, bus, off, len, (int)dir, COH__SYNC_DEV, b, where);
}

/* ---- peer MMIO (another device's BAR): an address, nothing to maintain */

coh_bus_t coh_map_resource_at(struct coh_device *dev, uint64_t phys, size_t len,
			      enum coh_dir dir, const struct coh_where *where)
{
	coh_bus_t bus = COH_BUS_ERROR;

	if (!dev || !len || !COH__DIR_OK((int)dir) || len - 1 > UINT64_MAX - phys) {
		coh__diag(where, "streaming map_resource: NULL device, zero length, bad direction or wrap",
			  -COH_EINVAL);
		return COH_BUS_ERROR;
	}
	bus = phys + dev->bus_offset;
	if (!coh_dma_reachable(dev, bus, len)) {
		coh__diag(where, "streaming map_resource: beyond the device's DMA mask (MMIO cannot bounce)",
			  -COH_ERANGE);
		return COH_BUS_ERROR;
	}
	return bus;
}

int coh_unmap_resource_at(struct coh_device *dev, coh_bus_t bus, size_t len,
			  enum coh_dir dir, const struct coh_where *where)
{
	coh__api_check(dev && len && COH__DIR_OK((int)dir), where, COH_EINVAL,
		       "streaming unmap_resource: NULL device, zero length or bad direction");
	coh__api_check(coh_dma_reachable(dev, bus, len), where, COH_EINVAL,
		       "streaming unmap_resource: not an address map_resource gives this device");
	return 0;
}
