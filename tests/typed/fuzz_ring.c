/* SPDX-License-Identifier: MIT */
/*
 * The descriptor ring against a hostile device (recording backend, ASan +
 * UBSan): the "device" writes anything anywhere in the ring at random -
 * clears OWN on slots never posted, sets it again on slots it gave back,
 * scribbles over fields - while the driver posts and reaps.  Checked
 * against a model: a reap returns only the oldest posted slot, only once
 * its OWN is clear, with the bytes that slot holds; pending and space
 * always add up; posting a full ring and reaping an empty one fail with
 * -COH_EAGAIN; batches and chains (coh_ring_post_n, coh_ring_post_chain)
 * of up to count + 1 are all or nothing (-COH_EINVAL above count,
 * -COH_EAGAIN above the free space, the ring's bytes untouched); destroy
 * is refused while slots are out; reset takes them all back; nothing
 * outside the ring is written.
 *
 * usage: ring_fuzz [seeds] [steps]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coherent/coherent.h"
#include "harness.h"

#define FUZZ_NAME "ring-fuzz"
#include "fuzz.h"

TH_DEFINE_COUNTERS;

#define RSZ (128u << 10)
#define OWN 0x80000000u

static unsigned char mem[RSZ] __attribute__((aligned(4096)));
static struct coh_region reg;
static struct coh_device dev;
static unsigned long n_posts, n_reaps, n_runs;
static unsigned char snap[32 * COH_MAX_LINE];

struct desc {
	uint32_t a, b, c, ctrl;
};

/* The ring's stride is a multiple of the descriptor's size (and so of its
 * alignment), and the ring starts on a line: every slot is aligned. */
static struct desc *slot(struct coh_ring *r, unsigned char *base, size_t i)
{
	return (struct desc *)(void *)(base + i * coh_ring_stride(r));
}

