/* SPDX-License-Identifier: MIT */
/*
 * The sunxi-mmc host and the SD layer against QEMU's allwinner-sdhost-sun5i
 * and its SD card (orangepi-pc), bare metal, MMU and D-cache on, the host
 * a non-coherent DMA master.  tools/sd.sh runs it (docs/sdhost.md).
 *
 * SDH_READ (qemu-sd): the card's last sector is tools/sd.sh's trailer
 *   ("COHSDIMG", then the image's own sector count, little endian: QEMU
 *   needs a power-of-two card, so the tool pads a copy of the image); the
 *   image's sectors are read in varied shapes (large multi-block, single
 *   blocks, buffers off every alignment, chains of several descriptors)
 *   and "sdhost: sha256 <hex> <sectors> sectors" printed for the tool to
 *   compare with sha256sum; 512 KiB into buffers at +8 (split: only the
 *   partial lines bounce) and +3 (bounced whole, in smaller commands).
 *   Then again (a prefix) through a ring of 8
 *   descriptors of 4 KiB, whose chains wrap the ring's end, and with the
 *   descriptors in uncached memory: the same bytes.
 * SDH_WRITE (qemu-sd-write): a position pattern over the image in varied
 *   shapes (unaligned buffers, multi-descriptor chains), read back; the
 *   tool checks the file afterwards.
 * SDH_NOCARD (qemu-sd-nocard): no medium: init must fail, in bounded time.
 * Each ends with "sdhost: N passed, M failed".
 */
#include <stdio.h>
#include <string.h>

#include "board.h"
#include "harness.h"
#include "sunxi_mmc.h"
#include "../virtio/sha256.h"

TH_DEFINE_COUNTERS;

#define ARENA (1u << 20)
static uint8_t arena[ARENA] __attribute__((aligned(4096)));
#define BOUNCE (256u << 10)
static uint8_t bounce[BOUNCE] __attribute__((aligned(4096)));
static struct coh_region cached, uncached;
static struct coh_map_rec recs[64];
static struct coh_stream stream;
static struct coh_device dev;

#define BUFSZ (512u << 10)
static uint8_t buf[BUFSZ + 4096] __attribute__((aligned(4096)));
static struct sunxi_mmc host;
static struct sd_card card;
static uint64_t img_sectors __attribute__((unused));

static void diag(const struct coh_where *w, const char *msg, int err)
{
	if (w)
		printf("diag: %s:%d: %s (%s)\n", w->file, w->line, msg, coh_strerror(err));
	else
		printf("diag: %s (%s)\n", msg, coh_strerror(err));
}

static void delay(void *ctx, uint32_t us)
{
	uint64_t end = opi_now_us() + us;

	(void)ctx;
	while (opi_now_us() < end)
		;
}

static int open_host(size_t ring, uint32_t desc_max, unsigned int attrs)
{
	struct sunxi_mmc_config cfg = {
		.regs = (void *)(uintptr_t)OPI_MMC0_BASE,
		.dev = &dev,
		.ring = ring,
		.desc_max = desc_max,
		.ring_attrs = attrs,
		.mod_hz = 24000000u,
		.timeout_us = 200000,
		.width4 = true,
		.delay_us = delay,
	};
	int rc = sunxi_mmc_init(&host, &cfg);

	return rc ? rc : sd_card_init(&card, &host.host);
}

static void t_setup(void)
{
	coh_set_diag_handler(diag);
	CHECK((opi_mmu.sctlr & 5) == 5);	/* MMU and D-cache on */
	CHECK_EQ(coh_region_add(&cached, arena, (uint64_t)(uintptr_t)arena, ARENA, 0), 0);
	CHECK_EQ(coh_region_add(&uncached, (void *)(uintptr_t)OPI_UNCACHED_BASE,
				OPI_UNCACHED_BASE, OPI_UNCACHED_SIZE, COH_REGION_UNCACHED), 0);
	CHECK_EQ(coh_device_init(&dev, "sunxi-mmc", 0), 0);
	CHECK_EQ(coh_stream_init(&stream, recs, 64, 0), 0);
	CHECK_EQ(coh_stream_bounce(&stream, bounce, (uint64_t)(uintptr_t)bounce, BOUNCE), 0);
	CHECK_EQ(coh_device_set_stream(&dev, &stream), 0);
}

