/* SPDX-License-Identifier: MIT */
/*
 * The NVMe driver against QEMU's own controller (`-device nvme`) on the
 * aarch64 virt PCIe host, bare metal, MMU and caches on.  platform/pcie
 * finds the controller on bus 0, sizes and assigns its BAR0 and turns on
 * memory decode and bus mastering; no firmware ran before.
 *
 * NVME_READ  (qemu-nvme): reads the whole namespace with up to depth - 1
 *   commands in flight, in shapes that cover PRP1 only, PRP1 + PRP2, PRP
 *   lists, buffers straddling pages and off every cache line (bounced),
 *   and prints "nvme: sha256 <hex> <sectors> sectors" for the host to
 *   compare with sha256sum; then reads the first 2 MiB again with the
 *   queues in uncached memory and with the device flagged coherent.
 * NVME_WRITE (qemu-nvme-write): writes a position-derived pattern over the
 *   whole namespace, flushes, reads it back; the host checks the file.
 * Queue depth 4 (3 in flight): every queue's phase wraps many times.
 * Ends with "<name>: N passed, 0 failed".
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#if defined(__aarch64__)
#include "mmu.h"		/* platform/aarch64-virt: MMU map, uncached window, PCIe */
#define HAVE_UNCACHED 1
#else
#include "pcie_virt.h"		/* platform/riscv64-virt: PCIe; M-mode, no uncached RAM */
#include "cmo_trap.h"		/* Zicbom trapped and counted: the maintenance ran */
#define HAVE_UNCACHED 0
#endif
#include "../virtio/sha256.h"
#include "../../platform/pcie/pcie.h"
#include "../../drivers/nvme/nvme.h"

TH_DEFINE_COUNTERS;

#define DEPTH 4
#define BUDGET 200000000u
#define XFER (128u << 10)
#define NBUF (DEPTH - 1)
static uint8_t bufs[NBUF][XFER + 8192] __attribute__((aligned(4096)));

#define ARENA (2u << 20)
static uint8_t arena[ARENA] __attribute__((aligned(4096)));
static struct coh_region cached, uncached;
#define BOUNCE (512u << 10)
static uint8_t bounce[2][BOUNCE] __attribute__((aligned(4096)));
static struct coh_map_rec recs[2][128];
static struct coh_stream streams[2];

static struct coh_device dev_nc, dev_coh;
static struct pcie_host host;
static struct pcie_fn fn;
static struct nvme nv;
static void *bar0;

#define PREFIX_BYTES (2u << 20)

static void diag(const struct coh_where *w, const char *msg, int err)
{
	if (w)
		printf("diag: %s:%d: %s (%s)\n", w->file, w->line, msg, coh_strerror(err));
	else
		printf("diag: %s (%s)\n", msg, coh_strerror(err));
}

static int device(struct coh_device *d, int i, const char *name, bool coherent)
{
	int rc = coh_device_init(d, name, coherent ? COH_DEV_COHERENT : 0);

	if (!rc)
		rc = coh_stream_init(&streams[i], recs[i], 128, 0);
	if (!rc)
		rc = coh_stream_bounce(&streams[i], bounce[i], (uint64_t)(uintptr_t)bounce[i],
				       BOUNCE);
	if (!rc)
		rc = coh_device_set_stream(d, &streams[i]);
	return rc;
}

static void t_platform(void)
{
#if HAVE_UNCACHED
	uint64_t s = plat_sctlr();

	CHECK((s & 1) && (s & 4) && (s & (1u << 12)));
#endif
	coh_set_diag_handler(diag);
	CHECK_EQ(coh_region_add(&cached, arena, (uint64_t)(uintptr_t)arena, ARENA, 0), 0);
#if HAVE_UNCACHED
	CHECK_EQ(coh_region_add(&uncached, (void *)(uintptr_t)PLAT_UNCACHED_BASE,
				PLAT_UNCACHED_BASE, PLAT_UNCACHED_SIZE, COH_REGION_UNCACHED),
		 0);
#else
	(void)uncached;
#endif
	CHECK_EQ(device(&dev_nc, 0, "nvme", false), 0);
	CHECK_EQ(device(&dev_coh, 1, "nvme-coherent", true), 0);
}

