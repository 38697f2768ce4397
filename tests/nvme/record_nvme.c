/* SPDX-License-Identifier: MIT */
/*
 * Maintenance and barriers of one NVMe command, exactly, on the recording
 * backend (tests/record): 4 KiB (line 64) and 128 KiB (line 128, a PRP
 * list of 31 entries) reads and writes into page-aligned buffers, per
 * memory layout, against the documented minimum (docs/nvme.md) and
 * against U-Boot's pattern for the same command (drivers/nvme/nvme.c
 * there: flush the SQE, flush the data and the PRP list before, invalidate
 * the CQE at every poll and the data after a read; one barrier per call),
 * which this test issues through the same backend for comparison.
 *
 * The "controller" is this test, answering from the driver's poll hook
 * (relax) through plain pointers, which the recording backend does not
 * see; the driver sees it answer on its second poll, as a polling driver
 * does against a real one.
 *
 *   nvme_record          asserts every kind of operation equal to the minimum
 *   nvme_record --rows   also prints make bench's ROW lines (bench/report.py)
 */
#include <stdio.h>
#include <string.h>

#include "coherent/coherent.h"
#include "harness.h"
#include "../../drivers/nvme/nvme.h"
#include "../virtio/record_tally.h"

TH_DEFINE_COUNTERS;

#define ARENA (1u << 20)
static uint8_t arena[ARENA] __attribute__((aligned(4096)));
static uint8_t uarena[512u << 10] __attribute__((aligned(4096)));
static uint8_t bounce[64u << 10] __attribute__((aligned(4096)));
static uint8_t data[(128u << 10) + 4096] __attribute__((aligned(4096)));
static uint8_t regs[0x2000] __attribute__((aligned(8)));
#define SECTORS 1024u
static uint8_t disk[SECTORS * 512];
static struct coh_region reg, ureg;
static struct coh_device dev;
static struct coh_stream st;
static struct coh_map_rec recs[32];
static struct nvme nv;
static int rows;

/* ---- the controller (plain memory) ------------------------------------------ */

struct mq {
	uint8_t *sq, *cq;
	uint32_t size, head, ctail;
	uint8_t phase;
};
static struct mq mq[2];

static uint32_t r32(unsigned off)
{
	uint32_t v;

	memcpy(&v, regs + off, 4);
	return v;
}

static void w32(unsigned off, uint32_t v)
{
	memcpy(regs + off, &v, 4);
}

static uint64_t r64(unsigned off)
{
	return r32(off) | (uint64_t)r32(off + 4) << 32;
}

static void *ptr(uint64_t bus)
{
	return (void *)(uintptr_t)bus;
}

static uint32_t sdw(const uint8_t *e, int i)
{
	uint32_t v;

	memcpy(&v, e + 4 * i, 4);
	return v;
}

static uint64_t sqw(const uint8_t *e, int i)
{
	return sdw(e, i) | (uint64_t)sdw(e, i + 1) << 32;
}

/* The data's pages (PRP1, PRP2, or the list PRP2 points at). */
static void xfer(const uint8_t *e, uint8_t *d, size_t len, int to_host)
{
	uint64_t prp1 = sqw(e, 6), prp2 = sqw(e, 8);
	uint64_t *list = ptr(prp2);
	size_t first = 4096 - (size_t)(prp1 % 4096), done = 0;

	for (unsigned i = 0; done < len; i++) {
		uint64_t a = i == 0 ? prp1 : len - first <= 4096 ? prp2 : list[i - 1];
		size_t n = i == 0 ? first : 4096;

		if (n > len - done)
			n = len - done;
		if (to_host)
			memcpy(ptr(a), d + done, n);
		else
			memcpy(d + done, ptr(a), n);
		done += n;
	}
}