#ifdef SDH_NOCARD
static void t_nocard(void)
{
	uint64_t t0 = opi_now_us();
	int rc = open_host(16, 65536, 0);

	printf("sdhost: no medium: init %s after %llu us\n", coh_strerror(rc),
	       (unsigned long long)(opi_now_us() - t0));
	CHECK_EQ(rc, -COH_ETIMEDOUT);
	CHECK(opi_now_us() - t0 < 2000000);
	/* and a read on the card that never came up is refused */
	CHECK_EQ(sd_read(&card, 0, buf, 1), -COH_EINVAL);
	CHECK_EQ(sunxi_mmc_destroy(&host), 0);
}
#else
static void t_init(void)
{
	CHECK_EQ(open_host(16, 65536, 0), 0);
	printf("sdhost: %s card, CSD v%u, %llu blocks, rca 0x%04x, %u-bit, ocr 0x%08lx\n",
	       card.high_capacity ? "SDHC" : "SDSC", card.csd.structure + 1,
	       (unsigned long long)card.blocks, card.rca, card.width,
	       (unsigned long)card.ocr);
	CHECK(card.blocks >= 2);
	CHECK_EQ(card.state, SD_ST_TRAN);
	/* the trailer tools/sd.sh wrote into the padding */
	CHECK_EQ(sd_read(&card, card.blocks - 1, buf, 1), 0);
	CHECK(memcmp(buf, "COHSDIMG", 8) == 0);
	img_sectors = 0;
	for (int i = 7; i >= 0; i--)
		img_sectors = img_sectors << 8 | buf[8 + i];
	CHECK(img_sectors > 0 && img_sectors < card.blocks);
}

/* Caller errors: documented codes, nothing mapped, nothing posted. */
static void t_bad_input(void)
{
	unsigned long cmds = host.cmds;

	CHECK_EQ(sd_read(&card, 0, buf, 0), -COH_EINVAL);
	CHECK_EQ(sd_read(&card, card.blocks, buf, 1), -COH_ERANGE);
	CHECK_EQ(sd_read(&card, card.blocks - 1, buf, 2), -COH_ERANGE);
	CHECK_EQ(sd_read(&card, UINT64_MAX, buf, 1), -COH_ERANGE);
	CHECK_EQ(sd_read(&card, 0, NULL, 1), -COH_EINVAL);
	CHECK_EQ(host.cmds, cmds);
	CHECK_EQ(coh_stream_live(&stream), 0);
	CHECK_EQ(coh_ring_pending(&host.ring), 0);
}
#endif

#ifdef SDH_READ
/* One pass over [0, n) in varied shapes, hashed in order. */
static int pass(uint64_t n, struct sha256 *h, unsigned *shapes)
{
	uint64_t s = 0;
	unsigned shape = 0;

	while (s < n) {
		uint64_t left = n - s;
		uint32_t k;
		uint8_t *p = buf;
		int rc;

		switch (shape++ % 5) {
		case 0:		/* large: chains of several 64 KiB descriptors */
			k = BUFSZ / 512;
			break;
		case 1:		/* one block, line-aligned */
			k = 1;
			break;
		case 2:		/* off every line boundary: bounced */
			k = 7;
			p = buf + 24;
			break;
		case 3:		/* odd address: bounced */
			k = 33;
			p = buf + 1;
			break;
		default:	/* line-aligned, a length that is not a power of two */
			k = 129;
			break;
		}
		if (k > left)
			k = (uint32_t)left;
		if (k > card.host->max_blocks)
			k = card.host->max_blocks;
		rc = sd_read(&card, s, p, k);
		if (rc)
			return rc;
		sha256_update(h, p, (size_t)k * 512);
		s += k;
		if (shapes)
			shapes[(shape - 1) % 5]++;
	}
	return 0;
}

static char ref_prefix[65];
#define PREFIX 1024u	/* 512 KiB, every layout re-reads it */

static void t_read_hash(void)
{
	struct sha256 all, pre;
	char hex[65];
	unsigned shapes[5] = { 0 };
	uint64_t n = img_sectors < PREFIX ? img_sectors : PREFIX;

	sha256_init(&all);
	CHECK_EQ(pass(img_sectors, &all, shapes), 0);
	sha256_hex(&all, hex);
	printf("sdhost: sha256 %s %llu sectors\n", hex, (unsigned long long)img_sectors);
	printf("sdhost: %lu commands, %lu with data, %lu descriptors, %lu bounces; "
	       "shapes %u/%u/%u/%u/%u\n", host.cmds, host.data_cmds, host.descs,
	       dev.stats.bounces, shapes[0], shapes[1], shapes[2], shapes[3], shapes[4]);
	CHECK_EQ(host.bad_desc, 0);
	/* the unaligned shapes bounce; an image smaller than the first (large)
	 * read never reaches them (t_edge_policy bounces on every image) */
	CHECK(dev.stats.bounces > 0 || !(shapes[2] + shapes[3]));
	sha256_init(&pre);
	CHECK_EQ(pass(n, &pre, NULL), 0);
	sha256_hex(&pre, ref_prefix);
	CHECK_EQ(coh_stream_live(&stream), 0);
}

