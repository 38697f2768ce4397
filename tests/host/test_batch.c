/* SPDX-License-Identifier: MIT */
/*
 * Batches (coherent/fence.h struct coh_batch): typed writes, streaming maps
 * and unmaps whose line operations share one barrier, a queue publish that
 * completes a driver's batch, and reads of device-written fields that
 * invalidate without flushing; a scatter-gather list mapped and unmapped
 * under one barrier.  Asserted op by op on the recording backend
 * (letters as tests/host/test_ring_min.c: C I F lines, B the barrier after
 * maintenance, w/r/W/R/M the others), with the errors that leave nothing
 * half done.  Built again with COH_TEST_MUTATE 33, 34 and 35 (each deletes
 * one piece of maintenance), where it must fail.
 */
#include <string.h>

#include "coherent/coherent.h"
#include "harness.h"
#include "record/record_ops.h"

TH_DEFINE_COUNTERS;

#define RSZ (256u << 10)
static unsigned char cmem[RSZ] __attribute__((aligned(4096)));
static unsigned char umem[RSZ] __attribute__((aligned(4096)));
static unsigned char buf[4096] __attribute__((aligned(128)));
static struct coh_region creg, ureg;
static struct coh_device dev, other;
static struct coh_stream st;
static struct coh_map_rec recs[16];
static int diags;

static void diag(const struct coh_where *w, const char *msg, int err)
{
	(void)w;
	(void)msg;
	(void)err;
	diags++;
}

#define CHECK_OPS(want) REC_CHECK_OPS(want, goto out)

struct hdr {
	uint32_t type, pad;
	uint64_t sector;
};
struct status {
	uint8_t status;
	uint8_t other[3];
};
COH_DECLARE_SHARED(hdr_h, struct hdr);
COH_DECLARE_SHARED(status_h, struct status);

static int setup(unsigned int flags)
{
	rec_hw_line = 64;
	rec_fail = 0;
	rec_n = 0;
	if (coh_set_cache_line_size(64))
		return -1;
	coh_set_diag_handler(diag);
	diags = 0;
	if (coh_region_add(&creg, cmem, 0x40000000ull, RSZ, 0) ||
	    coh_region_add(&ureg, umem, 0x50000000ull, RSZ, COH_REGION_UNCACHED))
		return -1;
	coh_device_init(&dev, "blk", flags);
	coh_device_init(&other, "net", 0);
	dev.dma_mask = other.dma_mask = ~0ull;
	if (coh_stream_init(&st, recs, 16, 0) || coh_device_set_stream(&dev, &st))
		return -1;
	return 0;
}

static void teardown(void)
{
	(void)coh_device_set_stream(&dev, NULL);
	coh_region_remove(&ureg);
	coh_region_remove(&creg);
	coh_set_diag_handler(NULL);
}

/* Two typed pieces in two allocations: two cleans, one barrier, at the end. */
static void t_pieces(void)
{
	struct hdr_h h = { 0 };
	struct status_h s = { 0 };
	struct hdr in = { .type = 1, .sector = 77 };
	struct coh_batch b;

	CHECK_EQ(setup(0), 0);
	CHECK_EQ(coh_alloc_shared(&h, &dev, 1, 0), 0);
	CHECK_EQ(coh_alloc_shared(&s, &dev, 1, 0), 0);
	CHECK_EQ(coh_batch_init(&b, &dev), 0);
	rec_n = 0;
	CHECK_EQ(coh_put_batch(&b, &h, 0, 1, &in), 0);
	CHECK_EQ(coh_write_batch(&b, &s, [0].status, 0xff), 0);
	CHECK_OPS("CC");	/* no barrier yet */
	CHECK(rec_log[0].addr == h.m_.cpu_ && rec_log[1].addr == s.m_.cpu_);
	CHECK_EQ(coh_batch_end(&b), 0);
	CHECK_OPS("CCB");
	CHECK_EQ(((struct hdr *)coh_raw(&h))->sector, 77);
	CHECK_EQ(((struct status *)coh_raw(&s))->status, 0xff);
	/* an empty batch ends with no barrier at all */
	rec_n = 0;
	CHECK_EQ(coh_batch_end(&b), 0);
	CHECK_EQ(rec_n, 0);
out:
	coh_free(&h);
	coh_free(&s);
	teardown();
}

