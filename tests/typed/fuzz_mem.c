/* SPDX-License-Identifier: MIT */
/*
 * Random sequences of typed-memory calls, good and bad, against a model
 * (recording backend, ASan + UBSan): shared handles, boxes, device-only
 * memory and pools on two regions (below and above 4 GiB, the low one at a
 * physical address aligned only to 4 KiB in most seeds) for a 32-bit and a
 * 64-bit device, with and without placement constraints (alignments up to
 * 128 KiB, no-cross boundaries, whole pages; some impossible).  Checked
 * after every call: the return code, that every allocation is line-aligned
 * and on its requested alignment, crosses no requested boundary, is inside
 * a region, under its device's mask and overlaps no other live one, that accessors refuse out-of-bounds indices,
 * that dump follows file-read semantics, and that each allocation still
 * holds exactly what was written to it (nothing else wrote over it).  At
 * the end everything is freed and the regions are whole again.
 *
 * usage: typed_fuzz [seeds] [steps]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coherent/coherent.h"
#include "harness.h"

#define FUZZ_NAME "typed-fuzz"
#include "fuzz.h"

TH_DEFINE_COUNTERS;

#define RSZ (256u << 10)
#define LOW_PHYS 0x80000000ull		/* below 4 GiB */
#define HIGH_PHYS 0x200000000ull	/* above */
#define NH 40

static unsigned char rlow_mem[RSZ] __attribute__((aligned(4096)));
static unsigned char rhigh_mem[RSZ] __attribute__((aligned(4096)));
static struct coh_region rlow, rhigh;
static struct coh_device d32, d64;

enum kind { FREE_SLOT, SHARED, BOX, DEVMEM, POOL };

struct h {
	enum kind kind;
	struct coh_device *dev;
	COH_SHARED(uint32_t) s;		/* SHARED, BOX (shared at once) */
	struct coh_devmem dm;		/* DEVMEM */
	struct coh_pool pool;		/* POOL */
	void *blk[8];
	coh_bus_t blk_bus[8];
	uint32_t tag;			/* what its words hold */
	size_t align, boundary;		/* requested placement (0: none) */
};
static struct h hs[NH];

/* [cpu, cpu+size) of a live entry, for the overlap check */
static void span(const struct h *e, uintptr_t *s, size_t *n)
{
	const struct coh_mem *m = e->kind == DEVMEM ? &e->dm.m_ :
				  e->kind == POOL ? &e->pool.chunk : &e->s.m_;

	*s = m->cpu_;
	*n = m->size;
}

static int placed_ok(int i)
{
	const struct h *e = &hs[i];
	const struct coh_mem *m = e->kind == DEVMEM ? &e->dm.m_ :
				  e->kind == POOL ? &e->pool.chunk : &e->s.m_;
	uintptr_t s = m->cpu_;
	size_t n = m->size;
	coh_bus_t bus;

	bus = m->phys + e->dev->bus_offset;	/* a pool's chunk has no public bus */
	if (s % COH_MAX_LINE || bus % COH_MAX_LINE)
		return 0;
	if ((e->align && bus % e->align) ||
	    (e->boundary && ((bus ^ (bus + n - 1)) & ~(coh_bus_t)(e->boundary - 1))))
		return 0;
	if (!((s >= (uintptr_t)rlow_mem && s + n <= (uintptr_t)rlow_mem + RSZ) ||
	      (s >= (uintptr_t)rhigh_mem && s + n <= (uintptr_t)rhigh_mem + RSZ)))
		return 0;
	if (bus + n - 1 > e->dev->dma_mask)
		return 0;
	for (int j = 0; j < NH; j++) {
		uintptr_t t;
		size_t k;

		if (j == i || hs[j].kind == FREE_SLOT)
			continue;
		span(&hs[j], &t, &k);
		if (s < t + k && t < s + n)
			return 0;
	}
	return 1;
}