static void t_pcie(void)
{
	struct pcie_window w32 = { .base = PLAT_PCIE_MMIO32_BASE, .size = PLAT_PCIE_MMIO32_SIZE };
	struct pcie_fn none;
	uint32_t cmd;

	CHECK_EQ(pcie_host_init(&host, (uintptr_t)PLAT_PCIE_ECAM_BASE, PLAT_PCIE_ECAM_BUSES,
				&w32, NULL),
		 0);
	/* the host bridge (class 0x0600) is function 00:00.0 */
	CHECK_EQ(pcie_find(&host, 0, 0x060000, 0xffff00, 0, &none), 0);
	CHECK_EQ(pcie_find(&host, 0, 0x010802, 0xffffff, 1, &none), -COH_ENODEV);
	CHECK_EQ(pcie_find(&host, 0, 0x010802, 0xffffff, 0, &fn), 0);
	CHECK_EQ(fn.vendor, 0x1b36);
	CHECK_EQ(fn.device, 0x0010);
	CHECK(fn.bar[0].size >= 0x2000 && fn.bar[0].is64 && fn.bar[0].addr == 0);
	CHECK_EQ(pcie_enable(&fn), 0);
	CHECK(fn.bar[0].addr >= PLAT_PCIE_MMIO32_BASE &&
	      fn.bar[0].addr + fn.bar[0].size <= PLAT_PCIE_MMIO32_BASE + PLAT_PCIE_MMIO32_SIZE);
	CHECK_EQ(fn.bar[0].addr % fn.bar[0].size, 0);
	cmd = pcie_cfg_read32(&host, fn.bus, fn.dev, fn.fn, PCIE_COMMAND);
	CHECK((cmd & (PCIE_CMD_MEM | PCIE_CMD_MASTER)) == (PCIE_CMD_MEM | PCIE_CMD_MASTER));
	/* the BAR reads back as assigned */
	CHECK_EQ(pcie_cfg_read32(&host, fn.bus, fn.dev, fn.fn, PCIE_BAR0) & ~0xfu,
		 (uint32_t)fn.bar[0].addr);
	bar0 = (void *)(uintptr_t)fn.bar[0].addr;
	printf("nvme: pcie %02x:%02x.%x %04x:%04x class %06x BAR0 0x%llx (%llu KiB)\n",
	       fn.bus, fn.dev, fn.fn, fn.vendor, fn.device, (unsigned)fn.class_code,
	       (unsigned long long)fn.bar[0].addr, (unsigned long long)(fn.bar[0].size >> 10));
}

static int open_nvme(struct coh_device *d, unsigned int attrs)
{
	return nvme_init(&nv, bar0, d, DEPTH, attrs, BUDGET, NULL, NULL);
}

/* ---- the request shapes, submitted with up to NBUF in flight ------------------ */

struct req {
	uint64_t lba;
	uint32_t nlb;
	uint8_t *p;
	bool done;
	int rc;
};

typedef void (*consume_fn)(const struct req *r, void *ctx);

/* Buffer offset and length of shape k (blocks of 512 bytes). */
static uint32_t shape(unsigned k, size_t *off)
{
	static const struct { uint32_t nlb; size_t off; } s[] = {
		{ 1, 0 },		/* PRP1 only */
		{ 8, 0 },		/* one page */
		{ 16, 0 },		/* PRP1 + PRP2 */
		{ 9, 3584 },		/* straddles a page: PRP1 + PRP2 */
		{ 256, 0 },		/* 128 KiB: a PRP list of 31 */
		{ 7, 24 },		/* off every line: bounced */
		{ 200, 1000 },		/* unaligned, a list */
		{ 17, 4096 - 512 },	/* three pages from a page's last sector */
	};
	*off = s[k % 8].off;
	return s[k % 8].nlb;
}

/* [0, nlb) through the driver in varied shapes, consumed in LBA order. */
static int pass(uint64_t nlb, int write, void (*fill)(uint8_t *, uint64_t, uint32_t),
		consume_fn consume, void *ctx)
{
	struct req rq[NBUF];
	unsigned head = 0, count = 0, k = 0;
	uint64_t lba = 0;

	while (lba < nlb || count) {
		struct nvme_done d;
		int rc;

		while (lba < nlb && count < NBUF) {
			struct req *r = &rq[(head + count) % NBUF];
			size_t off;
			uint32_t n = shape(k++, &off);

			if (n > nlb - lba)
				n = (uint32_t)(nlb - lba);	/* the last one partial */
			*r = (struct req){ .lba = lba, .nlb = n,
					   .p = bufs[(head + count) % NBUF] + off };
			if (write)
				fill(r->p, lba, n);
			rc = nvme_submit(&nv, write ? NVME_OP_WRITE : NVME_OP_READ, lba, r->p, n, r);
			if (rc < 0)
				return rc;
			lba += n;
			count++;
		}
		rc = nvme_wait(&nv, &d);
		if (rc)
			return rc;
		((struct req *)d.tag)->done = true;
		((struct req *)d.tag)->rc = d.rc;
		while (count && rq[head].done) {
			if (rq[head].rc)
				return rq[head].rc;
			if (consume)
				consume(&rq[head], ctx);
			head = (head + 1) % NBUF;
			count--;
		}
	}
	return 0;
}