/* Bad input: nothing written, the failure kept, every later add refused. */
static void t_errors(void)
{
	struct hdr_h h = { 0 }, ho = { 0 };
	struct status_h s = { 0 };
	struct hdr in = { .type = 2 };
	struct coh_batch b;

	CHECK_EQ(setup(0), 0);
	CHECK_EQ(coh_alloc_shared(&h, &dev, 2, 0), 0);
	CHECK_EQ(coh_alloc_shared(&ho, &other, 1, 0), 0);
	CHECK_EQ(coh_alloc_shared(&s, &dev, 1, 0), 0);
	CHECK_EQ(coh_batch_init(NULL, &dev), -COH_EINVAL);
	CHECK_EQ(coh_batch_init(&b, NULL), -COH_EINVAL);
	CHECK_EQ(coh_batch_end(NULL), -COH_EINVAL);
	CHECK_EQ(coh_put_batch((struct coh_batch *)NULL, &h, 0, 1, &in), -COH_EINVAL);

	CHECK_EQ(coh_batch_init(&b, &dev), 0);
	rec_n = 0;
	diags = 0;
	CHECK_EQ(coh_put_batch(&b, &h, 1, 2, &in), -COH_ERANGE);	/* past the end */
	CHECK_EQ(diags, 1);
	CHECK_EQ(coh_write_batch(&b, &s, [0].status, 1), -COH_ERANGE);	/* refused: kept */
	CHECK_EQ(((struct status *)coh_raw(&s))->status, 0);
	CHECK_EQ(coh_batch_end(&b), -COH_ERANGE);
	CHECK_EQ(rec_n, 0);

	CHECK_EQ(coh_batch_init(&b, &dev), 0);
	CHECK_EQ(coh_put_batch(&b, &ho, 0, 1, &in), -COH_EINVAL);	/* another device's */
	CHECK_EQ(((struct hdr *)coh_raw(&ho))->type, 0);
	CHECK_EQ(coh_batch_end(&b), -COH_EINVAL);

	/* overflowing counts */
	CHECK_EQ(coh_batch_init(&b, &dev), 0);
	CHECK_EQ(coh_put_batch(&b, &h, 1, SIZE_MAX, &in), -COH_ERANGE);
	CHECK_EQ(coh_batch_end(&b), -COH_ERANGE);

	/* a backend refusing the range: the failure reaches the caller, kept */
	CHECK_EQ(coh_batch_init(&b, &dev), 0);
	rec_fail = -COH_EFAULT;
	rec_n = 0;
	CHECK_EQ(coh_put_batch(&b, &h, 0, 1, &in), -COH_EFAULT);
	rec_fail = 0;
	CHECK_EQ(coh_write_batch(&b, &s, [0].status, 3), -COH_EFAULT);
	CHECK_EQ(coh_batch_end(&b), -COH_EFAULT);
	CHECK_EQ(rec_n, 0);
	coh_free(&h);
	coh_free(&ho);
	coh_free(&s);
	teardown();
}

/*
 * A request: pieces, a streaming map and a queue publish under the queue's
 * first barrier; the index after it.  Cached queue: "C..C B C B".
 */