/* The same bytes through another ring: short descriptors, chains wrap. */
static void relayout(size_t ring, uint32_t desc_max, unsigned int attrs, const char *what)
{
	struct sha256 h;
	char hex[65];
	uint64_t n = img_sectors < PREFIX ? img_sectors : PREFIX;

	CHECK_EQ(sunxi_mmc_destroy(&host), 0);
	CHECK_EQ(open_host(ring, desc_max, attrs), 0);
	sha256_init(&h);
	CHECK_EQ(pass(n, &h, NULL), 0);
	sha256_hex(&h, hex);
	CHECK(strcmp(hex, ref_prefix) == 0);
	printf("sdhost: %s: first %llu sectors match; %lu descriptors in %lu chains, "
	       "%lu wrapped the ring\n", what, (unsigned long long)n, host.descs,
	       host.data_cmds, host.wraps);
	CHECK_EQ(host.bad_desc, 0);
}

static void t_wrap(void)
{
	relayout(8, 4096, 0, "ring of 8 x 4 KiB, cached");
	/* a ring of 8 wraps once more than 8 descriptors went through it */
	CHECK(host.wraps > 0 || host.descs <= 8);
}

/*
 * The device's edge policy decides for a buffer whose edges share lines:
 * BOUNCE (the default, above), ALLOW (mapped in place, counted), REFUSE
 * (the map fails, nothing posted).  A buffer off the IDMA's 4-byte
 * alignment bounces under every policy.
 */
static void t_edge_policy(void)
{
	static uint8_t ref[7 * 512];
	unsigned long b0, posted;

	CHECK_EQ(sd_read(&card, 3, buf, 7), 0);
	memcpy(ref, buf, sizeof(ref));
	dev.edge_policy = COH_EDGE_ALLOW;
	b0 = dev.stats.bounces;
	memset(buf, 0, sizeof(ref) + 64);
	CHECK_EQ(sd_read(&card, 3, buf + 24, 7), 0);
	CHECK(memcmp(buf + 24, ref, sizeof(ref)) == 0);
	CHECK_EQ(dev.stats.bounces, b0);		/* in place */
	CHECK_EQ(sd_read(&card, 3, buf + 1, 7), 0);	/* not 4-aligned: bounced */
	CHECK(memcmp(buf + 1, ref, sizeof(ref)) == 0);
	CHECK_EQ(dev.stats.bounces, b0 + 1);
	dev.edge_policy = COH_EDGE_REFUSE;
	posted = host.descs;
	CHECK_EQ(sd_read(&card, 3, buf + 24, 7), -COH_ENOMEM);
	CHECK_EQ(host.descs, posted);
	CHECK_EQ(coh_stream_live(&stream), 0);
	CHECK_EQ(sd_read(&card, 3, buf, 7), 0);		/* whole lines: fine */
	dev.edge_policy = COH_EDGE_BOUNCE;
	printf("sdhost: edge policy: ALLOW mapped +24 in place, +1 bounced; REFUSE refused +24\n");
}

/*
 * Large buffers off a line: a 4-byte aligned one is mapped in three pieces
 * (only its two partial lines bounce), one off 4 bytes bounces whole, cut
 * into commands of at most bounce_blocks; both read the same bytes.
 */
