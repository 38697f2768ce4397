/* SPDX-License-Identifier: MIT */
/*
 * virtio-blk against QEMU's own device, bare metal, MMU and caches on.
 *
 * VBLK_READ  (qemu-virtio-blk): reads the whole image with requests of
 *   varied shapes (multi-segment, single sectors, buffers sharing cache
 *   lines at their edges) and prints
 *   "virtio-blk: sha256 <hex> <sectors> sectors" for the host to compare
 *   with sha256sum; then re-reads (all of it, or the first 2 MiB of a
 *   larger image) with the rings in uncached memory and with the device
 *   flagged coherent, which must give the same bytes.
 * VBLK_WRITE (qemu-virtio-blk-write): writes a position-derived pattern
 *   over the whole scratch image, flushes, reads it back; the host checks
 *   the file afterwards (tools/virtio-blk-check.sh).
 * VBLK_LEGACY: the transport is legacy-only; probing must say so.
 * Each also checks the caller-error paths.  Ends with
 * "<name>: N passed, 0 failed".
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "mmu.h"
#include "qemu_env.h"
#include "sha256.h"
#include "../../drivers/virtio/virtio_blk.h"

TH_DEFINE_COUNTERS;

#define BUFSZ (256u << 10)
static uint8_t buf[BUFSZ + 4096] __attribute__((aligned(4096), unused));
static struct coh_device dev_nc, dev_coh;
static struct virtio_blk blk __attribute__((unused));
static void *base;

#define PREFIX_SECTORS (4096u)	/* 2 MiB */

static void t_platform(void)
{
	uint64_t s = plat_sctlr();

	/* M, C, I: the driver runs with translation and caches on */
	CHECK((s & 1) && (s & 4) && (s & (1u << 12)));
}

static void t_find(void)
{
	int rc;

	CHECK_EQ(env_init(), 0);
	CHECK_EQ(env_device(&dev_nc, "virtio-blk", false), 0);
	CHECK_EQ(env_device(&dev_coh, "virtio-blk-coherent", true), 0);
	base = env_find(VIRTIO_ID_BLOCK, &dev_nc, &rc);
#ifdef VBLK_LEGACY
	CHECK_EQ(rc, -COH_ENOTSUP);
	CHECK(base == NULL);
	printf("virtio-blk: legacy-only transport refused (%s)\n", coh_strerror(rc));
#else
	CHECK_EQ(rc, 0);
	/* the first -device lands on the highest slot */
	CHECK_EQ((uintptr_t)base, VIRT_MMIO_BASE + 31 * VIRT_MMIO_STRIDE);
#endif
}

#ifndef VBLK_LEGACY
static int open_blk(struct coh_device *d, unsigned int attrs)
{
	return virtio_blk_init(&blk, base, d, VIRTIO_BLK_WANT, attrs, 0);
}
#endif

#if defined(VBLK_READ)

/* One pass over [0, nsect) in varied request shapes, hashed in order. */
static int pass(uint64_t nsect, struct sha256 *all, struct sha256 *prefix)
{
	uint64_t s = 0;
	unsigned shape = 0;

	while (s < nsect) {
		/* no request crosses the prefix's end: every pass cuts it alike */
		uint64_t end = s < PREFIX_SECTORS && PREFIX_SECTORS < nsect ? PREFIX_SECTORS : nsect;
		uint64_t left = end - s;
		size_t n;
		int rc;

		switch (shape++ % 4) {
		case 0: {	/* 4 segments of up to 32 KiB, line-aligned */
			struct virtio_blk_seg sg[4];
			unsigned k = 0;

			n = left < 256 ? (size_t)left : 256;
			for (size_t done = 0; done < n; k++) {
				size_t m = n - done < 64 ? n - done : 64;

				sg[k] = (struct virtio_blk_seg){ buf + done * 512 + k * 4096,
								 m * 512 };
				done += m;
			}
			rc = virtio_blk_rw(&blk, false, s, sg, k);
			if (rc)
				return rc;
			for (unsigned i = 0; i < k; i++) {
				sha256_update(all, sg[i].buf, sg[i].len);
				if (prefix && s < PREFIX_SECTORS)
					sha256_update(prefix, sg[i].buf, sg[i].len);
			}
			s += n;
			continue;
		}
		case 1:		/* one sector */
			n = 1;
			break;
		case 2:		/* 7 sectors into a buffer off every line boundary */
			n = left < 7 ? (size_t)left : 7;
			rc = virtio_blk_read(&blk, s, buf + 24, n);
			if (rc)
				return rc;
			sha256_update(all, buf + 24, n * 512);
			if (prefix && s < PREFIX_SECTORS)
				sha256_update(prefix, buf + 24, n * 512);
			s += n;
			continue;
		default:	/* the largest single segment */
			n = left < BUFSZ / 512 ? (size_t)left : BUFSZ / 512;
			break;
		}
		rc = virtio_blk_read(&blk, s, buf, n);
		if (rc)
			return rc;
		sha256_update(all, buf, n * 512);
		if (prefix && s < PREFIX_SECTORS)
			sha256_update(prefix, buf, n * 512);
		s += n;
	}
	return 0;
}