static void t_publish(void)
{
	struct coh_queue table = { 0 }, avail = { 0 };
	const struct coh_queue_layout lt = { .count = 8, .entry_size = 16,
					     .idx_off = COH_QUEUE_IDX_NONE, .idx_wrap = 8 };
	const struct coh_queue_layout la = { .count = 8, .entry_size = 2, .entries_off = 4,
					     .idx_off = 2, .idx_size = 2, .idx_wrap = 0x10000,
					     .size = 6 + 16 };
	struct hdr_h h = { 0 };
	struct hdr in = { .type = 1 };
	uint8_t d[16] = { 1 };
	uint16_t head = 0;
	struct coh_batch b;
	coh_bus_t bus;

	CHECK_EQ(setup(0), 0);
	CHECK_EQ(coh_queue_create(&table, &dev, &lt, COH_QUEUE_CPU_PRODUCES, 0), 0);
	CHECK_EQ(coh_queue_create(&avail, &dev, &la, COH_QUEUE_CPU_PRODUCES, 0), 0);
	CHECK_EQ(coh_alloc_shared(&h, &dev, 1, 0), 0);
	CHECK_EQ(coh_batch_init(&b, &dev), 0);
	rec_n = 0;
	CHECK_EQ(coh_put_batch(&b, &h, 0, 1, &in), 0);
	bus = coh_map_single_batch(&b, &dev, buf, 128, COH_FROM_DEVICE);
	CHECK(!coh_mapping_error(&dev, bus));
	CHECK_EQ(coh_queue_write(&table, 0, d), 0);
	CHECK_EQ(coh_queue_push(&avail, &head), 0);
	CHECK_OPS("CFF");
	CHECK_EQ(coh_queue_publish_batch(&avail, &table, &b, NULL), 0);
	/* header, 2 buffer lines, the table; barrier; the index's line; barrier */
	CHECK_OPS("CFFCBCB");
	CHECK(rec_log[5].addr == avail.mem.cpu_);
	/* the batch is empty: ending it costs nothing */
	rec_n = 0;
	CHECK_EQ(coh_batch_end(&b), 0);
	CHECK_EQ(rec_n, 0);

	/* completion: the unmap's invalidate joins a batch, one barrier */
	rec_n = 0;
	CHECK_EQ(coh_unmap_single_batch(&b, &dev, bus, 128, COH_FROM_DEVICE), 0);
	CHECK_OPS("II");
	CHECK_EQ(coh_batch_end(&b), 0);
	CHECK_OPS("IIB");

	/* a batch that failed publishes nothing */
	CHECK_EQ(coh_put_batch(&b, &h, 5, 1, &in), -COH_ERANGE);
	CHECK_EQ(coh_queue_push(&avail, &head), 1);
	rec_n = 0;
	CHECK_EQ(coh_queue_publish_batch(&avail, &table, &b, NULL), -COH_ERANGE);
	CHECK_EQ(rec_n, 0);
	CHECK_EQ(*(volatile uint16_t *)(avail.mem.cpu_ + 2), 1);
	CHECK_EQ(coh_queue_publish_batch(&avail, &table, NULL, NULL), -COH_EINVAL);
	CHECK_EQ(coh_batch_init(&b, &other), 0);
	CHECK_EQ(coh_queue_publish_batch(&avail, &table, &b, NULL), -COH_EINVAL);
	CHECK(coh_mapping_error(&dev, coh_map_single_batch(&b, &dev, buf, 64, COH_TO_DEVICE)));
out:
	coh_free(&h);
	coh_queue_destroy(&avail);
	coh_queue_destroy(&table);
	teardown();
}

/*
 * Uncached rings, cached pieces: the queue has no barrier of its own before
 * the index (a wmb would not complete a clean), so the batch's stands in.
 * COH_TEST_MUTATE 35 (the batch not joined) records "Cw".
 */
static void t_publish_uncached_queue(void)
{
	struct coh_queue avail = { 0 };
	const struct coh_queue_layout la = { .count = 8, .entry_size = 2, .entries_off = 4,
					     .idx_off = 2, .idx_size = 2, .idx_wrap = 0x10000 };
	struct hdr_h h = { 0 };
	struct hdr in = { .type = 1 };
	uint16_t head = 0;
	struct coh_batch b;

	CHECK_EQ(setup(0), 0);
	CHECK_EQ(coh_queue_create(&avail, &dev, &la, COH_QUEUE_CPU_PRODUCES, COH_ATTR_UNCACHED), 0);
	CHECK_EQ(coh_alloc_shared(&h, &dev, 1, 0), 0);
	CHECK_EQ(coh_batch_init(&b, &dev), 0);
	CHECK_EQ(coh_queue_push(&avail, &head), 0);
	rec_n = 0;
	CHECK_EQ(coh_put_batch(&b, &h, 0, 1, &in), 0);
	CHECK_EQ(coh_queue_publish_batch(&avail, NULL, &b, NULL), 0);
	CHECK_OPS("CB");
	CHECK_EQ(*(volatile uint16_t *)(avail.mem.cpu_ + 2), 1);
out:
	coh_free(&h);
	coh_queue_destroy(&avail);
	teardown();
}

