/* SPDX-License-Identifier: MIT */
/*
 * src/stream_bounce.c - the bounce pool: first fit from a moving hint over
 * a granule bitmap (under the stream's lock), and the copies.
 *
 * Transparency, as swiotlb since its info-leak fix: a slot always starts as
 * a copy of the buffer, whatever the direction, and every sync for the
 * device copies the bytes it gives back.  So bytes the device does not
 * write come back with the CPU's values, and the device never sees any
 * byte but the buffer's own (the rest of the slot's last line is zeroed).
 * The cost: FROM_DEVICE maps copy in as well as out.
 */
#include "stream_internal.h"

static void coh__gran_set(struct coh_stream *s, size_t g, size_t n, bool on)
{
	while (n) {
		size_t b = g % 64, k = 64 - b < n ? 64 - b : n;
		uint64_t m = (k == 64 ? ~(uint64_t)0 : (((uint64_t)1 << k) - 1)) << b;

		if (on)
			s->b_used[g / 64] |= m;
		else
			s->b_used[g / 64] &= ~m;
		g += k;
		n -= k;
	}
}

/* granules free from g on, up to n (stops at the first used one) */
static size_t coh__gran_run(const struct coh_stream *s, size_t g, size_t n)
{
	size_t run = 0;

	while (run < n) {
		uint64_t w = s->b_used[g / 64] >> (g % 64);
		size_t avail = 64 - g % 64, k;

		if (w) {
			k = (size_t)__builtin_ctzll(w);
			if (k < avail)
				return run + k < n ? run + k : n;
		}
		run += avail;
		g += avail;
	}
	return n;
}

static bool coh__slot_fits(const struct coh_device *dev, coh_bus_t bus,
			   size_t len)
{
	uint64_t bm = dev->seg_boundary_mask;

	if (!coh_dma_reachable(dev, bus, len))
		return false;
	if (dev->min_align > 1 && (bus & (dev->min_align - 1)))
		return false;
	/* within one boundary window when it can be (as swiotlb's slot search) */
	return len - 1 > bm || ((bus ^ (bus + len - 1)) & ~bm) == 0;
}

coh_bus_t coh__slot_bus(const struct coh_stream *s, const struct coh_device *dev,
			uintptr_t slot)
{
	return s->b_phys + (slot - s->b_cpu) + dev->bus_offset;
}

static int coh__bounce_alloc_locked(struct coh_stream *s,
				    const struct coh_device *dev, size_t len,
				    uintptr_t *slot, uint32_t *ngran)
{
	size_t n, g = s->b_hint, tried = 0;

	if (!s->b_ngran)
		return -COH_ERANGE;
	n = (len + s->b_gran - 1) / s->b_gran;
	if (n > s->b_ngran)
		return -COH_ERANGE;
	if (n > s->b_free)
		return -COH_ENOMEM;
	while (tried < s->b_ngran) {
		size_t k;

		if (g + n > s->b_ngran) {
			tried += s->b_ngran - g;
			g = 0;
			continue;
		}
		k = coh__gran_run(s, g, n);
		if (k == n && coh__slot_fits(dev, s->b_phys + dev->bus_offset +
						   g * s->b_gran, len)) {
			coh__gran_set(s, g, n, true);
			s->b_free -= n;
			s->b_hint = g + n < s->b_ngran ? g + n : 0;
			*slot = s->b_cpu + g * s->b_gran;
			*ngran = (uint32_t)n;
			return 0;
		}
		k = k < n ? k + 1 : 1;
		g += k;
		tried += k;
	}
	return -COH_ENOMEM;
}

int coh__bounce_alloc(struct coh_stream *s, const struct coh_device *dev,
		      size_t len, uintptr_t *slot, uint32_t *ngran)
{
	unsigned long irq = coh__lock(&s->lock);
	int rc = coh__bounce_alloc_locked(s, dev, len, slot, ngran);

	coh__unlock(&s->lock, irq);
	return rc;
}

void coh__bounce_free(struct coh_stream *s, uintptr_t slot, uint32_t n)
{
	size_t g = (slot - s->b_cpu) / s->b_gran;
	unsigned long irq = coh__lock(&s->lock);

	coh__gran_set(s, g, n, false);
	s->b_free += n;
	/* reuse the lowest free slot first: it is the one still in the cache */
	if (g < s->b_hint)
		s->b_hint = g;
	coh__unlock(&s->lock, irq);
}

void coh__bounce_in(struct coh_device *dev, const struct coh_map_rec *m,
		    size_t off, size_t len)
{
	__builtin_memcpy((void *)(m->slot + off), (const void *)(m->cpu + off), len);
	if (!off) {
		uintptr_t lm = coh__line_or_max() - 1;
		uintptr_t e = m->slot + m->len, le = ((e - 1) | lm) + 1;

		__builtin_memset((void *)e, 0, le - e);
	}
	coh__stat_add(dev, bounce_bytes, len);
}

void coh__bounce_out(struct coh_device *dev, const struct coh_map_rec *m,
		     size_t off, size_t len)
{
	__builtin_memcpy((void *)(m->cpu + off), (const void *)(m->slot + off), len);
	coh__stat_add(dev, bounce_bytes, len);
}

int coh_stream_bounce(struct coh_stream *s, void *cpu, uint64_t phys,
		      size_t size)
{
	uintptr_t c = (uintptr_t)cpu, a;
	size_t gran = COH_BOUNCE_GRANULE, skip;

	coh__api_check(s && cpu && size, COH_HERE, COH_EINVAL,
		       "coh_stream_bounce: NULL or empty pool");
	coh__api_check(!coh_stream_live(s), COH_HERE, COH_EINVAL,
		       "coh_stream_bounce: mappings are live");
	coh__api_check(((c ^ phys) & (COH_MAX_LINE - 1)) == 0, COH_HERE, COH_EINVAL,
		       "coh_stream_bounce: cpu and phys differ modulo COH_MAX_LINE");
	coh__api_check(size - 1 <= UINTPTR_MAX - c && size - 1 <= UINT64_MAX - phys,
		       COH_HERE, COH_EOVERFLOW, "coh_stream_bounce: pool wraps");
	a = (c + COH_MAX_LINE - 1) & ~(uintptr_t)(COH_MAX_LINE - 1);
	skip = a - c;
	coh__api_check(size > skip && size - skip >= gran, COH_HERE, COH_ENOMEM,
		       "coh_stream_bounce: pool holds no whole granule");
	while ((size - skip) / gran > COH_BOUNCE_MAX_GRANULES)
		gran *= 2;
	s->b_cpu = a;
	s->b_phys = phys + skip;
	s->b_gran = gran;
	s->b_ngran = (size - skip) / gran;
	s->b_bytes = s->b_ngran * gran;
	s->b_free = s->b_ngran;
	s->b_hint = 0;
	__builtin_memset(s->b_used, 0, sizeof(s->b_used));
	return 0;
}