static void exec(unsigned q, const uint8_t *e, uint32_t *dw0, uint16_t *sc)
{
	uint32_t c10 = sdw(e, 10);

	if (q == 0) {
		switch (e[0]) {
		case NVME_ADM_IDENTIFY: {
			uint8_t id[4096] = { 0 };

			if ((c10 & 0xff) == NVME_CNS_CTRL) {
				uint32_t nn = 1;

				id[NVME_IDC_MDTS] = 5;
				id[NVME_IDC_SQES] = 0x66;
				id[NVME_IDC_CQES] = 0x44;
				memcpy(id + NVME_IDC_NN, &nn, 4);
			} else {
				uint64_t n = SECTORS;
				uint32_t lbaf = 9u << 16;

				memcpy(id, &n, 8);
				memcpy(id + NVME_IDN_LBAF, &lbaf, 4);
			}
			memcpy(ptr(sqw(e, 6)), id, sizeof(id));
			break;
		}
		case NVME_ADM_CREATE_CQ:
			mq[1].cq = ptr(sqw(e, 6));
			mq[1].size = (c10 >> 16) + 1;
			mq[1].phase = 1;
			mq[1].head = mq[1].ctail = 0;
			break;
		case NVME_ADM_CREATE_SQ:
			mq[1].sq = ptr(sqw(e, 6));
			break;
		default:
			break;
		}
		*dw0 = 0;
		return;
	}
	if (e[0] == NVME_CMD_READ || e[0] == NVME_CMD_WRITE) {
		uint64_t lba = sqw(e, 10);
		size_t len = ((sdw(e, 12) & 0xffff) + 1u) * 512u;

		if (lba * 512 + len > sizeof(disk)) {
			*sc = NVME_SC_LBA_RANGE;
			return;
		}
		xfer(e, disk + lba * 512, len, e[0] == NVME_CMD_READ);
	}
}

static void controller(void *ctx)
{
	uint32_t cc = r32(NVME_REG_CC);

	(void)ctx;
	if (!(cc & NVME_CC_EN)) {
		w32(NVME_REG_CSTS, 0);
		memset(mq, 0, sizeof(mq));
		return;
	}
	if (!(r32(NVME_REG_CSTS) & NVME_CSTS_RDY)) {
		mq[0] = (struct mq){ .sq = ptr(r64(NVME_REG_ASQ)), .cq = ptr(r64(NVME_REG_ACQ)),
				     .size = (r32(NVME_REG_AQA) & 0xfff) + 1, .phase = 1 };
		w32(NVME_REG_CSTS, NVME_CSTS_RDY);
	}
	if (((cc >> 14) & 3) == 1)
		w32(NVME_REG_CSTS, r32(NVME_REG_CSTS) | NVME_CSTS_SHST_DONE);
	for (unsigned q = 0; q < 2; q++) {
		uint32_t tail = r32(NVME_REG_DBS + 8 * q);

		while (mq[q].size && mq[q].sq && mq[q].head != tail) {
			const uint8_t *e = mq[q].sq + 64 * mq[q].head;
			uint32_t cqe[4] = { 0 }, dw0 = 0;
			uint16_t sc = 0;

			mq[q].head = (mq[q].head + 1) % mq[q].size;
			exec(q, e, &dw0, &sc);
			cqe[0] = dw0;
			cqe[2] = mq[q].head | q << 16;
			cqe[3] = (sdw(e, 0) >> 16) | (uint32_t)mq[q].phase << 16 | (uint32_t)sc << 17;
			memcpy(mq[q].cq + 16 * mq[q].ctail, cqe, 16);
			if (++mq[q].ctail == mq[q].size) {
				mq[q].ctail = 0;
				mq[q].phase ^= 1;
			}
		}
	}
}

/* ---- the runs ---------------------------------------------------------------- */

static int setup(size_t line, unsigned int attrs, bool coherent)
{
	rec_hw_line = line;
	coh_set_cache_line_size(line);
	coh_device_init(&dev, "nvme", coherent ? COH_DEV_COHERENT : 0);
	dev.dma_mask = ~0ull;
	memset(regs, 0, sizeof(regs));
	memset(mq, 0, sizeof(mq));
	w32(NVME_REG_CAP, 63u | 1u << 16);
	w32(NVME_REG_CAP + 4, 1u << 5);		/* CSS: NVM */
	if (coh_stream_init(&st, recs, 32, 0) ||
	    coh_stream_bounce(&st, bounce, (uint64_t)(uintptr_t)bounce, sizeof(bounce)) ||
	    coh_device_set_stream(&dev, &st))
		return -1;
	memset(&nv, 0, sizeof(nv));
	/* the controller answers from the first relax of every wait */
	return nvme_init(&nv, regs, &dev, 4, attrs, 10, controller, NULL);
}

