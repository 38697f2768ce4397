/* SPDX-License-Identifier: MIT */
/* src/stream_internal.h - private to stream.c and check.c. */
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

/*
 * The checker.  Debug builds: reports name both sides and the mapping's
 * file:line, count into dev->stats.reports, and a static table tracks live
 * mappings of every device for cache-line sharing.  Release builds: empty.
 */
#if COH_DEBUG
COH__HIDDEN void coh__chk_report(struct coh_device *dev,
				 const struct coh_where *where, int err,
				 const char *fmt, ...);
COH__HIDDEN void coh__chk_map(struct coh_device *dev,
			      const struct coh_map_rec *r);
COH__HIDDEN void coh__chk_unmap(struct coh_device *dev,
				const struct coh_map_rec *r);
COH__HIDDEN void coh__chk_mapping_error(struct coh_device *dev, coh_bus_t bus);
#else
static inline void coh__chk_report(struct coh_device *dev,
				   const struct coh_where *where, int err,
				   const char *fmt, ...)
{
	(void)dev;
	(void)where;
	(void)err;
	(void)fmt;
}
static inline void coh__chk_map(struct coh_device *dev,
				const struct coh_map_rec *r)
{
	(void)dev;
	(void)r;
}
static inline void coh__chk_unmap(struct coh_device *dev,
				  const struct coh_map_rec *r)
{
	(void)dev;
	(void)r;
}
static inline void coh__chk_mapping_error(struct coh_device *dev,
					  coh_bus_t bus)
{
	(void)dev;
	(void)bus;
}
#endif

/* For the checker: set flag on the live record for bus, if there is one. */
COH__HIDDEN void coh__rec_mark(struct coh_stream *s, coh_bus_t bus, uint32_t flag);

#endif