#if defined(NVME_READ)
struct hashes {
	struct sha256 all, pre;
};

static void hash_req(const struct req *r, void *ctx)
{
	struct hashes *h = ctx;
	size_t len = (size_t)r->nlb << nv.lba_shift;
	uint64_t at = r->lba << nv.lba_shift;

	sha256_update(&h->all, r->p, len);
	if (at < PREFIX_BYTES)
		sha256_update(&h->pre, r->p,
			      at + len <= PREFIX_BYTES ? len : (size_t)(PREFIX_BYTES - at));
}

static char ref_prefix[65];
static uint64_t prefix_blocks;

static void t_read_hash(void)
{
	struct hashes h;
	char hex[65];
	unsigned long laps;

	CHECK_EQ(open_nvme(&dev_nc, 0), 0);
	printf("nvme: %s %s, %llu blocks of %u bytes, max transfer %u KiB, vwc %d, version 0x%08x\n",
	       nv.mn, nv.sn, (unsigned long long)nv.nsze, 1u << nv.lba_shift,
	       (unsigned)(nv.max_xfer >> 10), nv.vwc, (unsigned)nv.vs);
	CHECK_EQ(nv.lba_shift, 9);
	sha256_init(&h.all);
	sha256_init(&h.pre);
	CHECK_EQ(pass(nv.nsze, 0, NULL, hash_req, &h), 0);
	sha256_hex(&h.all, hex);
	sha256_hex(&h.pre, ref_prefix);
	prefix_blocks = nv.nsze < (PREFIX_BYTES >> 9) ? nv.nsze : (PREFIX_BYTES >> 9);
	printf("nvme: sha256 %s %llu sectors\n", hex, (unsigned long long)nv.nsze);
	/* small images: read again until the queue has wrapped 16 times, each
	 * pass giving the same hash */
	while (nv.cnt.completed < 16 * DEPTH) {
		struct hashes again;
		char hex2[65];

		sha256_init(&again.all);
		sha256_init(&again.pre);
		CHECK_EQ(pass(nv.nsze, 0, NULL, hash_req, &again), 0);
		sha256_hex(&again.all, hex2);
		CHECK(strcmp(hex, hex2) == 0);
		if (th_cur_failed)
			break;
	}
	laps = nv.cnt.completed / DEPTH;
	printf("nvme: %lu commands, depth %u: each I/O queue wrapped %lu times; bounces %llu\n",
	       nv.cnt.completed, DEPTH, laps, (unsigned long long)dev_nc.stats.bounces);
	CHECK(laps >= 16);
#if !HAVE_UNCACHED
	printf("nvme: cbo.clean %lu, cbo.inval %lu, cbo.flush %lu (trapped)\n",
	       rv_cmo.count[RV_CBO_CLEAN], rv_cmo.count[RV_CBO_INVAL], rv_cmo.count[RV_CBO_FLUSH]);
	CHECK(rv_cmo.count[RV_CBO_CLEAN] && rv_cmo.count[RV_CBO_INVAL] && rv_cmo.count[RV_CBO_FLUSH]);
#endif
	if (nv.nsze >= 512)
		CHECK(dev_nc.stats.bounces > 0);	/* the unaligned shapes were bounced */
	CHECK_EQ(nv.cnt.errors + nv.cnt.bad_cid + nv.cnt.bad_sqhd + nv.cnt.bad_sqid, 0);
	CHECK_EQ(nvme_shutdown(&nv), 0);
	CHECK_EQ(coh_stream_live(&streams[0]), 0);
}

static void relayout(struct coh_device *d, unsigned int attrs, const char *what)
{
	struct hashes h;
	char hex[65];

	CHECK_EQ(open_nvme(d, attrs), 0);
	sha256_init(&h.all);
	sha256_init(&h.pre);
	CHECK_EQ(pass(prefix_blocks, 0, NULL, hash_req, &h), 0);
	sha256_hex(&h.pre, hex);
	CHECK(strcmp(hex, ref_prefix) == 0);
	printf("nvme: %s: first %llu sectors match\n", what, (unsigned long long)prefix_blocks);
	CHECK_EQ(nvme_shutdown(&nv), 0);
}

static void t_uncached_queues(void)
{
	if (HAVE_UNCACHED)
		relayout(&dev_nc, COH_ATTR_UNCACHED, "non-coherent device, uncached queues");
}