static struct tally one(bool write, size_t len)
{
	int rc;

	rec_n = 0;
	rc = write ? nvme_write(&nv, 8, data, (uint32_t)(len / 512))
		   : nvme_read(&nv, 8, data, (uint32_t)(len / 512));
	if (rc || rec_n > REC_MAX)
		return (struct tally){ .clean = 99999 };
	return tally();
}

/*
 * U-Boot's pattern for the same command, issued through the same backend:
 * flush the data (both directions) and the PRP list, flush the SQE, the
 * doorbell, invalidate the CQE at each of the same two polls, the head
 * doorbell, invalidate the data after a read; one barrier per call.
 */
static struct tally uboot(bool write, size_t len, unsigned nlist)
{
	static uint8_t sqe[64] __attribute__((aligned(128))), cqe[16] __attribute__((aligned(128)));
	static uint64_t prp[512] __attribute__((aligned(4096)));

	rec_n = 0;
	coh_flush(&dev, data, len);
	if (nlist)
		coh_flush(&dev, prp, nlist * 8u);
	coh_flush(&dev, sqe, sizeof(sqe));
	coh_mmio_write32(regs + NVME_REG_DBS, 0);
	for (int poll = 0; poll < 2; poll++) {
		coh_acquire(&dev, cqe, sizeof(cqe));
		(void)*(volatile uint8_t *)cqe;
	}
	coh_mmio_write32(regs + NVME_REG_DBS + 4, 0);
	if (!write)
		coh_acquire(&dev, data, len);
	return tally();
}

static double rat(unsigned x, unsigned y)
{
	return y ? (double)x / y : (x ? 99.0 : 1.0);
}

static void row(const char *what, const char *base, unsigned x, unsigned y)
{
	if (rows)
		printf("ROW|per-frame|nvme (recording backend), %s|%s|%u vs %u|%.3f|<=|1.00\n",
		       what, base, x, y, rat(x, y));
}

struct shape {
	bool write;
	size_t len, line;
	unsigned nlist;
	struct tally min;	/* the documented minimum, cached non-coherent (docs/nvme.md) */
};

static void measure(const struct shape *s, unsigned int attrs, bool coherent,
		    const struct tally *min, const char *layout)
{
	char what[160];
	struct tally t, u;

	CHECK_EQ(setup(s->line, attrs, coherent), 0);
	for (size_t i = 0; i < s->len; i++)
		data[i] = (uint8_t)(i * 7 + 1);
	(void)one(s->write, s->len);	/* warm */
	t = one(s->write, s->len);
	rec_show_ops();
	if (!s->write)
		CHECK(!memcmp(data, disk + 8 * 512, s->len));
	EXPECT_TALLY(t, *min);
	snprintf(what, sizeof(what), "%s %zu KiB, line %zu, %s", s->write ? "write" : "read",
		 s->len >> 10, s->line, layout);
	if (!rows)
		printf("nvme %s: clean %u inval %u flush %u lines, %u fence barriers, wmb %u rmb %u "
		       "mb %u, io_wmb %u io_rmb %u; %u line ops, %u barriers (minimum %u, %u)\n",
		       what, t.clean, t.inval, t.flush, t.maint_barriers, t.wmb, t.rmb, t.mb,
		       t.io_wmb, t.io_rmb, lineops(t), barriers(t), lineops(*min), barriers(*min));
	{
		char w2[200];

		snprintf(w2, sizeof(w2), "%s: line ops", what);
		row(w2, "docs/nvme.md minimum (asserted equal, every kind)", lineops(t), lineops(*min));
		snprintf(w2, sizeof(w2), "%s: barriers of every kind", what);
		row(w2, "docs/nvme.md minimum (asserted equal, every kind)", barriers(t), barriers(*min));
		if (!attrs && !coherent) {
			u = uboot(s->write, s->len, s->nlist);
			snprintf(w2, sizeof(w2), "%s: line ops", what);
			row(w2, "U-Boot nvme pattern (flush SQE, invalidate each CQE poll and the data)",
			    lineops(t), lineops(u));
			snprintf(w2, sizeof(w2), "%s: barriers of every kind", what);
			row(w2, "U-Boot nvme pattern (one barrier per flush/invalidate call)",
			    barriers(t), barriers(u));
			if (!rows)
				printf("  U-Boot pattern: %u line ops, %u barriers\n", lineops(u),
				       barriers(u));
		}
	}
	CHECK_EQ(nvme_shutdown(&nv), 0);
	coh_device_set_stream(&dev, NULL);
}