/* every word of a SHARED/BOX entry still holds its tag */
static int intact(const struct h *e)
{
	for (size_t k = 0; k < coh_count(&e->s); k++)
		if (coh_read(&e->s, [k]) != e->tag + (uint32_t)k)
			return 0;
	return 1;
}

static void fill(struct h *e)
{
	for (size_t k = 0; k < coh_count(&e->s); k++)
		coh_write(&e->s, [k], e->tag + (uint32_t)k);
}

static int run(uint64_t seed, int steps)
{
	size_t free_low, free_high;
	int step = 0, i = -1;
	unsigned long ok_allocs = 0;

	fuzz_seed(seed, 7);
	memset(hs, 0, sizeof(hs));
	if (coh_region_add(&rlow, rlow_mem, LOW_PHYS + 4096 * rnd(64), RSZ, 0) ||
	    coh_region_add(&rhigh, rhigh_mem, HIGH_PHYS, RSZ,
			   rnd(2) ? COH_REGION_UNCACHED : 0))
		return -1;
	free_low = coh_region_free_bytes(&rlow);
	free_high = coh_region_free_bytes(&rhigh);
	coh_device_init(&d32, "d32", 0);
	coh_device_init(&d64, "d64", rnd(2) ? COH_DEV_COHERENT : 0);
	d32.dma_mask = 0xFFFFFFFFull;
	d64.dma_mask = ~0ull;

	for (step = 0; step < steps; step++) {
		struct h *e;
		uint32_t op = rnd(100);

		i = (int)rnd(NH);
		e = &hs[i];
		if (e->kind == FREE_SLOT && op < 50) {
			unsigned int attrs = rnd(4) ? 0 : (rnd(2) ? COH_ATTR_UNCACHED : 1u << (8 + rnd(8)));
			size_t count = rnd(8) ? 1 + rnd(2000) : (rnd(2) ? 0 : SIZE_MAX / 2);
			int kind = (int)rnd(6), rc;
			/* placement: mostly good powers of two, some impossible */
			size_t align = rnd(3) ? (size_t)1 << rnd(18) : rnd(2) ? 0 : 3u << rnd(14);
			size_t boundary = rnd(2) ? 0 : rnd(6) ? (size_t)1 << (6 + rnd(12)) : 3000;
			int pow2 = (!align || !(align & (align - 1))) && !(boundary & (boundary - 1));

			size_t before = coh_region_free_bytes(&rlow) + coh_region_free_bytes(&rhigh);

			e->dev = rnd(2) ? &d32 : &d64;
			e->tag = (uint32_t)rnd(1u << 30);
			if (kind == 0) {
				rc = coh_alloc_shared(&e->s, e->dev, count, attrs);
			} else if (kind == 1) {
				COH_BOX(uint32_t) b;

				rc = coh_box_alloc(&b, e->dev, count, attrs);
				if (!rc) {
					FUZZ_EXPECT(coh_bus(&b) == COH_BUS_ERROR, "a box has a bus address");
					for (size_t k = 0; k < count; k++)
						coh_box_init_at(&b, k, e->tag + (uint32_t)k);
					FUZZ_EXPECT(coh_box_init_at(&b, count, 1u) == -COH_ERANGE,
					       "box init past the end accepted");
					rc = coh_box_share(&b, &e->s);
					FUZZ_EXPECT(rc == 0, "box share failed");
					FUZZ_EXPECT(!coh_box_ptr(&b) && coh_free(&b) == -COH_EINVAL,
						    "a shared box still usable");
				}
			} else if (kind == 2) {
				rc = coh_alloc_devmem(&e->dm, e->dev, count, attrs & ~COH_ATTR_UNCACHED);
			} else if (kind == 4) {
				struct coh_placement pl = { .align = align, .boundary = boundary };

				rc = coh_alloc_shared_placed(&e->s, e->dev, count, attrs, &pl);
				if (count == SIZE_MAX / 2) {
					FUZZ_EXPECT(rc == -COH_EOVERFLOW, "placed: overflow not refused with -EOVERFLOW");
				} else if (count && (!pow2 || (boundary && count * 4 > boundary))) {
					FUZZ_EXPECT(rc == -COH_EINVAL, "placed: impossible placement not refused with -EINVAL");
				} else if (!rc) {
					e->align = align;
					e->boundary = boundary;
				}
				count = rc ? count : coh_count(&e->s);
			} else if (kind == 5) {
				size_t np = 1 + rnd(3), page = align ? align : 4096;

				rc = coh_alloc_shared_pages(&e->s, e->dev, np, page, attrs);
				if (align & (align - 1) || page < 4) {
					FUZZ_EXPECT(rc == -COH_EINVAL, "pages: bad page size not refused with -EINVAL");
				} else if (!rc) {
					e->align = page;
					FUZZ_EXPECT(coh_size(&e->s) == np * page, "pages: wrong size");
				}
				count = rc ? 1 : coh_count(&e->s);
			} else {
				size_t blk = 16u << rnd(6);

				rc = coh_pool_create(&e->pool, e->dev, "fz", count ? blk : 0,
						     16u << rnd(3), rnd(2) ? 0 : 4096, 8);
			}
			if (kind >= 4) {
				/* placed and page allocations: codes checked above, and */
				FUZZ_EXPECT(rc == 0 || rc == -COH_EINVAL || rc == -COH_EOVERFLOW ||
					    rc == -COH_ENOMEM || rc == -COH_ERANGE,
					    "placed allocation: unexpected code");
				FUZZ_EXPECT(kind == 5 || !rc || rc == -COH_EINVAL || rc == -COH_EOVERFLOW || pow2,
					    "placed allocation: a non-power of two not refused with -EINVAL");
			} else if (kind == 3) {	/* a pool has no attributes; zero block size */
				FUZZ_EXPECT(count ? rc == 0 || rc == -COH_ENOMEM || rc == -COH_ERANGE :
					       rc == -COH_EINVAL, "pool create: wrong code");
			} else if (attrs & ~(unsigned)COH_ATTR_UNCACHED || !count ||
				   count == SIZE_MAX / 2) {
				/* refused: bad bits or zero size (-EINVAL), a size that
				 * overflows (-EOVERFLOW), or one no region holds */
				FUZZ_EXPECT(rc == -COH_EINVAL || rc == -COH_EOVERFLOW ||
				       (count == SIZE_MAX / 2 && (rc == -COH_ENOMEM || rc == -COH_ERANGE)),
				       "bad allocation: wrong code");
				FUZZ_EXPECT(rc != 0, "bad allocation accepted");
			} else {
				FUZZ_EXPECT(rc == 0 || rc == -COH_ENOMEM || rc == -COH_ERANGE,
				       "valid allocation: unexpected code");
			}
			if (rc) {
				/* a refused allocation keeps nothing */
				FUZZ_EXPECT(coh_region_free_bytes(&rlow) + coh_region_free_bytes(&rhigh) == before,
				       "a failed allocation kept memory");
				memset(e, 0, sizeof(*e));
				continue;
			}
			ok_allocs++;
			e->kind = kind == 0 || kind >= 4 ? SHARED : kind == 1 ? BOX : kind == 2 ? DEVMEM : POOL;
			FUZZ_EXPECT(placed_ok(i), "allocation misplaced (alignment, region, mask or overlap)");
			if (e->kind == SHARED) {
				FUZZ_EXPECT(coh_read(&e->s, [count - 1]) == 0, "not zeroed");
				fill(e);
			}
		} else if (e->kind == SHARED || e->kind == BOX) {
			size_t n = coh_count(&e->s);
			uint32_t v;
			unsigned char buf[64];

			if (op < 30) {
				FUZZ_EXPECT(intact(e), "contents changed behind the handle's back");
				FUZZ_EXPECT(coh_try_write(&e->s, [n + rnd(4)], 5u) == -COH_ERANGE,
				       "write past the end accepted");
				FUZZ_EXPECT(coh_try_read(&e->s, [n], &v) == -COH_ERANGE, "read past the end accepted");
				FUZZ_EXPECT(coh_dump(&e->s, (long)coh_size(&e->s), buf, sizeof(buf)) == 0,
				       "dump at the end returned bytes");
				FUZZ_EXPECT(coh_dump(&e->s, -1, buf, sizeof(buf)) < 0, "negative dump offset accepted");
				FUZZ_EXPECT(coh_dump(&e->s, 0, buf, 4) == 4 && !memcmp(buf, &e->tag, 4),
				       "dump of the first word wrong");
			} else {
				FUZZ_EXPECT(intact(e), "contents changed before free");
				FUZZ_EXPECT(coh_free(&e->s) == 0, "free failed");
#if COH_DEBUG
				FUZZ_EXPECT(coh_free(&e->s) == -COH_EINVAL, "double free accepted");
#endif
				memset(e, 0, sizeof(*e));
			}
		} else if (e->kind == DEVMEM) {
			FUZZ_EXPECT(coh_free(&e->dm) == 0, "devmem free failed");
			memset(e, 0, sizeof(*e));
		} else if (e->kind == POOL) {
			int k = (int)rnd(8);

			if (op < 60 && !e->blk[k]) {
				e->blk[k] = coh_pool_alloc(&e->pool, &e->blk_bus[k]);
				FUZZ_EXPECT(e->blk[k] != NULL, "pool block refused with blocks free");
				FUZZ_EXPECT(!e->blk[k] || e->blk_bus[k] % 16 == 0, "pool block misaligned");
			} else if (op < 80 && e->blk[k]) {
				FUZZ_EXPECT(coh_pool_free(&e->pool, e->blk[k]) == 0, "pool free failed");
				FUZZ_EXPECT(coh_pool_free(&e->pool, e->blk[k]) == -COH_EINVAL,
				       "pool double free accepted");
				e->blk[k] = NULL;
			} else if (op < 85) {
				FUZZ_EXPECT(coh_pool_free(&e->pool, rlow_mem + 3) == -COH_EINVAL,
				       "foreign pointer returned to a pool");
			} else {
				int held = 0;

				for (int b = 0; b < 8; b++)
					held += e->blk[b] != NULL;
				FUZZ_EXPECT(coh_pool_destroy(&e->pool) == (held ? -COH_EBUSY : 0),
				       "pool destroy: wrong code");
				if (!held)
					memset(e, 0, sizeof(*e));
			}
		}
		if (fuzz_fails > 10)
			break;
	}
	for (i = 0; i < NH; i++) {
		struct h *e = &hs[i];

		if (e->kind == SHARED || e->kind == BOX) {
			FUZZ_EXPECT(intact(e), "contents changed (end)");
			FUZZ_EXPECT(coh_free(&e->s) == 0, "final free failed");
		} else if (e->kind == DEVMEM) {
			FUZZ_EXPECT(coh_free(&e->dm) == 0, "final devmem free failed");
		} else if (e->kind == POOL) {
			for (int b = 0; b < 8; b++)
				if (e->blk[b])
					coh_pool_free(&e->pool, e->blk[b]);
			FUZZ_EXPECT(coh_pool_destroy(&e->pool) == 0, "final pool destroy failed");
		}
	}
	FUZZ_EXPECT(coh_region_free_bytes(&rlow) == free_low, "low region not whole again");
	FUZZ_EXPECT(coh_region_free_bytes(&rhigh) == free_high, "high region not whole again");
	FUZZ_EXPECT(coh_device_leaks(&d32) == 0 && coh_device_leaks(&d64) == 0, "leaks reported");
	FUZZ_EXPECT(ok_allocs > (unsigned long)steps / 20, "too few allocations succeeded");
	coh_region_remove(&rlow);
	coh_region_remove(&rhigh);
	return fuzz_fails ? -1 : 0;
}

int main(int argc, char **argv)
{
	return fuzz_main(argc, argv, 200, 2000, run);
}
