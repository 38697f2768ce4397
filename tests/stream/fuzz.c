/* SPDX-License-Identifier: MIT */
/*
 * Random sequences of streaming calls, good and bad, against a model of
 * the live mappings (recording backend, built with ASan and UBSan): every
 * call returns what the model expects, no byte outside a buffer is ever
 * written, bounced data is exact, the record count always matches, and at
 * the end nothing is left (records, bounce granules).  Bad inputs mixed
 * in: NULL, zero and wrapping lengths, unknown directions and attributes,
 * unmapped and doubly unmapped addresses, wrong sizes and directions,
 * syncs outside the mapping, empty and oversized scatter-gather lists.
 *
 * usage: stream_fuzz [seeds] [steps]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coherent/coherent.h"
#include "harness.h"

#define FUZZ_NAME "stream-fuzz"
#include "fuzz.h"

TH_DEFINE_COUNTERS;

#define NSLOT 48
#define SLOT (8u << 10)		/* buffer space per slot */
#define GUARD 64		/* canary bytes each side */
#define STRIDE (SLOT + 2 * GUARD)
#define POOL (96u << 10)

static unsigned char arena[POOL + NSLOT * STRIDE] __attribute__((aligned(4096)));
static struct coh_device dev;
static struct coh_stream st;
static struct coh_map_rec recs[64];

/* one model entry per slot: what is mapped there */
struct ent {
	int live;		/* 0, 1 single, n > 1: SG with n-1 entries */
	unsigned char *ptr;
	size_t len;
	enum coh_dir dir;
	coh_bus_t bus;
	unsigned int attrs;
	struct coh_sg sg[4];
	int nsg;
};
static struct ent ents[NSLOT];
static size_t model_live;

static unsigned char *slot_base(int i)
{
	return arena + POOL + (size_t)i * STRIDE + GUARD;
}

static int canaries_ok(int i)
{
	unsigned char *b = slot_base(i);

	for (size_t k = 0; k < GUARD; k++)
		if (b[-1 - (long)k] != 0xC5 || b[SLOT + k] != 0xC5)
			return 0;
	return 1;
}

static void *dev_ptr(coh_bus_t bus)
{
	return (void *)(uintptr_t)(bus - dev.bus_offset);
}

static enum coh_dir any_dir(void)
{
	return (enum coh_dir)rnd(3);
}

/* The device writes a pattern into [bus, bus+n) and the CPU checks it after sync. */
static void device_roundtrip(struct ent *e, size_t off, size_t n, uint64_t seed, int step)
{
	unsigned char v = (unsigned char)(rnd(250) + 1);

	memset((unsigned char *)dev_ptr(e->bus) + off, v, n);
	FUZZ_EXPECT(coh_sync_for_cpu(&dev, e->bus, off, n, e->dir) == 0, "sync_for_cpu failed");
	if (e->dir != COH_TO_DEVICE) {
		FUZZ_EXPECT(e->ptr[off] == v && e->ptr[off + n - 1] == v,
		       "device data not seen after sync_for_cpu");
	}
	FUZZ_EXPECT(coh_sync_for_device(&dev, e->bus, off, n, e->dir) == 0, "sync_for_device failed");
}

