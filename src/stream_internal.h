/* SPDX-License-Identifier: MIT */
/*
 * src/stream_internal.h - private to the streaming files:
 *   stream.c        set-up: records, attach, teardown
 *   stream_map.c    map, sync, unmap of one buffer (the public shells and workers)
 *   stream_sg.c     scatter-gather lists
 *   stream_seg.c    pieces of mapped ranges (descriptor tables)
 *   stream_bounce.c the bounce pool: slots, fill and copy back
 *   stream_rec.c    records: bounce slots (every build), the checker's (debug)
 *   stream_check.c  the checker, an observer of map, sync and unmap
 *   check.c         the report formatter and the cross-device line table
 */
#ifndef COHERENT_SRC_STREAM_INTERNAL_H
#define COHERENT_SRC_STREAM_INTERNAL_H

#include "internal.h"
#include "coherent/stream.h"
#include "coherent/region.h"

/* coh_map_rec.flags */
#define COH__REC_SG        (1u << 1)
#define COH__REC_CHECKED   (1u << 2) /* coh_mapping_error() saw it */
#define COH__REC_NAGGED    (1u << 3) /* missing check already reported */

/* The line size edges and sharing are judged by; the largest when unknown. */
static inline size_t coh__line_or_max(void)
{
	size_t l = coh__line_size();

	return l ? l : COH_MAX_LINE;
}

#define COH__DIR_OK(dir)                                                       \
	((dir) == COH_TO_DEVICE || (dir) == COH_FROM_DEVICE ||                 \
	 (dir) == COH_BIDIRECTIONAL)

/* The platform's page, for physical contiguity (config.h, COH_PAGE_SIZE). */
#ifndef coh_arch_page_size
static inline size_t coh_arch_page_size(void)
{
	return COH_PAGE_SIZE;
}
#endif

/* Physical to CPU address outside regions (config.h, COH_PHYS_TO_VIRT). */
#ifndef coh_arch_phys_to_virt
static inline void *coh_arch_phys_to_virt(uint64_t pa)
{
	return COH_PHYS_TO_VIRT(pa);
}
#endif

/*
 * The backend watches ownership (the simulator): every TAKE must name the
 * bytes, even where no maintenance needs them.
 */
#if defined(coh_arch_op)
#define COH__OP_HOOK 1
#else
#define COH__OP_HOOK 0
#endif

enum { COH__UNMAP, COH__SYNC_CPU, COH__SYNC_DEV };

/* ---- records (stream_rec.c) */

/*
 * Index of the LIVE record for bus that best matches what the caller names
 * (want: len, dir, flags & COH__REC_SG; len_inside: want->len is the end
 * of a sync, inside the mapping, not its length), its snapshot in *r, or -1.
 * take: also claim it (LIVE -> BUSY), for unmap.
 */
COH__HIDDEN long coh__rec_find(struct coh_stream *s, coh_bus_t bus,
			       const struct coh_map_rec *want, bool len_inside,
			       bool take, struct coh_map_rec *r);
/* Claim a free record and fill it (BUSY, invisible): its index or -1. */
COH__HIDDEN long coh__rec_insert(struct coh_stream *s, const struct coh_map_rec *r);
/* BUSY -> LIVE: lookups find it from now on. */
COH__HIDDEN void coh__rec_publish(struct coh_stream *s, size_t i);
/* BUSY -> FREE. */
COH__HIDDEN void coh__rec_free(struct coh_stream *s, size_t i);
/* BUSY -> LIVE again, as it was (st: the word it was claimed under). */
COH__HIDDEN void coh__rec_unclaim(struct coh_stream *s, size_t i, uint32_t st);
/* Set flag on every live record for bus (the checker's marks). */
COH__HIDDEN void coh__rec_mark(struct coh_stream *s, coh_bus_t bus, uint32_t flag);
/* Snapshot of record i if LIVE (for teardown): true and *r. */
COH__HIDDEN bool coh__rec_peek(const struct coh_stream *s, size_t i,
			       struct coh_map_rec *r, bool *busy);

/* ---- bounce pool (stream_bounce.c) */

/* Is [bus, bus+1) in the device's view of the pool? */
static inline bool coh__in_pool(const struct coh_stream *s,
				const struct coh_device *dev, coh_bus_t bus)
{
	return bus - (s->b_phys + dev->bus_offset) < s->b_bytes;
}

/* A slot for len bytes (locked inside): 0, -COH_ENOMEM (retry), -COH_ERANGE. */
COH__HIDDEN int coh__bounce_alloc(struct coh_stream *s, const struct coh_device *dev,
				  size_t len, uintptr_t *slot, uint32_t *ngran);