static int run(uint64_t seed, int steps)
{
	struct coh_ring r;
	size_t count = 1u << rnd(6), posted = 0, head = 0, tail = 0;
	unsigned int attrs = rnd(2) ? COH_ATTR_UNCACHED : 0;
	unsigned char *base;
	size_t free_before;
	int step = 0, made;
	unsigned int rflags;

	fuzz_seed(seed, 3);
	rflags = rnd(2) ? COH_REGION_UNCACHED : 0;
	if (coh_region_add(&reg, mem, 0x10000000ull, RSZ, rflags)) {
		printf("ring-fuzz: seed %llu: region refused\n", (unsigned long long)seed);
		return -1;
	}
	free_before = coh_region_free_bytes(&reg);
	coh_device_init(&dev, "hostile", rnd(3) ? 0 : COH_DEV_COHERENT);
	dev.dma_mask = ~0ull;
	made = coh_ring_create(&r, &dev, count, struct desc, ctrl, OWN, attrs);
	if (made == -COH_ENOMEM && (attrs & COH_ATTR_UNCACHED) && !rflags &&
	    !coh_device_is_coherent(&dev)) {
		/* a packed ring needs uncached memory and there is none: right */
		coh_region_remove(&reg);
		return 0;
	}
	if (made) {
		printf("ring-fuzz: seed %llu: ring of %zu not created\n", (unsigned long long)seed, count);
		coh_region_remove(&reg);
		return -1;
	}
	base = (unsigned char *)r.mem.cpu_;
	/* guard: the region's bytes right after the ring */
	memset(base + count * coh_ring_stride(&r), 0xA7,
	       r.mem.span - count * coh_ring_stride(&r));

	n_runs++;
	for (step = 0; step < steps; step++) {
		uint32_t op = rnd(100);

		if (op < 12) {
			/* a batch or a chain of up to count + 1: all or nothing */
			struct desc ds[33];
			size_t n = 1 + rnd((uint32_t)count + 1), room = count - posted;
			bool chain = rnd(2);
			int rc;

			for (size_t k = 0; k < n; k++)
				ds[k] = (struct desc){ (uint32_t)k, rnd(1u << 31), 7, rnd(4096) | (rnd(2) ? OWN : 0) };
			memcpy(snap, base, count * coh_ring_stride(&r));
			rc = chain ? coh_ring_post_chain(&r, ds, n) : coh_ring_post_n(&r, ds, n);
			if (n > count || n > room) {
				FUZZ_EXPECT(rc == (n > count ? -COH_EINVAL : -COH_EAGAIN),
					    "an oversized batch or chain: wrong code");
				FUZZ_EXPECT(!memcmp(snap, base, count * coh_ring_stride(&r)),
					    "a refused batch or chain wrote the ring");
			} else {
				FUZZ_EXPECT(rc == (int)head, "batch or chain returned the wrong slot");
				for (size_t k = 0; k < n; k++) {
					struct desc *p = slot(&r, base, (head + k) % count);

					FUZZ_EXPECT((p->ctrl & OWN) && p->a == (uint32_t)k && p->b == ds[k].b,
						    "a batch or chain slot without OWN or its fields");
				}
				head = (head + n) % count;
				posted += n;
				n_posts += n;
			}
		} else if (op < 35) {
			struct desc d = { (uint32_t)step, rnd(1u << 31), 7, rnd(4096) | (rnd(2) ? OWN : 0) };
			int rc = coh_ring_post(&r, &d);

			if (posted == count) {
				FUZZ_EXPECT(rc == -COH_EAGAIN, "post to a full ring accepted");
			} else {
				FUZZ_EXPECT(rc == (int)head, "post returned the wrong slot");
				FUZZ_EXPECT((slot(&r, base, head)->ctrl & OWN),
				       "posted slot without OWN");
				head = (head + 1) % count;
				posted++;
				n_posts++;
			}
		} else if (op < 65) {
			if (rnd(2) && posted) {
				/* a device doing its job: completes the oldest slot it owns */
				struct desc *d = slot(&r, base, tail);

				d->c = rnd(UINT32_MAX);
				d->ctrl &= ~OWN;
			} else {
				/* a hostile one: any word of any slot */
				size_t k = rnd((uint32_t)count), w = rnd(4);
				uint32_t *p = (uint32_t *)(void *)slot(&r, base, k) + w;

				*p = rnd(4) ? rnd(UINT32_MAX) : (w == 3 ? *p & ~OWN : 0);
			}
		} else if (op < 95) {
			struct desc out, now;
			int rc = coh_ring_reap(&r, &out);

			memcpy(&now, base + tail * coh_ring_stride(&r), sizeof(now));
			if (!posted) {
				FUZZ_EXPECT(rc == -COH_EAGAIN, "reap of an empty ring returned a slot");
			} else if (now.ctrl & OWN) {
				FUZZ_EXPECT(rc == -COH_EAGAIN, "reap returned a slot the device still owns");
			} else {
				FUZZ_EXPECT(rc == (int)tail, "reap returned another slot than the oldest posted");
				FUZZ_EXPECT(!memcmp(&out, &now, sizeof(out)), "reap copied other bytes than the slot's");
				tail = (tail + 1) % count;
				posted--;
				n_reaps++;
			}
		} else if (op < 97) {
			FUZZ_EXPECT(coh_ring_destroy(&r) == (posted ? -COH_EBUSY : 0),
			       "destroy: wrong code");
			if (!posted) {
				FUZZ_EXPECT(coh_ring_create(&r, &dev, count, struct desc, ctrl, OWN, attrs) == 0,
				       "re-create failed");
				base = (unsigned char *)r.mem.cpu_;
				memset(base + count * coh_ring_stride(&r), 0xA7,
				       r.mem.span - count * coh_ring_stride(&r));
				head = tail = 0;
			}
		} else {
			FUZZ_EXPECT(coh_ring_reset(&r) == 0, "reset failed");
			posted = head = tail = 0;
		}
		FUZZ_EXPECT(coh_ring_pending(&r) == posted, "pending differs from the model");
		FUZZ_EXPECT(coh_ring_space(&r) == count - posted, "space differs from the model");
		FUZZ_EXPECT(coh_ring_next(&r) == head, "next slot differs from the model");
		for (size_t g = count * coh_ring_stride(&r); g < r.mem.span; g++)
			if (base[g] != 0xA7) {
				FUZZ_EXPECT(0, "bytes after the ring written");
				break;
			}
		if (fuzz_fails > 10)
			break;
	}
	FUZZ_EXPECT(coh_ring_reset(&r) == 0 && coh_ring_destroy(&r) == 0, "final teardown failed");
	FUZZ_EXPECT(coh_region_free_bytes(&reg) == free_before, "region not whole again");
	FUZZ_EXPECT(coh_device_leaks(&dev) == 0, "leaks");
	coh_region_remove(&reg);
	return fuzz_fails ? -1 : 0;
}

int main(int argc, char **argv)
{
	int rc = fuzz_main(argc, argv, 300, 3000, run);

	printf("ring-fuzz: %lu rings driven, %lu posts, %lu reaps\n", n_runs, n_posts, n_reaps);
	return rc;
}