/*
 * A device-written field: coh_read flushes the line it does not cover,
 * coh_read_from_device invalidates it; coh_batch_end_read takes it into
 * the batch's one barrier.
 */
static void t_read_from_device(void)
{
	struct status_h s = { 0 };
	struct coh_batch b;
	uint8_t v = 0;
	coh_bus_t bus;

	CHECK_EQ(setup(0), 0);
	CHECK_EQ(coh_alloc_shared(&s, &dev, 1, 0), 0);
	((struct status *)coh_raw(&s))->status = 7;	/* "the device" */
	rec_n = 0;
	CHECK_EQ(coh_read(&s, [0].status), 7);
	CHECK_OPS("FB");
	rec_n = 0;
	CHECK_EQ(coh_read_from_device(&s, [0].status), 7);
	CHECK_OPS("IB");
	CHECK(rec_log[0].addr == s.m_.cpu_);

	bus = coh_map_single(&dev, buf, 64, COH_FROM_DEVICE);
	CHECK(!coh_mapping_error(&dev, bus));
	CHECK_EQ(coh_batch_init(&b, &dev), 0);
	rec_n = 0;
	CHECK_EQ(coh_unmap_single_batch(&b, &dev, bus, 64, COH_FROM_DEVICE), 0);
	CHECK_EQ(coh_batch_end_read(&b, &s, [0].status, &v), 0);
	CHECK_OPS("IIB");
	CHECK_EQ(v, 7);
	/* out of bounds: the batch still ends, the value is untouched */
	v = 0;
	CHECK_EQ(coh_batch_init(&b, &dev), 0);
	CHECK_EQ(coh_batch_end_read(&b, &s, [1].status, &v), -COH_ERANGE);
	CHECK_EQ(v, 0);
	/* a coherent device: no line operation, the read ordered */
	coh_device_init(&other, "coh", COH_DEV_COHERENT);
	other.dma_mask = ~0ull;
	coh_free(&s);
	CHECK_EQ(coh_alloc_shared(&s, &other, 1, 0), 0);
	CHECK_EQ(coh_batch_init(&b, &other), 0);
	rec_n = 0;
	CHECK_EQ(coh_write_batch(&b, &s, [0].other[0], 1), 0);
	CHECK_EQ(coh_batch_end_read(&b, &s, [0].status, &v), 0);
	CHECK_OPS("M");
out:
	coh_free(&s);
	teardown();
}

/* A scatter-gather list: every entry's lines, one barrier (map and unmap). */
static void t_sg(void)
{
	struct coh_sg sg[3] = { { .ptr = buf, .len = 128 }, { .ptr = buf + 1024, .len = 64 },
				{ .ptr = buf + 2048, .len = 192 } };
	int n;

	CHECK_EQ(setup(0), 0);
	rec_n = 0;
	n = coh_map_sg(&dev, sg, 3, COH_FROM_DEVICE);
	CHECK_EQ(n, 3);
	CHECK_OPS("FFFFFFB");
	rec_n = 0;
	CHECK_EQ(coh_unmap_sg(&dev, sg, 3, COH_FROM_DEVICE), 0);
	CHECK_OPS("IIIIIIB");
	rec_n = 0;
	CHECK_EQ(coh_map_sg(&dev, sg, 3, COH_TO_DEVICE), 3);
	CHECK_OPS("CCCCCCB");
	rec_n = 0;
	CHECK_EQ(coh_sync_sg_for_device(&dev, sg, 3, COH_TO_DEVICE), 0);
	CHECK_OPS("CCCCCCB");
	rec_n = 0;
	CHECK_EQ(coh_unmap_sg(&dev, sg, 3, COH_TO_DEVICE), 0);
	CHECK_EQ(rec_n, 0);
out:
	teardown();
}

