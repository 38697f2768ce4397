/* SPDX-License-Identifier: MIT */
/*
 * Maintenance and barriers of one virtio-blk request, exactly, on the
 * recording backend (tests/record), per memory layout: the figures
 * docs/virtio.md states.  The "device" is this test, answering from the
 * driver's poll hook (vm.relax) through plain pointers, which the
 * recording backend does not see.
 *
 * A driver with any one barrier or sync deleted (a test copy of its source, tests/virtio/mutants.txt) records a
 * different sequence and fails here.
 */
#include <stdio.h>
#include <string.h>

#include "coherent/coherent.h"
#include "harness.h"
#include "../../drivers/virtio/virtio_blk.h"
#include "record_tally.h"

TH_DEFINE_COUNTERS;


#define ARENA (512 * 1024)
static uint8_t arena[ARENA] __attribute__((aligned(4096)));
static uint8_t uarena[128 * 1024] __attribute__((aligned(4096)));
static uint8_t bounce[64 * 1024] __attribute__((aligned(4096)));
static uint8_t data[8192] __attribute__((aligned(128)));
static uint8_t regs[0x200] __attribute__((aligned(8)));
static uint8_t disk[64 * 512];
static struct coh_region reg, ureg;
static struct coh_device dev;
static struct coh_stream st;
static struct coh_map_rec recs[32];
static struct virtio_blk blk;
static uint16_t last;		/* the device's next available entry */

static void le16(void *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

/* The device: complete every published request (plain memory). */
static void device(void *ctx)
{
	struct virtq *vq = &blk.vq;
	uint8_t *avail = (uint8_t *)vq->aq.mem.cpu_, *used = (uint8_t *)vq->uq.mem.cpu_;
	uint16_t aidx, uidx, head, q = vq->size;

	(void)ctx;
	memcpy(&aidx, avail + 2, 2);
	memcpy(&uidx, used + 2, 2);
	while (last != aidx) {
		struct virtq_desc d, t[VIRTQ_IND_MAX];
		struct virtio_blk_hdr h;
		uint32_t elem[2], n = 0, written = 1;

		memcpy(&head, avail + 4 + 2 * (last % q), 2);
		memcpy(&d, (uint8_t *)vq->dq.mem.cpu_ + 16 * head, 16);
		if (d.flags & VIRTQ_DESC_F_INDIRECT) {
			memcpy(t, (void *)(uintptr_t)d.addr, d.len);
			n = d.len / 16;
		} else {
			for (t[n++] = d; t[n - 1].flags & VIRTQ_DESC_F_NEXT; n++)
				memcpy(&t[n], (uint8_t *)vq->dq.mem.cpu_ + 16 * t[n - 1].next, 16);
		}
		memcpy(&h, (void *)(uintptr_t)t[0].addr, sizeof(h));
		for (uint32_t i = 1; i + 1 < n; i++) {
			uint8_t *p = disk + h.sector * 512;

			if (h.type == VIRTIO_BLK_T_IN) {
				memcpy((void *)(uintptr_t)t[i].addr, p, t[i].len);
				written += t[i].len;
			} else {
				memcpy(p, (void *)(uintptr_t)t[i].addr, t[i].len);
			}
			h.sector += t[i].len / 512;
		}
		*(uint8_t *)(uintptr_t)t[n - 1].addr = 0;
		elem[0] = head;
		elem[1] = written;
		memcpy(used + 4 + 8 * (uidx % q), elem, 8);
		le16(used + 2, ++uidx);
		last++;
		if (vq->event_idx)	/* ask to be notified of the next one */
			le16(used + 4 + 8 * q, last);
	}
}

static int setup(unsigned int attrs, bool coherent, bool indirect, bool event_idx)
{
	uint32_t nmax = 64;

	rec_hw_line = 64;
	coh_set_cache_line_size(64);
	coh_device_init(&dev, "blk", coherent ? COH_DEV_COHERENT : 0);
	dev.dma_mask = ~0ull;
	if (coh_stream_init(&st, recs, 32, 0) ||
	    coh_stream_bounce(&st, bounce, (uint64_t)(uintptr_t)bounce, sizeof(bounce)) ||
	    coh_device_set_stream(&dev, &st))
		return -1;
	memset(regs, 0, sizeof(regs));
	last = 0;
	memcpy(regs + VIRTIO_MMIO_QUEUE_NUM_MAX, &nmax, 4);
	memset(&blk, 0, sizeof(blk));
	blk.vm = (struct virtio_mmio){ .base = regs, .dev = &dev, .poll_budget = 10,
				       .relax = device };
	blk.vm.features = VIRTIO_BIT(VIRTIO_F_VERSION_1) |
			  (indirect ? VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC) : 0) |
			  (event_idx ? VIRTIO_BIT(VIRTIO_F_EVENT_IDX) : 0);
	blk.capacity = 64;
	blk.seg_max = 8;
	blk.ring_attrs = attrs;
	if (virtio_blk_req_init(&blk, &blk.sync))
		return -1;
	blk.depth = 1;
	return virtq_init(&blk.vq, &blk.vm, 0, 64, attrs);
}