static char ref_prefix[65];

static void t_read_hash(void)
{
	struct sha256 all, pre;
	char hex[65];

	CHECK_EQ(open_blk(&dev_nc, 0), 0);
	/* any whole number of sectors: pass() cuts its requests at the end */
	CHECK(blk.capacity > 0);
	sha256_init(&all);
	sha256_init(&pre);
	CHECK_EQ(pass(blk.capacity, &all, &pre), 0);
	sha256_hex(&all, hex);
	sha256_hex(&pre, ref_prefix);
	printf("virtio-blk: sha256 %s %llu sectors\n", hex,
	       (unsigned long long)blk.capacity);
	printf("virtio-blk: features 0x%llx, queue %u, seg_max %u, flush %d, "
	       "notifies %lu of %lu kicks\n",
	       (unsigned long long)blk.vm.features, blk.vq.size, blk.seg_max,
	       blk.can_flush, blk.vq.notifies, blk.vq.kicks);
	CHECK_EQ(blk.vm.cnt.errors, 0);
	CHECK_EQ(virtio_blk_destroy(&blk), 0);
}

/* The other layouts must read the same bytes. */
static void relayout(struct coh_device *d, unsigned int attrs)
{
	struct sha256 h;
	char hex[65];
	uint64_t n;

	CHECK_EQ(open_blk(d, attrs), 0);
	n = blk.capacity < PREFIX_SECTORS ? blk.capacity : PREFIX_SECTORS;
	sha256_init(&h);
	CHECK_EQ(pass(n, &h, NULL), 0);
	sha256_hex(&h, hex);
	CHECK(strcmp(hex, ref_prefix) == 0);
	printf("virtio-blk: %s: first %llu sectors match\n",
	       env_layout(coh_device_is_coherent(d), attrs), (unsigned long long)n);
	CHECK_EQ(virtio_blk_destroy(&blk), 0);
}

static void t_uncached_rings(void)
{
	relayout(&dev_nc, COH_ATTR_UNCACHED);
}

static void t_coherent_device(void)
{
	relayout(&dev_coh, 0);
}

/* the virtual counter, in microseconds */
static uint64_t now_us(void)
{
	uint64_t c, fr;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(c));
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(fr));
	return c / (fr / 1000000u);
}