static int run(uint64_t seed, int steps)
{
	int step = 0;
	unsigned long maps_ok = 0;

	fuzz_seed(seed, 1);
	memset(ents, 0, sizeof(ents));
	model_live = 0;
	memset(arena + POOL, 0xC5, NSLOT * STRIDE);
	coh_device_init(&dev, "fuzz", 0);
	/* the last third of the slots is beyond the mask: they bounce */
	dev.dma_mask = (uintptr_t)slot_base(NSLOT * 2 / 3) - 1;
	dev.max_seg_size = rnd(2) ? 0 : 4096;
	dev.edge_policy = (int)rnd(3) == 2 ? COH_EDGE_ALLOW : COH_EDGE_BOUNCE;
	if (coh_stream_init(&st, recs, 64, rnd(4) ? 0 : COH_STREAM_FORCE_BOUNCE) ||
	    coh_stream_bounce(&st, arena, (uintptr_t)arena, POOL) ||
	    coh_device_set_stream(&dev, &st))
		return -1;

	for (step = 0; step < steps; step++) {
		int i = (int)rnd(NSLOT);
		struct ent *e = &ents[i];
		uint32_t op = rnd(100);

		if (!e->live && op < 45) {
			/* map: a single buffer or a list, sometimes with bad arguments */
			size_t len = 1 + rnd(rnd(4) ? 2048 : SLOT);
			size_t off = rnd((uint32_t)(SLOT - len + 1));
			enum coh_dir dir = any_dir();
			unsigned int attrs = rnd(5) ? 0 : COH_ATTR_SKIP_CPU_SYNC;
			int bad = (int)rnd(12);

			e->ptr = slot_base(i) + off;
			if (bad == 0) {
				coh_bus_t b = coh_map_single(&dev, NULL, len, dir);

				FUZZ_EXPECT(coh_mapping_error(&dev, b), "map of NULL accepted");
			} else if (bad == 1) {
				FUZZ_EXPECT(coh_mapping_error(&dev, coh_map_single(&dev, e->ptr, 0, dir)),
				       "map of 0 bytes accepted");
			} else if (bad == 2) {
				FUZZ_EXPECT(coh_mapping_error(&dev, coh_map_single(&dev, e->ptr, SIZE_MAX - 2, dir)),
				       "wrapping map accepted");
			} else if (bad == 3) {
				FUZZ_EXPECT(coh_mapping_error(&dev, coh_map_single(&dev, e->ptr, len, (enum coh_dir)(3 + rnd(5)))),
				       "unknown direction accepted");
			} else if (bad == 4) {
				FUZZ_EXPECT(coh_mapping_error(&dev, coh_map_single_attrs(&dev, e->ptr, len, dir, 1u << 12)),
				       "unknown attribute accepted");
			} else if (bad == 5) {
				/* a scatter-gather list of 1-3 pieces of the slot */
				int n = 1 + (int)rnd(3), k = 0;
				size_t piece = 1 + rnd(2000), at = 0;

				for (k = 0; k < n && at + piece <= SLOT; k++, at += piece) {
					e->sg[k].ptr = slot_base(i) + at;
					e->sg[k].len = piece;
				}
				n = k;
				int rc = coh_map_sg(&dev, e->sg, n, dir);

				FUZZ_EXPECT(rc <= n && rc != 0, "map_sg returned 0 or too many segments");
				if (rc > 0) {
					e->live = 1 + n;
					e->nsg = n;
					e->dir = dir;
					model_live += (size_t)n;
					maps_ok++;
				}
				FUZZ_EXPECT(coh_map_sg(&dev, e->sg, 0, dir) == -COH_EINVAL, "empty SG list accepted");
			} else {
				coh_bus_t b = coh_map_single_attrs(&dev, e->ptr, len, dir, attrs);

				if (!coh_mapping_error(&dev, b)) {
					e->live = 1;
					e->len = len;
					e->dir = dir;
					e->bus = b;
					e->attrs = attrs;
					model_live++;
					maps_ok++;
					if (attrs)
						FUZZ_EXPECT(coh_sync_for_device(&dev, b, 0, len, dir) == 0,
						       "first sync_for_device failed");
					FUZZ_EXPECT(b >= (uintptr_t)arena && b + len <= (uintptr_t)arena + sizeof(arena),
					       "bus address outside memory");
					FUZZ_EXPECT(b + len - 1 <= dev.dma_mask, "bus address beyond the mask");
				}
			}
		} else if (e->live == 1 && op < 70) {
			/* syncs: good, outside, wrong direction */
			size_t off = rnd((uint32_t)e->len), n = 1 + rnd((uint32_t)(e->len - off));

			device_roundtrip(e, off, n, seed, step);
			FUZZ_EXPECT(coh_sync_for_cpu(&dev, e->bus, off, e->len - off + 1, e->dir) == -COH_ERANGE,
			       "sync past the end accepted");
			FUZZ_EXPECT(coh_sync_for_cpu(&dev, e->bus, 0, 1, (enum coh_dir)((e->dir + 1) % 3)) == -COH_EINVAL,
			       "sync with the wrong direction accepted");
		} else if (e->live == 1) {
			/* unmap: right, or with a wrong size or direction (ended anyway) */
			int wrong = (int)rnd(6);
			size_t len = wrong == 0 ? e->len + 1 : e->len;
			enum coh_dir dir = wrong == 1 ? (enum coh_dir)((e->dir + 1) % 3) : e->dir;
			int rc = coh_unmap_single_attrs(&dev, e->bus, len, dir, e->attrs);

			FUZZ_EXPECT(rc == (wrong <= 1 ? -COH_EINVAL : 0), "unmap returned the wrong code");
			e->live = 0;
			model_live--;
			FUZZ_EXPECT(coh_unmap_single(&dev, e->bus, e->len, e->dir) == -COH_EINVAL,
			       "double unmap accepted");
			FUZZ_EXPECT(canaries_ok(i), "bytes outside the buffer written");
		} else if (e->live > 1) {
			FUZZ_EXPECT(coh_sync_sg_for_cpu(&dev, e->sg, e->nsg, e->dir) == 0, "SG sync failed");
			FUZZ_EXPECT(coh_unmap_sg(&dev, e->sg, e->nsg, e->dir) == 0, "SG unmap failed");
			e->live = 0;
			model_live -= (size_t)e->nsg;
			FUZZ_EXPECT(canaries_ok(i), "bytes outside an SG buffer written");
		} else {
			/* an address nobody mapped */
			FUZZ_EXPECT(coh_unmap_single(&dev, (uintptr_t)slot_base(i) + 1 + rnd(64), 16,
						COH_TO_DEVICE) == -COH_EINVAL || e->live,
			       "unmap of an unmapped address accepted");
		}
		FUZZ_EXPECT(coh_stream_live(&st) == model_live, "record count differs from the model");
		if (fuzz_fails > 10)
			break;
	}
	for (int i = 0; i < NSLOT; i++) {
		struct ent *e = &ents[i];

		if (e->live == 1)
			FUZZ_EXPECT(coh_unmap_single_attrs(&dev, e->bus, e->len, e->dir, e->attrs) == 0,
			       "final unmap failed");
		else if (e->live > 1)
			FUZZ_EXPECT(coh_unmap_sg(&dev, e->sg, e->nsg, e->dir) == 0, "final SG unmap failed");
		FUZZ_EXPECT(canaries_ok(i), "bytes outside a buffer written (end)");
	}
	FUZZ_EXPECT(coh_stream_live(&st) == 0, "records left at the end");
	FUZZ_EXPECT(st.b_free == st.b_ngran, "bounce granules leaked");
	FUZZ_EXPECT(coh_device_teardown(&dev) == 0, "teardown refused");
	FUZZ_EXPECT(maps_ok > (unsigned long)steps / 20, "too few mappings succeeded to mean anything");
	return fuzz_fails ? -1 : 0;
}

int main(int argc, char **argv)
{
	return fuzz_main(argc, argv, 200, 2000, run);
}