static void t_big_unaligned(void)
{
	uint32_t k = img_sectors < 1024 ? (uint32_t)img_sectors : 1024;
	struct sha256 h;
	char ref[65], hex[65];
	unsigned long b0, bb0, c0;

	CHECK_EQ(sd_read(&card, 0, buf, k), 0);
	sha256_init(&h);
	sha256_update(&h, buf, (size_t)k * 512);
	sha256_hex(&h, ref);
	b0 = dev.stats.bounces;
	bb0 = dev.stats.bounce_bytes;
	c0 = host.data_cmds;
	CHECK_EQ(sd_read(&card, 0, buf + 8, k), 0);
	sha256_init(&h);
	sha256_update(&h, buf + 8, (size_t)k * 512);
	sha256_hex(&h, hex);
	CHECK(strcmp(hex, ref) == 0);
	/* two partial lines per command bounce, never the whole lines */
	CHECK(dev.stats.bounces - b0 <= 2 * (host.data_cmds - c0));
	CHECK(dev.stats.bounce_bytes - bb0 <= 2 * COH_MAX_LINE * (host.data_cmds - c0));
	printf("sdhost: %u blocks at +8: %lu commands, %lu bytes bounced\n", (unsigned)k,
	       host.data_cmds - c0, dev.stats.bounce_bytes - bb0);
	c0 = host.data_cmds;
	CHECK_EQ(sd_read(&card, 0, buf + 3, k), 0);
	sha256_init(&h);
	sha256_update(&h, buf + 3, (size_t)k * 512);
	sha256_hex(&h, hex);
	CHECK(strcmp(hex, ref) == 0);
	CHECK(host.data_cmds - c0 >= k / card.host->max_blocks_unaligned);
	printf("sdhost: %u blocks at +3: %lu commands (bounced whole)\n", (unsigned)k,
	       host.data_cmds - c0);
}

static void t_uncached(void)
{
	relayout(8, 4096, COH_ATTR_UNCACHED, "ring of 8 x 4 KiB, uncached");
	/* a ring of 8 wraps once more than 8 descriptors went through it */
	CHECK(host.wraps > 0 || host.descs <= 8);
}
#endif

#ifdef SDH_WRITE
/* Must match tools/sd.sh (write). */
static uint8_t pattern(uint64_t off)
{
	uint64_t s = off >> 9;

	return (uint8_t)(s * 131 + (off & 511) * 7 + (s >> 8) + 0x5a);
}

static void fill(uint8_t *p, uint64_t sector, uint32_t n)
{
	for (size_t i = 0; i < (size_t)n * 512; i++)
		p[i] = pattern(sector * 512 + i);
}

static void t_write(void)
{
	uint64_t s = 0;
	unsigned shape = 0;

	CHECK_EQ(sunxi_mmc_destroy(&host), 0);
	CHECK_EQ(open_host(8, 4096, 0), 0);	/* chains wrap the ring */
	while (s < img_sectors) {
		uint64_t left = img_sectors - s;
		static const uint32_t ks[4] = { 1, 24, 57, 64 };
		static const unsigned offs[4] = { 0, 72, 3, 0 };
		uint32_t k = ks[shape % 4];
		uint8_t *p = buf + offs[shape % 4];

		shape++;
		if (k > left)
			k = (uint32_t)left;
		fill(p, s, k);
		CHECK_EQ(sd_write(&card, s, p, k), 0);
		s += k;
	}
	/* a ring of 8 wraps once more than 8 descriptors went through it */
	CHECK(host.wraps > 0 || host.descs <= 8);
	printf("sdhost: wrote %llu sectors in %lu commands, %lu descriptors, "
	       "%lu chains wrapped the ring\n", (unsigned long long)img_sectors,
	       card.writes, host.descs, host.wraps);
	/* read back through the other layout */
	CHECK_EQ(sunxi_mmc_destroy(&host), 0);
	CHECK_EQ(open_host(16, 65536, COH_ATTR_UNCACHED), 0);
	for (s = 0; s < img_sectors;) {
		uint32_t k = img_sectors - s < 200 ? (uint32_t)(img_sectors - s) : 200;

		CHECK_EQ(sd_read(&card, s, buf + 8, k), 0);
		for (size_t i = 0; i < (size_t)k * 512; i++)
			if (buf[8 + i] != pattern(s * 512 + i)) {
				printf("sdhost: mismatch at byte %llu\n",
				       (unsigned long long)(s * 512 + i));
				CHECK(0);
			}
		s += k;
	}
	printf("sdhost: read back %llu sectors: as written\n", (unsigned long long)img_sectors);
	CHECK_EQ(host.bad_desc, 0);
	CHECK_EQ(coh_stream_live(&stream), 0);
}
#endif

int main(void)
{
	RUN(t_setup);
#ifdef SDH_NOCARD
	RUN(t_nocard);
#else
	RUN(t_init);
	RUN(t_bad_input);
#endif
#ifdef SDH_READ
	RUN(t_read_hash);
	RUN(t_big_unaligned);
	RUN(t_wrap);
	RUN(t_uncached);
	RUN(t_edge_policy);
#endif
#ifdef SDH_WRITE
	RUN(t_write);
#endif
#ifndef SDH_NOCARD
	if (sunxi_mmc_destroy(&host))
		th_fail++;
#endif
	return th_finish("sdhost");
}