/* an order-independent digest of what was read: each request's bytes, keyed by its sector */
static uint64_t digest(const uint8_t *p, size_t n, uint64_t sector)
{
	uint64_t h = 1469598103934665603ull ^ (sector * 0x9e3779b97f4a7c15ull);

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

/*
 * Queue depth: the first (up to) 16 MiB read in 4 KiB requests, at depth 1
 * and at depth 32 (completions taken in the device's order), timed with
 * the virtual counter; both must read the same bytes.
 */
#define DEPTH_REQ 8u		/* sectors a request */
static struct virtio_blk_req dreq[VIRTIO_BLK_DEPTH_MAX];

static int depth_pass(unsigned depth, uint64_t nsect, uint64_t *sum, unsigned long *ooo,
		      uint64_t *us)
{
	uint64_t next = 0, t0, issued = 0, done = 0, nreq = nsect / DEPTH_REQ;
	unsigned free_n = depth, freel[VIRTIO_BLK_DEPTH_MAX];

	if (virtio_blk_set_depth(&blk, depth))
		return -1;
	for (unsigned i = 0; i < depth; i++)
		freel[i] = i;
	*sum = 0;
	*ooo = 0;
	t0 = now_us();
	while (done < nreq) {
		struct virtio_blk_req *d;
		int queued = 0;

		while (free_n && issued < nreq) {
			unsigned k = freel[--free_n];
			struct virtio_blk_seg sg = { buf + k * 4096, DEPTH_REQ * 512 };

			if (virtio_blk_submit(&blk, &dreq[k], false, issued * DEPTH_REQ, &sg, 1,
					      (void *)(uintptr_t)(issued + 1)))
				return -2;
			issued++;
			queued = 1;
		}
		if (queued && virtio_blk_kick(&blk))
			return -3;
		while (virtio_blk_complete(&blk, &d) == 0) {
			unsigned k = (unsigned)(d - dreq);
			uint64_t seq = (uint64_t)(uintptr_t)d->cookie - 1;

			if (d->status)
				return -4;
			*ooo += seq != next;
			if (seq == next)
				next++;
			*sum += digest(buf + k * 4096, DEPTH_REQ * 512, seq);
			freel[free_n++] = k;
			done++;
		}
	}
	*us = now_us() - t0;
	return 0;
}

static void t_depth(void)
{
	uint64_t nsect, us1, us32, s1, s32;
	unsigned long o1, o32;

	CHECK_EQ(open_blk(&dev_nc, 0), 0);
	for (unsigned i = 0; i < VIRTIO_BLK_DEPTH_MAX; i++)
		CHECK_EQ(virtio_blk_req_init(&blk, &dreq[i]), 0);
	nsect = blk.capacity < 32768 ? blk.capacity : 32768;
	nsect -= nsect % DEPTH_REQ;
	if (nsect) {
		CHECK_EQ(depth_pass(1, nsect, &s1, &o1, &us1), 0);
		CHECK_EQ(depth_pass(32, nsect, &s32, &o32, &us32), 0);
		CHECK_EQ(s1, s32);
		printf("virtio-blk: depth 1: %llu KiB in %llu us (%llu KiB/s); depth 32: %llu us "
		       "(%llu KiB/s), %lu completions out of order; %.2fx\n",
		       (unsigned long long)(nsect / 2), (unsigned long long)us1,
		       (unsigned long long)(us1 ? nsect / 2 * 1000000u / us1 : 0),
		       (unsigned long long)us32,
		       (unsigned long long)(us32 ? nsect / 2 * 1000000u / us32 : 0), o32,
		       us32 ? (double)us1 / (double)us32 : 0.0);
	}
	for (unsigned i = 0; i < VIRTIO_BLK_DEPTH_MAX; i++)
		CHECK_EQ(virtio_blk_req_fini(&blk, &dreq[i]), 0);
	CHECK_EQ(blk.vm.cnt.errors, 0);
	CHECK_EQ(virtio_blk_destroy(&blk), 0);
}

static void t_features_without_indirect(void)
{
	/* direct chains: no INDIRECT_DESC, no EVENT_IDX */
	CHECK_EQ(virtio_blk_init(&blk, base, &dev_nc,
				 VIRTIO_BLK_WANT & ~(VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC) |
						     VIRTIO_BIT(VIRTIO_F_EVENT_IDX)),
				 0, 0),
		 0);
	CHECK(!blk.vq.indirect && !blk.vq.event_idx);
	{
		struct sha256 h;
		char hex[65];
		uint64_t n = blk.capacity < PREFIX_SECTORS ? blk.capacity : PREFIX_SECTORS;

		sha256_init(&h);
		CHECK_EQ(pass(n, &h, NULL), 0);
		sha256_hex(&h, hex);
		CHECK(strcmp(hex, ref_prefix) == 0);
	}
	CHECK_EQ(virtio_blk_destroy(&blk), 0);
}
#endif

#if defined(VBLK_WRITE)
/* Must match tools/virtio-blk-check.sh. */
static uint8_t pattern(uint64_t off)
{
	uint64_t s = off >> 9;

	return (uint8_t)(s * 131 + (off & 511) * 7 + (s >> 8) + 0x5a);
}

static void fill(uint8_t *p, uint64_t sector, size_t nsect)
{
	for (size_t i = 0; i < nsect * 512; i++)
		p[i] = pattern(sector * 512 + i);
}

