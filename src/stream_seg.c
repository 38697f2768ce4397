/* SPDX-License-Identifier: MIT */
/*
 * src/stream_seg.c - pieces of mapped ranges for descriptor tables (PRP
 * lists, ADMA2 and IDMAC descriptors): arithmetic on bus addresses only.
 */
#include "stream_internal.h"

static bool coh__pow2_or_0(uint64_t v)
{
	return !(v & (v - 1));
}

static int coh__seg_setup(struct coh_seg_iter *it, uint64_t page,
			  uint64_t boundary, size_t max_len)
{
	coh__api_check(it, COH_HERE, COH_EINVAL, "segment iterator: NULL");
	*it = (struct coh_seg_iter){ 0 };
	coh__api_check(coh__pow2_or_0(page) && coh__pow2_or_0(boundary), COH_HERE,
		       COH_EINVAL, "segment iterator: page or boundary not a power of two");
	it->page = page;
	it->boundary = boundary;
	it->max_len = max_len;
	return 0;
}

int coh_seg_iter_init(struct coh_seg_iter *it, const struct coh_sg *sg,
		      int nsegs, uint64_t page, uint64_t boundary,
		      size_t max_len)
{
	int rc = coh__seg_setup(it, page, boundary, max_len);

	if (rc)
		return rc;
	coh__api_check(nsegs >= 0 && (sg || !nsegs), COH_HERE, COH_EINVAL,
		       "segment iterator: bad list");
	it->sg = sg;
	it->n = nsegs;
	return 0;
}

int coh_seg_iter_init_one(struct coh_seg_iter *it, coh_bus_t bus, size_t len,
			  uint64_t page, uint64_t boundary, size_t max_len)
{
	int rc = coh__seg_setup(it, page, boundary, max_len);

	if (rc)
		return rc;
	it->bus = bus;
	it->left = len;
	return 0;
}

/* bytes from bus to the next multiple of a (a power of two), or max */
static size_t coh__to_cut(coh_bus_t bus, uint64_t a, size_t max)
{
	uint64_t room;

	if (!a)
		return max;
	room = a - (bus & (a - 1));
	return room < max ? (size_t)room : max;
}

bool coh_seg_next(struct coh_seg_iter *it, coh_bus_t *bus, size_t *len)
{
	size_t n;

	while (!it->left) {
		if (!it->sg || it->i >= it->n)
			return false;
		it->bus = it->sg[it->i].bus;
		it->left = it->sg[it->i].bus_len;
		it->i++;
	}
	n = it->left;
	if (it->max_len && n > it->max_len)
		n = it->max_len;
	n = coh__to_cut(it->bus, it->page, n);
	n = coh__to_cut(it->bus, it->boundary, n);
	*bus = it->bus;
	*len = n;
	it->bus += n;
	it->left -= n;
	return true;
}

size_t coh_seg_iter_count(const struct coh_seg_iter *it)
{
	struct coh_seg_iter c = *it;
	coh_bus_t b;
	size_t n = 0, l;

	while (coh_seg_next(&c, &b, &l))
		n++;
	return n;
}
