/* SPDX-License-Identifier: MIT */
/*
 * src/stream_sg.c - scatter-gather lists: every entry mapped as a single
 * buffer (stream_map.c), the device's segments built from the entries' bus
 * ranges: contiguous ones merged within max_seg_size and the segment
 * boundary; with COH_MAP_SG_SPLIT, an entry beyond those limits is cut at
 * them instead of refused (what a block layer's or a PRP/ADMA2 builder's
 * caller needs), as long as the segments fit the list.
 */
#include "stream_internal.h"

static bool coh__crosses(const struct coh_device *dev, coh_bus_t bus, size_t len)
{
	return ((bus ^ (bus + len - 1)) & ~dev->seg_boundary_mask) != 0;
}

/* an entry that only offers room for a segment (COH_MAP_SG_SPLIT) */
static bool coh__sg_spare(const struct coh_sg *e)
{
	return !e->ptr && !e->len;
}

static int coh__sg_args(struct coh_device *dev, struct coh_sg *sg, int nents,
			int dir, struct coh_stream **sp,
			const struct coh_where *where)
{
	int rc = coh__stream_of(dev, sp, where);

	if (rc)
		return rc;
	coh__api_check(sg, where, COH_EINVAL, "scatter-gather: list is NULL");
	coh__api_check(nents > 0, where, COH_EINVAL,
		       "scatter-gather: list has no entries");
	coh__api_check(COH__DIR_OK(dir), where, COH_EINVAL,
		       "scatter-gather: unknown direction");
	return 0;
}

/* Bytes of [b, b+len) that may start a segment: to the boundary and max_seg_size. */
static size_t coh__piece(const struct coh_device *dev, coh_bus_t b, size_t len)
{
	uint64_t room = (dev->seg_boundary_mask - (b & dev->seg_boundary_mask)) + 1;
	size_t n = len;

	if (room && room < n)
		n = (size_t)room;
	if (dev->max_seg_size && n > dev->max_seg_size)
		n = dev->max_seg_size;
	return n;
}

/* Append [b, b+len) to the segments sg[0..*k]: merged, or a new one; -COH_ERANGE when full. */
static int coh__sg_add(const struct coh_device *dev, struct coh_sg *sg, int nents,
		       int *k, coh_bus_t b, size_t len)
{
	if (*k >= 0 && sg[*k].bus + sg[*k].bus_len == b &&
	    (!dev->max_seg_size || sg[*k].bus_len + len <= dev->max_seg_size) &&
	    !coh__crosses(dev, sg[*k].bus, sg[*k].bus_len + len)) {
		sg[*k].bus_len += len;
		return 0;
	}
	if (*k + 1 >= nents)
		return -COH_ERANGE;
	++*k;
	sg[*k].bus = b;
	sg[*k].bus_len = len;
	return 0;
}

/* One mapped entry into the segments, whole or (split) in pieces. */
static int coh__sg_segments(struct coh_device *dev, struct coh_sg *sg, int nents,
			    int i, int *k, bool split, const struct coh_where *where)
{
	coh_bus_t b = sg[i].ent_bus;
	size_t len = sg[i].len;

	if (!split) {
		if (dev->max_seg_size && len > dev->max_seg_size) {
			coh__chk_report(dev, where, -COH_EINVAL,
					"scatter-gather entry %d of %z bytes exceeds the device's max_seg_size %z (mapped at %W)",
					i, len, dev->max_seg_size, where);
			return -COH_EINVAL;
		}
		if (coh__crosses(dev, b, len)) {
			coh__chk_report(dev, where, -COH_EINVAL,
					"scatter-gather entry %d [%x, +%z) crosses the device's segment boundary (seg_boundary_mask %x) (mapped at %W)",
					i, b, len, dev->seg_boundary_mask, where);
			return -COH_EINVAL;
		}
		return coh__sg_add(dev, sg, nents, k, b, len);
	}
	while (len) {
		size_t n = coh__piece(dev, b, len);
		int rc = coh__sg_add(dev, sg, nents, k, b, n);

		if (rc) {
			coh__diag(where, "scatter-gather: the split list needs more segments than it has entries",
				  rc);
			return rc;
		}
		b += n;
		len -= n;
	}
	return 0;
}

static void coh__sg_clear(struct coh_sg *sg, int from, int nents)
{
	for (int j = from; j < nents; j++) {
		sg[j].bus = COH_BUS_ERROR;
		sg[j].bus_len = 0;
	}
}