COH__HIDDEN void coh__bounce_free(struct coh_stream *s, uintptr_t slot, uint32_t n);
COH__HIDDEN coh_bus_t coh__slot_bus(const struct coh_stream *s,
				    const struct coh_device *dev, uintptr_t slot);
/* The slot's bytes [off, off+len) from the buffer; off 0 also zeroes the
 * rest of its last line (the device sees no other data). */
COH__HIDDEN void coh__bounce_in(struct coh_device *dev, const struct coh_map_rec *m,
				size_t off, size_t len);
/* The buffer's bytes [off, off+len) from the slot. */
COH__HIDDEN void coh__bounce_out(struct coh_device *dev, const struct coh_map_rec *m,
				 size_t off, size_t len);

/* ---- the checker (stream_check.c; debug builds, empty otherwise) */

#if COH_DEBUG
/* A map succeeded (*m as made): track it.  In place: a record of its own. */
COH__HIDDEN void coh__chk_stream_map(struct coh_device *dev, struct coh_stream *s,
				     const struct coh_map_rec *m);
/*
 * An unmap or sync names want (bus, len or off+len, dir, SG flag).
 * pooled: bus is a bounce slot's, whose record was looked up (ri, *m; for
 * unmap claimed); the checker validates it, in every build (the slot's
 * bounds guard memory).  Otherwise, debug builds only: the checker finds
 * its own record of the in-place mapping (unmap: and drops it).  Reports
 * every misuse; fills *m with the mapping's truth.  0, or the code that
 * refuses the call (nothing done, a claimed record given back); *soft: a
 * mismatch that does not refuse an unmap (it ends the mapping as made).
 */
COH__HIDDEN int coh__chk_stream_use(struct coh_device *dev, struct coh_stream *s,
				    int kind, const struct coh_map_rec *want,
				    size_t off, bool pooled, long ri,
				    struct coh_map_rec *m, int *soft,
				    const struct coh_where *where);
COH__HIDDEN void coh__chk_report(struct coh_device *dev,
				 const struct coh_where *where, int err,
				 const char *fmt, ...);
/* check.c: the cross-device table of mapped lines */
COH__HIDDEN void coh__chk_map(struct coh_device *dev,
			      const struct coh_map_rec *r);
COH__HIDDEN void coh__chk_unmap(struct coh_device *dev,
				const struct coh_map_rec *r);
COH__HIDDEN void coh__chk_mapping_error(struct coh_device *dev, coh_bus_t bus);
#else
static inline void coh__chk_stream_map(struct coh_device *dev, struct coh_stream *s,
				       const struct coh_map_rec *m)
{
	(void)dev;
	(void)s;
	(void)m;
}
COH__HIDDEN int coh__chk_stream_use(struct coh_device *dev, struct coh_stream *s,
				    int kind, const struct coh_map_rec *want,
				    size_t off, bool pooled, long ri,
				    struct coh_map_rec *m, int *soft,
				    const struct coh_where *where);
static inline void coh__chk_report(struct coh_device *dev,
				   const struct coh_where *where, int err,
				   const char *fmt, ...)
{
	(void)dev;
	(void)where;
	(void)err;
	(void)fmt;
}
static inline void coh__chk_mapping_error(struct coh_device *dev,
					  coh_bus_t bus)
{
	(void)dev;
	(void)bus;
}
#endif

/* ---- shared by the map and scatter-gather files (stream_map.c) */

COH__HIDDEN int coh__stream_of(struct coh_device *dev, struct coh_stream **sp,
			       const struct coh_where *where);
/*
 * Map one buffer (validated dev and s): 0 and *busp, or a negative code with
 * nothing kept.  rflags: COH__REC_*; skip: COH_ATTR_SKIP_CPU_SYNC; bt: the
 * maintenance joins that batch.
 */
COH__HIDDEN int coh__map(struct coh_device *dev, struct coh_stream *s, void *ptr,
			 size_t len, int dir, uint32_t rflags, bool skip,
			 struct coh_batch *bt, const struct coh_where *where,
			 coh_bus_t *busp);
COH__HIDDEN int coh__unmap(struct coh_device *dev, struct coh_stream *s,
			   coh_bus_t bus, size_t len, int dir, uint32_t rflags,
			   bool skip, struct coh_batch *bt,
			   const struct coh_where *where);
COH__HIDDEN int coh__sync(struct coh_device *dev, struct coh_stream *s,
			  coh_bus_t bus, size_t off, size_t len, int dir,
			  int kind, struct coh_batch *bt,
			  const struct coh_where *where);

#endif