/*
 * The minimum, cached non-coherent (C clean, I invalidate, F flush, B
 * fence barrier, r dma_rmb, W io_wmb): submit: the data mapped (read:
 * F per line; write: C per line), the PRP list's lines C, the SQE's line
 * C, all under one B (coh_queue_publish_batch), the SQ doorbell W; wait:
 * a poll before the answer (I B), one after (I B r), the CQ head doorbell
 * W; a read's data invalidated again at unmap (I per line, B).
 */
static const struct shape SHAPES[] = {
	{ false, 4096, 64, 0, { 1, 2 + 64, 64, 4, 0, 1, 0, 2, 0 } },
	{ true, 4096, 64, 0, { 1 + 64, 2, 0, 3, 0, 1, 0, 2, 0 } },
	{ false, 128u << 10, 128, 31, { 1 + 2, 2 + 1024, 1024, 4, 0, 1, 0, 2, 0 } },
	{ true, 128u << 10, 128, 31, { 1 + 2 + 1024, 2, 0, 3, 0, 1, 0, 2, 0 } },
};

static void t_cached_noncoherent(void)
{
	for (unsigned i = 0; i < sizeof(SHAPES) / sizeof(SHAPES[0]); i++)
		measure(&SHAPES[i], 0, false, &SHAPES[i].min, "cached queues, non-coherent device");
}

static void t_uncached_noncoherent(void)
{
	/* queues and list need nothing; the data as above; the poll's rmb only */
	for (unsigned i = 0; i < sizeof(SHAPES) / sizeof(SHAPES[0]); i++) {
		const struct shape *s = &SHAPES[i];
		unsigned dl = (unsigned)(s->len / s->line);
		struct tally min = s->write ? (struct tally){ dl, 0, 0, 1, 0, 1, 0, 2, 0 }
					    : (struct tally){ 0, dl, dl, 2, 0, 1, 0, 2, 0 };

		measure(s, COH_ATTR_UNCACHED, false, &min, "uncached queues, non-coherent device");
	}
}

static void t_coherent(void)
{
	for (unsigned i = 0; i < sizeof(SHAPES) / sizeof(SHAPES[0]); i++) {
		const struct shape *s = &SHAPES[i];
		struct tally min = s->write ? (struct tally){ 0, 0, 0, 0, 1, 1, 0, 2, 0 }
					    : (struct tally){ 0, 0, 0, 0, 0, 1, 1, 2, 1 };

		measure(s, 0, true, &min, "coherent device");
	}
}

int main(int argc, char **argv)
{
	rows = argc > 1 && strcmp(argv[1], "--rows") == 0;
	if (coh_region_add(&reg, arena, (uint64_t)(uintptr_t)arena, ARENA, 0) ||
	    coh_region_add(&ureg, uarena, (uint64_t)(uintptr_t)uarena, sizeof(uarena),
			   COH_REGION_UNCACHED))
		return 1;
	RUN(t_cached_noncoherent);
	RUN(t_uncached_noncoherent);
	RUN(t_coherent);
	if (rows)
		return th_fail ? 1 : 0;
	return th_finish("nvme_record");
}