static int coh__map_sg(struct coh_device *dev, struct coh_stream *s,
		       struct coh_sg *sg, int nents, int dir, bool split,
		       const struct coh_where *where)
{
	struct coh_batch bt;
	int rc, i, k = -1;

	/* every entry's lines, then one barrier for the list */
	rc = coh__batch_begin(&bt, dev, 0, 0);
	if (rc)
		return rc;
	for (i = 0; i < nents; i++) {
		if (split && coh__sg_spare(&sg[i])) {
			sg[i].ent_bus = COH_BUS_ERROR;
			continue;
		}
		rc = coh__map(dev, s, sg[i].ptr, sg[i].len, dir,
			      COH__REC_SG | COH__REC_CHECKED, false, &bt, where,
			      &sg[i].ent_bus);
		if (rc)
			break;
		rc = coh__sg_segments(dev, sg, nents, i, &k, split, where);
		if (rc) {
			i++;	/* this entry is mapped: undone below */
			break;
		}
	}
	coh__batch_barrier(&bt);
	if (rc) {
		/* undo: the device was never told about any of it */
		for (int j = 0; j < i; j++)
			if (!(split && coh__sg_spare(&sg[j])))
				(void)coh__unmap(dev, s, sg[j].ent_bus, sg[j].len, dir,
						 COH__REC_SG, false, NULL, where);
		coh__sg_clear(sg, 0, nents);
		return rc;
	}
	coh__sg_clear(sg, k + 1, nents);
	return k + 1;
}

int coh_map_sg_attrs_at(struct coh_device *dev, struct coh_sg *sg, int nents,
			enum coh_dir dir, unsigned int attrs,
			const struct coh_where *where)
{
	struct coh_stream *s;
	int rc = coh__sg_args(dev, sg, nents, (int)dir, &s, where);

	if (rc)
		return rc;
	coh__api_check(!(attrs & ~COH_MAP_SG_SPLIT), where, COH_EINVAL,
		       "scatter-gather map: unknown attribute bits");
	return coh__map_sg(dev, s, sg, nents, (int)dir, (attrs & COH_MAP_SG_SPLIT) != 0,
			   where);
}

int coh_map_sg_at(struct coh_device *dev, struct coh_sg *sg, int nents,
		  enum coh_dir dir, const struct coh_where *where)
{
	struct coh_stream *s;
	int rc = coh__sg_args(dev, sg, nents, (int)dir, &s, where);

	return rc ? rc : coh__map_sg(dev, s, sg, nents, (int)dir, false, where);
}

int coh_unmap_sg_at(struct coh_device *dev, struct coh_sg *sg, int nents,
		    enum coh_dir dir, const struct coh_where *where)
{
	struct coh_stream *s;
	struct coh_batch bt;
	int rc = coh__sg_args(dev, sg, nents, (int)dir, &s, where);
	bool batch;

	if (rc)
		return rc;
	/* in-place entries: every invalidate, then one barrier (a bounced
	 * entry completes its own before its copy-back) */
	batch = !coh__batch_begin(&bt, dev, 0, 0);
	for (int i = 0; i < nents; i++) {
		int r;

		if (coh__sg_spare(&sg[i]))
			continue;
		r = coh__unmap(dev, s, sg[i].ent_bus, sg[i].len, (int)dir,
			       COH__REC_SG, false, batch ? &bt : NULL, where);
		if (r && !rc)
			rc = r;
	}
	if (batch)
		coh__batch_barrier(&bt);
	return rc;
}

static int coh__sync_sg(struct coh_device *dev, struct coh_sg *sg, int nents,
			int dir, int kind, const struct coh_where *where)
{
	struct coh_stream *s;
	struct coh_batch bt;
	int rc = coh__sg_args(dev, sg, nents, dir, &s, where);
	bool batch;

	if (rc)
		return rc;
	/* for the device: every entry's lines, then one barrier (for the CPU a
	 * bounced entry's copy needs its own completed first) */
	batch = kind == COH__SYNC_DEV && !coh__batch_begin(&bt, dev, 0, 0);
	for (int i = 0; i < nents; i++) {
		int r;

		if (coh__sg_spare(&sg[i]))
			continue;
		r = coh__sync(dev, s, sg[i].ent_bus, 0, sg[i].len, dir, kind,
			      batch ? &bt : NULL, where);
		if (r && !rc)
			rc = r;
	}
	if (batch)
		coh__batch_barrier(&bt);
	return rc;
}

int coh_sync_sg_for_cpu_at(struct coh_device *dev, struct coh_sg *sg,
			   int nents, enum coh_dir dir,
			   const struct coh_where *where)
{
	return coh__sync_sg(dev, sg, nents, (int)dir, COH__SYNC_CPU, where);
}

int coh_sync_sg_for_device_at(struct coh_device *dev, struct coh_sg *sg,
			      int nents, enum coh_dir dir,
			      const struct coh_where *where)
{
	return coh__sync_sg(dev, sg, nents, (int)dir, COH__SYNC_DEV, where);
}
