/* SPDX-License-Identifier: MIT */
/*
 * src/stream_check.c - the streaming checker, an observer: the map worker
 * tells it of every mapping made, the unmap and sync workers ask it once
 * about the mapping a call names.
 *
 * Every build: a bounce slot's record is checked against the call (its
 * bounds guard memory the library owns).  Debug builds (COH_DEBUG) also
 * record every in-place mapping, so that a call naming a mapping that does
 * not exist, or with the wrong type, direction, length or range, is
 * reported with both sides and the mapping's file:line (what Linux's
 * kernel/dma/debug.c reports).  Two live mappings of one buffer share a
 * bus address: the record that matches what the caller names is the one
 * used, so neither disturbs the other.  A full record table never fails a
 * map: the mapping goes untracked and is reported once; while any is
 * untracked, an unknown in-place address is let through as release builds
 * do.  check.c holds the report formatter and the cross-device line table.
 */
#include "stream_internal.h"

static const char *const coh__what[] = { "unmapped", "synced", "synced" };

#if COH_DEBUG
void coh__chk_stream_map(struct coh_device *dev, struct coh_stream *s,
			 const struct coh_map_rec *m)
{
	if (!m->slot) {
		long ri = coh__rec_insert(s, m);

		if (ri < 0) {
			__atomic_fetch_add(&s->untracked, 1, __ATOMIC_RELAXED);
			coh__chk_report(dev, m->where, 0,
					"mapping records full (%z): %D mapping %x+%z made at %W is not checked",
					s->nrec, (int)m->dir, m->bus, m->len, m->where);
			return;
		}
		coh__rec_publish(s, (size_t)ri);
	}
	coh__chk_map(dev, m);
}
#endif

/* Debug: the checker's record of an in-place mapping; -1 if none. */
static long coh__chk_find(struct coh_stream *s, int kind,
			  const struct coh_map_rec *want, struct coh_map_rec *m)
{
#if COH_DEBUG
	return coh__rec_find(s, want->bus, want, kind != COH__UNMAP,
			     kind == COH__UNMAP, m);
#else
	(void)s;
	(void)kind;
	(void)want;
	(void)m;
	return -1;
#endif
}

int coh__chk_stream_use(struct coh_device *dev, struct coh_stream *s, int kind,
			const struct coh_map_rec *want, size_t off, bool pooled,
			long ri, struct coh_map_rec *m, int *soft,
			const struct coh_where *where)
{
	const char *to = kind == COH__SYNC_CPU ? " for the CPU" :
			 kind == COH__SYNC_DEV ? " for the device" : "";
	bool sg = want->flags & COH__REC_SG;

	if (!pooled) {
		ri = coh__chk_find(s, kind, want, m);
		if (ri < 0) {
			size_t lost = __atomic_load_n(&s->untracked, __ATOMIC_RELAXED);

			*m = *want;
			if (!COH_DEBUG)
				return 0;
			if (lost) {
				/* perhaps one the checker could not record: let it through */
				if (kind == COH__UNMAP)
					__atomic_fetch_sub(&s->untracked, 1, __ATOMIC_RELAXED);
				if (kind != COH__UNMAP)
					m->len = want->len;
				return 0;
			}
		}
	}
	if (ri < 0) {
		coh__chk_report(dev, where, -COH_EINVAL,
				"%s bus %x%s which is not mapped (never mapped, or already unmapped)",
				coh__what[kind], want->bus, to);
		return -COH_EINVAL;
	}
	if (kind == COH__UNMAP && !(m->flags & COH__REC_SG) != !sg) {
		/* refused: the mapping stays as it was */
		coh__rec_unclaim(s, (size_t)ri, m->st);
		coh__chk_report(dev, where, -COH_EINVAL,
				"unmapped bus %x as %s, mapped as %s at %W",
				want->bus, sg ? "scatter-gather" : "single",
				sg ? "single" : "scatter-gather", m->where);
		return -COH_EINVAL;
	}
	if (kind != COH__UNMAP && want->dir != m->dir) {
		coh__chk_report(dev, where, -COH_EINVAL,
				"synced bus %x%s %D, mapped %D at %W", want->bus, to,
				(int)want->dir, (int)m->dir, m->where);
		return -COH_EINVAL;
	}
	if (kind != COH__UNMAP && want->len > m->len) {
		coh__chk_report(dev, where, -COH_ERANGE,
				"synced bytes [%z, %z+%z) of bus %x%s, outside the mapping of %z bytes made at %W",
				off, off, want->len - off, want->bus, to, m->len, m->where);
		return -COH_ERANGE;
	}
	if (COH_DEBUG && !(m->flags & (COH__REC_CHECKED | COH__REC_NAGGED))) {
		uint32_t was = __atomic_fetch_or(&s->rec[ri].flags, COH__REC_NAGGED,
						 __ATOMIC_RELAXED);

		if (!(was & (COH__REC_CHECKED | COH__REC_NAGGED)))
			coh__chk_report(dev, where, -COH_EINVAL,
					"%s bus %x without checking the mapping with coh_mapping_error(); %D mapping of %z bytes made at %W",
					coh__what[kind], want->bus, (int)m->dir, m->len, m->where);
	}
	if (kind != COH__UNMAP)
		return 0;
	/* the mapping's own length and direction: the truth, whatever was passed */
	if (want->len != m->len) {
		coh__chk_report(dev, where, -COH_EINVAL,
				"unmapped bus %x with %z bytes, mapped with %z bytes at %W",
				want->bus, want->len, m->len, m->where);
		*soft = -COH_EINVAL;
	}
	if (want->dir != m->dir) {
		coh__chk_report(dev, where, -COH_EINVAL,
				"unmapped bus %x %D, mapped %D at %W", want->bus,
				(int)want->dir, (int)m->dir, m->where);
		*soft = -COH_EINVAL;
	}
	if (!pooled)
		coh__rec_free(s, (size_t)ri);	/* the checker's own record */
#if COH_DEBUG
	coh__chk_unmap(dev, m);
#endif
	return 0;
}