static void t_write(void)
{
	uint64_t s = 0, cap;
	unsigned shape = 0;

	CHECK_EQ(open_blk(&dev_nc, 0), 0);
	cap = blk.capacity;
	while (s < cap) {
		uint64_t left = cap - s;
		size_t n;

		if (shape++ % 3 == 0) {		/* 3 segments, the middle one misaligned */
			struct virtio_blk_seg sg[3];

			n = left < 24 ? (size_t)left : 24;
			if (n < 3) {
				fill(buf, s, n);
				CHECK_EQ(virtio_blk_write(&blk, s, buf, n), 0);
			} else {
				size_t a = n / 3, b = n / 3, c = n - a - b;

				sg[0] = (struct virtio_blk_seg){ buf, a * 512 };
				sg[1] = (struct virtio_blk_seg){ buf + 8192 + 40, b * 512 };
				sg[2] = (struct virtio_blk_seg){ buf + 65536, c * 512 };
				fill(sg[0].buf, s, a);
				fill(sg[1].buf, s + a, b);
				fill(sg[2].buf, s + a + b, c);
				CHECK_EQ(virtio_blk_rw(&blk, true, s, sg, 3), 0);
			}
		} else {
			n = shape % 3 == 1 ? 1 : 129;
			if (n > left)
				n = (size_t)left;
			fill(buf + 72, s, n);
			CHECK_EQ(virtio_blk_write(&blk, s, buf + 72, n), 0);
		}
		s += n;
	}
	if (blk.can_flush)
		CHECK_EQ(virtio_blk_flush(&blk), 0);
	else
		CHECK_EQ(virtio_blk_flush(&blk), -COH_ENOTSUP);
	/* read back through the other layout */
	CHECK_EQ(virtio_blk_destroy(&blk), 0);
	CHECK_EQ(open_blk(&dev_nc, COH_ATTR_UNCACHED), 0);
	for (s = 0; s < cap;) {
		size_t n = cap - s < 200 ? (size_t)(cap - s) : 200;

		CHECK_EQ(virtio_blk_read(&blk, s, buf, n), 0);
		for (size_t i = 0; i < n * 512; i++)
			if (buf[i] != pattern(s * 512 + i)) {
				printf("mismatch at byte %llu\n",
				       (unsigned long long)(s * 512 + i));
				CHECK(0);
			}
		s += n;
	}
	printf("virtio-blk: wrote and read back %llu sectors\n", (unsigned long long)cap);
	CHECK_EQ(blk.vm.cnt.errors, 0);
	CHECK_EQ(virtio_blk_destroy(&blk), 0);
}
#endif

#ifndef VBLK_LEGACY
/* Caller errors: documented codes, nothing submitted (kicks unchanged). */
static void t_bad_input(void)
{
	struct virtio_blk_seg sg[VIRTIO_BLK_MAX_SEGS + 1];
	unsigned long kicks;

	CHECK_EQ(open_blk(&dev_nc, 0), 0);
	kicks = blk.vq.kicks;
	CHECK_EQ(virtio_blk_read(&blk, 0, buf, 0), -COH_EINVAL);
	CHECK_EQ(virtio_blk_read(&blk, blk.capacity, buf, 1), -COH_ERANGE);
	CHECK_EQ(virtio_blk_read(&blk, blk.capacity - 1, buf, 2), -COH_ERANGE);
	CHECK_EQ(virtio_blk_read(&blk, UINT64_MAX, buf, 1), -COH_ERANGE);
	for (unsigned i = 0; i <= VIRTIO_BLK_MAX_SEGS; i++)
		sg[i] = (struct virtio_blk_seg){ buf + i * 512, 512 };
	CHECK_EQ(virtio_blk_rw(&blk, false, 0, sg, VIRTIO_BLK_MAX_SEGS + 1), -COH_EINVAL);
	sg[1].len = 100;
	CHECK_EQ(virtio_blk_rw(&blk, false, 0, sg, 2), -COH_EINVAL);
	CHECK_EQ(virtio_blk_rw(&blk, false, 0, NULL, 1), -COH_EINVAL);
	CHECK_EQ(blk.vq.kicks, kicks);
	CHECK_EQ(coh_stream_live(dev_nc.bounce), 0);
	/* a request larger than a table of direct descriptors can hold */
	CHECK_EQ(virtio_blk_read(&blk, 0, buf, 1), 0);
	CHECK_EQ(virtio_blk_destroy(&blk), 0);
}
#endif

int main(void)
{
	RUN(t_platform);
	RUN(t_find);
#if defined(VBLK_READ)
	RUN(t_read_hash);
	RUN(t_uncached_rings);
	RUN(t_coherent_device);
	RUN(t_features_without_indirect);
	RUN(t_depth);
	RUN(t_bad_input);
#elif defined(VBLK_WRITE)
	RUN(t_write);
	RUN(t_bad_input);
#endif
	return th_finish(COH_TEST_TARGET);
}