/*
 * Long-lived receive mappings taken (a burst) and given back (a refill)
 * in batches, each only for the bytes the CPU took: their lines and one
 * barrier each way.
 */
static void t_sync_batch(void)
{
	struct coh_batch b;
	coh_bus_t b0, b1;

	CHECK_EQ(setup(0), 0);
	b0 = coh_map_single(&dev, buf, 1024, COH_FROM_DEVICE);
	b1 = coh_map_single(&dev, buf + 1024, 1024, COH_FROM_DEVICE);
	CHECK(!coh_mapping_error(&dev, b0) && !coh_mapping_error(&dev, b1));
	rec_n = 0;
	CHECK_EQ(coh_sync_for_cpu(&dev, b0, 0, 100, COH_FROM_DEVICE), 0);
	CHECK_OPS("FIB");	/* the edge line flushed, the whole one invalidated */
	/* a burst of two received frames readable under one barrier */
	CHECK_EQ(coh_batch_init(&b, &dev), 0);
	rec_n = 0;
	CHECK_EQ(coh_sync_for_cpu_batch(&b, &dev, b0, 0, 100, COH_FROM_DEVICE), 0);
	CHECK_EQ(coh_sync_for_cpu_batch(&b, &dev, b1, 0, 60, COH_FROM_DEVICE), 0);
	CHECK_OPS("FIF");
	CHECK_EQ(coh_batch_end(&b), 0);
	CHECK_OPS("FIFB");
	rec_n = 0;
	CHECK_EQ(coh_sync_for_device_batch(&b, &dev, b0, 0, 100, COH_FROM_DEVICE), 0);
	CHECK_EQ(coh_sync_for_device_batch(&b, &dev, b1, 0, 60, COH_FROM_DEVICE), 0);
	CHECK_OPS("FFF");
	CHECK_EQ(coh_batch_end(&b), 0);
	CHECK_OPS("FFFB");
	/* errors: outside the mapping, another device's batch: nothing done */
	rec_n = 0;
	CHECK_EQ(coh_sync_for_device_batch(&b, &dev, b0, 1000, 100, COH_FROM_DEVICE), -COH_ERANGE);
	CHECK_EQ(coh_sync_for_device_batch(NULL, &dev, b0, 0, 100, COH_FROM_DEVICE), -COH_EINVAL);
	CHECK_EQ(coh_batch_init(&b, &other), 0);
	CHECK_EQ(coh_sync_for_device_batch(&b, &dev, b0, 0, 100, COH_FROM_DEVICE), -COH_EINVAL);
	CHECK_EQ(rec_n, 0);
	CHECK_EQ(coh_unmap_single(&dev, b0, 1024, COH_FROM_DEVICE), 0);
	CHECK_EQ(coh_unmap_single(&dev, b1, 1024, COH_FROM_DEVICE), 0);
out:
	teardown();
}

/*
 * coh_alloc_shared_copy / coh_alloc_shared_init: when the release that
 * shares the new memory fails, the memory is freed again and the handle
 * cleared (issue 19 item 9: both once returned the error and leaked it).
 */
static int init_hdr(struct hdr *e, size_t i, void *ctx)
{
	(void)ctx;
	e->sector = i;
	return 0;
}

static void t_share_failure_frees(void)
{
	struct hdr src[4] = { { 1, 0, 2 } };
	struct hdr_h h;
	size_t before;

	if (setup(0))
		CHECK(0);
	before = coh_region_free_bytes(&creg);
	rec_fail = -COH_EFAULT;		/* every range check fails: the release does */
	CHECK_EQ(coh_alloc_shared_copy(&h, &dev, 4, 0, src), -COH_EFAULT);
	CHECK_EQ(coh_region_free_bytes(&creg), before);
	CHECK_EQ(coh_bus(&h), COH_BUS_ERROR);
	CHECK_EQ(coh_alloc_shared_init(&h, &dev, 4, 0, init_hdr, NULL), -COH_EFAULT);
	CHECK_EQ(coh_region_free_bytes(&creg), before);
	CHECK_EQ(coh_bus(&h), COH_BUS_ERROR);
	rec_fail = 0;
	CHECK_EQ(coh_device_leaks(&dev), 0);
	/* and when it works, the contents are there */
	CHECK_EQ(coh_alloc_shared_init(&h, &dev, 4, 0, init_hdr, NULL), 0);
	CHECK_EQ(coh_read(&h, [3].sector), 3);
	CHECK_EQ(coh_free(&h), 0);
	teardown();
}

