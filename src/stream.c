/* SPDX-License-Identifier: MIT */
/*
 * src/stream.c - streaming DMA set-up: a device's records and bounce pool,
 * attach and teardown.  The map, sync and unmap paths are in stream_map.c
 * and stream_sg.c (src/stream_internal.h lists the files).
 */
#include "stream_internal.h"

const char *coh_dir_name(int dir)
{
	switch (dir) {
	case COH_BIDIRECTIONAL: return "BIDIRECTIONAL";
	case COH_TO_DEVICE: return "TO_DEVICE";
	case COH_FROM_DEVICE: return "FROM_DEVICE";
	default: return "INVALID_DIRECTION";
	}
}

int coh_stream_init(struct coh_stream *s, struct coh_map_rec *recs,
		    size_t nrecs, unsigned int flags)
{
	coh__api_check(s && recs, COH_HERE, COH_EINVAL,
		       "coh_stream_init: stream or records NULL");
	coh__api_check(coh_is_pow2(nrecs) && nrecs <= ((size_t)1 << 30), COH_HERE,
		       COH_EINVAL, "coh_stream_init: record count must be a power of two");
	coh__api_check(!(flags & ~COH_STREAM_FORCE_BOUNCE), COH_HERE, COH_EINVAL,
		       "coh_stream_init: unknown flags");
	__builtin_memset(s, 0, sizeof(*s));
	__builtin_memset(recs, 0, nrecs * sizeof(*recs));
	s->rec = recs;
	s->nrec = nrecs;
	s->flags = flags;
	return 0;
}

int coh_device_set_stream(struct coh_device *dev, struct coh_stream *s)
{
	struct coh_stream *old;

	coh__api_check(dev, COH_HERE, COH_EINVAL, "coh_device_set_stream: dev is NULL");
	old = dev->bounce;
	coh__api_check(!old || !coh_stream_live(old),
		       COH_HERE, COH_EBUSY,
		       "coh_device_set_stream: the current stream has live mappings");
	coh__api_check(!s || !s->b_ngran ||
			       coh_dma_reachable(dev, s->b_phys + dev->bus_offset,
						 s->b_ngran * s->b_gran),
		       COH_HERE, COH_ERANGE,
		       "coh_device_set_stream: bounce pool beyond the device's DMA mask");
	dev->bounce = s;
	return 0;
}

int coh_device_teardown_at(struct coh_device *dev, const struct coh_where *where)
{
	struct coh_stream *s;
	size_t live = 0;

	coh__api_check(dev, where, COH_EINVAL, "coh_device_teardown: dev is NULL");
	/* the backend (the simulator) checks what is still given, in every build */
	(void)coh_arch_op(COH_OP_TEARDOWN, dev, NULL, 0, -1, where);
	coh_arch_op_end(COH_OP_TEARDOWN);
	s = dev->bounce;
	if (!s)
		return 0;
	for (size_t i = 0; i < s->nrec; i++) {
		struct coh_map_rec r;
		bool busy;

		if (!coh__rec_peek(s, i, &r, &busy)) {
			live += busy;	/* being made or unmapped right now */
			continue;
		}
		live++;
		coh__chk_report(dev, where, -COH_EBUSY,
				"device torn down with a live %s%s mapping: bus %x, %z bytes %D, mapped at %W",
				(r.flags & COH__REC_SG) ? "scatter-gather" : "single",
				r.slot ? " bounced" : "", r.bus, r.len, (int)r.dir, r.where);
	}
	if (live)
		return -COH_EBUSY;
	dev->bounce = NULL;
	return 0;
}