static void t_coherent_device(void)
{
	relayout(&dev_coh, 0, "coherent device, cached queues");
}
#endif

#if defined(NVME_WRITE)
/* Must match tools/nvme.sh's check. */
static uint8_t pattern(uint64_t off)
{
	uint64_t s = off >> 9;

	return (uint8_t)(s * 131 + (off & 511) * 7 + (s >> 8) + 0x5a);
}

static void fill(uint8_t *p, uint64_t lba, uint32_t nlb)
{
	for (size_t i = 0; i < (size_t)nlb * 512; i++)
		p[i] = pattern(lba * 512 + i);
}

static unsigned long bad_bytes;

static void check_req(const struct req *r, void *ctx)
{
	(void)ctx;
	for (size_t i = 0; i < (size_t)r->nlb * 512; i++)
		if (r->p[i] != pattern(r->lba * 512 + i))
			bad_bytes++;
}

static void t_write(void)
{
	CHECK_EQ(open_nvme(&dev_nc, 0), 0);
	CHECK_EQ(nv.lba_shift, 9);
	CHECK_EQ(pass(nv.nsze, 1, fill, NULL, NULL), 0);
	CHECK_EQ(nvme_flush(&nv), 0);
	CHECK_EQ(nvme_shutdown(&nv), 0);
	/* read back through the other layout */
	CHECK_EQ(open_nvme(HAVE_UNCACHED ? &dev_nc : &dev_coh, HAVE_UNCACHED ? COH_ATTR_UNCACHED : 0),
		 0);
	CHECK_EQ(pass(nv.nsze, 0, NULL, check_req, NULL), 0);
	CHECK_EQ(bad_bytes, 0);
	printf("nvme: wrote, flushed and read back %llu sectors in %lu commands\n",
	       (unsigned long long)nv.nsze, nv.cnt.completed);
	CHECK_EQ(nvme_shutdown(&nv), 0);
}
#endif

/* Caller errors: documented codes, nothing submitted. */
static void t_bad_input(void)
{
	unsigned long sub;

	CHECK_EQ(open_nvme(&dev_nc, 0), 0);
	sub = nv.cnt.submitted;
	CHECK_EQ(nvme_read(&nv, 0, bufs[0], 0), -COH_EINVAL);
	CHECK_EQ(nvme_read(&nv, 0, NULL, 1), -COH_EINVAL);
	CHECK_EQ(nvme_read(&nv, nv.nsze, bufs[0], 1), -COH_ERANGE);
	CHECK_EQ(nvme_read(&nv, nv.nsze - 1, bufs[0], 2), -COH_ERANGE);
	CHECK_EQ(nvme_read(&nv, UINT64_MAX, bufs[0], 1), -COH_ERANGE);
	CHECK_EQ(nvme_read(&nv, 0, bufs[0], (nv.max_xfer >> 9) + 1), -COH_EINVAL);
	CHECK_EQ(nvme_submit(&nv, NVME_OP_FLUSH, 0, bufs[0], 0, NULL), -COH_EINVAL);
	CHECK_EQ(nvme_submit(&nv, (enum nvme_op)7, 0, bufs[0], 1, NULL), -COH_EINVAL);
	CHECK_EQ(nvme_init(&nv, bar0, &dev_nc, 1, 0, 0, NULL, NULL), -COH_EINVAL);
	CHECK_EQ(nv.cnt.submitted, sub);
	CHECK_EQ(coh_stream_live(&streams[0]), 0);
	/* depth - 1 in flight, then the queue is full */
	{
		struct nvme_done d;
		int n = 0;

		while (nvme_submit(&nv, NVME_OP_READ, 0, bufs[n], 1, NULL) >= 0)
			n++;
		CHECK_EQ(n, DEPTH - 1);
		CHECK_EQ(nvme_submit(&nv, NVME_OP_READ, 0, bufs[0], 1, NULL), -COH_EAGAIN);
		while (n--)
			CHECK_EQ(nvme_wait(&nv, &d), 0);
		CHECK_EQ(nvme_wait(&nv, &d), -COH_EINVAL);
	}
	CHECK_EQ(nvme_shutdown(&nv), 0);
	CHECK_EQ(coh_stream_live(&streams[0]), 0);
}

int main(void)
{
	RUN(t_platform);
	RUN(t_pcie);
#if defined(NVME_READ)
	RUN(t_read_hash);
	RUN(t_uncached_queues);
	RUN(t_coherent_device);
#elif defined(NVME_WRITE)
	RUN(t_write);
#endif
	RUN(t_bad_input);
	return th_finish(COH_TEST_TARGET);
}