/*
 * Write-combining memory (issue 19 item 5): an allocation asking for it
 * takes the WC region, records it, is never maintained, and every store
 * path the library ends itself (the zeros at allocation, coh_put, a batch
 * with a piece of it) drains the WC buffers ('S': coh_arch_wc_wmb, x86
 * SFENCE) instead of the plain MMIO-ordering barrier ('W'), which does not
 * drain them on x86.  Without a WC region: uncached, then cached.
 */
static unsigned char wmem[64u << 10] __attribute__((aligned(4096)));

static void t_write_combine(void)
{
	struct coh_region wreg;
	struct hdr_h h = { 0 }, c = { 0 };
	struct coh_batch b;
	struct hdr one = { 7, 0, 9 };

	CHECK_EQ(setup(0), 0);
	CHECK_EQ(coh_region_add(&wreg, wmem, 0x60000000ull, sizeof(wmem), COH_REGION_WC), 0);
	rec_n = 0;
	CHECK_EQ(coh_alloc_shared(&h, &dev, 4, COH_ATTR_WRITE_COMBINE), 0);
	CHECK(coh_bus(&h) >= 0x60000000ull && coh_bus(&h) < 0x60010000ull);
	CHECK(coh_is_write_combining(&h));
	CHECK_OPS("S");			/* the zeros drained, nothing maintained */
	rec_n = 0;
	coh_write(&h, [0].type, 1u);	/* the driver's coh_wc_wmb() follows */
	CHECK_OPS("");
	CHECK_EQ(coh_put(&h, 1, 1, &one), 0);
	CHECK_OPS("S");
	rec_n = 0;
	CHECK_EQ(coh_batch_init(&b, &dev), 0);
	CHECK_EQ(coh_write_batch(&b, &h, [2].type, 3u), 0);
	CHECK_EQ(coh_write_batch(&b, &h, [2].sector, 4u), 0);
	CHECK_EQ(coh_batch_end(&b), 0);
	CHECK_OPS("S");
	/* a WC piece with a cached one: the cached line's clean, one barrier */
	CHECK_EQ(coh_alloc_shared(&c, &dev, 1, 0), 0);
	CHECK(!coh_is_write_combining(&c));
	CHECK(coh_bus(&c) >= 0x40000000ull && coh_bus(&c) < 0x40000000ull + RSZ);
	rec_n = 0;
	CHECK_EQ(coh_batch_init(&b, &dev), 0);
	CHECK_EQ(coh_write_batch(&b, &h, [3].type, 5u), 0);
	CHECK_EQ(coh_write_batch(&b, &c, [0].type, 6u), 0);
	CHECK_EQ(coh_batch_end(&b), 0);
	CHECK_OPS("CB");
	CHECK_EQ(coh_free(&h), 0);
	CHECK_EQ(coh_region_remove(&wreg), 0);
	/* no WC region: uncached memory next, no maintenance either */
	CHECK_EQ(coh_alloc_shared(&h, &dev, 4, COH_ATTR_WRITE_COMBINE), 0);
	CHECK(coh_bus(&h) >= 0x50000000ull && coh_bus(&h) < 0x50000000ull + RSZ);
	CHECK(!coh_is_write_combining(&h));
	rec_n = 0;
	CHECK_EQ(coh_put(&h, 1, 1, &one), 0);
	CHECK_OPS("W");
out:
	coh_free(&h);
	coh_free(&c);
	coh_region_remove(&wreg);
	teardown();
}

int main(void)
{
	RUN(t_pieces);
	RUN(t_errors);
	RUN(t_publish);
	RUN(t_publish_uncached_queue);
	RUN(t_read_from_device);
	RUN(t_sg);
	RUN(t_sync_batch);
	RUN(t_share_failure_frees);
	RUN(t_write_combine);
	return th_finish("batch");
}