static void teardown(void)
{
	virtio_blk_destroy(&blk);
	coh_device_set_stream(&dev, NULL);
}

/* One 2-sector read into a line-aligned buffer: the recorded sequence. */
static struct tally one_read(void)
{
	rec_n = 0;
	if (virtio_blk_read(&blk, 3, data, 2))
		return (struct tally){ .clean = 999 };
	return tally();
}

/* make bench (bench/per_frame.py) reads this line: recorded against the minimum */
static void show(const char *name, struct tally t, struct tally min)
{
	printf("virtio-blk read, %s: clean %u inval %u flush %u lines, %u fence "
	       "barriers, wmb %u rmb %u mb %u, io_wmb %u io_rmb %u; %u line ops, "
	       "%u barriers (minimum %u, %u)\n",
	       name, t.clean, t.inval, t.flush, t.maint_barriers, t.wmb, t.rmb, t.mb,
	       t.io_wmb, t.io_rmb, lineops(t), barriers(t), lineops(min), barriers(min));
}

static void t_cached_noncoherent(void)
{
	/* the documented minimum (docs/virtio.md) */
	const struct tally min = { 5, 20, 16, 6, 0, 1, 1, 1, 0 };
	struct tally t;

	CHECK_EQ(setup(0, false, true, true), 0);
	(void)one_read();	/* first use: the same as any other, but warm */
	t = one_read();
	show("cached rings, non-coherent device, indirect + event_idx", t, min);
	CHECK(!memcmp(data, disk + 3 * 512, 1024));
	/*
	 * The minimum (docs/virtio.md): every barrier below separates two
	 * steps the VirtIO ordering rules keep apart.
	 * barrier 1 (kick, before avail.idx): cleans of the header, the status
	 *   sentinel, the indirect table, the head descriptor (one line each),
	 *   flushes of the 16 data lines (map FROM_DEVICE), one batch; the
	 *   available entry shares avail.idx's line and is not cleaned apart;
	 * barrier 2: avail.idx's line cleaned, before the mb and the doorbell;
	 * barrier 3: avail_event's line invalidated (after the mb), not flushed;
	 * barriers 4, 5: used.idx's line per poll (two polls: one before the
	 *   device answered; the used element shares the line), each with its rmb;
	 * barrier 6: the 16 data lines (unmap) and the status line invalidated
	 *   together, then the status read.
	 */
	EXPECT_TALLY(t, min);
	teardown();
}

static void t_uncached_noncoherent(void)
{
	/* the documented minimum (docs/virtio.md) */
	const struct tally min = { 0, 16, 16, 2, 0, 1, 1, 1, 0 };
	struct tally t;

	CHECK_EQ(setup(COH_ATTR_UNCACHED, false, true, true), 0);
	(void)one_read();
	t = one_read();
	show("uncached rings, non-coherent device, indirect + event_idx", t, min);
	/*
	 * rings need nothing; the data buffer its map (joining the kick's first
	 * barrier, which also orders the uncached stores: no wmb) and unmap
	 * (with the status read); the doorbell's io_wmb
	 */
	EXPECT_TALLY(t, min);
	teardown();
}

static void t_coherent(void)
{
	/* the documented minimum (docs/virtio.md) */
	const struct tally min = { 0, 0, 0, 0, 0, 1, 2, 1, 1 };
	struct tally t;

	CHECK_EQ(setup(0, true, true, true), 0);
	(void)one_read();
	t = one_read();
	show("coherent device, indirect + event_idx", t, min);
	/*
	 * barriers only: the kick's first is a full barrier (mb: it carries
	 * the FROM_DEVICE map), then the kick's mb; the completion's io_rmb
	 * (unmap and status read); the doorbell's io_wmb
	 */
	EXPECT_TALLY(t, min);
	teardown();
}

static void t_direct_chain(void)
{
	/* the documented minimum (docs/virtio.md) */
	const struct tally min = { 4, 20, 16, 6, 0, 1, 1, 1, 0 };
	struct tally t;

	CHECK_EQ(setup(0, false, false, false), 0);
	(void)one_read();
	t = one_read();
	show("cached rings, non-coherent device, direct chain, no event_idx", t, min);
	/*
	 * three descriptors in one line instead of table + head (one clean
	 * less); used.flags read instead of avail_event (in used.idx's line,
	 * invalidated on its own all the same: it is read after the mb)
	 */
	EXPECT_TALLY(t, min);
	teardown();
}

int main(void)
{
	if (coh_region_add(&reg, arena, (uint64_t)(uintptr_t)arena, ARENA, 0) ||
	    coh_region_add(&ureg, uarena, (uint64_t)(uintptr_t)uarena, sizeof(uarena),
			   COH_REGION_UNCACHED))
		return 1;
	RUN(t_cached_noncoherent);
	RUN(t_uncached_noncoherent);
	RUN(t_coherent);
	RUN(t_direct_chain);
	return th_finish("virtio_record");
}
